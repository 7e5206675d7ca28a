// Basic (classic) flow, cognito-semantics.md sections 2, 5 and 6: GetOpenIdToken on books-classic
// (AllowClassicFlow), then an unsigned STS AssumeRoleWithWebIdentity on any role whose trust admits
// the pool; refused where AWS refuses it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetCredentialsForIdentityCommand, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from './index.ts';
import { ACCOUNT_ID, PROVIDER_NAME, SEED_IDENTITY_IDS, roleArn, userByName } from './seed.ts';
import { dynamo, identityClient, rejection, signIn } from './testFlow.ts';

let sandbox: Sandbox;
before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox.stop(); });

type Jose = typeof import('jose');
const jose = (): Promise<Jose> => import('jose');

/** GetId then GetOpenIdToken for a signed-in user of the books pool. */
async function openIdToken(pool: keyof Sandbox['identityPools'], username = 'testuser1'): Promise<{ identityId: string; token: string }> {
  const { idToken } = await signIn(sandbox, username);
  const ci = identityClient(sandbox);
  try {
    const Logins = { [PROVIDER_NAME]: idToken };
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools[pool], Logins }));
    const out = await ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
    if (!IdentityId || !out.Token) throw new Error('no token');
    return { identityId: IdentityId, token: out.Token };
  } finally {
    ci.destroy();
  }
}

/** The unsigned STS call (the SDK signs no AssumeRoleWithWebIdentity request). */
async function assume(RoleArn: string, WebIdentityToken: string): Promise<{ credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }; subject?: string; audience?: string; arn?: string }> {
  const sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, maxAttempts: 1 });
  try {
    const out = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'classic-session', WebIdentityToken }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('no credentials');
    return {
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken },
      ...(out.SubjectFromWebIdentityToken ? { subject: out.SubjectFromWebIdentityToken } : {}),
      ...(out.Audience ? { audience: out.Audience } : {}),
      ...(out.AssumedRoleUser?.Arn ? { arn: out.AssumedRoleUser.Arn } : {}),
    };
  } finally {
    sts.destroy();
  }
}

describe('books-classic: GetOpenIdToken', () => {
  it('gives an OpenID token for the identity: aud the identity pool, sub the identity, amr as Cognito sets it, 10 minutes, RS512 verifiable', async () => {
    const { identityId, token } = await openIdToken('books-classic');
    const { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } = await jose();
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${sandbox.endpoint}/.well-known/jwks_uri`)), {
      issuer: 'https://cognito-identity.amazonaws.com', audience: sandbox.identityPools['books-classic'],
    });
    assert.equal(decodeProtectedHeader(token).alg, 'RS512');
    assert.equal(payload.sub, identityId);
    assert.deepEqual(payload.amr, ['authenticated', PROVIDER_NAME, `${PROVIDER_NAME}:CognitoSignIn:${userByName('testuser1').sub}`]);
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 600);
    const doc = await (await fetch(`${sandbox.endpoint}/.well-known/openid-configuration`)).json() as Record<string, unknown>;
    assert.equal(doc.issuer, 'https://cognito-identity.amazonaws.com');
  });

  it('on a pool without classic flow: InvalidParameterException, Cognito\'s text', async () => {
    const ci = identityClient(sandbox);
    const e = await rejection(ci.send(new GetOpenIdTokenCommand({ IdentityId: SEED_IDENTITY_IDS.testuser1, Logins: { [PROVIDER_NAME]: (await signIn(sandbox, 'testuser1')).idToken } })));
    ci.destroy();
    assert.deepEqual(e, { name: 'InvalidParameterException', message: 'Basic (classic) flow is not enabled, please use enhanced flow.' });
    assert.deepEqual(await rejection(openIdToken('books-strict')), e);
  });

  it('an authenticated identity without its Logins is forbidden; an unknown identity is not found', async () => {
    const { identityId } = await openIdToken('books-classic');
    const ci = identityClient(sandbox);
    const forbidden = await rejection(ci.send(new GetOpenIdTokenCommand({ IdentityId: identityId })));
    const unknown = await rejection(ci.send(new GetOpenIdTokenCommand({ IdentityId: 'eu-central-1:00000000-0000-4000-8000-000000000000' })));
    ci.destroy();
    assert.deepEqual(forbidden, { name: 'NotAuthorizedException', message: `Access to Identity '${identityId}' is forbidden.` });
    assert.equal(unknown.name, 'ResourceNotFoundException');
  });
});

describe('STS AssumeRoleWithWebIdentity with that token', () => {
  it('assumes the pool\'s role: credentials of assumed-role/BooksClassicAuth/<session name>, which DynamoDB authorizes', async () => {
    const { identityId, token } = await openIdToken('books-classic');
    const out = await assume(roleArn('BooksClassicAuth'), token);
    assert.equal(out.subject, identityId);
    assert.equal(out.audience, sandbox.identityPools['books-classic']);
    assert.equal(out.arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksClassicAuth/classic-session`);
    const sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: out.credentials });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.equal(me.Arn, out.arn);
    const db = dynamo(sandbox, out.credentials);
    const item = await db.send(new GetItemCommand({ TableName: 'book-table', Key: { author: { S: 'Terry Pratchett' }, title: { S: 'Small Gods' } } }));
    db.destroy();
    assert.equal(item.Item?.year?.N, '1992');
    assert.deepEqual(sandbox.session(out.credentials.accessKeyId)?.amr.slice(0, 2), ['authenticated', PROVIDER_NAME]);
  });

  it('any role whose trust admits the pool: BooksDefaultAuth too (role mappings do not apply)', async () => {
    const { token } = await openIdToken('books-classic');
    assert.match((await assume(roleArn('BooksDefaultAuth'), token)).arn ?? '', /assumed-role\/BooksDefaultAuth\/classic-session$/);
  });

  it('a role whose trust does not admit the pool, or no such role: AccessDenied, STS\'s text', async () => {
    const { token } = await openIdToken('books-classic');
    for (const role of ['BooksReadAccess', 'NoSuchRole']) {
      const e = await rejection(assume(roleArn(role), token));
      assert.deepEqual(e, { name: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' }, role);
    }
  });

  it('tokens STS cannot accept: not a JWT, a user pool ID token, a forged one', async () => {
    const { token } = await openIdToken('books-classic');
    const notJwt = await rejection(assume(roleArn('BooksClassicAuth'), 'not-a-token'));
    const userPool = await rejection(assume(roleArn('BooksClassicAuth'), (await signIn(sandbox, 'testuser1')).idToken));
    const [h, p] = token.split('.');
    const forged = await rejection(assume(roleArn('BooksClassicAuth'), `${h}.${p}.${Buffer.from('x').toString('base64url')}`));
    assert.deepEqual(notJwt, { name: 'InvalidIdentityTokenException', message: 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)' });
    assert.equal(userPool.name, 'InvalidIdentityTokenException');
    assert.match(userPool.message, /^No OpenIDConnect provider found in your account for https:\/\/cognito-idp\./);
    assert.equal(forged.name, 'InvalidIdentityTokenException');
  });

  it('the enhanced flow still works on books-classic: its authenticated role', async () => {
    const { idToken } = await signIn(sandbox, 'writer');
    const ci = identityClient(sandbox);
    const Logins = { [PROVIDER_NAME]: idToken };
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools['books-classic'], Logins }));
    const out = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
    ci.destroy();
    assert.equal(sandbox.session(out.Credentials?.AccessKeyId ?? '')?.roleArn, roleArn('BooksClassicAuth'));
  });
});
