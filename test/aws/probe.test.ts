// The full probe matrix on both tables with real test-user credentials: no probe changes data
// (an admin scan of each table is byte-identical before and after), every probe decides (no
// live errors), and every live outcome agrees with the engine (simulateAccess), for every seeded
// user of pool `books` that signs in without a challenge (PLAIN_USERS) and both of tied's
// CustomRoleArn choices. A known disagreement would be listed in EXPLAINED with its reason and
// source; today there is none, and an explained one that stops happening fails the test too (so
// the list cannot go stale).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CLIENTS, PLAIN_USERS, SEED_IDENTITY_IDS, TABLES, USERS, roleArn, tableArn } from '../sandbox/seed.ts';
import type { ProbeResult } from '../../src/aws/probe.ts';
import { planProbes } from '../../src/aws/probePlan.ts';
import type { Table } from '../../src/core/snapshot.ts';
import { runCli, startHarness, type Harness } from './helpers.ts';

/**
 * Disagreements between the live answer and the engine that are understood, keyed
 * `user|role|table|action|partition`, each with its reason and source. Empty: since the sandbox
 * reports the seeded ARNs (it used to answer dynalite's us-east-1/000000000000 TableArn, so the
 * engine matched no policy), the sandbox's iam-simulate oracle and the engine agree everywhere.
 */
const EXPLAINED: Record<string, { reason: string; source: string }> = {};

const SPEC_KEYS = ['table', 'action', 'partition', 'live', 'awsMessage', 'simulated', 'agree', 'explanation'];

describe('probe against the sandbox', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  test('DescribeTable reports the seeded region and account (what the engine matches policies against)', async () => {
    const arn = (await h.context.clients.dynamodb.send(new DescribeTableCommand({ TableName: 'user-notes' }))).Table?.TableArn;
    assert.equal(arn, tableArn('user-notes'));
    assert.equal(arn, `arn:aws:dynamodb:${h.sandbox.region}:${h.sandbox.accountId}:table/user-notes`);
  });

  /** Every item of every table, as the admin sees it, serialized. */
  const dump = async (): Promise<string> => {
    const parts: string[] = [];
    for (const t of TABLES) {
      const items: unknown[] = [];
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await h.context.clients.dynamodb.send(new ScanCommand({ TableName: t.TableName, ConsistentRead: true, ExclusiveStartKey }));
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (ExclusiveStartKey);
      parts.push(JSON.stringify(items.map((i) => JSON.stringify(i)).sort()));
    }
    return parts.join('\n');
  };

  const cases: { username: string; customRole?: string }[] = [
    ...PLAIN_USERS.map((u) => ({ username: u.Username })),
    { username: 'tied', customRole: 'BooksEditor' },
    { username: 'tied', customRole: 'BooksReviewer' },
  ];
  for (const { username, customRole } of cases) {
    test(`${username}${customRole ? ` as ${customRole}` : ''}: the matrix runs, changes nothing, and agrees with the engine`, async () => {
      const user = USERS.find((u) => u.Username === username)!;
      const before = await dump();
      const run = await runCli('probe', [
        '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.web.ClientId, '--username', username,
        '--identity-pool', h.sandbox.identityPools.books, '--table', 'book-table', '--table', 'user-notes', '--format', 'json',
        ...(customRole ? ['--custom-role-arn', roleArn(customRole)] : []),
      ], { ...h.env, COGNITO_ACCESS_PASSWORD: user.password });
      assert.equal(run.code, 0, run.stderr);
      const { roleArn: role, results } = JSON.parse(run.stdout) as { roleArn: string; results: ProbeResult[] };
      if (customRole) assert.equal(role, roleArn(customRole));
      assert.equal(await dump(), before, 'no probe changed data');
      assert.equal(results.length, 2 * 19, 'ten operations, keyed ones for two partitions, on two tables');
      for (const r of results) {
        // shared/spec/cli.md, probe JSON: these keys, these values (extra keys allowed).
        for (const k of SPEC_KEYS) assert.ok(k in r, `${k} missing`);
        assert.ok(['own', 'other', null].includes(r.partition));
        assert.ok(['allowed', 'denied', 'error'].includes(r.live));
        assert.ok(['allowed', 'implicit-deny', 'explicit-deny'].includes(r.simulated as string), `simulated ${String(r.simulated)}`);
        assert.equal(typeof r.agree, 'boolean');
        assert.equal(typeof r.explanation, 'object');
      }
      const skipped = results.filter((r) => r.skipped);
      assert.deepEqual(skipped, [], 'both tables have a sort key: nothing is skipped');
      const errors = results.filter((r) => r.live === 'error').map((r) => `${r.table} ${r.action}: ${r.awsMessage}`);
      assert.deepEqual(errors, []);
      const key = (r: ProbeResult): string => `${username}|${role.split('/').pop()}|${r.table}|${r.action}|${r.partition}`;
      const unexplained = results.filter((r) => !r.agree && !EXPLAINED[key(r)])
        .map((r) => `${key(r)}: live ${r.live}, engine ${r.simulated} (${r.awsMessage})`);
      assert.deepEqual(unexplained, [], 'every live outcome agrees with the engine');
      const stale = results.filter((r) => r.agree && EXPLAINED[key(r)]).map(key);
      assert.deepEqual(stale, [], 'an explained disagreement no longer happens: remove it from EXPLAINED');
      assert.ok(!/"Item"|"Items"/.test(run.stdout), 'counts only, never item contents');
    });
  }

  test('the matrix shows every decision kind somewhere (so agreement is not trivially all-allowed)', async () => {
    const seen = new Set<string>();
    for (const [username, custom] of [['noteuser'], ['tied', 'BooksReviewer'], ['tied', 'BooksEditor']] as [string, string?][]) {
      const run = await runCli('probe', [
        '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.web.ClientId, '--username', username,
        '--identity-pool', h.sandbox.identityPools.books, '--table', 'book-table', '--table', 'user-notes', '--format', 'json',
        ...(custom ? ['--custom-role-arn', roleArn(custom)] : []),
      ], { ...h.env, COGNITO_ACCESS_PASSWORD: USERS.find((u) => u.Username === username)!.password });
      for (const r of (JSON.parse(run.stdout) as { results: ProbeResult[] }).results) {
        seen.add(`${r.live}/${r.simulated}`);
        if (r.denial?.policyType) seen.add(r.denial.policyType);
      }
    }
    for (const kind of ['allowed/allowed', 'denied/implicit-deny', 'denied/explicit-deny', 'permissions boundary', 'identity-based']) {
      assert.ok(seen.has(kind), `${kind} in ${[...seen].join(', ')}`);
    }
  });
});

describe('probe reads carry only key attributes', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  const seeded = TABLES.find((t) => t.TableName === 'user-notes')!;
  const notes: Table = { TableName: seeded.TableName, TableArn: tableArn(seeded.TableName), KeySchema: seeded.KeySchema, AttributeDefinitions: seeded.AttributeDefinitions };
  const owner = SEED_IDENTITY_IDS.noteuser;

  test('the planned reads never return a non-key attribute, however large', async () => {
    const dynamo = h.context.clients.dynamodb;
    const key = { ownerId: { S: owner }, noteId: { S: 'a-big-note' } };
    await dynamo.send(new PutItemCommand({ TableName: 'user-notes', Item: { ...key, body: { S: 'x'.repeat(300_000) } } }));
    try {
      const steps = planProbes(notes, { identityId: owner }).filter((s) => s.partition !== 'other');
      const returned: Record<string, unknown>[] = [];
      for (const step of steps) {
        const input = structuredClone(step.input) as Record<string, unknown>;
        // The planned keys are random (absent): point the keyed reads at the big item; Scan every item.
        if (step.operation === 'GetItem') {
          input.Key = key;
          returned.push((await dynamo.send(new GetItemCommand(input as never))).Item!);
        } else if (step.operation === 'BatchGetItem') {
          (input.RequestItems as Record<string, { Keys: unknown[] }>)['user-notes']!.Keys = [key];
          returned.push(...(await dynamo.send(new BatchGetItemCommand(input as never))).Responses!['user-notes']!);
        } else if (step.operation === 'Query') {
          returned.push(...(await dynamo.send(new QueryCommand(input as never))).Items!);
        } else if (step.operation === 'Scan') {
          delete input.Limit;
          returned.push(...(await dynamo.send(new ScanCommand(input as never))).Items!);
        }
      }
      assert.ok(returned.filter((item) => JSON.stringify(item).includes('a-big-note')).length >= 4, 'GetItem, BatchGetItem, Query and Scan each found the big item');
      for (const item of returned) assert.deepEqual(Object.keys(item).sort(), ['noteId', 'ownerId'], JSON.stringify(item).slice(0, 200));
    } finally {
      await dynamo.send(new DeleteItemCommand({ TableName: 'user-notes', Key: key }));
    }
  });

  test('a role that may read key attributes only: the probe is allowed live and by the engine alike', async () => {
    // NotesOwnPartition (noteuser's role) may not Scan; now it may, for key-only Scans.
    const keysOnly = {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Action: 'dynamodb:Scan', Resource: tableArn('user-notes'),
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['ownerId', 'noteId'] },
          StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
          Null: { 'dynamodb:Attributes': 'false' },
        },
      }],
    };
    await h.context.clients.iam.send(new PutRolePolicyCommand({ RoleName: 'NotesOwnPartition', PolicyName: 'scan-keys-only', PolicyDocument: JSON.stringify(keysOnly) }));
    const run = await runCli('probe', [
      '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.web.ClientId, '--username', 'noteuser',
      '--identity-pool', h.sandbox.identityPools.books, '--table', 'user-notes', '--format', 'json',
    ], { ...h.env, COGNITO_ACCESS_PASSWORD: USERS.find((u) => u.Username === 'noteuser')!.password });
    assert.equal(run.code, 0, run.stderr);
    const { results } = JSON.parse(run.stdout) as { results: ProbeResult[] };
    const scan = results.find((r) => r.action === 'dynamodb:Scan')!;
    assert.deepEqual([scan.live, scan.simulated, scan.agree], ['allowed', 'allowed', true], scan.awsMessage);
    assert.deepEqual(results.filter((r) => !r.agree).map((r) => `${r.action} ${r.partition}: live ${r.live}, engine ${r.simulated}`), []);
  });
});
