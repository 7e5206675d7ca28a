// The article's flow end to end with the real SDK clients: sign in, identity pool credentials,
// DynamoDB allowed and denied, and the identity pool errors of cognito-semantics.md section 5.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from './index.ts';
import { ACCOUNT_ID, PROVIDER_NAME, REGION, SEED_IDENTITY_IDS, USER_POOL_ID } from './seed.ts';
import { credentialsFor, dynamo, identityClient, rejection, signIn, tableDump } from './testFlow.ts';

const BOOK_TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/book-table`;
let sandbox: Sandbox;
before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox.stop(); });

describe('testuser1 through the identity pool books', () => {
  it('gets BooksReadAccess credentials and STS names the assumed role', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'testuser1');
    assert.match(credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    const sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksReadAccess/CognitoIdentityCredentials`);
    assert.equal(me.Account, ACCOUNT_ID);
  });

  it('may Query book-table and may not PutItem, with AWS\'s exact message', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'testuser1');
    const db = dynamo(sandbox, credentials);
    const out = await db.send(new QueryCommand({
      TableName: 'book-table', KeyConditionExpression: 'author = :a', ExpressionAttributeValues: { ':a': { S: 'Ursula K. Le Guin' } },
    }));
    assert.equal(out.Count, 2);
    const denied = await rejection(db.send(new PutItemCommand({ TableName: 'book-table', Item: { author: { S: 'x' }, title: { S: 'y' } } })));
    db.destroy();
    assert.equal(denied.name, 'AccessDeniedException');
    assert.equal(denied.message, `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksReadAccess/CognitoIdentityCredentials `
      + `is not authorized to perform: dynamodb:PutItem on resource: ${BOOK_TABLE_ARN} because no identity-based policy allows the dynamodb:PutItem action`);
  });

  it('GetId gives the same identity id every time', async () => {
    const a = await credentialsFor(sandbox, 'books', 'testuser1');
    const b = await credentialsFor(sandbox, 'books', 'testuser1');
    assert.equal(a.identityId, SEED_IDENTITY_IDS.testuser1);
    assert.equal(b.identityId, a.identityId);
  });
});

describe('writer', () => {
  it('is allowed to write: an impossible condition fails the write and changes nothing', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'writer');
    const db = dynamo(sandbox, credentials);
    const before = await tableDump(sandbox, 'book-table');
    const failed = await rejection(db.send(new PutItemCommand({
      TableName: 'book-table', Item: { author: { S: 'Terry Pratchett' }, title: { S: 'Small Gods' }, year: { N: '1' } },
      ConditionExpression: 'attribute_not_exists(author) AND attribute_exists(author)',
    })));
    db.destroy();
    assert.equal(failed.name, 'ConditionalCheckFailedException');
    assert.equal(failed.message, 'The conditional request failed');
    assert.equal(await tableDump(sandbox, 'book-table'), before);
  });
});

describe('identity pool errors', () => {
  it('books-broken: the role trusts the user pool id, so InvalidIdentityPoolConfigurationException', async () => {
    const e = await rejection(credentialsFor(sandbox, 'books-broken', 'testuser1'));
    assert.deepEqual(e, { name: 'InvalidIdentityPoolConfigurationException', message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.' });
  });

  it('tied through books-strict: equal precedence, different roles, Deny', async () => {
    const e = await rejection(credentialsFor(sandbox, 'books-strict', 'tied'));
    assert.deepEqual(e, { name: 'NotAuthorizedException', message: `The ambiguous role mapping rules for: ${PROVIDER_NAME} denied this request.` });
  });

  it('tied through books: ambiguity falls back to the authenticated role', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'tied');
    const sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksDefaultAuth/CognitoIdentityCredentials`);
  });

  it('admin (Admins 0, BooksRead 1): the lowest precedence wins, BooksAdmin', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'admin');
    const sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksAdmin/CognitoIdentityCredentials`);
  });

  it('an access token instead of the ID token is missing aud', async () => {
    const { accessToken } = await signIn(sandbox, 'testuser1');
    const ci = identityClient(sandbox);
    const e = await rejection(ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools.books, Logins: { [PROVIDER_NAME]: accessToken } })));
    ci.destroy();
    assert.deepEqual(e, { name: 'NotAuthorizedException', message: 'Invalid login token. Missing a required claim: aud' });
  });

  it('a Logins key of another region does not match the issuer', async () => {
    const { idToken } = await signIn(sandbox, 'testuser1');
    const ci = identityClient(sandbox);
    const wrongKey = `cognito-idp.us-east-1.amazonaws.com/${USER_POOL_ID}`;
    const e = await rejection(ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools.books, Logins: { [wrongKey]: idToken } })));
    ci.destroy();
    assert.deepEqual(e, { name: 'NotAuthorizedException', message: 'Invalid login token. Issuer doesn\'t match providerName' });
  });

  it('no Logins: guests are not allowed; no Logins for an identity: forbidden', async () => {
    const ci = identityClient(sandbox);
    const guest = await rejection(ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools.books })));
    const forbidden = await rejection(ci.send(new GetCredentialsForIdentityCommand({ IdentityId: SEED_IDENTITY_IDS.testuser1 })));
    ci.destroy();
    assert.deepEqual(guest, { name: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' });
    assert.deepEqual(forbidden, { name: 'NotAuthorizedException', message: `Access to Identity '${SEED_IDENTITY_IDS.testuser1}' is forbidden.` });
  });

  it('a token of a client the pool does not list is not from a supported provider', async () => {
    const { idToken } = await signIn(sandbox, 'testuser1', 'backend');
    const ci = identityClient(sandbox);
    const e = await rejection(ci.send(new GetIdCommand({ IdentityPoolId: sandbox.identityPools.books, Logins: { [PROVIDER_NAME]: idToken } })));
    ci.destroy();
    assert.deepEqual(e, { name: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' });
  });
});

describe('noteuser and the own-partition role', () => {
  it('reads its own notes and is denied another identity\'s', async () => {
    const { credentials, identityId } = await credentialsFor(sandbox, 'books', 'noteuser');
    assert.equal(identityId, SEED_IDENTITY_IDS.noteuser);
    const db = dynamo(sandbox, credentials);
    const own = await db.send(new QueryCommand({
      TableName: 'user-notes', KeyConditionExpression: 'ownerId = :me', ExpressionAttributeValues: { ':me': { S: identityId } },
    }));
    assert.equal(own.Count, 2);
    const other = SEED_IDENTITY_IDS.testuser1;
    const denied = await rejection(db.send(new GetItemCommand({ TableName: 'user-notes', Key: { ownerId: { S: other }, noteId: { S: 'n1' } } })));
    db.destroy();
    assert.equal(denied.name, 'AccessDeniedException');
    assert.equal(denied.message, `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/NotesOwnPartition/CognitoIdentityCredentials is not authorized `
      + `to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/user-notes because no identity-based policy allows the dynamodb:GetItem action`);
  });
});
