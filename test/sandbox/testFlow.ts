// The real client flow against a running sandbox, with the real AWS SDK clients, for the
// sandbox's own tests and for any other suite (test/aws/, the extension's) that needs a
// signed-in user's credentials: sign in, GetId, GetCredentialsForIdentity.

import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Sandbox } from './index.ts';
import { CLIENTS, PROVIDER_NAME, triggerUserByName, userByName, type ClientKey, type IdentityPoolKey } from './seed.ts';
import { secretHashOf } from './secretHash.ts';

export interface SessionCredentials { accessKeyId: string; secretAccessKey: string; sessionToken: string }

/**
 * USER_PASSWORD_AUTH through the gateway, with SECRET_HASH when the client has a secret; returns
 * the ID and access tokens. For the users without a challenge (PLAIN_USERS); the others:
 * challenges.test.ts shows the whole exchange.
 */
export async function signIn(sandbox: Sandbox, username: string, client: ClientKey = 'web'): Promise<{ idToken: string; accessToken: string }> {
  const idp = new CognitoIdentityProviderClient({ endpoint: sandbox.endpoint, region: sandbox.region });
  const clientId = sandbox.clients[client];
  const secret = CLIENTS[client].ClientSecret;
  try {
    const out = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: userByName(username).password, ...(secret ? { SECRET_HASH: secretHashOf(username, clientId, secret) } : {}) },
    }));
    if (out.ChallengeName) throw new Error(`${username} gets the ${out.ChallengeName} challenge: signIn() is for users without one`);
    const r = out.AuthenticationResult;
    if (!r?.IdToken || !r.AccessToken) throw new Error(`no tokens for ${username}`);
    return { idToken: r.IdToken, accessToken: r.AccessToken };
  } finally {
    idp.destroy();
  }
}

/** USER_PASSWORD_AUTH of any user on any client (a user of books-trigger, say); throws on a challenge. */
export async function signInAs(sandbox: Sandbox, o: { clientId: string; username: string; password: string; clientSecret?: string }): Promise<{ idToken: string; accessToken: string; refreshToken?: string }> {
  const idp = new CognitoIdentityProviderClient({ endpoint: sandbox.endpoint, region: sandbox.region });
  try {
    const out = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: o.clientId,
      AuthParameters: { USERNAME: o.username, PASSWORD: o.password, ...(o.clientSecret ? { SECRET_HASH: secretHashOf(o.username, o.clientId, o.clientSecret) } : {}) },
    }));
    const r = out.AuthenticationResult;
    if (out.ChallengeName || !r?.IdToken || !r.AccessToken) throw new Error(`${o.username} gets ${out.ChallengeName ?? 'no tokens'}`);
    return { idToken: r.IdToken, accessToken: r.AccessToken, ...(r.RefreshToken ? { refreshToken: r.RefreshToken } : {}) };
  } finally {
    idp.destroy();
  }
}

/** A user of the second pool, books-trigger, signed in through its client. */
export function signInTrigger(sandbox: Sandbox, username: string): Promise<{ idToken: string; accessToken: string; refreshToken?: string }> {
  return signInAs(sandbox, { clientId: sandbox.triggerPool.clientId, username, password: triggerUserByName(username).password });
}

export function identityClient(sandbox: Sandbox): CognitoIdentityClient {
  return new CognitoIdentityClient({ endpoint: sandbox.endpoint, region: sandbox.region });
}

/** Sign in, GetId, GetCredentialsForIdentity (optionally with a CustomRoleArn). Throws the service's error. */
export async function credentialsFor(sandbox: Sandbox, pool: IdentityPoolKey, username: string, customRoleArn?: string): Promise<{ identityId: string; credentials: SessionCredentials; idToken: string }> {
  const { idToken } = await signIn(sandbox, username);
  return credentialsForToken(sandbox, pool, idToken, customRoleArn);
}

/** GetId and GetCredentialsForIdentity with an ID token already obtained (e.g. after a challenge, or from another client). */
export async function credentialsForToken(sandbox: Sandbox, pool: IdentityPoolKey, idToken: string, customRoleArn?: string): Promise<{ identityId: string; credentials: SessionCredentials; idToken: string }> {
  const out = await credentialsForLogins(sandbox, pool, { [PROVIDER_NAME]: idToken }, customRoleArn);
  return { ...out, idToken };
}

/** GetId and GetCredentialsForIdentity with any Logins map (another user pool's key, `login.sandbox.test` ...). */
export async function credentialsForLogins(sandbox: Sandbox, pool: IdentityPoolKey, Logins: Record<string, string>, customRoleArn?: string): Promise<{ identityId: string; credentials: SessionCredentials }> {
  const ci = identityClient(sandbox);
  try {
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools[pool], Logins }));
    if (!IdentityId) throw new Error('GetId returned no IdentityId');
    const out = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins, CustomRoleArn: customRoleArn }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken) throw new Error('no credentials');
    return { identityId: IdentityId, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken } };
  } finally {
    ci.destroy();
  }
}

export function dynamo(sandbox: Sandbox, credentials: SessionCredentials | Sandbox['adminCredentials'], maxAttempts = 1): DynamoDBClient {
  return new DynamoDBClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials, maxAttempts });
}

/** The whole table as the admin sees it, as one string: equal strings mean equal tables. */
export async function tableDump(sandbox: Sandbox, table: string): Promise<string> {
  const client = dynamo(sandbox, sandbox.adminCredentials);
  try {
    const out = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    const items = (out.Items ?? []).map((i) => JSON.stringify(i, Object.keys(i).sort()));
    return items.sort().join('\n');
  } finally {
    client.destroy();
  }
}

/** The error a promise rejects with (name and message), or a failure if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error;
    return { name: err.name, message: err.message };
  }
  throw new Error('expected the call to fail, it succeeded');
}
