/// <reference lib="dom" />
// The Test-as-user result page (browser side). Draws the view the host posts; every value is
// text. Clear secrets arrive only after a Reveal click, live only in `revealed` below, and are
// never saved with setState.
import { button, countdown, el, keyValueTable, loadState, mount, onMessage, post, saveState, section, startCountdowns } from './dom.ts';
import type { ClaimRow, DiagnosisView, SecretField, SessionTagsView, TestUserView, TokenView } from './protocol.ts';

const revealed = new Map<SecretField, string>();
let current: TestUserView | undefined;
let accessToken: TokenView | null | undefined;
let accessTokenReason: string | undefined;
let notice = '';
let busy: string | null = null;

function claimTable(rows: ClaimRow[], label: string): HTMLTableElement {
  return keyValueTable(rows.map((r) => [r.key, r.value, r.cognito ? 'cognito' : undefined]), label);
}

function tokenSection(token: TokenView | null, view: TestUserView): HTMLElement {
  if (!token) return el('p', { class: 'error' }, 'The ID token could not be decoded.');
  const sig = view.signature;
  return el('div', {},
    el('p', {},
      el('span', { class: `badge sig-${sig}` }, sig === 'verified' ? 'signature verified' : sig === 'failed' ? 'signature FAILED' : 'signature unchecked'),
      view.signatureReason ? ` ${view.signatureReason}` : '', ' · ', countdown(token.expiresAt),
      token.issuedAt ? ` · issued ${token.issuedAt}` : ''),
    el('h3', {}, 'Claims (cognito:* highlighted)'), claimTable(token.claims, 'ID token claims'),
    el('h3', {}, 'Header'), claimTable(token.header, 'ID token header'));
}

function accessTokenSection(view: TestUserView): HTMLElement {
  if (accessToken) return el('div', {}, el('p', {}, countdown(accessToken.expiresAt)), claimTable(accessToken.claims, 'Access token claims'));
  if (accessToken === null) return el('p', { class: 'muted' }, accessTokenReason ?? 'No access token.');
  return el('p', {}, view.hasAccessToken ? button('Show access token claims', () => post({ type: 'showAccessToken' })) : el('span', { class: 'muted' }, 'No access token (a pasted ID token has none).'));
}

function comparison(view: TestUserView): HTMLElement {
  const p = view.predicted;
  const l = view.live;
  const engine = el('div', { class: 'column' }, el('h3', {}, 'Engine predicted'),
    p.outcome === 'credentials'
      ? keyValueTable([['role', p.roleArn ?? '(none)'], ['source', p.source ?? '']], 'Prediction')
      : keyValueTable([['error', p.error?.code ?? ''], ['message', p.error?.message ?? '']], 'Prediction'),
    el('ol', { class: 'reasoning' }, ...p.steps.map((s) => el('li', {}, s))),
    view.predictionNotes?.length
      ? el('div', { class: 'prediction-notes' }, el('h4', {}, 'What the prediction cannot see'), el('ul', {}, ...view.predictionNotes.map((n) => el('li', {}, n))))
      : null);
  const cognito = el('div', { class: 'column' }, el('h3', {}, 'Cognito answered'),
    l.outcome === 'credentials'
      ? keyValueTable([['role', l.roleArn ?? ''], ['caller', l.callerArn ?? ''], ['identity id', l.identityId ?? '']], 'Live')
      : keyValueTable([['error', l.error?.code ?? ''], ['message', l.error?.message ?? ''], ['identity id', l.identityId ?? '(none)']], 'Live'));
  return el('div', {},
    el('p', { class: `verdict ${view.agree ? 'agree' : 'differ'}`, role: 'status' }, view.verdict),
    el('div', { class: 'columns' }, engine, cognito),
    view.reasons.length ? el('div', {}, el('h3', {}, view.agree ? 'Notes' : 'Why this may be'), el('ul', {}, ...view.reasons.map((r) => el('li', {}, r)))) : null);
}

/** The principal tags the session carries: the engine's prediction, and the live ones when known. */
function sessionTags(t: SessionTagsView): HTMLElement {
  const rows = (tags: Record<string, string>) => Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v] as [string, string]);
  return el('div', {},
    t.predicted && Object.keys(t.predicted).length
      ? keyValueTable(rows(t.predicted), 'Predicted session tags')
      : el('p', { class: 'muted' }, t.predicted ? 'The tag map applies, but no tag gets a value from this token.' : 'No principal-tag map applies for this provider: the session carries no tags.'),
    t.live
      ? el('div', {}, el('h4', {}, 'Live'), keyValueTable(rows(t.live), 'Live session tags'))
      : el('p', { class: 'muted' }, 'Live: AWS does not report the session tags it passed; the probe shows whether policies that read them agree.'),
    t.how.length ? el('ul', { class: 'reasoning' }, ...t.how.map((h) => el('li', {}, h))) : null);
}

function diagnosis(d: DiagnosisView): HTMLElement {
  return el('div', { class: 'diagnosis' },
    el('p', { class: 'error' }, d.summary),
    d.roleArn ? keyValueTable([['role', d.roleArn], ...(d.statement ? [['statement', d.statement] as [string, string]] : [])], 'Role') : null,
    d.conditions.length
      ? el('table', { class: 'conditions', 'aria-label': 'Failing trust conditions' },
        el('thead', {}, el('tr', {}, el('th', {}, 'condition'), el('th', {}, 'it holds'), el('th', {}, 'it must hold'))),
        el('tbody', {}, ...d.conditions.map((c) => el('tr', {},
          el('td', {}, el('code', {}, `${c.operator} ${c.key}`)),
          el('td', { class: 'fail' }, el('code', {}, c.holds.join(', '))),
          el('td', { class: 'match' }, el('code', {}, c.mustHold ? c.mustHold.join(', ') : '(absent from the request)'))))))
      : null,
    ...d.findings.map((f) => el('div', { class: `finding ${f.severity}` }, el('strong', {}, f.code), ` ${f.message}`, el('pre', {}, f.fix))),
    d.correctedTrustPolicy
      ? el('div', {}, el('h3', {}, 'Corrected trust policy'), el('pre', { class: 'policy' }, d.correctedTrustPolicy),
        button('Copy corrected trust policy', () => post({ type: 'copy', what: 'trustPolicy' }), { id: 'copy-trust' }))
      : null);
}

const FIELD_LABELS: Record<SecretField, string> = { accessKeyId: 'Access key id', secretAccessKey: 'Secret access key', sessionToken: 'Session token' };

function credentials(view: TestUserView): HTMLElement {
  const c = view.credentials;
  if (!c) return el('p', { class: 'muted' }, view.ended ? 'The credentials were held in memory only and ended with the window reload: sign in again.' : 'No credentials: the identity pool refused (see above).');
  const row = (field: SecretField) => {
    const shown = revealed.get(field);
    return el('tr', {},
      el('th', { scope: 'row' }, FIELD_LABELS[field]),
      el('td', {}, el('code', { class: shown ? 'secret revealed' : 'secret', id: `cred-${field}` }, shown ?? c.masked[field])),
      el('td', {},
        shown ? button('Hide', () => { revealed.delete(field); render(); }) : button('Reveal', () => post({ type: 'reveal', field }), { 'aria-label': `Reveal ${FIELD_LABELS[field]}` }),
        button('Copy', () => post({ type: 'copy', what: field }), { 'aria-label': `Copy ${FIELD_LABELS[field]}` })));
  };
  return el('div', {},
    el('table', { class: 'kv', 'aria-label': 'Temporary credentials' }, el('tbody', {}, row('accessKeyId'), row('secretAccessKey'), row('sessionToken'))),
    el('p', {}, countdown(c.expiration), c.assumedRoleArn ? ' · assumed role ' : '', c.assumedRoleArn ? el('code', {}, c.assumedRoleArn) : null),
    el('div', { class: 'actions' },
      button('Copy as environment variables', () => post({ type: 'copy', what: 'env' })),
      button('Copy as a credentials-file profile', () => post({ type: 'copy', what: 'profile' }))));
}

function render(): void {
  const view = current;
  if (!view) return;
  mount(
    el('header', {},
      el('h1', {}, `Test as user: ${view.username}`),
      el('p', { class: 'muted' }, `${view.connection} · ${view.provider ? `provider ${view.provider}` : `user pool ${view.userPoolId} · client ${view.clientId}`} · identity pool ${view.identityPoolId} · ${view.signInFlow}${view.challenges.length ? ` (challenges: ${view.challenges.join(', ')})` : ''}${
        view.flow === 'basic' ? ` · basic flow as ${view.basicFlowRole ?? '?'}` : ''}`),
      // A view saved by an older version has no signedInAt: then the line is left out.
      view.signedInAt ? el('p', { class: 'muted', id: 'signed-in-at', 'data-at': view.signedInAt }, `Signed in at ${new Date(view.signedInAt).toLocaleTimeString()}`) : null),
    view.ended ? el('p', { class: 'banner' }, 'This result was restored after a reload; the tokens and credentials were in memory only and are gone.') : null,
    el('div', { class: 'actions' },
      button('Probe DynamoDB', () => post({ type: 'probe' }), { id: 'probe', disabled: !view.credentials }),
      button('Sign in again', () => post({ type: 'signInAgain' }), { id: 'sign-in-again' }),
      busy ? el('span', { class: 'muted' }, busy) : null),
    el('p', { class: 'notice', role: 'status', 'aria-live': 'polite' }, notice),
    el('ol', { class: 'steps', 'aria-label': 'Steps' }, ...view.steps.map((s) => el('li', { class: `step ${s.status}` }, `${s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : '–'} ${s.label}`, s.detail ? el('span', { class: 'muted' }, ` ${s.detail}`) : null))),
    section('compare', 'Prediction against reality', true, comparison(view)),
    view.sessionTags && (view.sessionTags.predicted || view.sessionTags.live) ? section('tags', 'Session tags (principal tags)', true, sessionTags(view.sessionTags)) : null,
    view.diagnosis ? section('diagnosis', "The engine's diagnosis", true, diagnosis(view.diagnosis)) : null,
    section('credentials', 'Credentials', true, credentials(view)),
    section('idtoken', 'ID token', true, tokenSection(view.idToken, view)),
    section('accesstoken', 'Access token', false, accessTokenSection(view)),
  );
}

onMessage((message) => {
  switch (message.type) {
    case 'testUser':
      // A new sign-in (or Sign in again into this panel): nothing of the previous one stays shown.
      current = message.view;
      revealed.clear();
      accessToken = undefined;
      notice = '';
      busy = null;
      saveState({ testUser: message.view });
      break;
    case 'revealed':
      revealed.set(message.field, message.value);
      break;
    case 'accessToken':
      accessToken = message.token;
      accessTokenReason = message.reason;
      break;
    case 'busy':
      busy = message.message;
      break;
    case 'notice':
      notice = message.text;
      break;
    default:
      return;
  }
  render();
});

// Draw the saved view at once (after a reload or when shown again), then ask for the live one.
current = loadState().testUser;
render();
startCountdowns();
post({ type: 'ready' });
