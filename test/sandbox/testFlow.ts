// The real client flow against a running sandbox, with the real AWS SDK clients, for the
// sandbox's own tests and for any other suite (test/aws/, the extension's) that needs a
// signed-in user's credentials: sign in, GetId, GetCredentialsForIdentity.

import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Sandbox } from './index.ts';
import { PROVIDER_NAME, userByName, type IdentityPoolKey } from './seed.ts';

export interface SessionCredentials { accessKeyId: string; secretAccessKey: string; sessionToken: string }

/** USER_PASSWORD_AUTH through the gateway; returns the ID and access tokens. */
export async function signIn(sandbox: Sandbox, username: string, client: 'web' | 'backend' = 'web'): Promise<{ idToken: string; accessToken: string }> {
  const idp = new CognitoIdentityProviderClient({ endpoint: sandbox.endpoint, region: sandbox.region });
  try {
    const out = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: sandbox.clients[client],
      AuthParameters: { USERNAME: username, PASSWORD: userByName(username).password },
    }));
    const r = out.AuthenticationResult;
    if (!r?.IdToken || !r.AccessToken) throw new Error(`no tokens for ${username}`);
    return { idToken: r.IdToken, accessToken: r.AccessToken };
  } finally {
    idp.destroy();
  }
}

export function identityClient(sandbox: Sandbox): CognitoIdentityClient {
  return new CognitoIdentityClient({ endpoint: sandbox.endpoint, region: sandbox.region });
}

/** Sign in, GetId, GetCredentialsForIdentity (optionally with a CustomRoleArn). Throws the service's error. */
export async function credentialsFor(sandbox: Sandbox, pool: IdentityPoolKey, username: string, customRoleArn?: string): Promise<{ identityId: string; credentials: SessionCredentials; idToken: string }> {
  const { idToken } = await signIn(sandbox, username);
  const ci = identityClient(sandbox);
  try {
    const Logins = { [PROVIDER_NAME]: idToken };
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools[pool], Logins }));
    if (!IdentityId) throw new Error('GetId returned no IdentityId');
    const out = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins, CustomRoleArn: customRoleArn }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken) throw new Error('no credentials');
    return { identityId: IdentityId, idToken, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken } };
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
