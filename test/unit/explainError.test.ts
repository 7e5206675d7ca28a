// Explaining AWS errors against a snapshot (src/core/explainError.ts): AccessDenied evaluated for
// the assumed-role ARN's role with its identity pool's Cognito context (the deciding statement and
// the smallest change), InvalidIdentityPoolConfiguration (every role of the pool, most reached
// first, the trust fault and the corrected policy), and the causes of the rest. The messages are
// the sandbox's (it words them as AWS does: test/sandbox/authorize.ts) and the real texts of
// errorFixtures.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { explainError } from '../../src/core/explainError.ts';
import { parseSnapshot, type Snapshot } from '../../src/core/snapshot.ts';
import { seedSnapshot } from '../sandbox/seed.ts';
import { ACCESS_DENIED, COGNITO, NOT_PERMISSIONS, NOT_UNDERSTOOD } from './errorFixtures.ts';

const healthy = parseSnapshot(readFileSync(new URL('../../media/samples/seed-healthy.json', import.meta.url), 'utf8'), 'seed-healthy.json');
const sandbox: Snapshot = parseSnapshot(JSON.stringify(seedSnapshot()), 'sandbox seed');
const BOOKS = 'arn:aws:dynamodb:eu-central-1:123456789012:table/book-table';
const NOTES = 'arn:aws:dynamodb:eu-central-1:123456789012:table/user-notes';
const POOLS = { books: 'eu-central-1:aaaaaaaa-1111-2222-3333-444444444444', broken: 'eu-central-1:bbbbbbbb-1111-2222-3333-444444444444' };

/** AccessDenied as AWS (and the sandbox) words it for a Cognito identity's session. */
const denied = (role: string, action: string, resource: string, reason: string): string =>
  `User: arn:aws:sts::123456789012:assumed-role/${role}/CognitoIdentityCredentials is not authorized to perform: ${action} on resource: ${resource} ${reason}`;

describe('AccessDenied', () => {
  it('the issue\'s example: BooksReadAccess may not PutItem; the statement that comes closest and the change that allows it', () => {
    const r = explainError(healthy, denied('BooksReadAccess', 'dynamodb:PutItem', BOOKS, 'because no identity-based policy allows the dynamodb:PutItem action'));
    assert.equal(r.kind, 'access-denied');
    assert.equal(r.title, 'AccessDenied: BooksReadAccess may not dynamodb:PutItem on book-table');
    const a = r.access!;
    assert.equal(a.roleName, 'BooksReadAccess');
    assert.equal(a.identityPoolId, POOLS.books, 'the Cognito context of the pool that hands the role out');
    assert.deepEqual(a.handedOutBy, ['group BooksRead (precedence 1) of books']);
    assert.equal(a.decision.decision, 'implicit-deny');
    assert.equal(a.agrees, true);
    const e = a.decision.explanation;
    assert.equal(e.closest?.policyName, 'BooksReadAccess-p0');
    assert.equal(e.closest?.index, 0);
    assert.match(e.suggestion ?? '', /^Statement\[0\] of identity-based policy "BooksReadAccess-p0" comes closest; .*add "dynamodb:PutItem" to its Action/);
    assert.deepEqual((e.suggestedStatement?.Action as string[]).at(-1), 'dynamodb:PutItem');
    assert.deepEqual(r.findings, []);
  });

  it('a LeadingKeys rule: allowed on the caller\'s own partition only, so the request used another\'s', () => {
    const r = explainError(sandbox, denied('NotesOwnPartition', 'dynamodb:GetItem', NOTES, 'because no identity-based policy allows the dynamodb:GetItem action'));
    assert.deepEqual(r.access?.partitions, { own: 'allowed', other: 'implicit-deny' });
    assert.equal(r.access?.decision.decision, 'implicit-deny', 'the explained decision is the denied one');
    assert.match(r.summary, /own partition only.*not the caller's identity id/);
    assert.match(r.access?.decision.explanation.suggestion ?? '', /dynamodb:LeadingKeys/);
  });

  it('an explicit deny (BooksReviewer) and a permissions boundary (BooksEditor), as the sandbox words them', () => {
    const reviewer = explainError(sandbox, denied('BooksReviewer', 'dynamodb:PutItem', BOOKS, 'with an explicit deny in an identity-based policy'));
    assert.equal(reviewer.access?.decision.decision, 'explicit-deny');
    assert.equal(reviewer.access?.decision.explanation.deciding[0]?.policyName, 'no-new-books');
    assert.deepEqual(reviewer.notes.filter((n) => /explicit deny/.test(n)), [], 'AWS and the engine agree on the explicit deny');
    const editor = explainError(sandbox, denied('BooksEditor', 'dynamodb:DeleteItem', BOOKS, 'because no permissions boundary allows the dynamodb:DeleteItem action'));
    assert.equal(editor.access?.decision.explanation.missingAllowIn, 'permissions boundary');
    assert.equal(editor.access?.decision.explanation.closest?.policyKind, 'boundary');
    assert.match(editor.access?.decision.explanation.suggestion ?? '', /add "dynamodb:DeleteItem" to its Action/);
  });

  it('a guest\'s role: Cognito\'s session policy denies; another service is evaluated too', () => {
    const guest = explainError(sandbox, denied('BooksGuest', 'dynamodb:GetItem', BOOKS, 'because no session policy allows the dynamodb:GetItem action'));
    assert.equal(guest.access?.guest, true);
    assert.equal(guest.access?.decision.explanation.missingAllowIn, 'session');
    const s3 = explainError(sandbox, denied('BooksReadAccess', 's3:GetObject', 'arn:aws:s3:::books-covers/1.png', 'because no identity-based policy allows the s3:GetObject action'));
    assert.equal(s3.access?.decision.decision, 'implicit-deny');
    assert.equal(s3.access?.table, null);
  });

  it('the snapshot allows it: AWS denied for something the snapshot cannot hold (a service control policy)', () => {
    const r = explainError(sandbox, denied('BooksWriteAccess', 'dynamodb:PutItem', BOOKS, 'with an explicit deny in a service control policy'));
    assert.equal(r.access?.agrees, false);
    assert.match(r.summary, /snapshot allows it/);
    assert.ok(r.notes.some((n) => /service control policy: the snapshot holds no such policy/.test(n)));
  });

  it('a role the snapshot does not hold, and a caller that is no role session', () => {
    const missing = explainError(healthy, ACCESS_DENIED.cognitoOldJava.text);
    assert.deepEqual(missing.roleNotFound, { roleName: 'Cognito_MyPoolUnauth_Role', accountId: '852223263701' });
    assert.equal(missing.access, null);
    assert.match(missing.summary, /is not in this snapshot/);
    const user = explainError(healthy, ACCESS_DENIED.explicitWithArn.text);
    assert.equal(user.access, null);
    assert.match(user.summary, /not a role session/);
  });
});

describe('InvalidIdentityPoolConfigurationException', () => {
  it('names every role the pool hands out, most reached first, with the trust fault and the corrected policy', () => {
    const r = explainError(sandbox, COGNITO.invalidPoolConfigurationJson.text, { identityPoolId: POOLS.broken });
    assert.equal(r.pool?.identityPoolId, POOLS.broken);
    const [first, ...rest] = r.pool!.roles;
    assert.equal(first?.roleName, 'BooksReadBroken');
    assert.equal(first?.assumable, false);
    assert.equal(first?.reachedAs, 'users');
    assert.ok(first!.reachedBy.includes('testuser1'));
    assert.ok(rest.every((x) => x.reachedBy.length <= first!.reachedBy.length), 'ranked by reach');
    assert.deepEqual(first?.findings.map((f) => f.code), ['TRUST_AUD_IS_USER_POOL_ID']);
    assert.equal(first?.failingStatement, 'Statement[0] of the trust policy of BooksReadBroken');
    const corrected = JSON.parse(first!.correctedTrustPolicy!) as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
    assert.equal(corrected.Statement[0]!.Condition.StringEquals['cognito-identity.amazonaws.com:aud'], POOLS.broken);
    assert.ok(r.findings.some((f) => f.severity === 'error' && f.code === 'TRUST_AUD_IS_USER_POOL_ID'), 'an error-level finding (the CLI exits 1)');
    assert.match(r.summary, /BooksReadBroken, reached by \d+ users/);
  });

  it('a pool that maps principal tags: the trust must also allow sts:TagSession, and the corrected policy does', (t) => {
    const abac = sandbox.identityPools.find((p) => p.PrincipalTagMaps?.length && Object.values(p.Roles).some((r) => r?.endsWith('/BooksAbacDeptBroken')));
    if (!abac) return t.skip('the sandbox seed has no identity pool with a tag map and BooksAbacDeptBroken');
    const r = explainError(sandbox, COGNITO.invalidPoolConfigurationJson.text, { identityPoolId: abac.IdentityPoolId });
    const role = r.pool!.roles.find((x) => x.roleName === 'BooksAbacDeptBroken')!;
    assert.equal(role.assumable, false);
    assert.ok(role.findings.some((f) => f.code === 'TRUST_NO_TAG_SESSION'));
    const corrected = JSON.parse(role.correctedTrustPolicy!) as { Statement: { Action: string | string[] }[] };
    assert.ok(corrected.Statement.some((s) => Array.isArray(s.Action) && s.Action.includes('sts:TagSession')));
  });

  it('asks which pool when the snapshot has several; a healthy pool has no fault', () => {
    const ask = explainError(sandbox, COGNITO.invalidPoolConfigurationJs.text);
    assert.ok(ask.needsIdentityPool && ask.needsIdentityPool.length >= 4);
    assert.equal(ask.pool, null);
    const ok = explainError(healthy, COGNITO.invalidPoolConfigurationJs.text);
    assert.ok(ok.pool!.roles.every((x) => x.assumable === true));
    assert.deepEqual(ok.findings, []);
    assert.match(ok.summary, /can be assumed according to the snapshot/);
  });

  it('without users in the snapshot, ranks by the groups that reach each role', () => {
    const noUsers = parseSnapshot(JSON.stringify({ ...seedSnapshot(), userPools: (seedSnapshot().userPools as Record<string, unknown>[]).map(({ Users: _u, ...p }) => p) }), 'no users');
    const r = explainError(noUsers, COGNITO.invalidPoolConfigurationJson.text, { identityPoolId: POOLS.books });
    const read = r.pool!.roles.find((x) => x.roleName === 'BooksReadAccess')!;
    assert.equal(read.reachedAs, 'groups');
    assert.ok(read.reachedBy.includes('group BooksRead'));
    assert.ok(r.pool!.roles.find((x) => x.roleName === 'BooksDefaultAuth')!.reachedBy.includes('no group'));
  });
});

describe('NotAuthorized, the basic flow, ExpiredToken, ConditionalCheckFailed, unknown text', () => {
  it('each NotAuthorizedException: its cause and the configuration values behind it', () => {
    const provider = explainError(sandbox, COGNITO.unsupportedProvider.text);
    assert.match(provider.causes[0]!.values.map((v) => v.value).join(' '), /webclient0000000000000001/);
    assert.ok(provider.causes[0]!.values.some((v) => v.label === 'app clients no identity pool trusts' && /backend/.test(v.value)));
    const expired = explainError(sandbox, COGNITO.tokenExpired.text);
    assert.equal(expired.permissionsProblem, false);
    assert.match(expired.summary, /expired \(5 min before the call\)/);
    assert.ok(expired.causes[0]!.values.some((v) => v.label === 'token exp' && v.value === '2020-05-10T06:28:49.000Z'));
    assert.match(explainError(sandbox, COGNITO.issuerMismatch.text).causes[0]!.values[0]!.value, /^cognito-idp\.eu-central-1\.amazonaws\.com\/eu-central-1_/);
    assert.match(explainError(sandbox, COGNITO.missingAud.text).summary, /access token/);
    assert.ok(explainError(sandbox, COGNITO.guestsDisabled.text).causes[0]!.values.some((v) => /books-guest/.test(v.label) && /AllowUnauthenticatedIdentities true/.test(v.value)));
    const ambiguous = explainError(sandbox, COGNITO.ambiguousDeny.text);
    assert.ok(ambiguous.causes[0]!.values.some((v) => /books-strict/.test(v.label) && /Deny/.test(v.value)));
    assert.ok(ambiguous.findings.some((f) => f.code === 'POOL_AMBIGUOUS_DENY'));
    assert.match(explainError(sandbox, COGNITO.identityForbidden.text).summary, /eu-central-1:0e0e0001/);
    assert.match(explainError(sandbox, COGNITO.loginsMismatch.text).causes[0]!.fix, /GetId again/);
    assert.ok(explainError(sandbox, COGNITO.basicFlow.text).causes[0]!.values.every((v) => /AllowClassicFlow/.test(v.value)));
  });

  it('ExpiredToken and ConditionalCheckFailed are no permissions problem', () => {
    for (const f of Object.values(NOT_PERMISSIONS)) {
      const r = explainError(sandbox, f.text);
      assert.equal(r.permissionsProblem, false, f.source);
      assert.match(r.summary, /^Not a permissions problem/, f.source);
    }
    assert.ok(explainError(sandbox, NOT_PERMISSIONS.conditionalJs.text).causes[0]!.values.some((v) => v.label === 'table user-notes key'));
  });

  it('text it does not understand: says which forms it does', () => {
    const r = explainError(sandbox, NOT_UNDERSTOOD.userPoolPassword.text);
    assert.equal(r.understood, false);
    assert.ok((r.understoodForms ?? []).some((f) => f.startsWith('AccessDenied')));
  });
});
