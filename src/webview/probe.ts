/// <reference lib="dom" />
// The probe page (browser side): tables by actions, each cell allowed, denied or error; a selected
// cell shows the AWS message, the engine's explanation (the deciding statement with the matching
// or failing part marked, failing conditions with both values) and the smallest change that
// would allow it. Keyboard: cells are focusable, arrow keys move, Enter or Space selects.
import { button, el, loadState, mount, onMessage, post, saveState, wrappable } from './dom.ts';
import { explanation } from './explanation.ts';
import { actionLabel, cellAriaLabel, cellKind, cellText, simulatedLabel } from './format.ts';
import type { ProbeCellView, ProbeView } from './protocol.ts';

let view: ProbeView | undefined = loadState().probe;
let selected: string | undefined = loadState().selectedCell;
let notice = '';
let busy: string | null = null;

function detail(cell: ProbeCellView | undefined, v: ProbeView): HTMLElement {
  if (!cell) return el('section', { class: 'detail', id: 'detail', 'aria-live': 'polite' }, el('p', { class: 'muted' }, 'Select a cell (click, or arrow keys and Enter) to see why.'));
  const row = v.rows.find((r) => r.id === cell.rowId);
  return el('section', { class: 'detail', id: 'detail', 'aria-live': 'polite' },
    el('h2', {}, `${row?.label ?? ''} · ${actionLabel(cell.action)}`),
    cell.live ? el('p', {}, el('strong', {}, 'AWS: '), el('span', { class: `cell-${cell.live}` }, cell.live), cell.count !== null ? ` (${cell.count} item${cell.count === 1 ? '' : 's'}, counted, not shown)` : '') : null,
    cell.awsMessage ? el('pre', { class: 'aws-message' }, cell.awsMessage) : null,
    el('p', {}, el('strong', {}, 'Engine: '), simulatedLabel(cell.simulated), cell.agree === false ? el('span', { class: 'differ' }, ' ≠ AWS disagrees') : ''),
    explanation(cell.explanation));
}

function focusCell(id: string): void {
  const target = document.querySelector<HTMLElement>(`[data-cell="${CSS.escape(id)}"]`);
  if (!target) return;
  for (const c of Array.from(document.querySelectorAll<HTMLElement>('[data-cell]'))) c.tabIndex = -1;
  target.tabIndex = 0;
  target.focus();
}

function select(id: string): void {
  selected = id;
  saveState({ selectedCell: id });
  render();
  focusCell(id);
}

function onGridKey(event: KeyboardEvent, v: ProbeView, rowIndex: number, colIndex: number): void {
  const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    const cell = v.cells.find((c) => c.rowId === v.rows[rowIndex]?.id && c.action === v.actions[colIndex]);
    if (cell) select(cell.id);
    return;
  }
  let r = rowIndex;
  let c = colIndex;
  if (event.key === 'Home') c = 0;
  else if (event.key === 'End') c = v.actions.length - 1;
  else if (moves[event.key]) {
    r = Math.max(0, Math.min(v.rows.length - 1, r + moves[event.key]![0]));
    c = Math.max(0, Math.min(v.actions.length - 1, c + moves[event.key]![1]));
  } else return;
  event.preventDefault();
  focusCell(`${v.rows[r]!.id}|${v.actions[c]}`);
}

function grid(v: ProbeView): HTMLElement {
  const focusable = selected && v.cells.some((c) => c.id === selected) ? selected : v.cells[0]?.id;
  return el('table', { class: 'grid', role: 'grid', 'aria-label': `Probe results: ${v.subject}` },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'table'), ...v.actions.map((a) => el('th', { scope: 'col' }, wrappable(actionLabel(a)))))),
    el('tbody', {}, ...v.rows.map((row, r) => el('tr', {},
      el('th', { scope: 'row' }, row.label),
      ...v.actions.map((action, c) => {
        const cell = v.cells.find((x) => x.rowId === row.id && x.action === action);
        if (!cell) return el('td', { class: 'cell-none' }, '–');
        const td = el('td', {
          role: 'gridcell', tabindex: cell.id === focusable ? 0 : -1, 'data-cell': cell.id, 'aria-selected': cell.id === selected ? 'true' : 'false',
          'aria-label': cellAriaLabel(row.label, cell), class: `cell cell-${cellKind(cell)}${cell.agree === false ? ' disagree' : ''}${cell.id === selected ? ' selected' : ''}`,
          onclick: () => select(cell.id),
        }, cellText(cell), cell.agree === false ? el('span', { class: 'differ', title: 'AWS and the engine disagree' }, ' ≠') : null,
        v.mode === 'live' && cell.simulated ? el('span', { class: 'engine' }, `engine: ${cell.simulated === 'allowed' ? 'allowed' : 'denied'}`) : null);
        td.addEventListener('keydown', (e) => onGridKey(e, v, r, c));
        return td;
      })))));
}

function render(): void {
  const v = view;
  if (!v) {
    mount(el('p', { class: 'muted' }, busy ?? 'Waiting for the probe…'));
    return;
  }
  mount(
    el('header', {}, el('h1', {}, `Probe DynamoDB: ${v.subject}`),
      el('p', {}, el('span', { class: `badge mode-${v.mode}` }, v.mode === 'live' ? 'live' : 'simulated'), ` role ${v.roleArn} · identity pool ${v.identityPoolId}${v.identityId ? ` · identity ${v.identityId}` : ''} · ${v.ranAt}`)),
    el('p', { class: 'banner', id: 'no-data-change' }, v.notes[0] ?? ''),
    ...v.notes.slice(1).map((n) => el('p', { class: 'muted' }, n)),
    el('div', { class: 'actions' },
      v.canRunLive ? button('Run live', () => post({ type: 'runProbe', mode: 'live' }), { id: 'run-live' }) : null,
      button('Run simulated', () => post({ type: 'runProbe', mode: 'simulated' }), { id: 'run-simulated' }),
      busy ? el('span', { class: 'muted' }, busy) : null),
    el('p', { class: 'notice', role: 'status', 'aria-live': 'polite' }, notice),
    el('div', { class: 'grid-wrap' }, grid(v)),
    el('p', { class: 'legend muted' }, 'allowed · denied · error; ≠ marks where AWS and the engine disagree. Arrow keys move, Enter selects.'),
    detail(v.cells.find((c) => c.id === selected), v),
  );
}

onMessage((message) => {
  if (message.type === 'probe') {
    view = message.view;
    if (selected && !view.cells.some((c) => c.id === selected)) selected = undefined;
    saveState({ probe: view, selectedCell: selected });
  } else if (message.type === 'busy') busy = message.message;
  else if (message.type === 'notice') notice = message.text;
  else return;
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.cell;
  render();
  if (focused) focusCell(focused);
});

render();
post({ type: 'ready' });
