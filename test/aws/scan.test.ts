// The scanner against the sandbox over real HTTP, with the real SDK clients: the snapshot
// reproduces the seed, the profile's endpoint_url is honoured when the profile is named, the CLI
// writes a valid snapshot, and a cancelled scan stops.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIENTS, GROUPS, IDENTITY_POOLS, TABLES, USERS } from '../sandbox/seed.ts';
import { scanAccount } from '../../src/aws/scanner.ts';
import { parseSnapshot, type AppClient, type Snapshot } from '../../src/core/snapshot.ts';
import { diagnose } from '../../src/core/diagnose.ts';
import { runCli, startHarness, type Harness } from './helpers.ts';

describe('scan against the sandbox', () => {
  let h: Harness;
  let snapshot: Snapshot;
  const progress: string[] = [];
  before(async () => {
    h = await startHarness();
    const result = await scanAccount(h.context.clients, {
      region: h.context.region, accountId: await h.context.accountId(), includeUsers: true, onProgress: (p) => progress.push(p.message),
    });
    snapshot = result.snapshot;
  });
  after(() => h.stop());

  test('the named profile gives region and endpoint_url (AWS_PROFILE unset)', () => {
    assert.equal(process.env.AWS_PROFILE, undefined);
    assert.equal(h.context.region, h.sandbox.region);
    assert.equal(h.context.endpoints.dynamodb, h.sandbox.endpoint);
    assert.equal(h.context.endpoints.cognitoIdp, h.sandbox.endpoint);
  });

  test('user pool, clients (no secrets), groups and users match the seed', () => {
    assert.equal(snapshot.accountId, h.sandbox.accountId);
    const pool = snapshot.userPools.find((p) => p.Id === h.sandbox.userPoolId);
    assert.ok(pool, 'the seeded user pool is scanned');
    assert.deepEqual(pool.Groups.map((g) => [g.GroupName, g.Precedence, g.RoleArn, g.Description]).sort(),
      GROUPS.map((g) => [g.GroupName, g.Precedence ?? null, g.RoleArn ?? null, g.Description ?? null]).sort());
    for (const seeded of Object.values(CLIENTS) as { ClientId: string; ClientSecret?: string }[]) {
      const client: AppClient | undefined = pool.Clients.find((c) => c.ClientId === seeded.ClientId);
      assert.ok(client, seeded.ClientId);
      assert.equal(client.HasSecret, Boolean(seeded.ClientSecret));
    }
    assert.deepEqual(pool.Users?.map((u) => [u.Username, [...u.Groups].sort()]).sort(), USERS.map((u) => [u.Username, [...u.groups].sort()]).sort());
    const text = JSON.stringify(snapshot);
    assert.ok(!text.includes(CLIENTS.backend.ClientSecret!), 'the client secret is never written');
    assert.ok(!/"(ClientSecret|SecretKey|SecretAccessKey|SessionToken|Password)"/.test(text), 'no secret fields');
  });

  test('identity pools with roles and mappings match the seed', () => {
    for (const seeded of IDENTITY_POOLS) {
      const pool = snapshot.identityPools.find((p) => p.IdentityPoolId === seeded.IdentityPoolId);
      assert.ok(pool, seeded.IdentityPoolId);
      assert.deepEqual(pool.Roles, seeded.Roles);
      // The scanner keeps provider-name keys in a record without a prototype (names are data): compare the entries.
      assert.deepEqual({ ...pool.RoleMappings }, seeded.RoleMappings);
      assert.deepEqual(pool.CognitoIdentityProviders, seeded.CognitoIdentityProviders);
    }
  });

  test('every referenced role is read once, with trust and policies; the named tables are read', () => {
    const referenced = new Set<string>([
      ...GROUPS.flatMap((g) => (g.RoleArn ? [g.RoleArn] : [])),
      ...IDENTITY_POOLS.flatMap((p) => [...Object.values(p.Roles), ...Object.values(p.RoleMappings).flatMap((m) => m.RulesConfiguration?.Rules.map((r) => r.RoleARN) ?? [])]),
    ]);
    assert.deepEqual(snapshot.roles.map((r) => r.Arn).sort(), [...referenced].sort());
    for (const role of snapshot.roles) {
      assert.ok(role.AssumeRolePolicyDocument, `${role.RoleName} has its trust policy`);
      assert.ok((role.AttachedPolicies?.length ?? 0) + (role.InlinePolicies?.length ?? 0) > 0, `${role.RoleName} has policies`);
      for (const p of role.AttachedPolicies ?? []) assert.ok(p.Document, `${p.PolicyArn} has its default version's document`);
    }
    assert.equal(progress.filter((m) => m.startsWith('role ')).length, referenced.size, 'each role reported once');
    assert.deepEqual(snapshot.tables.map((t) => t.TableName).sort(), TABLES.map((t) => t.TableName).sort());
    for (const t of snapshot.tables) assert.deepEqual(t.KeySchema, TABLES.find((s) => s.TableName === t.TableName)!.KeySchema);
  });

  test('the snapshot is valid v1 and diagnose finds the seeded fault', () => {
    const parsed = parseSnapshot(JSON.stringify(snapshot), 'scan');
    const codes = diagnose(parsed).findings.map((f) => `${f.code} ${f.subject.id}`);
    assert.ok(codes.some((c) => c.startsWith('TRUST_AUD_IS_USER_POOL_ID') && c.endsWith('role/BooksReadBroken')), codes.join('\n'));
  });

  test('cognito-access scan writes the snapshot file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'scan-cli-')), 'snap.json');
    const run = await runCli('scan', ['--profile', h.sandbox.profile, '--users', '--out', out], h.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Wrote .*snap\.json: 2 user pool/);
    const written = parseSnapshot(readFileSync(out, 'utf8'), out);
    assert.deepEqual(written.roles.map((r) => r.Arn), snapshot.roles.map((r) => r.Arn));
  });

  test('usage errors exit 2 with one line', async () => {
    const run = await runCli('scan', ['--profile', h.sandbox.profile], h.env);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'cognito-access: scan: --out is required\n');
    const bad = await runCli('scan', ['--bogus'], h.env);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.split('\n').length, 2);
  });

  test('an aborted scan stops with AbortError', async () => {
    const controller = new AbortController();
    const scan = scanAccount(h.context.clients, { region: h.context.region, accountId: h.sandbox.accountId, signal: controller.signal });
    controller.abort();
    await assert.rejects(scan, (e: Error) => e.name === 'AbortError');
  });
});
