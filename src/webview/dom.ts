/// <reference lib="dom" />
// Browser-side helpers shared by the panel pages: the VS Code API handle, element building where
// every string becomes a text node (never HTML), collapsible sections whose open state survives a
// reload, and countdowns that tick once a second.
import { countdownText, isExpired } from './format.ts';
import type { FromWebview, PageState, ToWebview } from './protocol.ts';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: FromWebview): void {
  api.postMessage(message);
}

export function loadState(): PageState {
  return api.getState() ?? {};
}

/** Saves non-secret view state only (views carry masked values; revealed ones are never saved). */
export function saveState(patch: Partial<PageState>): void {
  api.setState({ ...loadState(), ...patch });
}

export function onMessage(handler: (message: ToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as ToWebview | undefined;
    if (data && typeof data === 'object' && typeof data.type === 'string') handler(data);
  });
}

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** An element; strings become text nodes, so a value such as `<img src=x onerror=...>` shows as those characters. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** A column title that may wrap between its words' parts (`Batch·Get·Item`): <wbr> elements, the text itself unchanged. */
export function wrappable(text: string): HTMLElement {
  const span = document.createElement('span');
  text.split(/(?<=[a-z])(?=[A-Z])/).forEach((part, i) => {
    if (i > 0) span.append(document.createElement('wbr'));
    span.append(document.createTextNode(part));
  });
  return span;
}

export function button(label: string, onClick: () => void, extra: Attrs = {}): HTMLButtonElement {
  return el('button', { type: 'button', ...extra, onclick: () => onClick() }, label);
}

/** A collapsible section; its open state is remembered in the page state under `id`. */
export function section(id: string, title: string, openByDefault: boolean, ...children: Child[]): HTMLDetailsElement {
  const open = loadState().sections?.[id] ?? openByDefault;
  const details = el('details', { class: 'section', id: `section-${id}`, open }, el('summary', {}, el('h2', {}, title)), ...children);
  details.addEventListener('toggle', () => saveState({ sections: { ...(loadState().sections ?? {}), [id]: details.open } }));
  return details;
}

/** A table of key/value rows, all text. */
export function keyValueTable(rows: [string, string, string?][], label: string): HTMLTableElement {
  return el(
    'table',
    { class: 'kv', 'aria-label': label },
    el('tbody', {}, ...rows.map(([key, value, cls]) => el('tr', cls ? { class: cls } : {}, el('th', { scope: 'row' }, key), el('td', {}, el('code', {}, value))))),
  );
}

/** A span that shows "expires in m:ss" and keeps counting. */
export function countdown(expiresAt: string | null): HTMLSpanElement {
  const span = el('span', { class: 'countdown', 'data-expires': expiresAt ?? '' }, countdownText(expiresAt, Date.now()));
  return span;
}

let ticking = false;
/** Ticks every countdown on the page once a second. */
export function startCountdowns(): void {
  if (ticking) return;
  ticking = true;
  setInterval(() => {
    for (const span of Array.from(document.querySelectorAll<HTMLElement>('.countdown'))) {
      const at = span.dataset.expires || null;
      span.textContent = countdownText(at, Date.now());
      span.classList.toggle('expired', isExpired(at, Date.now()));
    }
  }, 1000);
}

export function mount(...children: Child[]): void {
  const app = document.getElementById('app');
  if (!app) return;
  app.replaceChildren(...children.filter((c): c is Node | string => Boolean(c)));
}
