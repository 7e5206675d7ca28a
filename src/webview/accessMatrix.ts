/// <reference lib="dom" />
// The access matrix page (browser side): ways into a role (or tables) by DynamoDB actions, each
// cell allowed, own partition only, denied or no credentials; a selected cell shows the engine's
// explanation as the probe does (own partition, and another's where it differs). Keyboard: cells
// are focusable, arrow keys move, Enter or Space selects.
import { el, loadState, mount, onMessage, post, saveState, wrappable } from './dom.ts';
import { explanation } from './explanation.ts';
import { actionLabel } from './format.ts';
import type { MatrixCellDetail, MatrixCellView, MatrixOutcome, MatrixView } from './protocol.ts';

let view: MatrixView | undefined = loadState().matrix;
let selected: string | undefined = loadState().selectedCell;
let detail: MatrixCellDetail | undefined = loadState().matrixCell;
let notice = '';

const TEXT: Record<MatrixOutcome, string> = { allowed: 'allowed', 'own-partition': 'own partition', denied: 'denied', 'no-credentials': 'no credentials', unknown: '?' };

/** The view's cells by row and action, built once per view: a grid of a thousand ways stays linear to draw. */
const cellIndex = new WeakMap<MatrixView, Map<string, MatrixCellView>>();
function cellAt(v: MatrixView, rowId: string | undefined, action: string | undefined): MatrixCellView | undefined {
  let index = cellIndex.get(v);
  if (!index) {
    index = new Map(v.cells.map((c) => [JSON.stringify([c.rowId, c.action]), c]));
    cellIndex.set(v, index);
  }
  return rowId === undefined || action === undefined ? undefined : index.get(JSON.stringify([rowId, action]));
}

function select(id: string): void {
  const previous = selected;
  selected = id;
  if (detail?.cellId !== id) detail = undefined;
  saveState({ selectedCell: id, matrixCell: detail });
  post({ type: 'explainCell', cellId: id });
  // Only the two cells and the detail change: redrawing the whole grid would cost a large matrix a pause per click.
  if (view && cellNodeOf(id)) {
    markSelected(previous, false);
    markSelected(id, true);
    redrawDetail(view);
  } else render();
  focusCell(id);
}

function cellNodeOf(id: string | undefined): HTMLElement | null {
  return id === undefined ? null : document.querySelector<HTMLElement>(`[data-cell="${CSS.escape(id)}"]`);
}

function markSelected(id: string | undefined, on: boolean): void {
  const node = cellNodeOf(id);
  if (!node) return;
  node.classList.toggle('selected', on);
  node.setAttribute('aria-selected', on ? 'true' : 'false');
}

function redrawDetail(v: MatrixView): void {
  const current = document.getElementById('detail');
  if (current) current.replaceWith(detailNode(v));
  else render();
}

function focusCell(id: string): void {
  const target = cellNodeOf(id);
  if (!target) return;
  for (const c of Array.from(document.querySelectorAll<HTMLElement>('[data-cell][tabindex="0"]'))) c.tabIndex = -1;
  target.tabIndex = 0;
  target.focus();
}

function onKey(event: KeyboardEvent, v: MatrixView, r: number, c: number): void {
  const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const at = (row: number, col: number) => cellAt(v, v.rows[row]?.id, v.actions[col]);
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    const cell = at(r, c);
    if (cell) select(cell.id);
    return;
  }
  const move = moves[event.key];
  if (!move) return;
  event.preventDefault();
  const cell = at(Math.max(0, Math.min(v.rows.length - 1, r + move[0])), Math.max(0, Math.min(v.actions.length - 1, c + move[1])));
  if (cell) focusCell(cell.id);
}

function cellNode(v: MatrixView, cell: MatrixCellView | undefined, r: number, c: number, focusable: string | undefined): HTMLElement {
  if (!cell) return el('td', { class: 'cell-none' }, '–');
  const row = v.rows[r]!;
  const td = el('td', {
    role: 'gridcell', tabindex: cell.id === focusable ? 0 : -1, 'data-cell': cell.id, 'aria-selected': cell.id === selected ? 'true' : 'false',
    'aria-label': `${row.label}, ${actionLabel(cell.action)}: ${TEXT[cell.outcome]}`, title: cell.summary,
    class: `cell matrix-${cell.outcome}${cell.id === selected ? ' selected' : ''}`, onclick: () => select(cell.id),
  }, TEXT[cell.outcome]);
  td.addEventListener('keydown', (e) => onKey(e, v, r, c));
  return td;
}

function grid(v: MatrixView): HTMLElement {
  const focusable = selected && v.cells.some((c) => c.id === selected) ? selected : v.cells[0]?.id;
  return el('table', { class: 'grid matrix', role: 'grid', 'aria-label': v.title },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, v.mode === 'who' ? 'way in → role' : 'table'), ...v.actions.map((a) => el('th', { scope: 'col' }, wrappable(actionLabel(a)))))),
    el('tbody', {}, ...v.rows.map((row, r) => el('tr', { class: row.credentials === false ? 'closed' : '' },
      el('th', { scope: 'row', title: row.reason ?? '' }, row.label, row.credentials === false ? el('span', { class: 'engine' }, 'no credentials this way') : null),
      ...v.actions.map((action, c) => cellNode(v, cellAt(v, row.id, action), r, c, focusable))))));
}

function detailNode(v: MatrixView): HTMLElement {
  const cell = v.cells.find((c) => c.id === selected);
  if (!cell) return el('section', { class: 'detail', id: 'detail', 'aria-live': 'polite' }, el('p', { class: 'muted' }, 'Select a cell (click, or arrow keys and Enter) to see why.'));
  const d = detail?.cellId === cell.id ? detail : undefined;
  return el('section', { class: 'detail', id: 'detail', 'aria-live': 'polite' },
    el('h2', {}, d?.heading ?? `${v.rows.find((r) => r.id === cell.rowId)?.label ?? ''} · ${actionLabel(cell.action)}`),
    el('p', {}, el('strong', {}, 'Engine: '), el('span', { class: `matrix-${cell.outcome}` }, TEXT[cell.outcome])),
    !d ? el('p', { class: 'muted' }, cell.summary)
      : d.own && d.other ? el('div', {}, el('h3', {}, 'The caller\'s own partition'), explanation(d.own), el('h3', {}, 'Another\'s partition'), explanation(d.other))
        : d.own ? explanation(d.own) : el('p', {}, d.summary));
}

function render(): void {
  const v = view;
  if (!v) {
    mount(el('p', { class: 'muted' }, 'Computing…'));
    return;
  }
  mount(
    el('header', {}, el('h1', {}, v.title), el('p', {}, el('span', { class: 'badge mode-simulated' }, 'engine'), ` ${v.connection}`)),
    el('p', { class: 'notice', role: 'status', 'aria-live': 'polite' }, notice),
    el('div', { class: 'grid-wrap' }, grid(v)),
    el('p', { class: 'legend muted' }, 'allowed · own partition: allowed on the caller\'s own partition only · denied · no credentials: the way gives none. Arrow keys move, Enter explains.'),
    detailNode(v),
    ...v.notes.map((n) => el('p', { class: 'muted' }, n)),
  );
}

onMessage((message) => {
  if (message.type === 'matrix') {
    view = message.view;
    if (selected && !view.cells.some((c) => c.id === selected)) selected = undefined;
    saveState({ matrix: view, selectedCell: selected });
  } else if (message.type === 'matrixCell') {
    detail = message.detail;
    saveState({ matrixCell: detail });
    // The grid is unchanged: only the detail is redrawn (focus stays where it is).
    if (view) {
      redrawDetail(view);
      return;
    }
  } else if (message.type === 'notice') notice = message.text;
  else return;
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.cell;
  render();
  if (focused) focusCell(focused);
});

render();
post({ type: 'ready' });
