// The DynamoDB probe matrix as data: request shapes that can never change an item, and how an
// answer is read. No SDK here; the inputs are the DynamoDB wire shapes the SDK commands take.
//
// Why no probe changes data:
// - Writes (PutItem, UpdateItem, DeleteItem, and the Put / ConditionCheck inside
//   TransactWriteItems) carry `attribute_exists(#pk) AND attribute_not_exists(#pk)` on the key
//   attribute, a condition that is false for every item, present or not. IAM authorizes the call
//   before the condition is evaluated (inferred: an unauthorized conditional write answers
//   AccessDeniedException, an authorized one ConditionalCheckFailedException; cognito-semantics.md
//   section 4), so "allowed" shows as ConditionalCheckFailedException (TransactionCanceledException
//   with reason ConditionalCheckFailed for transactions) and nothing is written.
// - UpdateItem has no UpdateExpression, so it names no attribute beyond the key (keeping
//   dynamodb:Attributes to the key, as the engine simulates it).
// - BatchWriteItem cannot carry a condition. It deletes a key that cannot exist: the sort key (or,
//   for a table without one, the partition key) is a fresh random UUID behind the recognisable
//   prefix `cognito-access-probe-` (or, for the "other" partition, a fresh random identity id).
//   2^122 random values make a collision with a real item practically impossible; probe.ts also
//   checks with a consistent GetItem (inspector's credentials) that the key is absent first. The
//   keys that may exist, the caller's own partition (or a principal tag's value, such as the
//   department's name) in a table without a sort key, are never used for BatchWriteItem: that
//   probe is skipped.
// - Reads use Limit 1 and report counts only, never item contents; they project the table's key
//   attributes only (ProjectionExpression `#k0, #k1`; Query and Scan also Select
//   SPECIFIC_ATTRIBUTES), so no other attribute of an item ever leaves DynamoDB.
// Request context: the projection is part of what IAM sees (dynamodb:Attributes holds the
// projected names, dynamodb:Select the Select value). Each step carries those values
// (probeRequestContext) and the engine simulates the call with them, so live and simulated
// decisions are about the same request.
// Transactions: "Permissions for Put, Update, Delete, and Get actions are governed by the
// permissions used for the underlying PutItem, UpdateItem, DeleteItem, and GetItem operations.
// For the ConditionCheck action, you can use the dynamodb:ConditionCheckItem permission"
// (DynamoDB Developer Guide, transaction-apis-iam.html): the IAM action simulated for each.
import { randomUUID } from 'node:crypto';
import type { Table } from '../core/snapshot.ts';

export const PROBE_OPERATIONS = [
  'GetItem', 'Query', 'Scan', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'ConditionCheck',
] as const;
export type ProbeOperation = (typeof PROBE_OPERATIONS)[number];

export const PROBE_KEY_PREFIX = 'cognito-access-probe-';
export const IMPOSSIBLE_CONDITION = 'attribute_exists(#pk) AND attribute_not_exists(#pk)';

/** The IAM action each probe needs (what the engine simulates). */
export const IAM_ACTION: Record<ProbeOperation, string> = {
  GetItem: 'dynamodb:GetItem', Query: 'dynamodb:Query', Scan: 'dynamodb:Scan', BatchGetItem: 'dynamodb:BatchGetItem',
  PutItem: 'dynamodb:PutItem', UpdateItem: 'dynamodb:UpdateItem', DeleteItem: 'dynamodb:DeleteItem',
  BatchWriteItem: 'dynamodb:BatchWriteItem', TransactWriteItems: 'dynamodb:PutItem', ConditionCheck: 'dynamodb:ConditionCheckItem',
};

const WRITES = new Set<ProbeOperation>(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'ConditionCheck']);
export const isWrite = (op: ProbeOperation): boolean => WRITES.has(op);

type AttributeValue = { S: string } | { N: string } | { B: Uint8Array };
export type Key = Record<string, AttributeValue>;

export interface ProbeStep {
  table: string;
  operation: ProbeOperation;
  iamAction: string;
  /**
   * `own`: the caller's identity id as partition key; `other`: somebody else's; `tag`: the value of
   * one of the session's principal tags (`tag` says which), for policies whose leading keys are
   * `${aws:PrincipalTag/<key>}`; null: no key (Scan).
   */
  partition: ProbePartition;
  /** For a `tag` partition: the tag whose value is the partition key. */
  tag?: PartitionTag;
  /** The partition key value used (what the engine simulates as dynamodb:LeadingKeys). */
  partitionValue: string | null;
  /** The SDK command input. */
  input: Record<string, unknown>;
  /** What the request puts into dynamodb:Attributes and dynamodb:Select (probeRequestContext); the engine simulates it with them. */
  attributes?: string[];
  select?: string;
  /** The key a BatchWriteItem deletes (checked absent before the call). */
  deletes?: Key;
  /** Why this probe is not run. */
  skip?: string;
}

function keyValue(type: string, value: string): AttributeValue {
  if (type === 'N') return { N: value };
  if (type === 'B') return { B: Buffer.from(value, 'utf8') };
  return { S: value };
}

/** A value of the attribute's type that no real item has. */
function probeValue(type: string, random: () => string): string {
  // Numbers: a negative 30-digit value starting 7357 ("test"), from the random UUID's digits.
  if (type === 'N') return `-7357${BigInt(`0x${random().replace(/-/g, '')}`).toString().padStart(40, '0').slice(0, 26)}`;
  return `${PROBE_KEY_PREFIX}${random()}`;
}

/** The table's key attribute names: partition key, then sort key. */
export function keyAttributes(table: Table): string[] {
  const hash = table.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = table.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return [hash, range].filter((n): n is string => Boolean(n));
}

/** Reads project the key attributes only: `#k0, #k1` with their names. */
function keyProjection(table: Table): { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } {
  const names = Object.fromEntries(keyAttributes(table).map((name, i) => [`#k${i}`, name]));
  return { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names };
}

/**
 * What a probe's request adds to the IAM request context besides its partition key, as DynamoDB
 * derives it (DynamoDB Developer Guide, specifying-conditions.html; the sandbox's
 * test/sandbox/dynamodbChecks.ts does the same): dynamodb:Attributes, the names a read projects or
 * a write's key names (the probes write nothing else); dynamodb:Select where the request sets it
 * (Query, Scan). BatchWriteItem sets neither. The engine is given the same values.
 */
export function probeRequestContext(table: Table, operation: ProbeOperation): { attributes?: string[]; select?: string } {
  if (operation === 'BatchWriteItem') return {};
  const attributes = keyAttributes(table);
  return operation === 'Query' || operation === 'Scan' ? { attributes, select: 'SPECIFIC_ATTRIBUTES' } : { attributes };
}

export type ProbePartition = 'own' | 'other' | 'tag' | null;

/** A principal tag whose value is probed as a partition key. */
export interface PartitionTag {
  key: string;
  value: string;
}

/**
 * The tags to probe as partitions: the session's tags that the role's leading-key conditions read
 * (`keys`, from core/access.ts leadingKeyTags), with a value a string key can hold. Case of the key
 * as the policy writes it; the value is the session's.
 */
export function tagPartitions(sessionTags: Record<string, string> | null | undefined, keys: string[]): PartitionTag[] {
  if (!sessionTags) return [];
  const out: PartitionTag[] = [];
  for (const key of keys) {
    const found = Object.keys(sessionTags).find((k) => k.toLowerCase() === key.toLowerCase());
    const value = found === undefined ? undefined : sessionTags[found];
    if (value !== undefined && value !== '' && !out.some((t) => t.value === value)) out.push({ key: found!, value });
  }
  return out;
}

export interface PlanOptions {
  identityId: string;
  /** Principal tags whose values are partitions of their own (tagPartitions): probed beside own and other. */
  tagPartitions?: PartitionTag[];
  /** Fresh UUIDs (tests pass fixed ones). */
  random?: () => string;
}

/** Every probe for one table: keyed operations for the caller's own and another partition, Scan once. */
export function planProbes(table: Table, options: PlanOptions): ProbeStep[] {
  const random = options.random ?? randomUUID;
  const hash = table.KeySchema.find((k) => k.KeyType === 'HASH');
  if (!hash) throw new Error(`table ${table.TableName} has no partition key in its key schema`);
  const range = table.KeySchema.find((k) => k.KeyType === 'RANGE');
  const typeOf = (name: string) => table.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType ?? 'S';
  const hashType = typeOf(hash.AttributeName);
  const region = options.identityId.split(':')[0] ?? '';
  // Identity ids are strings: with a numeric or binary partition key, only random partitions make sense.
  const partitions: { partition: 'own' | 'other' | 'tag'; value: string; tag?: PartitionTag }[] =
    hashType === 'S'
      ? [
        { partition: 'own', value: options.identityId },
        ...(options.tagPartitions ?? []).map((tag) => ({ partition: 'tag' as const, value: tag.value, tag })),
        { partition: 'other', value: `${region}:${random()}` },
      ]
      : [{ partition: 'other', value: probeValue(hashType, random) }];

  const names = { '#pk': hash.AttributeName };
  const projection = keyProjection(table);
  const select = { Select: 'SPECIFIC_ATTRIBUTES' };
  const steps: ProbeStep[] = [];
  const T = table.TableName;
  for (const operation of PROBE_OPERATIONS) {
    const base = { table: T, operation, iamAction: IAM_ACTION[operation], ...probeRequestContext(table, operation) };
    if (operation === 'Scan') {
      steps.push({ ...base, partition: null, partitionValue: null, input: { TableName: T, ...projection, ...select, Limit: 1 } });
      continue;
    }
    for (const { partition, value, tag } of partitions) {
      const Key: Key = { [hash.AttributeName]: keyValue(hashType, value) };
      if (range) Key[range.AttributeName] = keyValue(typeOf(range.AttributeName), probeValue(typeOf(range.AttributeName), random));
      const guarded = { TableName: T, ConditionExpression: IMPOSSIBLE_CONDITION, ExpressionAttributeNames: names };
      const step: ProbeStep = { ...base, partition, partitionValue: value, input: {}, ...(tag ? { tag } : {}) };
      switch (operation) {
        case 'GetItem': step.input = { TableName: T, Key, ...projection }; break;
        case 'Query':
          step.input = { TableName: T, KeyConditionExpression: '#k0 = :pk', ...projection, ...select, ExpressionAttributeValues: { ':pk': Key[hash.AttributeName] }, Limit: 1 };
          break;
        case 'BatchGetItem': step.input = { RequestItems: { [T]: { Keys: [Key], ...projection } } }; break;
        case 'PutItem': step.input = { ...guarded, Item: Key }; break;
        case 'UpdateItem': step.input = { ...guarded, Key }; break;
        case 'DeleteItem': step.input = { ...guarded, Key }; break;
        case 'BatchWriteItem':
          step.input = { RequestItems: { [T]: [{ DeleteRequest: { Key } }] } };
          step.deletes = Key;
          // The caller's own partition, or a tag's (a department's name), may be a real item's whole key.
          if (!range && partition !== 'other') step.skip = `not probed: without a sort key, the only key in ${partition === 'tag' ? 'the tag\'s' : 'the caller\'s own'} partition may be a real item, and BatchWriteItem cannot carry a condition`;
          break;
        case 'TransactWriteItems': step.input = { TransactItems: [{ Put: { ...guarded, Item: Key } }] }; break;
        case 'ConditionCheck': step.input = { TransactItems: [{ ConditionCheck: { ...guarded, Key } }] }; break;
      }
      steps.push(step);
    }
  }
  return steps;
}
