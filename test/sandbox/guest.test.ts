// Guests (unauthenticated identities) of pool books-guest, and expired session credentials.
// A guest session carries Cognito's guest scope-down session policy, so iam-simulate denies its
// DynamoDB reads "because no session policy allows" them although its role BooksGuest allows
// them (guestSessionPolicy.ts). Expired credentials answer ExpiredToken(Exception) as AWS does.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from './index.ts';
import { ACCOUNT_ID, IDENTITY_POOLS, ROLES, roleArn, tableArn } from './seed.ts';
import { credentialsFor, dynamo, identityClient, rejection, type SessionCredentials } from './testFlow.ts';

async function guestCredentials(sandbox: Sandbox, pool: keyof Sandbox['identityPools']): Promise<{ identityId: string; credentials: SessionCredentials; expiration?: Date }> {
  const ci = identityClient(sandbox);
  try {
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools[pool] }));
    const out = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    const c = out.Credentials;
    if (!IdentityId || !c?.AccessKeyId || !c.SecretKey || !c.SessionToken) throw new Error('no guest credentials');
    return { identityId: IdentityId, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken }, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  } finally {
    ci.destroy();
  }
}

const sts = (sandbox: Sandbox, credentials: SessionCredentials): STSClient =>
  new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials, maxAttempts: 1 });

describe('guests (unauthenticated identities)', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await startSandbox(); });
  after(async () => { await sandbox.stop(); });

  it('the seed: books-guest allows guests with role BooksGuest (trust amr unauthenticated); the other pools do not', () => {
    const pools = Object.fromEntries(IDENTITY_POOLS.map((p) => [p.IdentityPoolName, p]));
    assert.equal(pools['books-guest']?.AllowUnauthenticatedIdentities, true);
    assert.equal(pools['books-guest']?.Roles.unauthenticated, roleArn('BooksGuest'));
    for (const name of ['books', 'books-broken', 'books-strict']) assert.equal(pools[name]?.AllowUnauthenticatedIdentities, false);
    const trust = JSON.stringify(ROLES.find((r) => r.RoleName === 'BooksGuest')?.AssumeRolePolicyDocument);
    assert.match(trust, /"cognito-identity.amazonaws.com:amr":"unauthenticated"/);
  });

  it('GetId without Logins in a pool without guests: NotAuthorizedException', async () => {
    const ci = identityClient(sandbox);
    const e = await rejection(ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools.books })));
    ci.destroy();
    assert.deepEqual(e, { name: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' });
  });

  it('each guest GetId is a new identity; its credentials are a BooksGuest session', async () => {
    const a = await guestCredentials(sandbox, 'books-guest');
    const b = await guestCredentials(sandbox, 'books-guest');
    assert.notEqual(a.identityId, b.identityId);
    assert.match(a.identityId, /^eu-central-1:[0-9a-f-]{36}$/);
    const client = sts(sandbox, a.credentials);
    const me = await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
    assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksGuest/CognitoIdentityCredentials`);
  });

  it('the guest session policy denies DynamoDB reads the role allows', async () => {
    const { credentials } = await guestCredentials(sandbox, 'books-guest');
    const db = dynamo(sandbox, credentials);
    const e = await rejection(db.send(new QueryCommand({
      TableName: 'book-table', KeyConditionExpression: 'author = :a', ExpressionAttributeValues: { ':a': { S: 'Terry Pratchett' } },
    })));
    const g = await rejection(db.send(new GetItemCommand({ TableName: 'book-table', Key: { author: { S: 'a' }, title: { S: 'b' } } })));
    db.destroy();
    assert.equal(e.name, 'AccessDeniedException');
    assert.equal(e.message, `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksGuest/CognitoIdentityCredentials is not authorized `
      + `to perform: dynamodb:Query on resource: ${tableArn('book-table')} because no session policy allows the dynamodb:Query action`);
    assert.match(g.message, /because no session policy allows the dynamodb:GetItem action/);
  });

  it('a signed-in user of books-guest gets the authenticated role, without the session policy', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books-guest', 'testuser1');
    const client = sts(sandbox, credentials);
    const me = await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
    assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksDefaultAuth/CognitoIdentityCredentials`);
  });

  it('a guest identity with Logins is not linked: Logins don\'t match', async () => {
    const { identityId } = await guestCredentials(sandbox, 'books-guest');
    const { idToken } = await credentialsFor(sandbox, 'books-guest', 'writer');
    const ci = identityClient(sandbox);
    const e = await rejection(ci.send(new GetCredentialsForIdentityCommand({
      IdentityId: identityId, Logins: { [`cognito-idp.${sandbox.region}.amazonaws.com/${sandbox.userPoolId}`]: idToken },
    })));
    ci.destroy();
    assert.equal(e.name, 'NotAuthorizedException');
  });
});

describe('expired session credentials', () => {
  let sandbox: Sandbox;
  before(async () => { sandbox = await startSandbox({ credentialTtlSeconds: 1 }); });
  after(async () => { await sandbox.stop(); });

  it('answer ExpiredTokenException (DynamoDB) and ExpiredToken (STS), not an unknown key', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'testuser1');
    const guest = await guestCredentials(sandbox, 'books-guest');
    assert.ok(guest.expiration && guest.expiration.getTime() - Date.now() <= 1000, 'Expiration reflects credentialTtlSeconds');
    const db = dynamo(sandbox, credentials);
    const query = new QueryCommand({ TableName: 'book-table', KeyConditionExpression: 'author = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } });
    await db.send(query); // still valid
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const e = await rejection(db.send(query));
    db.destroy();
    assert.deepEqual(e, { name: 'ExpiredTokenException', message: 'The security token included in the request is expired' });
    const client = sts(sandbox, credentials);
    const s = await rejection(client.send(new GetCallerIdentityCommand({})));
    client.destroy();
    assert.deepEqual(s, { name: 'ExpiredToken', message: 'The security token included in the request is expired' });
    // Unknown keys are still told apart from expired ones.
    const stranger = dynamo(sandbox, { ...credentials, accessKeyId: 'ASIAUNKNOWN000000000' });
    const u = await rejection(stranger.send(query));
    stranger.destroy();
    assert.equal(u.name, 'UnrecognizedClientException');
  });
});
