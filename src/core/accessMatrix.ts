// "Who can do what": every way into a role (waysIn.ts) against each DynamoDB action on each table,
// decided by the engine's access simulation: allowed, allowed only on the caller's own partition
// (a dynamodb:LeadingKeys condition with ${cognito-identity.amazonaws.com:sub}), denied, or no
// credentials at all (the trust policy refuses, or guests are not allowed). The same cells the
// probe decides (src/vscode/panels/probeModel.ts simulateProbes), one row per way instead of per user.
import { decideAccess, simulateAccess } from './access.ts';
import { actionHasLeadingKeys } from './iam/dynamodbContext.ts';
import type { Decision, DecisionKind } from './iam/types.ts';
import type { Snapshot, Table } from './snapshot.ts';
import { roleNameFromArn } from './snapshot.ts';
import { describeWay, trustOfWay, waysIn, type WayIn } from './waysIn.ts';

/** The IAM actions of the matrix: reads, writes, metadata. Transactions need the underlying actions (PutItem, ConditionCheckItem, ...). */
export const MATRIX_ACTIONS = ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem', 'DescribeTable'].map((a) => `dynamodb:${a}`);

export type CellOutcome = 'allowed' | 'own-partition' | 'denied' | 'no-credentials' | 'unknown';

export interface MatrixRow {
  id: string;
  table: string;
  way: WayIn;
  /** false: no identity gets credentials this way (`reason` says why); null: the role is not in the snapshot. */
  credentials: boolean | null;
  reason: string | null;
}

export interface MatrixCell {
  rowId: string;
  action: string;
  outcome: CellOutcome;
  /** The decision for the caller's own partition (or the only one: Scan, DescribeTable, numeric keys); null without credentials. */
  own: DecisionKind | null;
  /** The decision for somebody else's partition, for actions that carry keys on a string partition key. */
  other: DecisionKind | null;
  /** One line for people. */
  summary: string;
}

export interface AccessMatrix {
  actions: string[];
  rows: MatrixRow[];
  cells: MatrixCell[];
  notes: string[];
}

export interface MatrixFilter {
  /** Only this table (name). */
  table?: string;
  /** Only the ways into this role. */
  roleArn?: string;
  /** Only the ways of this group (`<userPoolId>/<groupName>`). */
  group?: string;
}

export class MatrixInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatrixInputError';
  }
}

/** The rows (ways and tables) a filter selects, with whether each way gives credentials at all. */
export function matrixRows(snapshot: Snapshot, filter: MatrixFilter = {}): MatrixRow[] {
  const tables = filter.table ? snapshot.tables.filter((t) => t.TableName === filter.table) : snapshot.tables;
  if (filter.table && tables.length === 0) throw new MatrixInputError(`table ${filter.table} is not in the snapshot (tables: ${snapshot.tables.map((t) => t.TableName).join(', ') || 'none'})`);
  let ways = waysIn(snapshot);
  if (filter.roleArn) ways = ways.filter((w) => w.roleArn === filter.roleArn);
  if (filter.group) ways = ways.filter((w) => w.kind === 'group' && `${w.userPoolId}/${w.groupName}` === filter.group);
  if (filter.roleArn && ways.length === 0) {
    // A role no identity pool hands out: its permissions all the same, without a Cognito context.
    ways = [{ id: `|role|${filter.roleArn}`, kind: 'authenticated', identityPoolId: '', identityPoolName: null, roleArn: filter.roleArn, roleName: roleNameFromArn(filter.roleArn), identityKind: 'authenticated', label: 'role (no identity pool hands it out)' }];
  }
  const rows: MatrixRow[] = [];
  const rolesByArn = new Map<string, Snapshot['roles'][number]>();
  for (const role of snapshot.roles) if (!rolesByArn.has(role.Arn)) rolesByArn.set(role.Arn, role);
  for (const way of ways) {
    const access = credentialsOf(snapshot, way, rolesByArn);
    for (const table of tables) rows.push({ id: `${way.id}|${table.TableName}`, table: table.TableName, way, ...access });
  }
  return rows;
}

function credentialsOf(snapshot: Snapshot, way: WayIn, rolesByArn: Map<string, Snapshot['roles'][number]>): { credentials: boolean | null; reason: string | null } {
  if (way.closed) return { credentials: false, reason: way.closed };
  const role = rolesByArn.get(way.roleArn);
  if (!role) return { credentials: null, reason: `role ${way.roleName} is not in the snapshot` };
  if (role.Missing) return { credentials: false, reason: `role ${way.roleName} does not exist` };
  if (role.Unreadable) return { credentials: null, reason: `role ${way.roleName} could not be read (${role.Unreadable})` };
  if (!way.identityPoolId) return { credentials: true, reason: null };
  const verdict = trustOfWay(snapshot, way);
  if (verdict && !verdict.assumable) {
    return { credentials: false, reason: `the trust policy of ${way.roleName} refuses: ${verdict.findings.find((f) => f.severity === 'error')?.message ?? verdict.decision?.explanation.summary ?? 'no statement admits Cognito'}` };
  }
  return { credentials: true, reason: null };
}

function stringHashKey(table: Table): boolean {
  const hash = table.KeySchema.find((k) => k.KeyType === 'HASH');
  return (table.AttributeDefinitions?.find((a) => a.AttributeName === hash?.AttributeName)?.AttributeType ?? 'S') === 'S';
}

/** Decides one cell: own partition, and another's where the action carries keys. */
export function decideCell(snapshot: Snapshot, row: MatrixRow, action: string): { own: Decision; other: Decision | null } | { error: string } {
  const table = snapshot.tables.find((t) => t.TableName === row.table);
  if (!table) return { error: `table ${row.table} is not in the snapshot` };
  const request = { action, table: row.table, identityPoolId: row.way.identityPoolId, guest: row.way.identityKind === 'unauthenticated' };
  const own = simulateAccess(snapshot, row.way.roleArn, { ...request, partition: 'own' });
  if ('error' in own) return own;
  if (!actionHasLeadingKeys(action) || !stringHashKey(table)) return { own, other: null };
  const other = simulateAccess(snapshot, row.way.roleArn, { ...request, partition: 'other' });
  if ('error' in other) return other;
  return { own, other };
}

/**
 * One cell, decided with the decision-only evaluator (decideAccess: no explanation is built for a
 * million cells). Its `summary`, the explanation's one line, is worked out when first read (the
 * cell's tooltip, JSON output) and kept; text and CSV output never build it.
 */
function cellOf(snapshot: Snapshot, row: MatrixRow, action: string, table: Table | undefined, request: { action: string; table: string; identityPoolId: string; guest: boolean; partition: 'own' | 'other' }): MatrixCell {
  const base = { rowId: row.id, action };
  if (row.credentials === false) return { ...base, outcome: 'no-credentials', own: null, other: null, summary: `No credentials this way: ${row.reason}.` };
  if (!table) return { ...base, outcome: 'unknown', own: null, other: null, summary: `table ${row.table} is not in the snapshot` };
  // One request object per row, its action and partition set per call: a million cells, no copies.
  request.action = action;
  request.partition = 'own';
  const own = decideAccess(snapshot, row.way.roleArn, request);
  if (typeof own !== 'string') return { ...base, outcome: 'unknown', own: null, other: null, summary: own.error };
  let other: DecisionKind | null = null;
  if (actionHasLeadingKeys(action) && stringHashKey(table)) {
    request.partition = 'other';
    const decided = decideAccess(snapshot, row.way.roleArn, request);
    if (typeof decided !== 'string') return { ...base, outcome: 'unknown', own: null, other: null, summary: decided.error };
    other = decided;
  }
  const outcome: CellOutcome = own !== 'allowed' ? 'denied' : other !== null && other !== 'allowed' ? 'own-partition' : 'allowed';
  return new DecidedCell(snapshot, row, action, outcome, own, other);
}

/** A decided cell whose summary is explained when first read (a getter; `toJSON` includes it). */
class DecidedCell implements MatrixCell {
  readonly rowId: string;
  #summary: string | undefined;
  readonly #snapshot: Snapshot;
  readonly #row: MatrixRow;

  constructor(snapshot: Snapshot, row: MatrixRow, readonly action: string, readonly outcome: CellOutcome, readonly own: DecisionKind, readonly other: DecisionKind | null) {
    this.rowId = row.id;
    this.#snapshot = snapshot;
    this.#row = row;
  }

  get summary(): string {
    return (this.#summary ??= cellSummary(this.#snapshot, this.#row, this.action, this.outcome));
  }

  toJSON(): Omit<MatrixCell, never> {
    return { rowId: this.rowId, action: this.action, outcome: this.outcome, own: this.own, other: this.other, summary: this.summary };
  }
}

/** The explained line of a decided cell: the own partition's explanation, or another's where only the own is allowed. */
function cellSummary(snapshot: Snapshot, row: MatrixRow, action: string, outcome: CellOutcome): string {
  const decided = decideCell(snapshot, row, action);
  if ('error' in decided) return decided.error;
  const summary = outcome === 'own-partition'
    ? `Allowed on the caller's own partition only: ${decided.other!.explanation.summary}`
    : decided.own.explanation.summary;
  return row.credentials === null ? `${summary} (${row.reason}: assumed obtainable)` : summary;
}

/** The matrix for the rows a filter selects. */
export function accessMatrix(snapshot: Snapshot, filter: MatrixFilter = {}): AccessMatrix {
  const rows = matrixRows(snapshot, filter);
  const tables = new Map<string, Table>();
  for (const table of snapshot.tables) if (!tables.has(table.TableName)) tables.set(table.TableName, table);
  const cells: MatrixCell[] = [];
  for (const row of rows) {
    const table = tables.get(row.table);
    const request = { action: '', table: row.table, identityPoolId: row.way.identityPoolId, guest: row.way.identityKind === 'unauthenticated', partition: 'own' as 'own' | 'other' };
    for (const action of MATRIX_ACTIONS) cells.push(cellOf(snapshot, row, action, table, request));
  }
  const notes = [
    'Each cell is the engine\'s decision for a request by the role\'s Cognito session (the identity pool\'s aud and amr), with the caller\'s own identity id as partition key and another\'s; own partition: allowed only for the caller\'s own (dynamodb:LeadingKeys).',
    'Requests without a projection or Select: a policy that limits dynamodb:Attributes or dynamodb:Select may decide otherwise for other request shapes.',
  ];
  if (rows.some((r) => r.way.identityKind === 'unauthenticated')) notes.push('Guest roles: Cognito\'s session policy for unauthenticated identities lists no DynamoDB action, so guests are denied whatever the role allows (inferred from the documented policy).');
  return { actions: MATRIX_ACTIONS, rows, cells, notes };
}

/** A row's name for people: the way (and its role), and the table when the matrix has several. */
export function rowLabel(row: MatrixRow, withTable: boolean): string {
  const way = `${describeWay(row.way)} → ${row.way.roleName}`;
  return withTable ? `${row.table} · ${way}` : way;
}
