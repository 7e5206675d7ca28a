/// <reference lib="dom" />
// How every page shows the engine's explanation of a decision (the probe's cells, an explained
// AWS error, the access matrix's cells): the deciding statements with the matching or failing
// part marked, failing conditions with both values, the closest statement, and the smallest change
// that would allow it. Text nodes only (dom.ts el).
import { el } from './dom.ts';
import type { ConditionView, ExplanationView, StatementView } from './protocol.ts';

export function statementBlock(s: StatementView, heading: string): HTMLElement {
  return el('div', { class: 'statement' },
    el('h4', {}, `${heading}: ${s.label} of ${s.policy} (${s.effect}${s.applies ? ', applies' : ', does not apply'})`),
    el('pre', { class: 'policy' }, '{\n', ...s.parts.map((p) => el('span', { class: `part ${p.status}`, title: p.status === 'fail' ? 'does not match' : p.status === 'match' ? 'matches' : '' },
      `  ${p.status === 'fail' ? '✗' : p.status === 'match' ? '✓' : ' '} ${p.text}\n`)), '}'),
    s.why.length ? el('ul', {}, ...s.why.map((w) => el('li', {}, w))) : null,
    conditionsTable(s.conditions.filter((c) => !c.matched)));
}

export function conditionsTable(conditions: ConditionView[]): HTMLElement | null {
  if (conditions.length === 0) return null;
  return el('table', { class: 'conditions', 'aria-label': 'Failing conditions' },
    el('thead', {}, el('tr', {}, el('th', {}, 'condition'), el('th', {}, 'the request has'), el('th', {}, 'the policy wants'), el('th', {}, 'why'))),
    el('tbody', {}, ...conditions.map((c) => el('tr', {},
      el('td', {}, el('code', {}, `${c.operator} ${c.key}`)),
      el('td', {}, el('code', {}, c.requestValues ? c.requestValues.join(', ') : '(absent)')),
      el('td', {}, el('code', {}, c.policyValues.join(', '))),
      el('td', {}, c.reason)))));
}

export function explanation(e: ExplanationView | null): HTMLElement {
  if (!e) return el('p', { class: 'muted' }, 'No explanation.');
  return el('div', {},
    el('p', {}, e.summary),
    ...e.deciding.map((s) => statementBlock(s, 'Deciding statement')),
    e.closest ? statementBlock(e.closest, 'Closest statement') : null,
    e.suggestion ? el('div', { class: 'suggestion' }, el('h4', {}, 'Smallest change that would allow it'), el('p', {}, e.suggestion),
      e.suggestedIn ? el('p', { class: 'muted' }, `In ${e.suggestedIn}`) : null,
      e.suggestedStatement ? el('pre', { class: 'policy' }, e.suggestedStatement) : null) : null);
}
