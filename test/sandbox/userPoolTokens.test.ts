// ID tokens with real cognito:roles / cognito:preferred_role (re-signed by the gateway, verified
// against the pool's JWKS as any client would, with jose's createRemoteJWKSet), cognito-local's
// own tokens still accepted, and the second pool's pre token generation trigger (emulated).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminInitiateAuthCommand, CognitoIdentityProviderClient, DescribeUserPoolCommand, InitiateAuthCommand, RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { totpCode } from './challenges.ts';
import { startSandbox, type Sandbox } from './index.ts';
import {
  CLIENTS, PROVIDER_NAME, REGION, TOTP_SECRET, TRIGGER_LAMBDA_ARN, TRIGGER_PROVIDER_NAME, roleArn, userByName,
} from './seed.ts';
import { secretHashOf } from './secretHash.ts';
import { credentialsForLogins, credentialsForToken, rejection, signIn, signInTrigger, type SessionCredentials } from './testFlow.ts';

let sandbox: Sandbox;
before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox.stop(); });

type Jose = typeof import('jose');
const jose = (): Promise<Jose> => import('jose');

/** The token's claims once verified against the pool's JWKS served by the gateway (issuer and audience checked). */
async function verified(token: string, userPoolId: string, clientId: string): Promise<Record<string, unknown>> {
  const { createRemoteJWKSet, jwtVerify } = await jose();
  const keys = createRemoteJWKSet(new URL(`${sandbox.endpoint}/${userPoolId}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(token, keys, { issuer: `https://cognito-idp.${REGION}.amazonaws.com/${userPoolId}`, audience: clientId });
  return payload as Record<string, unknown>;
}
const kid = async (token: string): Promise<unknown> => (await jose()).decodeProtectedHeader(token).kid;
const callerRole = async (credentials: SessionCredentials): Promise<string | undefined> => {
  const sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
  const me = await sts.send(new GetCallerIdentityCommand({}));
  sts.destroy();
  return me.Arn?.split('/')[1];
};

describe('ID tokens carry the role claims Cognito would put there', () => {
  it('testuser1: cognito:roles [BooksReadAccess], preferred BooksReadAccess, signed with the sandbox key the JWKS serves', async () => {
    const { idToken } = await signIn(sandbox, 'testuser1');
    const claims = await verified(idToken, sandbox.userPoolId, CLIENTS.web.ClientId);
    assert.equal(await kid(idToken), 'sandbox-user-pools-1');
    assert.deepEqual(claims['cognito:groups'], ['BooksRead']);
    assert.deepEqual(claims['cognito:roles'], [roleArn('BooksReadAccess')]);
    assert.equal(claims['cognito:preferred_role'], roleArn('BooksReadAccess'));
    assert.equal(claims.token_use, 'id');
  });

  it('admin: both roles, the lowest precedence preferred; tied: no preferred_role; nogroup: no role claims', async () => {
    const admin = await verified((await signIn(sandbox, 'admin')).idToken, sandbox.userPoolId, CLIENTS.web.ClientId);
    assert.deepEqual([...(admin['cognito:roles'] as string[])].sort(), [roleArn('BooksAdmin'), roleArn('BooksReadAccess')]);
    assert.equal(admin['cognito:preferred_role'], roleArn('BooksAdmin'));
    const tied = await verified((await signIn(sandbox, 'tied')).idToken, sandbox.userPoolId, CLIENTS.web.ClientId);
    assert.deepEqual([...(tied['cognito:roles'] as string[])].sort(), [roleArn('BooksEditor'), roleArn('BooksReviewer')]);
    assert.ok(!('cognito:preferred_role' in tied));
    const nogroup = await verified((await signIn(sandbox, 'nogroup')).idToken, sandbox.userPoolId, CLIENTS.web.ClientId);
    for (const claim of ['cognito:groups', 'cognito:roles', 'cognito:preferred_role']) assert.ok(!(claim in nogroup), claim);
  });

  it('testuser1: custom attributes are in the ID token (custom:dept)', async () => {
    const claims = await verified((await signIn(sandbox, 'testuser1')).idToken, sandbox.userPoolId, CLIENTS.web.ClientId);
    assert.equal(claims['custom:dept'], 'books');
  });

  it('the discovery document names the AWS issuer and the gateway\'s JWKS, which also holds cognito-local\'s key', async () => {
    const doc = await (await fetch(`${sandbox.endpoint}/${sandbox.userPoolId}/.well-known/openid-configuration`)).json() as Record<string, unknown>;
    assert.equal(doc.issuer, `https://cognito-idp.${REGION}.amazonaws.com/${sandbox.userPoolId}`);
    assert.equal(doc.jwks_uri, `${sandbox.endpoint}/${sandbox.userPoolId}/.well-known/jwks.json`);
    const jwks = await (await fetch(String(doc.jwks_uri))).json() as { keys: { kid: string }[] };
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), ['CognitoLocal', 'sandbox-user-pools-1']);
  });

  it('RespondToAuthChallenge (totpuser), AdminInitiateAuth (backend) and REFRESH_TOKEN_AUTH answers are re-signed too', async () => {
    const idp = new CognitoIdentityProviderClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    const start = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENTS.web.ClientId, AuthParameters: { USERNAME: 'totpuser', PASSWORD: userByName('totpuser').password },
    }));
    const done = await idp.send(new RespondToAuthChallengeCommand({
      ClientId: CLIENTS.web.ClientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: start.Session,
      ChallengeResponses: { USERNAME: 'totpuser', SOFTWARE_TOKEN_MFA_CODE: totpCode(TOTP_SECRET) },
    }));
    const backend = CLIENTS.backend;
    const adminAuth = await idp.send(new AdminInitiateAuthCommand({
      UserPoolId: sandbox.userPoolId, ClientId: backend.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'writer', PASSWORD: userByName('writer').password, SECRET_HASH: secretHashOf('writer', backend.ClientId, backend.ClientSecret ?? '') },
    }));
    const web = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENTS.web.ClientId, AuthParameters: { USERNAME: 'testuser1', PASSWORD: userByName('testuser1').password },
    }));
    const refreshed = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: CLIENTS.web.ClientId, AuthParameters: { REFRESH_TOKEN: web.AuthenticationResult?.RefreshToken ?? '' },
    }));
    idp.destroy();
    const totp = await verified(done.AuthenticationResult?.IdToken ?? '', sandbox.userPoolId, CLIENTS.web.ClientId);
    assert.deepEqual(totp['cognito:roles'], [roleArn('BooksWriteAccess')]);
    const writer = await verified(adminAuth.AuthenticationResult?.IdToken ?? '', sandbox.userPoolId, backend.ClientId);
    assert.equal(writer['cognito:preferred_role'], roleArn('BooksWriteAccess'));
    const again = await verified(refreshed.AuthenticationResult?.IdToken ?? '', sandbox.userPoolId, CLIENTS.web.ClientId);
    assert.equal(again['cognito:preferred_role'], roleArn('BooksReadAccess'));
  });

  it('a token cognito-local signed itself (no role claims) is still accepted: the roles come from the user\'s groups', async () => {
    const response = await fetch(sandbox.cognitoLocalUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENTS.web.ClientId, AuthParameters: { USERNAME: 'admin', PASSWORD: userByName('admin').password } }),
    });
    const original = ((await response.json()) as { AuthenticationResult: { IdToken: string } }).AuthenticationResult.IdToken;
    assert.equal(await kid(original), 'CognitoLocal');
    const claims = await verified(original, sandbox.userPoolId, CLIENTS.web.ClientId);
    assert.ok(!('cognito:roles' in claims));
    const { credentials } = await credentialsForToken(sandbox, 'books', original);
    assert.equal(await callerRole(credentials), 'BooksAdmin');
  });
});

describe('books-trigger: a pool with a pre token generation trigger (V2_0), emulated', () => {
  it('DescribeUserPool names the trigger; the books pool has none, and declares custom:dept', async () => {
    const idp = new CognitoIdentityProviderClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    const trigger = await idp.send(new DescribeUserPoolCommand({ UserPoolId: sandbox.triggerPool.userPoolId }));
    const books = await idp.send(new DescribeUserPoolCommand({ UserPoolId: sandbox.userPoolId }));
    idp.destroy();
    assert.deepEqual(trigger.UserPool?.LambdaConfig, {
      PreTokenGeneration: TRIGGER_LAMBDA_ARN, PreTokenGenerationConfig: { LambdaArn: TRIGGER_LAMBDA_ARN, LambdaVersion: 'V2_0' },
    });
    assert.equal(trigger.UserPool?.Name, 'books-trigger');
    assert.equal(books.UserPool?.LambdaConfig?.PreTokenGeneration, undefined);
    assert.deepEqual(books.UserPool?.SchemaAttributes?.find((a) => a.Name === 'custom:dept')?.Mutable, true);
  });

  it('without an override the token is what the groups give; books-trigger (Token mapping) gives that role', async () => {
    const { idToken } = await signInTrigger(sandbox, 'triggeruser');
    const claims = await verified(idToken, sandbox.triggerPool.userPoolId, sandbox.triggerPool.clientId);
    assert.deepEqual(claims['cognito:groups'], ['TriggerReaders']);
    assert.equal(claims['cognito:preferred_role'], roleArn('BooksReadAccess'));
    const { credentials } = await credentialsForLogins(sandbox, 'books-trigger', { [TRIGGER_PROVIDER_NAME]: idToken });
    assert.equal(await callerRole(credentials), 'BooksReadAccess');
  });

  it('the override changes groups, roles, the preferred role and claims of the ID token (and the access token\'s groups)', async () => {
    sandbox.setTokenOverride(sandbox.triggerPool.userPoolId, {
      groups: ['TriggerAdmins'], roles: [roleArn('BooksAdmin'), roleArn('BooksReadAccess')], preferredRole: roleArn('BooksAdmin'), claims: { dept: 'books', sub: 'ignored' },
    });
    try {
      const { idToken, accessToken } = await signInTrigger(sandbox, 'triggeruser');
      const claims = await verified(idToken, sandbox.triggerPool.userPoolId, sandbox.triggerPool.clientId);
      assert.deepEqual(claims['cognito:groups'], ['TriggerAdmins']);
      assert.deepEqual(claims['cognito:roles'], [roleArn('BooksAdmin'), roleArn('BooksReadAccess')]);
      assert.equal(claims['cognito:preferred_role'], roleArn('BooksAdmin'));
      assert.equal(claims.dept, 'books');
      assert.notEqual(claims.sub, 'ignored', 'reserved claims stay');
      assert.deepEqual((await jose()).decodeJwt(accessToken)['cognito:groups'], ['TriggerAdmins']);
      const logins = { [TRIGGER_PROVIDER_NAME]: idToken };
      assert.equal(await callerRole((await credentialsForLogins(sandbox, 'books-trigger', logins)).credentials), 'BooksAdmin');
      // CustomRoleArn chooses among the token's (overridden) roles.
      assert.equal(await callerRole((await credentialsForLogins(sandbox, 'books-trigger', logins, roleArn('BooksReadAccess'))).credentials), 'BooksReadAccess');
      const outside = await rejection(credentialsForLogins(sandbox, 'books-trigger', logins, roleArn('BooksWriteAccess')));
      assert.equal(outside.name, 'NotAuthorizedException');
      // preferredRole null: no preferred role, so the ambiguity rule (AuthenticatedRole) applies.
      sandbox.setTokenOverride(sandbox.triggerPool.userPoolId, { preferredRole: null });
      const plain = await signInTrigger(sandbox, 'triggeruser');
      assert.ok(!('cognito:preferred_role' in await verified(plain.idToken, sandbox.triggerPool.userPoolId, sandbox.triggerPool.clientId)));
      assert.equal(await callerRole((await credentialsForLogins(sandbox, 'books-trigger', { [TRIGGER_PROVIDER_NAME]: plain.idToken })).credentials), 'BooksDefaultAuth');
    } finally {
      sandbox.setTokenOverride(sandbox.triggerPool.userPoolId, undefined);
    }
    const after = await verified((await signInTrigger(sandbox, 'triggeruser')).idToken, sandbox.triggerPool.userPoolId, sandbox.triggerPool.clientId);
    assert.deepEqual(after['cognito:groups'], ['TriggerReaders']);
  });

  it('a pool without a trigger has nothing to override; the books pool\'s tokens are not books-trigger\'s provider', async () => {
    assert.throws(() => sandbox.setTokenOverride(sandbox.userPoolId, { roles: [] }), /no pre token generation trigger/);
    const { idToken } = await signIn(sandbox, 'testuser1');
    const e = await rejection(credentialsForLogins(sandbox, 'books-trigger', { [PROVIDER_NAME]: idToken }));
    assert.deepEqual(e, { name: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' });
  });
});
