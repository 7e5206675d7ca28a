// Beyond the article, live against the sandbox (cognito-semantics.md section 6): sign-in through
// the OIDC provider login.sandbox.test (a minted token, the Logins key is the host), the basic
// (classic) flow (GetOpenIdToken, then STS AssumeRoleWithWebIdentity of a chosen role), principal
// tags through books-abac (the probe's engine side reads the session's tags: the own department's
// partition allowed, another denied, live and simulated agree), books-abac-broken's missing
// sts:TagSession, and the pre token generation trigger of books-trigger.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { CLIENTS, TABLES, roleArn, userByName } from '../sandbox/seed.ts';
import { triggerUserByName } from '../sandbox/seedTrigger.ts';
import { compareWithPrediction, loginsKeyForProvider, resolveBasicFlow, resolveIdentity } from '../../src/aws/identity.ts';
import { describeTables, runProbes, type ProbeResult } from '../../src/aws/probe.ts';
import { scanAccount } from '../../src/aws/scanner.ts';
import { TokenVerifier } from '../../src/aws/tokenVerifier.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { probeContextOf, runSession, type SessionOptions } from '../../src/pipeline/session.ts';
import { runCli, startHarness, type Harness } from './helpers.ts';

const noPrompt = async (question: string): Promise<string> => {
  throw new Error(`unexpected prompt: ${question}`);
};

describe('beyond the article, live against the sandbox', () => {
  let h: Harness;
  let snapshot: Snapshot;
  before(async () => {
    h = await startHarness();
    snapshot = (await scanAccount(h.context.clients, { region: h.context.region, accountId: h.sandbox.accountId })).snapshot;
  });
  after(() => h.stop());

  const session = (options: Omit<SessionOptions, 'authFlow'>, env: NodeJS.ProcessEnv) => runSession(h.context, { authFlow: 'password', ...options }, env, noPrompt);
  const asUser = (username: string, pool: keyof Harness['sandbox']['identityPools'], extra: Partial<SessionOptions> = {}) =>
    session({ userPoolId: h.sandbox.userPoolId, clientId: CLIENTS.web.ClientId, username, identityPoolId: h.sandbox.identityPools[pool], ...extra }, { COGNITO_ACCESS_PASSWORD: userByName(username).password });
  const identityClients = () => ({ cognitoIdentity: h.context.clients.cognitoIdentity, stsWith: (c: Parameters<typeof h.context.withCredentials>[0]) => h.context.withCredentials(c).sts });

  describe('OIDC provider login.sandbox.test (books-oidc)', () => {
    test('the Logins key of an OIDC provider is its host, from the ARN or the issuer URL', () => {
      assert.equal(loginsKeyForProvider(h.sandbox.oidc.providerArn), 'login.sandbox.test');
      assert.equal(loginsKeyForProvider('https://login.sandbox.test'), 'login.sandbox.test');
      assert.equal(loginsKeyForProvider('accounts.google.com'), 'accounts.google.com');
    });

    test('adapter: GetId and GetCredentialsForIdentity under the host; the Rules mapping on dept picks BooksOidcReader, else the authenticated role', async () => {
      for (const [dept, role] of [['books', 'BooksOidcReader'], ['music', 'BooksDefaultAuth']] as const) {
        const token = h.sandbox.mintOidcToken({ sub: `alice-${dept}`, claims: { dept } });
        const identityPoolId = h.sandbox.identityPools['books-oidc'];
        const { live, credentials } = await resolveIdentity(identityClients(), { identityPoolId, providerName: loginsKeyForProvider(h.sandbox.oidc.providerArn), idToken: token, roleArns: snapshot.roles.map((r) => r.Arn) });
        assert.equal(live.outcome, 'credentials', JSON.stringify(live.error));
        assert.equal(live.roleArn, roleArn(role));
        assert.ok(credentials);
        assert.deepEqual(h.sandbox.session(credentials.accessKeyId)?.amr.slice(0, 2), ['authenticated', 'login.sandbox.test']);
        const check = await new TokenVerifier().verifyOidcToken(token, { provider: 'login.sandbox.test', endpoint: h.sandbox.endpoint });
        assert.equal(check.signature, 'verified', check.reason);
        const comparison = compareWithPrediction(snapshot, { identityPoolId, idTokenClaims: check.claims, provider: 'login.sandbox.test' }, live);
        assert.equal(comparison.agree, true, comparison.notes.join(' '));
        assert.equal(comparison.predicted.roleArn, roleArn(role));
      }
    });

    test('pipeline: a pasted token of the provider, signature checked against its discovery document, agree', async () => {
      const token = h.sandbox.mintOidcToken({ sub: 'alice', claims: { dept: 'books' } });
      const s = await session({ provider: h.sandbox.oidc.providerArn, identityPoolId: h.sandbox.identityPools['books-oidc'] }, { COGNITO_ACCESS_ID_TOKEN: token });
      assert.equal(s.provider, 'login.sandbox.test');
      assert.equal(s.loginsKey, 'login.sandbox.test');
      assert.equal(s.signature, 'verified', s.signatureReason);
      assert.equal(s.comparison.live.roleArn, roleArn('BooksOidcReader'));
      assert.equal(s.comparison.agree, true);
      assert.ok(s.credentials);
    });

    test('a token of another issuer: its signature fails, and Cognito refuses it as the engine predicts', async () => {
      const token = h.sandbox.mintOidcToken({ sub: 'mallory', claims: { iss: 'https://evil.example' } });
      const s = await session({ provider: 'login.sandbox.test', identityPoolId: h.sandbox.identityPools['books-oidc'] }, { COGNITO_ACCESS_ID_TOKEN: token });
      assert.equal(s.signature, 'failed');
      assert.match(s.signatureReason ?? '', /issuer/);
      assert.equal(s.comparison.live.outcome, 'error');
      assert.equal(s.credentials, null);
    });

    test('without a token: a usage error naming the provider', async () => {
      await assert.rejects(session({ provider: 'login.sandbox.test', identityPoolId: h.sandbox.identityPools['books-oidc'] }, {}), /login\.sandbox\.test needs its ID token/);
    });
  });

  describe('basic (classic) flow (books-classic)', () => {
    test('adapter: GetOpenIdToken, then AssumeRoleWithWebIdentity of the chosen role; no Cognito session policy', async () => {
      const s = await asUser('testuser1', 'books-classic', { basicFlowRole: roleArn('BooksClassicAuth') });
      const live = s.comparison.live;
      assert.equal(live.flow, 'basic');
      assert.equal(live.outcome, 'credentials', JSON.stringify(live.error));
      assert.match(live.callerArn ?? '', /:assumed-role\/BooksClassicAuth\/cognito-access-test-user$/);
      assert.equal(s.flow, 'basic');
      assert.equal(s.comparison.predicted.source, 'basic-flow');
      assert.equal(s.comparison.agree, true, s.comparison.notes.join(' '));
      assert.equal(h.sandbox.session(s.credentials!.accessKeyId)?.guestSessionPolicy, false);
    });

    test('role mappings do not apply: BooksDefaultAuth (which trusts every pool) works too; a role whose trust refuses is AccessDenied, as predicted', async () => {
      const other = await asUser('writer', 'books-classic', { basicFlowRole: roleArn('BooksDefaultAuth') });
      assert.equal(other.comparison.live.roleArn, roleArn('BooksDefaultAuth'));
      assert.equal(other.comparison.agree, true);
      const refused = await asUser('testuser1', 'books-classic', { basicFlowRole: roleArn('BooksAbacDept') });
      assert.equal(refused.comparison.live.error?.code, 'AccessDenied');
      assert.equal(refused.comparison.predicted.error?.code, 'AccessDenied');
      assert.equal(refused.comparison.agree, true);
    });

    test('a pool without AllowClassicFlow: InvalidParameterException from GetOpenIdToken, as predicted', async () => {
      const { live } = await resolveBasicFlow({ ...identityClients(), sts: h.context.clients.sts }, {
        identityPoolId: h.sandbox.identityPools.books, providerName: `cognito-idp.${h.sandbox.region}.amazonaws.com/${h.sandbox.userPoolId}`,
        idToken: await idTokenOf('testuser1'), roleArn: roleArn('BooksReadAccess'),
      });
      assert.equal(live.error?.code, 'InvalidParameterException');
      assert.ok(live.identityId, 'GetId succeeded');
      const s = await asUser('testuser1', 'books', { basicFlowRole: roleArn('BooksReadAccess') });
      assert.equal(s.comparison.live.error?.code, 'InvalidParameterException');
      assert.equal(s.comparison.agree, true);
    });
  });

  /** testuser1's ID token (USER_PASSWORD_AUTH on the web client, over HTTP as an app would). */
  async function idTokenOf(username: string): Promise<string> {
    const response = await fetch(h.sandbox.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENTS.web.ClientId, AuthParameters: { USERNAME: username, PASSWORD: userByName(username).password } }),
    });
    return ((await response.json()) as { AuthenticationResult: { IdToken: string } }).AuthenticationResult.IdToken;
  }

  describe('principal tags (books-abac, books-abac-broken)', () => {
    const dump = async (): Promise<string> => {
      const parts: string[] = [];
      for (const t of TABLES) {
        const page = await h.context.clients.dynamodb.send(new ScanCommand({ TableName: t.TableName, ConsistentRead: true }));
        parts.push(JSON.stringify((page.Items ?? []).map((i) => JSON.stringify(i)).sort()));
      }
      return parts.join('\n');
    };

    test('testuser1 through books-abac: predicted tags dept = books, the ones the credentials carry', async () => {
      const s = await asUser('testuser1', 'books-abac');
      assert.equal(s.comparison.live.roleArn, roleArn('BooksAbacDept'));
      assert.equal(s.comparison.agree, true);
      assert.deepEqual({ ...s.comparison.sessionTags.predicted }, { dept: 'books' });
      assert.equal(s.comparison.sessionTags.live, null, 'AWS reports no session tags');
      assert.deepEqual({ ...h.sandbox.session(s.credentials!.accessKeyId)?.tags }, { dept: 'books' });
      assert.deepEqual({ ...probeContextOf(s).sessionTags }, { dept: 'books' });
    });

    test('the probe: the department\'s partition allowed, another denied, live and engine agree cell by cell, the tag named; nothing changes', async () => {
      const before = await dump();
      const s = await asUser('testuser1', 'books-abac');
      const live = s.comparison.live;
      const described = await describeTables(s.snapshot, ['book-table'], h.context.clients.dynamodb);
      const results: ProbeResult[] = await runProbes({
        snapshot: described.snapshot, roleArn: live.roleArn!, identityId: live.identityId!, identityPoolId: s.identityPoolId, tables: ['book-table'],
        userDynamo: h.context.withCredentials(s.credentials!).dynamodb, inspectorDynamo: h.context.clients.dynamodb, ...probeContextOf(s),
      });
      const disagreements = results.filter((r) => !r.agree && !r.undecided);
      assert.deepEqual(disagreements.map((r) => `${r.action} ${r.partition}: live ${r.live}, engine ${r.simulated}`), []);
      const cell = (action: string, partition: string) => results.find((r) => r.action === action && r.partition === partition)!;
      for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem']) {
        const own = cell(action, 'tag');
        assert.deepEqual(own.tag, { key: 'dept', value: 'books' });
        assert.equal(own.live, 'allowed', `${action} on the department's partition`);
        assert.equal(own.simulated, 'allowed');
        assert.match(own.explanation && 'summary' in own.explanation ? own.explanation.summary : '', /aws:PrincipalTag\/dept = "books"/);
        const other = cell(action, 'other');
        assert.equal(other.live, 'denied', `${action} on another partition`);
        assert.equal(other.simulated, 'implicit-deny');
        const closest = other.explanation && 'closest' in other.explanation ? other.explanation.closest : undefined;
        assert.match(closest?.conditions.map((c) => c.reason).join(' ') ?? '', /aws:PrincipalTag\/dept is "books"/);
      }
      assert.equal(await dump(), before, 'no probe changed data');
    });

    test('anyone through books-abac-broken: InvalidIdentityPoolConfiguration, predicted, explained by TRUST_NO_TAG_SESSION', async () => {
      const s = await asUser('testuser1', 'books-abac-broken');
      assert.equal(s.comparison.live.error?.code, 'InvalidIdentityPoolConfigurationException');
      assert.equal(s.comparison.predicted.error?.code, 'InvalidIdentityPoolConfigurationException');
      assert.equal(s.comparison.agree, true);
      assert.ok(s.comparison.predicted.findings.includes('TRUST_NO_TAG_SESSION'), s.comparison.predicted.findings.join(', '));
      assert.ok(s.comparison.findings.some((f) => f.code === 'TRUST_NO_TAG_SESSION' && /sts:TagSession/.test(f.fix)));
      assert.deepEqual({ ...s.comparison.sessionTags.predicted }, { dept: 'books' });
    });
  });

  describe('the command line', () => {
    test('test-user --provider: the OIDC token from the environment, JSON with the provider and the flow', async () => {
      const token = h.sandbox.mintOidcToken({ sub: 'alice', claims: { dept: 'books' } });
      const out = await runCli('test-user', ['--profile', h.sandbox.profile, '--provider', 'login.sandbox.test', '--identity-pool', h.sandbox.identityPools['books-oidc'], '--format', 'json'], { ...h.env, COGNITO_ACCESS_ID_TOKEN: token });
      assert.equal(out.code, 0, out.stderr);
      const json = JSON.parse(out.stdout) as { agree: boolean; provider: string; flow: string; live: { roleArn: string } };
      assert.deepEqual([json.agree, json.provider, json.flow, json.live.roleArn], [true, 'login.sandbox.test', 'enhanced', roleArn('BooksOidcReader')]);
      assert.ok(!out.stdout.includes(token), 'no token in the output');
      const missing = await runCli('test-user', ['--profile', h.sandbox.profile, '--provider', 'login.sandbox.test'], h.env);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /--provider needs --identity-pool/);
    });

    test('test-user --basic-flow --role through books-classic; --role alone is bad usage', async () => {
      const args = ['--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.web.ClientId, '--username', 'testuser1', '--identity-pool', h.sandbox.identityPools['books-classic'], '--auth-flow', 'password'];
      const env = { ...h.env, COGNITO_ACCESS_PASSWORD: userByName('testuser1').password };
      const out = await runCli('test-user', [...args, '--basic-flow', '--role', roleArn('BooksClassicAuth')], env);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /basic \(classic\) flow as arn:aws:iam::123456789012:role\/BooksClassicAuth/);
      assert.match(out.stdout, /AGREE/);
      const bad = await runCli('test-user', [...args, '--role', roleArn('BooksClassicAuth')], env);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--role goes with --basic-flow/);
    });

    test('probe through books-abac: the tag\'s partition allowed, another denied, all agree', async () => {
      const out = await runCli('probe', [
        '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.web.ClientId, '--username', 'testuser1',
        '--identity-pool', h.sandbox.identityPools['books-abac'], '--auth-flow', 'password', '--table', 'book-table', '--format', 'json',
      ], { ...h.env, COGNITO_ACCESS_PASSWORD: userByName('testuser1').password });
      assert.equal(out.code, 0, out.stderr);
      const results = (JSON.parse(out.stdout) as { results: ProbeResult[] }).results;
      const get = (partition: string) => results.find((r) => r.action === 'dynamodb:GetItem' && r.partition === partition)!;
      assert.deepEqual([get('tag').live, get('tag').simulated, get('other').live, get('other').simulated], ['allowed', 'allowed', 'denied', 'implicit-deny']);
      assert.ok(results.every((r) => r.agree || r.undecided));
    });
  });

  describe('pre token generation trigger (books-trigger)', () => {
    after(() => h.sandbox.setTokenOverride(h.sandbox.triggerPool.userPoolId, undefined));
    const asTriggerUser = (username: string) =>
      session({ userPoolId: h.sandbox.triggerPool.userPoolId, clientId: h.sandbox.triggerPool.clientId, username, identityPoolId: h.sandbox.identityPools['books-trigger'] },
        { COGNITO_ACCESS_PASSWORD: triggerUserByName(username).password });

    test('the comparison names the trigger; when the trigger replaced the roles, the note says so and the prediction follows the token', async () => {
      const plain = await asTriggerUser('triggeruser');
      assert.equal(plain.comparison.trigger?.version, 'V2_0');
      assert.match(plain.comparison.trigger?.lambdaArn ?? '', /function:books-pre-token-generation$/);
      assert.ok(plain.comparison.predicted.notes.some((n) => /pre token generation trigger/.test(n)), 'the trigger note of the prediction');
      assert.equal(plain.comparison.live.roleArn, roleArn('BooksReadAccess'));

      h.sandbox.setTokenOverride(h.sandbox.triggerPool.userPoolId, { roles: [roleArn('BooksAdmin')], preferredRole: roleArn('BooksAdmin') });
      const overridden = await asTriggerUser('triggeruser');
      assert.equal(overridden.comparison.live.roleArn, roleArn('BooksAdmin'));
      assert.equal(overridden.comparison.agree, true, 'the engine predicts from the token, as Cognito Identity reads it');
      const note = overridden.comparison.notes.find((n) => /replaced them/.test(n));
      assert.ok(note, overridden.comparison.notes.join(' | '));
      assert.match(note, /books-pre-token-generation/);
      assert.match(note, /BooksReadAccess/);
    });
  });
});
