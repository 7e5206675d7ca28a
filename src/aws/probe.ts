// Runs the probe matrix (probePlan.ts) with a test user's credentials and sets each answer beside
// the engine's decision for the same role, table, action and partition.
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { leadingKeyTags, simulateAccess } from '../core/access.ts';
import type { DecisionKind, Explanation } from '../core/iam/types.ts';
import type { Snapshot, Table } from '../core/snapshot.ts';
import { errorCode, errorMessage, isAccessDenied } from './errors.ts';
import { mapLimit } from './limiter.ts';
import { agreement, classifyProbe, type LiveOutcome, type ParsedDenial } from './probeOutcome.ts';
import { planProbes, tagPartitions, type Key, type PartitionTag, type ProbeOperation, type ProbePartition, type ProbeStep } from './probePlan.ts';
import { defaultEndpoint } from './context.ts';
import { ScanReads } from './scanReads.ts';
import { TableScanner } from './scanTables.ts';

export interface ProbeResult {
  table: string;
  /** The API call, `dynamodb:<Operation>` (ConditionCheck: a TransactWriteItems with one ConditionCheck). */
  action: string;
  /** The IAM action it needs (what the engine simulated). */
  iamAction: string;
  partition: ProbePartition;
  /** For a `tag` partition: the principal tag whose value was the partition key. */
  tag?: PartitionTag;
  live: LiveOutcome;
  awsMessage: string;
  /** The engine's decision; null when it could not decide (e.g. the role is not in the snapshot). */
  simulated: DecisionKind | null;
  /**
   * True when the live call confirmed the engine's decision; false otherwise, including when a
   * side decided nothing (live error or skipped, engine undecided): then `undecided` says why.
   * See agreement() in probeOutcome.ts.
   */
  agree: boolean;
  undecided?: string;
  explanation: Explanation | { error: string } | null;
  /** Items a read returned (counted, never shown). */
  count?: number;
  denial?: ParsedDenial;
  /** Set when the probe was not run, with why. */
  skipped?: string;
}

export interface ProbeRun {
  snapshot: Snapshot;
  /** The role the test user's credentials are a session of (as STS reported it). */
  roleArn: string;
  identityId: string;
  identityPoolId: string;
  tables: string[];
  /** The test user's DynamoDB client. */
  userDynamo: DynamoDBClient;
  /** The inspector's own, for DescribeTable, GetResourcePolicy and the absent-key check. */
  inspectorDynamo: DynamoDBClient;
  random?: () => string;
  /**
   * The session's principal tags as the engine predicts them (Cognito does not report the tags it
   * passed): the simulated side reads `aws:PrincipalTag/<key>` from them, and a tag that the role's
   * leading keys use becomes a partition of its own.
   */
  sessionTags?: Record<string, string> | null;
  /** The login's provider name (it goes in amr), when not the identity pool's first user pool. */
  provider?: string;
  /** Credentials from the basic (classic) flow: no Cognito session policy. */
  basicFlow?: boolean;
}

const COMMANDS: Record<ProbeOperation, new (input: never) => unknown> = {
  GetItem: GetItemCommand, Query: QueryCommand, Scan: ScanCommand, BatchGetItem: BatchGetItemCommand,
  PutItem: PutItemCommand, UpdateItem: UpdateItemCommand, DeleteItem: DeleteItemCommand,
  BatchWriteItem: BatchWriteItemCommand, TransactWriteItems: TransactWriteItemsCommand, ConditionCheck: TransactWriteItemsCommand,
};

/** Reads the tables (key schema and resource policy) with the inspector's credentials; adds them to a copy of the snapshot. */
export async function describeTables(snapshot: Snapshot, names: string[], inspectorDynamo: DynamoDBClient): Promise<{ snapshot: Snapshot; tables: Table[]; warnings: string[] }> {
  const reads = new ScanReads(undefined, (service) => defaultEndpoint(service, snapshot.region));
  const scanner = new TableScanner(inspectorDynamo, reads, snapshot.region, snapshot.accountId);
  const tables: Table[] = [];
  for (const name of names) {
    const table = await scanner.table(name);
    const gap = reads.gaps.at(-1);
    if (!table) throw new Error(`table ${name} could not be read: ${gap ? `${gap.service}:${gap.operation}: ${gap.error}: ${gap.message}` : scanner.warnings.at(-1) ?? 'no such table'}`);
    tables.push(table);
  }
  const kept = snapshot.tables.filter((t) => !names.includes(t.TableName));
  const unread = reads.gaps.map((g) => `${g.service}:${g.operation} on ${g.resource}: ${g.error} (${g.message}); decisions assume the table has no resource policy`);
  return { snapshot: { ...snapshot, tables: [...kept, ...tables] }, tables, warnings: [...scanner.warnings, ...unread] };
}

/** Whether an item with this key exists, by a consistent read of its key attributes only (inspector's credentials); null if we may not look. */
async function keyExists(client: DynamoDBClient, table: string, key: Key): Promise<boolean | null> {
  const names = Object.fromEntries(Object.keys(key).map((name, i) => [`#k${i}`, name]));
  try {
    const got = await client.send(new GetItemCommand({
      TableName: table, Key: key as never, ConsistentRead: true, ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names,
    }));
    return Boolean(got.Item);
  } catch (error) {
    if (isAccessDenied(error)) return null;
    throw error;
  }
}

async function runStep(run: ProbeRun, step: ProbeStep): Promise<ProbeResult> {
  const action = step.operation === 'ConditionCheck' ? 'dynamodb:ConditionCheck' : `dynamodb:${step.operation}`;
  const decision = simulateAccess(run.snapshot, run.roleArn, {
    action: step.iamAction,
    table: step.table,
    identityId: run.identityId,
    identityPoolId: run.identityPoolId,
    ...(step.partitionValue !== null ? { partition: step.partition === 'own' ? 'own' : step.partitionValue } : {}),
    ...(run.sessionTags ? { sessionTags: run.sessionTags } : {}), ...(run.provider ? { provider: run.provider } : {}), ...(run.basicFlow ? { basicFlow: true } : {}),
    // The request's projection and Select, as IAM sees them (probePlan.ts probeRequestContext).
    ...(step.attributes ? { attributes: step.attributes } : {}), ...(step.select ? { select: step.select } : {}),
  });
  const simulated = 'error' in decision ? null : decision.decision;
  const explanation = 'error' in decision ? { error: decision.error } : decision.explanation;
  const base = { table: step.table, action, iamAction: step.iamAction, partition: step.partition, ...(step.tag ? { tag: step.tag } : {}), simulated, explanation };

  let skip = step.skip;
  if (!skip && step.deletes && (await keyExists(run.inspectorDynamo, step.table, step.deletes))) {
    skip = 'not probed: the random key to delete exists (it never should); nothing was sent';
  }
  if (skip) {
    const { agree, undecided } = agreement({ live: 'error', awsMessage: skip }, simulated);
    return { ...base, live: 'error', awsMessage: skip, agree, ...(undecided ? { undecided } : {}), skipped: skip };
  }

  const Command = COMMANDS[step.operation];
  let classified;
  try {
    const output = (await run.userDynamo.send(new Command(step.input as never) as never)) as unknown as Record<string, unknown>;
    classified = classifyProbe(step.operation, step.table, undefined, output);
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    classified = classifyProbe(step.operation, step.table, { name: errorCode(error), message: errorMessage(error), ...(reasons ? { CancellationReasons: reasons } : {}) });
  }
  const { agree, undecided } = agreement(classified, simulated);
  const result: ProbeResult = { ...base, live: classified.live, awsMessage: classified.awsMessage, agree };
  if (undecided) result.undecided = undecided;
  if (classified.count !== undefined) result.count = classified.count;
  if (classified.denial) result.denial = classified.denial;
  return result;
}

/** Every probe on every table; `snapshot` must hold the tables (see describeTables). */
export async function runProbes(run: ProbeRun): Promise<ProbeResult[]> {
  const steps: ProbeStep[] = [];
  const role = run.snapshot.roles.find((r) => r.Arn === run.roleArn);
  const tags = tagPartitions(run.sessionTags, role && !role.Missing && !role.Unreadable ? leadingKeyTags(role) : []);
  for (const name of run.tables) {
    const table = run.snapshot.tables.find((t) => t.TableName === name);
    if (!table) throw new Error(`table ${name} is not in the snapshot; describe it first`);
    steps.push(...planProbes(table, { identityId: run.identityId, ...(run.random ? { random: run.random } : {}), ...(tags.length ? { tagPartitions: tags } : {}) }));
  }
  return mapLimit(steps, 4, (step) => runStep(run, step));
}
