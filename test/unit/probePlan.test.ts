// The probe's read requests carry only the table's key attributes (so no other attribute of an
// item ever leaves DynamoDB), and what the requests put into the IAM request context
// (dynamodb:Attributes, dynamodb:Select) is exactly what the engine is given to simulate them:
// the sandbox's model of DynamoDB's authorization (test/sandbox/dynamodbChecks.ts) derives the
// same values from the request shapes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { simulateAccess } from '../../src/core/access.ts';
import { validateSnapshot, type Snapshot, type Table } from '../../src/core/snapshot.ts';
import { planProbes, probeRequestContext, type ProbeStep } from '../../src/aws/probePlan.ts';
import * as engine from '../../src/vscode/engine.ts';
import { simulateProbes } from '../../src/vscode/panels/probeModel.ts';
import { checksFor, type KeyNames } from '../sandbox/dynamodbChecks.ts';

const ARN = 'arn:aws:dynamodb:eu-central-1:123456789012:table';
const TABLES: Table[] = [
  {
    TableName: 'notes', TableArn: `${ARN}/notes`,
    KeySchema: [{ AttributeName: 'ownerId', KeyType: 'HASH' }, { AttributeName: 'noteId', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'ownerId', AttributeType: 'S' }, { AttributeName: 'noteId', AttributeType: 'S' }],
  },
  { TableName: 'flat', TableArn: `${ARN}/flat`, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] },
  { TableName: 'numbered', TableArn: `${ARN}/numbered`, KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }] },
];
const IDENTITY = 'eu-central-1:0e0e0001-0000-4000-8000-000000000006';
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

const keyNames = (t: Table): string[] => t.KeySchema.map((k) => k.AttributeName);
const keysOf = (name: string): KeyNames | undefined => {
  const t = TABLES.find((x) => x.TableName === name);
  const hash = t?.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  return hash ? { hash, range: t?.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName } : undefined;
};

/** The projected attribute names of a read's input (the one table's part for BatchGetItem). */
function projected(step: ProbeStep): string[] | undefined {
  const input = step.operation === 'BatchGetItem' ? (step.input.RequestItems as Record<string, Record<string, unknown>>)[step.table]! : step.input;
  if (typeof input.ProjectionExpression !== 'string') return undefined;
  const names = input.ExpressionAttributeNames as Record<string, string>;
  return input.ProjectionExpression.split(',').map((p) => names[p.trim()] ?? p.trim());
}

describe('probe plan: reads project the key attributes only', () => {
  for (const table of TABLES) {
    it(`${table.TableName}: every read asks for ${keyNames(table).join(' and ')} only`, () => {
      const steps = planProbes(table, { identityId: IDENTITY }).filter((s) => READS.has(s.operation));
      assert.equal(steps.length, table.TableName === 'numbered' ? 4 : 7);
      for (const step of steps) {
        assert.deepEqual(projected(step), keyNames(table), `${step.operation}: ${JSON.stringify(step.input)}`);
        assert.equal(step.input.AttributesToGet, undefined);
        if (step.operation === 'Query' || step.operation === 'Scan') {
          assert.equal(step.input.Select, 'SPECIFIC_ATTRIBUTES');
          assert.equal(step.input.Limit, 1);
        }
      }
    });

    it(`${table.TableName}: each step's dynamodb:Attributes and dynamodb:Select are what DynamoDB derives from its request`, () => {
      for (const step of planProbes(table, { identityId: IDENTITY })) {
        const operation = step.operation === 'ConditionCheck' ? 'TransactWriteItems' : step.operation;
        const checks = checksFor(operation, step.input, keysOf);
        assert.equal(checks.length, 1, step.operation);
        const context = checks[0]!.context;
        assert.deepEqual(context['dynamodb:Attributes'], step.attributes, `${step.operation} attributes`);
        assert.equal(context['dynamodb:Select'], step.select, `${step.operation} select`);
        assert.deepEqual({ attributes: step.attributes, select: step.select }, { select: undefined, attributes: undefined, ...probeRequestContext(table, step.operation) });
      }
    });
  }
});

describe('the engine simulates the probe with its projection', () => {
  const seed = validateSnapshot(JSON.parse(readFileSync(new URL('../../media/samples/seed-healthy.json', import.meta.url), 'utf8')));
  const ROLE = 'arn:aws:iam::123456789012:role/BooksReadAccess';
  const POOL = seed.identityPools[0]!.IdentityPoolId;

  /** BooksReadAccess with one policy: Scan book-table, only for requests that read the key attributes and nothing else. */
  function keysOnlyScan(): Snapshot {
    const snap: Snapshot = structuredClone(seed);
    const table = snap.tables.find((t) => t.TableName === 'book-table')!;
    const role = snap.roles.find((r) => r.Arn === ROLE)!;
    role.AttachedPolicies = [];
    role.InlinePolicies = [{
      PolicyName: 'scan-keys-only',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Action: 'dynamodb:Scan', Resource: table.TableArn,
          Condition: {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['author', 'title'] },
            StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
            Null: { 'dynamodb:Attributes': 'false' },
          },
        }],
      },
    }];
    return snap;
  }

  it('a policy that allows key-only reads allows the probe\'s Scan, and not a whole-item Scan', () => {
    const snap = keysOnlyScan();
    const table = snap.tables.find((t) => t.TableName === 'book-table')!;
    const scan = planProbes(table, { identityId: IDENTITY }).find((s) => s.operation === 'Scan')!;
    const asProbed = simulateAccess(snap, ROLE, { action: 'dynamodb:Scan', table: 'book-table', identityPoolId: POOL, attributes: scan.attributes!, select: scan.select! });
    assert.ok(!('error' in asProbed));
    assert.equal(asProbed.decision, 'allowed');
    const wholeItem = simulateAccess(snap, ROLE, { action: 'dynamodb:Scan', table: 'book-table', identityPoolId: POOL });
    assert.ok(!('error' in wholeItem));
    assert.equal(wholeItem.decision, 'implicit-deny');
  });

  it('the panel\'s simulated probe sees the same request', () => {
    const records = simulateProbes(engine, keysOnlyScan(), { roleArn: ROLE, identityPoolId: POOL, tables: ['book-table'] });
    assert.equal(records.find((r) => r.action === 'dynamodb:Scan')?.simulated, 'allowed');
  });
});
