// The sandbox's own OIDC provider, https://login.sandbox.test: discovery and JWKS over the gateway,
// the IAM OIDC provider, identity pool books-oidc (Logins key login.sandbox.test, aud checked
// against the provider's ClientIDList, Rules mapping on the token's claims, amr with the provider
// name), Cognito's token checks, principal tags from OIDC claims and the mint CLI.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CognitoIdentityClient, DescribeIdentityPoolCommand, GetIdCommand, SetPrincipalTagAttributeMapCommand } from '@aws-sdk/client-cognito-identity';
import { GetOpenIDConnectProviderCommand, IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { startSandbox, type Sandbox } from './index.ts';
import { OIDC_HOST, OIDC_PROVIDER_ARN, PROVIDER_NAME, roleArn } from './seed.ts';
import { credentialsForLogins, identityClient, rejection } from './testFlow.ts';

let sandbox: Sandbox;
before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox.stop(); });

const logins = (token: string): Record<string, string> => ({ [OIDC_HOST]: token });
const roleOf = (accessKeyId: string): string | undefined => sandbox.session(accessKeyId)?.roleArn.split('/').pop();

describe('the provider: discovery, keys, IAM', () => {
  it('serves its discovery document and JWKS over the gateway; minted tokens verify with issuer https://login.sandbox.test', async () => {
    const doc = await (await fetch(sandbox.oidc.discoveryUrl)).json() as Record<string, unknown>;
    assert.equal(doc.issuer, 'https://login.sandbox.test');
    assert.equal(doc.jwks_uri, sandbox.oidc.jwksUrl);
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    const token = sandbox.mintOidcToken({ sub: 'alice', claims: { dept: 'books' } });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(String(doc.jwks_uri))), { issuer: sandbox.oidc.issuer, audience: sandbox.oidc.clientId });
    assert.deepEqual([payload.sub, payload.dept], ['alice', 'books']);
  });

  it('IAM lists it and GetOpenIDConnectProvider names its audience; an unknown ARN is NoSuchEntity', async () => {
    const iam = new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    const list = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: OIDC_PROVIDER_ARN }));
    const missing = await rejection(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `${OIDC_PROVIDER_ARN}x` })));
    iam.destroy();
    assert.deepEqual(list.OpenIDConnectProviderList?.map((p) => p.Arn), [OIDC_PROVIDER_ARN]);
    assert.equal(sandbox.oidc.providerArn, OIDC_PROVIDER_ARN);
    assert.equal(got.Url, 'login.sandbox.test');
    assert.deepEqual(got.ClientIDList, ['books-oidc-client']);
    assert.equal(missing.name, 'NoSuchEntityException');
  });

  it('DescribeIdentityPool of books-oidc names the provider ARN and no user pool', async () => {
    const ci = new CognitoIdentityClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    const d = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: sandbox.identityPools['books-oidc'] }));
    const books = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: sandbox.identityPools.books }));
    ci.destroy();
    assert.deepEqual(d.OpenIdConnectProviderARNs, [OIDC_PROVIDER_ARN]);
    assert.deepEqual(d.CognitoIdentityProviders, []);
    assert.equal(books.OpenIdConnectProviderARNs, undefined);
  });
});

describe('books-oidc', () => {
  it('dept books: the Rules mapping gives BooksOidcReader; amr holds authenticated and the provider name; the same sub keeps its identity', async () => {
    const a = await credentialsForLogins(sandbox, 'books-oidc', logins(sandbox.mintOidcToken({ sub: 'alice', claims: { dept: 'books' } })));
    const b = await credentialsForLogins(sandbox, 'books-oidc', logins(sandbox.mintOidcToken({ sub: 'alice', claims: { dept: 'books' } })));
    assert.equal(a.identityId, b.identityId);
    assert.equal(roleOf(a.credentials.accessKeyId), 'BooksOidcReader');
    const amr = sandbox.session(a.credentials.accessKeyId)?.amr ?? [];
    assert.ok(amr.includes('authenticated') && amr.includes('login.sandbox.test'), amr.join(', '));
  });

  it('another dept matches no rule: AmbiguousRoleResolution AuthenticatedRole, BooksDefaultAuth', async () => {
    const { credentials } = await credentialsForLogins(sandbox, 'books-oidc', logins(sandbox.mintOidcToken({ sub: 'bob', claims: { dept: 'music' } })));
    assert.equal(roleOf(credentials.accessKeyId), 'BooksDefaultAuth');
  });

  it('Cognito\'s checks: audience, expiry, issuer, signature; a user pool token is not this pool\'s provider', async () => {
    const ci = identityClient(sandbox);
    const getId = (l: Record<string, string>, pool = sandbox.identityPools['books-oidc']): Promise<{ name: string; message: string }> =>
      rejection(ci.send(new GetIdCommand({ IdentityPoolId: pool, Logins: l })));
    const wrongAud = await getId(logins(sandbox.mintOidcToken({ sub: 'alice', aud: 'another-client' })));
    const expired = await getId(logins(sandbox.mintOidcToken({ sub: 'alice', expiresInSeconds: -60 })));
    const issuer = await getId(logins(sandbox.mintOidcToken({ sub: 'alice', claims: { iss: 'https://login.other.test' } })));
    const [h, , s] = sandbox.mintOidcToken({ sub: 'alice' }).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: 'https://login.sandbox.test', sub: 'mallory', aud: 'books-oidc-client' })).toString('base64url')}.${s}`;
    const signature = await getId(logins(forged));
    const elsewhere = await getId(logins(sandbox.mintOidcToken({ sub: 'alice' })), sandbox.identityPools.books);
    ci.destroy();
    const notSupported = { name: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' };
    assert.deepEqual(wrongAud, notSupported);
    assert.equal(expired.name, 'NotAuthorizedException');
    assert.match(expired.message, /^Invalid login token\. Token expired: \d+ >= \d+$/);
    assert.deepEqual(issuer, { name: 'NotAuthorizedException', message: 'Invalid login token. Issuer doesn\'t match providerName' });
    assert.deepEqual(signature, { name: 'NotAuthorizedException', message: 'Invalid login token. Couldn\'t verify signed token.' });
    assert.deepEqual(elsewhere, notSupported);
  });

  it('the mint CLI prints a token of the data dir\'s key that books-oidc accepts', async () => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'mintOidcToken.ts'), '--sub', 'carol', '--claim', 'dept=books', '--data-dir', sandbox.dataDir], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const { credentials } = await credentialsForLogins(sandbox, 'books-oidc', logins(out.stdout.trim()));
    assert.equal(roleOf(credentials.accessKeyId), 'BooksOidcReader');
    const usage = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'mintOidcToken.ts'), '--claim', 'x'], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^mintOidcToken: /);
  });

  // Last: it leaves books-oidc with a tag map (an empty one, which sets no tags, at the end).
  it('principal tags from OIDC claims: carried by the session; a value outside the STS limits fails the request', async () => {
    const admin = new CognitoIdentityClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    const IdentityPoolId = sandbox.identityPools['books-oidc'];
    await admin.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: OIDC_HOST, PrincipalTags: { dept: 'dept', team: 'team' } }));
    try {
      const ok = await credentialsForLogins(sandbox, 'books-oidc', logins(sandbox.mintOidcToken({ sub: 'dave', claims: { dept: 'books', team: 'shelf 7' } })));
      assert.deepEqual(sandbox.session(ok.credentials.accessKeyId)?.tags, { dept: 'books', team: 'shelf 7' });
      for (const team of ['a&b', 'x'.repeat(257)]) {
        const e = await rejection(credentialsForLogins(sandbox, 'books-oidc', logins(sandbox.mintOidcToken({ sub: 'erin', claims: { dept: 'books', team } }))));
        assert.deepEqual(e, { name: 'InvalidIdentityPoolConfigurationException', message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.' }, team.slice(0, 10));
      }
      // dept music falls to BooksDefaultAuth, whose trust lacks sts:TagSession: refused as well.
      const fallback = await rejection(credentialsForLogins(sandbox, 'books-oidc', logins(sandbox.mintOidcToken({ sub: 'frank', claims: { dept: 'music' } }))));
      assert.equal(fallback.name, 'InvalidIdentityPoolConfigurationException');
    } finally {
      await admin.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: OIDC_HOST, UseDefaults: false, PrincipalTags: {} }));
      admin.destroy();
    }
    assert.equal(roleArn('BooksOidcReader').endsWith('BooksOidcReader'), true);
    assert.equal(PROVIDER_NAME.startsWith('cognito-idp.'), true);
  });
});
