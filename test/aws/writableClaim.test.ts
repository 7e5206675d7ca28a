// MAPPING_RULE_ON_WRITABLE_CLAIM, proven end to end against the sandbox (issue 15): identity pool
// books-rules-writable maps custom:role Equals "admin" to BooksAdmin, and app client selfservice
// lets users write custom:role (WriteAttributes; self sign-up is open). The scan and the engine
// report the fault; then a plain user really gives themselves BooksAdmin with their own access
// token, a brand-new user does it at sign-up, and the engine's prediction agrees with what Cognito
// hands out. Real SDK clients, the product's scanner, engine, identity resolution and probe.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand, AdminDeleteUserCommand, AdminUpdateUserAttributesCommand, SignUpCommand, UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CLIENTS, roleArn, userByName } from '../sandbox/seed.ts';
import { compareWithPrediction, loginsKeyFor, resolveIdentity, type TemporaryCredentials } from '../../src/aws/identity.ts';
import type { ProbeResult } from '../../src/aws/probe.ts';
import { scanAccount } from '../../src/aws/scanner.ts';
import { signIn } from '../../src/aws/signIn.ts';
import { TokenVerifier } from '../../src/aws/tokenVerifier.ts';
import { diagnose } from '../../src/core/diagnose.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { runCli, startHarness, type Harness } from './helpers.ts';

const CLIENT = CLIENTS.selfservice.ClientId;

describe('a Rules mapping on a claim users write (books-rules-writable), live', () => {
  let h: Harness;
  let snapshot: Snapshot;
  let poolId: string;
  before(async () => {
    h = await startHarness();
    poolId = h.sandbox.identityPools['books-rules-writable'];
    snapshot = (await scanAccount(h.context.clients, { region: h.context.region, accountId: h.sandbox.accountId })).snapshot;
  });
  after(() => h.stop());

  /** Signs in through selfservice, resolves the identity in books-rules-writable, and compares with the engine. */
  const asUser = async (username: string, password: string) => {
    const token = await signIn(h.context.clients.cognitoIdp, { userPoolId: h.sandbox.userPoolId, clientId: CLIENT, username, password, flow: 'USER_PASSWORD_AUTH' });
    const check = await new TokenVerifier().verifyIdToken(token.idToken, { userPoolId: h.sandbox.userPoolId, region: h.context.region, clientId: CLIENT, endpoint: h.sandbox.endpoint });
    assert.equal(check.signature, 'verified', check.reason);
    const { live, credentials } = await resolveIdentity(
      { cognitoIdentity: h.context.clients.cognitoIdentity, stsWith: (c) => h.context.withCredentials(c).sts },
      { identityPoolId: poolId, providerName: loginsKeyFor(h.sandbox.userPoolId, h.context.region), idToken: token.idToken, roleArns: snapshot.roles.map((r) => r.Arn) },
    );
    const comparison = compareWithPrediction(snapshot, { identityPoolId: poolId, idTokenClaims: check.claims, fillRoleClaims: true }, live);
    return { token, claims: check.claims, live, credentials, comparison };
  };
  const callerOf = async (credentials: TemporaryCredentials | null): Promise<string> => {
    assert.ok(credentials, 'credentials');
    return (await h.context.withCredentials(credentials).sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
  };

  test('the scan reads what makes the claim writable, and diagnose reports MAPPING_RULE_ON_WRITABLE_CLAIM', () => {
    const books = snapshot.userPools.find((p) => p.Id === h.sandbox.userPoolId)!;
    assert.deepEqual(books.SchemaAttributes?.find((a) => a.Name === 'custom:role'), { Name: 'custom:role', Mutable: true });
    assert.deepEqual(books.AdminCreateUserConfig, { AllowAdminCreateUserOnly: false });
    assert.deepEqual(books.Clients.find((c) => c.ClientId === CLIENT)?.WriteAttributes, ['email', 'name', 'custom:role']);
    const found = diagnose(snapshot).findings.filter((f) => f.code === 'MAPPING_RULE_ON_WRITABLE_CLAIM' && f.subject.id.startsWith(`${poolId}/`));
    assert.equal(found.length, 1, JSON.stringify(found, null, 2));
    const f = found[0]!;
    assert.equal(f.severity, 'error');
    assert.equal(f.subject.kind, 'roleMapping');
    assert.match(f.message, /Rules\[0\] \(custom:role Equals "admin" -> BooksAdmin\)/);
    assert.match(f.message, /app client selfservice/);
    assert.match(f.message, /UpdateUserAttributes/);
    assert.match(f.message, /SignUp/);
    assert.ok(f.message.includes(roleArn('BooksAdmin')));
    const related = (f.related ?? []).map((s) => `${s.kind}|${s.id}`);
    assert.ok(related.includes(`role|${roleArn('BooksAdmin')}`), related.join(', '));
  });

  test('a plain user writes custom:role=admin with their own access token and really gets BooksAdmin', async () => {
    const user = userByName('writer'); // BooksWrite, no custom:role: the default role here
    try {
      const first = await asUser(user.Username, user.password);
      assert.equal(first.live.outcome, 'credentials', JSON.stringify(first.live));
      assert.equal(first.live.roleArn, roleArn('BooksDefaultAuth'));
      assert.ok(first.comparison.agree, first.comparison.notes.join(' '));
      assert.match(await callerOf(first.credentials), /:assumed-role\/BooksDefaultAuth\//);

      // The user's own call: no admin keys, only the access token selfservice issued.
      await h.context.clients.cognitoIdp.send(new UpdateUserAttributesCommand({
        AccessToken: first.token.accessToken, UserAttributes: [{ Name: 'custom:role', Value: 'admin' }],
      }));

      const second = await asUser(user.Username, user.password);
      assert.equal(second.claims['custom:role'], 'admin');
      assert.equal(second.live.outcome, 'credentials', JSON.stringify(second.live));
      assert.equal(second.live.roleArn, roleArn('BooksAdmin'));
      assert.match(await callerOf(second.credentials), /:assumed-role\/BooksAdmin\/CognitoIdentityCredentials$/);
      // The engine predicted it from the updated token, and says which rule matched on a user-written claim.
      assert.equal(second.comparison.predicted.roleArn, roleArn('BooksAdmin'));
      assert.ok(second.comparison.agree, second.comparison.notes.join(' '));
      const note = second.comparison.notes.find((n) => n.includes('MAPPING_RULE_ON_WRITABLE_CLAIM'));
      assert.ok(note, second.comparison.notes.join(' | '));
      assert.match(note, /Rules\[0\] \(custom:role Equals "admin" -> BooksAdmin\)/);
      assert.ok(second.comparison.findings.some((f) => f.code === 'MAPPING_RULE_ON_WRITABLE_CLAIM'));

      // What it opens, as the product's probe shows it: BooksAdmin writes book-table (BooksWrite's
      // own role does too, but only through pool books: here the default role writes nothing).
      const run = await runCli('probe', [
        '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENT, '--username', user.Username,
        '--identity-pool', poolId, '--table', 'book-table', '--table', 'user-notes', '--format', 'json',
      ], { ...h.env, COGNITO_ACCESS_PASSWORD: user.password });
      assert.equal(run.code, 0, run.stderr);
      const { roleArn: probedRole, results } = JSON.parse(run.stdout) as { roleArn: string; results: ProbeResult[] };
      assert.equal(probedRole, roleArn('BooksAdmin'));
      const put = results.find((r) => r.table === 'book-table' && r.action === 'dynamodb:PutItem' && r.partition === 'other');
      assert.equal(put?.live, 'allowed', JSON.stringify(put));
      assert.equal(put?.simulated, 'allowed');
      assert.deepEqual(results.filter((r) => !r.agree && !r.undecided).map((r) => `${r.table} ${r.action} ${r.partition}`), []);
    } finally {
      // Put writer back for the other tests of this run (the sandbox is this suite's own anyway).
      await h.context.clients.cognitoIdp.send(new AdminUpdateUserAttributesCommand({
        UserPoolId: h.sandbox.userPoolId, Username: user.Username, UserAttributes: [{ Name: 'custom:role', Value: '' }],
      }));
    }
  });

  test('the client refuses an attribute outside its WriteAttributes (as Cognito does)', async () => {
    const user = userByName('nogroup');
    const token = await signIn(h.context.clients.cognitoIdp, { userPoolId: h.sandbox.userPoolId, clientId: CLIENT, username: user.Username, password: user.password, flow: 'USER_PASSWORD_AUTH' });
    await assert.rejects(
      h.context.clients.cognitoIdp.send(new UpdateUserAttributesCommand({ AccessToken: token.accessToken, UserAttributes: [{ Name: 'custom:dept', Value: 'music' }] })),
      (e: Error) => e.name === 'NotAuthorizedException' && /unauthorized attribute/.test(e.message),
    );
  });

  test('a brand-new user signs up with custom:role=admin and gets BooksAdmin on first sign-in', async () => {
    const username = 'selfmade';
    const password = 'Sandbox-selfmade-1!';
    const signUp = await h.context.clients.cognitoIdp.send(new SignUpCommand({
      ClientId: CLIENT, Username: username, Password: password,
      UserAttributes: [{ Name: 'email', Value: 'selfmade@example.com' }, { Name: 'custom:role', Value: 'admin' }],
    }));
    assert.equal(signUp.UserConfirmed, false);
    try {
      // The confirmation code would come by email; the admin keys confirm instead.
      await h.context.clients.cognitoIdp.send(new AdminConfirmSignUpCommand({ UserPoolId: h.sandbox.userPoolId, Username: username }));
      const s = await asUser(username, password);
      assert.equal(s.claims['custom:role'], 'admin');
      assert.equal(s.live.roleArn, roleArn('BooksAdmin'));
      assert.match(await callerOf(s.credentials), /:assumed-role\/BooksAdmin\/CognitoIdentityCredentials$/);
      assert.ok(s.comparison.agree, s.comparison.notes.join(' '));
    } finally {
      await h.context.clients.cognitoIdp.send(new AdminDeleteUserCommand({ UserPoolId: h.sandbox.userPoolId, Username: username }));
    }
  });
});
