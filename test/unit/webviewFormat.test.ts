// Pure logic of the panels: countdown text, claim rows, cell labels, the clipboard texts for
// credentials, and the host's check of what a page sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionLabel, cellAriaLabel, cellKind, cellText, claimRows, countdownText, credentialsAsEnv, credentialsAsProfile, isExpired, profileNameFor } from '../../src/webview/format.ts';
import { parseFromWebview, type ProbeCellView } from '../../src/webview/protocol.ts';

const now = Date.parse('2026-01-01T12:00:00Z');
const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();

describe('webview format: countdowns', () => {
  it('counts minutes and seconds under an hour, hours and minutes above', () => {
    assert.equal(countdownText(at(59 * 60 + 3), now), 'expires in 59:03');
    assert.equal(countdownText(at(9), now), 'expires in 0:09');
    assert.equal(countdownText(at(3600 + 120), now), 'expires in 1 h 02 min');
  });
  it('says how long ago it expired', () => {
    assert.equal(countdownText(at(-5), now), 'expired 5 s ago');
    assert.equal(countdownText(at(-180), now), 'expired 3 min ago');
    assert.equal(countdownText(at(0), now), 'expired 0 s ago');
    assert.equal(isExpired(at(0), now), true);
    assert.equal(isExpired(at(1), now), false);
  });
  it('handles no expiry and bad input', () => {
    assert.equal(countdownText(null, now), 'no expiry');
    assert.equal(countdownText('soon', now), 'expiry unknown');
    assert.equal(isExpired(null, now), false);
  });
});

describe('webview format: claims and cells', () => {
  it('puts cognito:* claims first and shows values as text', () => {
    const rows = claimRows({ sub: 'abc', 'cognito:groups': ['<img src=x onerror=alert(1)>'], exp: 1767268800, 'cognito:username': 'testuser1' });
    assert.deepEqual(rows.map((r) => r.key), ['cognito:groups', 'cognito:username', 'sub', 'exp']);
    assert.equal(rows[0]!.value, '["<img src=x onerror=alert(1)>"]');
    assert.equal(rows[0]!.cognito, true);
    assert.equal(rows[3]!.value, '1767268800 (2026-01-01T12:00:00.000Z)');
  });
  it('labels cells by the live answer first, else the engine', () => {
    const base: ProbeCellView = { id: 'c', rowId: 'r', action: 'dynamodb:PutItem', live: null, simulated: 'implicit-deny', agree: null, awsMessage: null, skipped: null, count: null, explanation: null };
    assert.equal(cellText(base), 'denied');
    assert.equal(cellKind({ ...base, simulated: 'allowed' }), 'allowed');
    assert.equal(cellText({ ...base, live: 'allowed' }), 'allowed');
    assert.equal(cellKind({ ...base, skipped: 'not probed' }), 'skipped');
    assert.equal(cellAriaLabel('book-table', { ...base, live: 'allowed', agree: false }), 'book-table, PutItem: live allowed, engine denied (implicit) (live and engine disagree)');
    assert.equal(actionLabel('dynamodb:TransactWriteItems'), 'TransactWrite (Put)');
  });
});

describe('webview format: credentials for the clipboard', () => {
  const c = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: "se'cret", sessionToken: 'tok', expiration: '2026-01-01T13:00:00.000Z' };
  it('quotes shell values', () => {
    assert.equal(credentialsAsEnv(c), "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\nexport AWS_SECRET_ACCESS_KEY='se'\\''cret'\nexport AWS_SESSION_TOKEN='tok'\n# expires 2026-01-01T13:00:00.000Z\n");
  });
  it('writes a credentials-file profile with a safe name', () => {
    assert.equal(profileNameFor('Test User@x'), 'cognito-Test-User-x');
    assert.equal(profileNameFor('<>'), 'cognito-user');
    assert.match(credentialsAsProfile(c, 'cognito-x'), /^\[cognito-x\]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = se'cret\naws_session_token = tok\n/);
  });
});

describe('webview protocol: the host trusts nothing a page sends', () => {
  it('accepts exactly the known messages', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'reveal', field: 'secretAccessKey' }), { type: 'reveal', field: 'secretAccessKey' });
    assert.deepEqual(parseFromWebview({ type: 'runProbe', mode: 'live' }), { type: 'runProbe', mode: 'live' });
    assert.deepEqual(parseFromWebview({ type: 'copy', what: 'env', extra: 1 }), { type: 'copy', what: 'env' });
  });
  it('drops anything else', () => {
    for (const bad of [null, 'ready', {}, { type: 'eval' }, { type: 'reveal', field: 'password' }, { type: 'copy', what: 'idToken' }, { type: 'runProbe', mode: 'x' }]) {
      assert.equal(parseFromWebview(bad), null, JSON.stringify(bad));
    }
  });
});
