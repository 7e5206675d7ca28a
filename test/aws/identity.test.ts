// Sign-in, ID token signature, live credentials and the engine's prediction, for every seeded
// user and identity pool of the sandbox, over real HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CLIENTS, PLAIN_USERS, USERS } from '../sandbox/seed.ts';
import { simulateAccess } from '../../src/core/access.ts';
import { compareWithPrediction, loginsKeyFor, resolveIdentity } from '../../src/aws/identity.ts';
import { scanAccount } from '../../src/aws/scanner.ts';
import { signIn } from '../../src/aws/signIn.ts';
import { TokenVerifier } from '../../src/aws/tokenVerifier.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { runCli, startHarness, type Harness } from './helpers.ts';

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  throw new Error('expected the call to fail');
}

describe('sign-in and identity resolution against the sandbox', () => {
  let h: Harness;
  let snapshot: Snapshot;
  before(async () => {
    h = await startHarness();
    snapshot = (await scanAccount(h.context.clients, { region: h.context.region, accountId: h.sandbox.accountId, includeUsers: true })).snapshot;
  });
  after(() => h.stop());

  test('predicted and live outcomes agree for every seeded user (without a challenge: PLAIN_USERS) and identity pool', async () => {
    const verifier = new TokenVerifier();
    const rows: string[] = [];
    for (const user of PLAIN_USERS) {
      const token = await signIn(h.context.clients.cognitoIdp, {
        userPoolId: h.sandbox.userPoolId, clientId: CLIENTS.web.ClientId, username: user.Username, password: user.password, flow: 'USER_PASSWORD_AUTH',
      });
      const check = await verifier.verifyIdToken(token.idToken, { userPoolId: h.sandbox.userPoolId, region: h.context.region, clientId: CLIENTS.web.ClientId, endpoint: h.sandbox.endpoint });
      assert.equal(check.signature, 'verified', check.reason);
      for (const identityPoolId of Object.values(h.sandbox.identityPools)) {
        const { live, credentials } = await resolveIdentity(
          { cognitoIdentity: h.context.clients.cognitoIdentity, stsWith: (c) => h.context.withCredentials(c).sts },
          { identityPoolId, providerName: loginsKeyFor(h.sandbox.userPoolId, h.context.region), idToken: token.idToken, roleArns: snapshot.roles.map((r) => r.Arn) },
        );
        const comparison = compareWithPrediction(snapshot, { identityPoolId, idTokenClaims: check.claims, fillRoleClaims: true }, live);
        rows.push(`${user.Username} ${identityPoolId}: live ${live.roleArn ?? live.error?.code}, predicted ${comparison.predicted.roleArn ?? comparison.predicted.error?.code}`);
        assert.ok(comparison.agree, rows.at(-1));
        if (live.outcome === 'credentials') {
          assert.match(live.callerArn ?? '', /:assumed-role\/[^/]+\/CognitoIdentityCredentials$/);
          assert.ok(credentials);
          assert.ok(!JSON.stringify({ live, credentials }).includes(credentials.secretAccessKey), 'secrets are masked in JSON');
        } else {
          assert.ok(comparison.findings.length > 0 || comparison.predicted.findings.length >= 0);
        }
      }
    }
    assert.ok(rows.some((r) => r.includes('InvalidIdentityPoolConfigurationException')), 'the broken pool is exercised');
  });

  test('a client with a secret: SECRET_HASH is sent and accepted', async () => {
    const user = USERS[0]!;
    const token = await signIn(h.context.clients.cognitoIdp, {
      userPoolId: h.sandbox.userPoolId, clientId: CLIENTS.backend.ClientId, clientSecret: h.sandbox.backendClientSecret,
      username: user.Username, password: user.password, flow: 'USER_PASSWORD_AUTH',
    });
    assert.ok(token.idToken.split('.').length === 3);
  });

  test('a wrong password is refused', async () => {
    await assert.rejects(
      signIn(h.context.clients.cognitoIdp, { userPoolId: h.sandbox.userPoolId, clientId: CLIENTS.web.ClientId, username: 'testuser1', password: 'wrong', flow: 'USER_PASSWORD_AUTH' }),
      (e: Error) => /NotAuthorized|InvalidPassword/.test(e.name),
    );
  });

  test('cognito-access test-user: JSON per cli.md, auto flow, no secrets in the output', async () => {
    const user = USERS.find((u) => u.Username === 'testuser1')!;
    const run = await runCli('test-user', [
      '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.web.ClientId, '--username', user.Username,
      '--identity-pool', h.sandbox.identityPools.books, '--format', 'json',
    ], { ...h.env, COGNITO_ACCESS_PASSWORD: user.password });
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.signature, 'verified');
    assert.deepEqual(out.claims['cognito:groups'], ['BooksRead']);
    assert.equal(out.live.outcome, 'credentials');
    assert.match(out.live.roleArn, /role\/BooksReadAccess$/);
    assert.equal(out.predicted.outcome, 'credentials');
    assert.equal(out.agree, true);
    assert.ok(!run.stdout.includes(user.password) && !/SecretKey|SessionToken|eyJ/.test(run.stdout), 'no password, keys or tokens');
  });

  test('test-user text output for a failing pool explains the error with findings', async () => {
    const user = USERS.find((u) => u.Username === 'testuser1')!;
    const run = await runCli('test-user', [
      '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.web.ClientId, '--username', user.Username,
      '--identity-pool', h.sandbox.identityPools['books-broken'], '--auth-flow', 'password',
    ], { ...h.env, COGNITO_ACCESS_PASSWORD: user.password });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /InvalidIdentityPoolConfigurationException/);
    assert.match(run.stdout, /AGREE/);
    assert.match(run.stdout, /TRUST_AUD_IS_USER_POOL_ID/);
  });

  test('the password is never an argument; a missing one without a terminal is a usage error', async () => {
    const run = await runCli('test-user', ['--user-pool', 'x', '--client', 'y', '--username', 'z', '--password', 'p'], h.env);
    assert.equal(run.code, 2);
  });
  test('guests: live and engine agree for every identity pool (books-guest gives BooksGuest; the others refuse)', async () => {
    const rows: string[] = [];
    for (const [name, identityPoolId] of Object.entries(h.sandbox.identityPools)) {
      const { live, credentials } = await resolveIdentity(
        { cognitoIdentity: h.context.clients.cognitoIdentity, stsWith: (c) => h.context.withCredentials(c).sts },
        { identityPoolId, roleArns: snapshot.roles.map((r) => r.Arn) },
      );
      const comparison = compareWithPrediction(snapshot, { identityPoolId, idTokenClaims: {}, guest: true }, live);
      rows.push(`${name}: live ${live.roleArn ?? live.error?.code}, predicted ${comparison.predicted.roleArn ?? comparison.predicted.error?.code}`);
      assert.ok(comparison.agree, `${rows.at(-1)} ${comparison.notes.join(' ')}`);
      if (name === 'books-guest') {
        assert.equal(live.roleArn, `arn:aws:iam::${h.sandbox.accountId}:role/BooksGuest`);
        assert.ok(credentials && live.identityId);
        // The guest session policy: the sandbox's oracle and the engine both deny the role's reads.
        const denied = await rejection(h.context.withCredentials(credentials).dynamodb.send(new GetItemCommand({ TableName: 'book-table', Key: { author: { S: 'a' }, title: { S: 'b' } } })));
        assert.match(denied, /because no session policy allows the dynamodb:GetItem action/);
        const engine = simulateAccess(snapshot, live.roleArn, { action: 'dynamodb:GetItem', table: 'book-table', guest: true, identityId: live.identityId, identityPoolId });
        assert.ok(!('error' in engine));
        assert.equal(engine.decision, 'implicit-deny');
        assert.equal(engine.explanation.missingAllowIn, 'session');
      } else {
        assert.deepEqual(live.error, { code: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' });
      }
    }
  });
});
