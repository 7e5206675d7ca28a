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

/** JSON: one object per row with its way, role and a cell per action. */
export function matrixJson(m: AccessMatrix): Record<string, unknown> {
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
      cells: Object.fromEntries(m.cells.filter((c) => c.rowId === row.id).map((c) => [c.action, { outcome: c.outcome, own: c.own, other: c.other, summary: c.summary }])),
    })),
    notes: m.notes,
  };
}

const csvField = (value: string | null): string => (value === null ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** CSV: one line per cell (table, identity pool, way, role, action, outcome, own, other). */
export function matrixCsv(m: AccessMatrix): string {
  const lines = ['table,identityPool,way,role,action,outcome,own,other'];
  for (const row of m.rows) {
    for (const c of m.cells.filter((x) => x.rowId === row.id)) {
      lines.push([row.table, row.way.identityPoolName ?? row.way.identityPoolId, row.way.label, row.way.roleName, c.action, c.outcome, c.own, c.other].map(csvField).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Text: per table, a row per way and a column per action (yes, own, no, - no credentials, ? unknown). */
export function matrixText(m: AccessMatrix): string {
  const heads = m.actions.map((a) => a.replace(/^dynamodb:/, ''));
  const out: string[] = [];
  for (const table of [...new Set(m.rows.map((r) => r.table))]) {
    const rows = m.rows.filter((r) => r.table === table);
    const labels = rows.map((r) => rowLabel(r, false));
    const width = Math.max(...labels.map((l) => l.length), 3);
    out.push(`Table ${table}`, `  ${''.padEnd(width)}  ${heads.join('  ')}`);
    rows.forEach((row, i) => {
      const cells = m.actions.map((a, j) => SYMBOL[m.cells.find((c) => c.rowId === row.id && c.action === a)!.outcome].padEnd(heads[j]!.length));
      out.push(`  ${labels[i]!.padEnd(width)}  ${cells.join('  ')}`.trimEnd());
    });
    for (const row of rows.filter((r) => r.credentials === false)) out.push(`  - ${rowLabel(row, false)}: no credentials, ${row.reason}`);
    out.push('');
  }
  out.push('yes allowed · own allowed on the caller\'s own partition only · no denied · - no credentials this way · ? not in the snapshot', ...m.notes.map((n) => `Note: ${n}`));
  return `${out.join('\n')}\n`;
}
