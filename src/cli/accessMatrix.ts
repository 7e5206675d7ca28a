// `cognito-access access-matrix`: every way into a role (each group's role, each rule, the default
// and guest roles of each identity pool) against each DynamoDB action on each table
// (src/core/accessMatrix.ts), as a text table, JSON or CSV. Exit 0; 2 for bad usage or input.
import { accessMatrix, MatrixInputError, rowLabel, type AccessMatrix, type CellOutcome } from '../core/accessMatrix.ts';
import { loadSnapshot, parse, UsageError } from './offline.ts';

export const ACCESS_MATRIX_OPTIONS = {
  snapshot: { type: 'string' },
  table: { type: 'string' },
  format: { type: 'string' },
} as const;

const SYMBOL: Record<CellOutcome, string> = { allowed: 'yes', 'own-partition': 'own', denied: 'no', 'no-credentials': '-', unknown: '?' };

export async function runAccessMatrix(argv: string[], io: { stdout: (text: string) => void }): Promise<number> {
  const { values } = parse('access-matrix', argv, ACCESS_MATRIX_OPTIONS);
  const format = (values.format as string | undefined) ?? 'text';
  if (!['text', 'json', 'csv'].includes(format)) throw new UsageError(`access-matrix: --format must be text, json or csv, not ${JSON.stringify(format)}`);
  const snapshot = await loadSnapshot(values.snapshot as string | undefined, 'access-matrix');
  let matrix: AccessMatrix;
  try {
    matrix = accessMatrix(snapshot, values.table === undefined ? {} : { table: values.table as string });
  } catch (error) {
    if (error instanceof MatrixInputError) throw new UsageError(`access-matrix: ${error.message}`);
    throw error;
  }
  io.stdout(format === 'json' ? `${JSON.stringify(matrixJson(matrix), null, 2)}\n` : format === 'csv' ? matrixCsv(matrix) : matrixText(matrix));
  return 0;
}

/** The cells of each row, by row id (one pass: a matrix of 50,000 rows stays linear). */
function cellsByRow(m: AccessMatrix): Map<string, AccessMatrix['cells']> {
  const byRow = new Map<string, AccessMatrix['cells']>();
  for (const cell of m.cells) {
    const list = byRow.get(cell.rowId);
    if (list) list.push(cell);
    else byRow.set(cell.rowId, [cell]);
  }
  return byRow;
}

/** JSON: one object per row with its way, role and a cell per action. */
export function matrixJson(m: AccessMatrix): Record<string, unknown> {
  const byRow = cellsByRow(m);
  return {
    actions: m.actions,
    rows: m.rows.map((row) => ({
      table: row.table,
      identityPoolId: row.way.identityPoolId,
      way: { kind: row.way.kind, label: row.way.label, ...(row.way.groupName ? { group: row.way.groupName, userPoolId: row.way.userPoolId } : {}), ...(row.way.ruleIndex !== undefined ? { mappingKey: row.way.mappingKey, rule: row.way.ruleIndex + 1 } : {}) },
      roleArn: row.way.roleArn,
      identityKind: row.way.identityKind,
      credentials: row.credentials,
      reason: row.reason,
      cells: Object.fromEntries((byRow.get(row.id) ?? []).map((c) => [c.action, { outcome: c.outcome, own: c.own, other: c.other, summary: c.summary }])),
    })),
    notes: m.notes,
  };
}

const csvField = (value: string | null): string => (value === null ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** CSV: one line per cell (table, identity pool, way, role, action, outcome, own, other). */
export function matrixCsv(m: AccessMatrix): string {
  const lines = ['table,identityPool,way,role,action,outcome,own,other'];
  const byRow = cellsByRow(m);
  for (const row of m.rows) {
    for (const c of byRow.get(row.id) ?? []) {
      lines.push([row.table, row.way.identityPoolName ?? row.way.identityPoolId, row.way.label, row.way.roleName, c.action, c.outcome, c.own, c.other].map(csvField).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Text: per table, a row per way and a column per action (yes, own, no, - no credentials, ? unknown). */
export function matrixText(m: AccessMatrix): string {
  const heads = m.actions.map((a) => a.replace(/^dynamodb:/, ''));
  const out: string[] = [];
  const byRow = cellsByRow(m);
  const byTable = new Map<string, AccessMatrix['rows']>();
  for (const row of m.rows) {
    const list = byTable.get(row.table);
    if (list) list.push(row);
    else byTable.set(row.table, [row]);
  }
  for (const [table, rows] of byTable) {
    const labels = rows.map((r) => rowLabel(r, false));
    const width = Math.max(...labels.map((l) => l.length), 3);
    out.push(`Table ${table}`, `  ${''.padEnd(width)}  ${heads.join('  ')}`);
    rows.forEach((row, i) => {
      const own = byRow.get(row.id) ?? [];
      const cells = m.actions.map((a, j) => SYMBOL[own.find((c) => c.action === a)?.outcome ?? 'unknown'].padEnd(heads[j]!.length));
      out.push(`  ${labels[i]!.padEnd(width)}  ${cells.join('  ')}`.trimEnd());
    });
    for (const row of rows.filter((r) => r.credentials === false)) out.push(`  - ${rowLabel(row, false)}: no credentials, ${row.reason}`);
    out.push('');
  }
  out.push('yes allowed · own allowed on the caller\'s own partition only · no denied · - no credentials this way · ? not in the snapshot', ...m.notes.map((n) => `Note: ${n}`));
  return `${out.join('\n')}\n`;
}
