// Builds the access matrix page's view (src/webview/protocol.ts MatrixView) and a cell's detail
// from the engine's matrix (src/core/accessMatrix.ts). Pure: the engine is passed in, so node:test
// covers it and the extension bundle does not pull src/core in.
import type { AccessMatrix, MatrixRow } from '../../core/accessMatrix.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { Engine } from '../lazy.ts';
import { actionLabel } from '../../webview/format.ts';
import type { MatrixCellDetail, MatrixView } from '../../webview/protocol.ts';
import { explanationView } from './probeModel.ts';

export interface MatrixSubject {
  mode: 'who' | 'what';
  title: string;
  filter: MatrixView['filter'];
  connectionId: string;
  connection: string;
}

export function matrixView(engine: Pick<Engine, 'rowLabel'>, matrix: AccessMatrix, subject: MatrixSubject): MatrixView {
  // "Who can access a table": one table, so rows name the way; "what can it do": rows name the table (and the pool when several).
  const pools = new Set(matrix.rows.map((r) => r.way.identityPoolId));
  const label = (row: MatrixRow): string =>
    subject.mode === 'who' ? engine.rowLabel(row, new Set(matrix.rows.map((r) => r.table)).size > 1) : pools.size > 1 ? `${row.table} · ${row.way.label} of ${row.way.identityPoolName ?? row.way.identityPoolId}` : row.table;
  return {
    ...subject,
    actions: matrix.actions,
    rows: matrix.rows.map((r) => ({
      id: r.id, label: label(r), table: r.table, roleName: r.way.roleName, identityPool: r.way.identityPoolName ?? r.way.identityPoolId, credentials: r.credentials, reason: r.reason,
    })),
    cells: matrix.cells.map((c) => ({ id: `${c.rowId}|${c.action}`, rowId: c.rowId, action: c.action, outcome: c.outcome, summary: c.summary })),
    notes: matrix.notes,
  };
}

/** A cell explained as the probe explains one: its own-partition decision and, where it differs, another's. */
export function matrixCellDetail(engine: Pick<Engine, 'decideCell'>, snapshot: Snapshot, matrix: AccessMatrix, view: MatrixView, cellId: string): MatrixCellDetail | null {
  const cell = view.cells.find((c) => c.id === cellId);
  const row = cell ? matrix.rows.find((r) => r.id === cell.rowId) : undefined;
  const rowView = cell ? view.rows.find((r) => r.id === cell.rowId) : undefined;
  if (!cell || !row || !rowView) return null;
  const heading = `${rowView.label} · ${actionLabel(cell.action)}`;
  if (row.credentials === false) return { cellId, heading, outcome: cell.outcome, summary: cell.summary, own: null, other: null };
  const decided = engine.decideCell(snapshot, row, cell.action);
  if ('error' in decided) return { cellId, heading, outcome: 'unknown', summary: decided.error, own: null, other: null };
  const otherDiffers = decided.other !== null && decided.other.decision !== decided.own.decision;
  return {
    cellId, heading, outcome: cell.outcome, summary: cell.summary,
    own: explanationView(decided.own.explanation),
    other: otherDiffers ? explanationView(decided.other!.explanation) : null,
  };
}
