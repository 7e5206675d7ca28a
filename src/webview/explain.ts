/// <reference lib="dom" />
// The "Explain an AWS Error" page (browser side): the message as read, what happened, and per kind
// the engine's explanation (AccessDenied: the deciding and closest statements and the smallest
// change; InvalidIdentityPoolConfiguration: each role the pool hands out with its trust fault and
// the corrected policy; the rest: cause, configuration values, fix). Text nodes only.
import { button, el, keyValueTable, loadState, mount, onMessage, post, saveState } from './dom.ts';
import { explanation } from './explanation.ts';
import { simulatedLabel } from './format.ts';
import type { ExplainRoleView, ExplainView, FindingView } from './protocol.ts';

let view: ExplainView | undefined = loadState().explain;
let notice = '';

function findingBlock(f: FindingView): HTMLElement {
  const json = f.fix.indexOf('\n{');
  return el('div', { class: `finding ${f.severity}` },
    el('p', {}, el('strong', {}, `${f.severity} ${f.code}`), ` ${f.message}`),
    el('p', {}, el('strong', {}, 'Fix: '), json < 0 ? f.fix : f.fix.slice(0, json)),
    json < 0 ? null : el('pre', { class: 'policy' }, f.fix.slice(json + 1)));
}

function revealButton(roleArn: string, roleName: string, id: string): HTMLButtonElement {
  return button(`Reveal ${roleName} in the tree`, () => post({ type: 'revealRole', roleArn }), { id });
}

function roleBlock(r: ExplainRoleView, i: number): HTMLElement {
  const status = r.status === 'assumable' ? 'Cognito can assume it' : r.status === 'refused' ? 'cannot be assumed' : `not checked: ${r.state ?? ''}`;
  const reached = r.reachedBy.length === 0 ? 'no one in the snapshot' : `${r.reachedBy.length} ${r.reachedAs === 'users' ? 'user' : 'group set'}${r.reachedBy.length === 1 ? '' : 's'}: ${r.reachedBy.join(', ')}`;
  return el('div', { class: `role-trust ${r.status}`, id: `role-${i}` },
    el('h3', {}, `${i + 1}. ${r.roleName} (${r.identityKind}): ${status}`),
    el('p', {}, el('strong', {}, 'Reached by '), reached),
    el('p', { class: 'muted' }, `Handed out as ${r.ways.join('; ')}`),
    r.state && r.status === 'refused' ? el('p', {}, r.state) : null,
    ...r.findings.map(findingBlock),
    r.failingStatement ? el('p', {}, el('strong', {}, 'Failing: '), r.failingStatement) : null,
    r.correctedTrustPolicy ? el('div', { class: 'suggestion' }, el('h4', {}, 'Corrected trust policy'), el('pre', { class: 'policy' }, r.correctedTrustPolicy)) : null,
    r.revealable ? revealButton(r.roleArn, r.roleName, `reveal-role-${i}`) : null);
}

function accessBlock(v: ExplainView): HTMLElement | null {
  const a = v.access;
  if (!a) return null;
  const partitions = a.partitions ? ` Caller's own partition: ${simulatedLabel(a.partitions.own)}; another's: ${simulatedLabel(a.partitions.other)}.` : '';
  return el('section', { class: 'section', id: 'access' },
    el('h2', {}, 'What the engine decides'),
    el('p', {}, `Role ${a.roleName}${a.identityPoolId ? `, with the Cognito context of identity pool ${a.identityPoolId}` : ''}: ${a.action} on ${a.table ?? a.resource}.${partitions}`),
    a.handedOutBy.length ? el('p', { class: 'muted' }, `Handed out by ${a.handedOutBy.join('; ')}`) : null,
    a.agrees ? null : el('p', { class: 'differ' }, 'The snapshot allows this request: what denied it is not in the snapshot.'),
    a.revealable ? el('div', { class: 'actions' }, revealButton(a.roleArn, a.roleName, 'reveal-role')) : null,
    explanation(a.explanation));
}

function render(): void {
  const v = view;
  if (!v) {
    mount(el('p', { class: 'muted' }, 'Waiting for the explanation…'));
    return;
  }
  mount(
    el('header', {}, el('h1', {}, v.title),
      el('p', {}, v.code ? el('span', { class: 'badge mode-simulated' }, v.code) : null, v.connection ? ` explained with ${v.connection.label}` : ' no connection used')),
    el('pre', { class: 'aws-message', id: 'aws-message', 'aria-label': 'The error as read' }, v.message),
    el('p', { id: 'summary' }, v.summary),
    el('p', { class: 'notice', role: 'status', 'aria-live': 'polite' }, notice),
    v.understood ? null : el('ul', { id: 'forms' }, ...v.understoodForms.map((f) => el('li', {}, el('code', {}, f)))),
    accessBlock(v),
    v.pool ? el('section', { class: 'section', id: 'pool' }, el('h2', {}, `Roles identity pool ${v.pool.name ?? v.pool.identityPoolId} hands out, most reached first`), ...v.pool.roles.map(roleBlock)) : null,
    ...v.causes.map((c, i) => el('section', { class: 'section cause', id: `cause-${i}` },
      el('h2', {}, 'Cause'), el('p', {}, c.cause),
      c.values.length ? keyValueTable(c.values.map((x) => [x.label, x.value]), 'Configuration values') : null,
      el('div', { class: 'suggestion' }, el('h4', {}, 'Fix'), el('p', {}, c.fix)))),
    v.findings.length ? el('section', { class: 'section', id: 'findings' }, el('h2', {}, 'Findings'), ...v.findings.map(findingBlock)) : null,
    v.notes.length ? el('ul', { class: 'muted', id: 'notes' }, ...v.notes.map((n) => el('li', {}, n))) : null,
  );
}

onMessage((message) => {
  if (message.type === 'explain') {
    view = message.view;
    notice = '';
    saveState({ explain: view });
  } else if (message.type === 'notice') notice = message.text;
  else return;
  render();
});

render();
post({ type: 'ready' });
