// Attributes for access control (principal tags), cognito-semantics.md section 6: the tag maps
// (Get/SetPrincipalTagAttributeMap, ResourceNotFoundException for a provider never configured),
// session tags from the token's claims, aws:PrincipalTag in DynamoDB's authorization, and the
// sts:TagSession check of the role's trust (books-abac-broken).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CognitoIdentityClient, GetPrincipalTagAttributeMapCommand, SetPrincipalTagAttributeMapCommand } from '@aws-sdk/client-cognito-identity';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { authorizeSession, tagSessionAllowed } from './authorize.ts';
import type { IssuedSession } from './credentials.ts';
import { IamStore } from './iamStore.ts';
import { startSandbox, type Sandbox } from './index.ts';
import { mapApplies, sessionTags } from './principalTags.ts';
import { ACCOUNT_ID, CLIENTS, PROVIDER_NAME, tableArn, userByName, type PolicyDocument } from './seed.ts';
import { credentialsFor, dynamo, rejection } from './testFlow.ts';

const INVALID_CONFIGURATION = { name: 'InvalidIdentityPoolConfigurationException', message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.' };
const book = (author: string, title: string): Record<string, { S: string }> => ({ author: { S: author }, title: { S: title } });

let sandbox: Sandbox;
before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox.stop(); });

const admin = (): CognitoIdentityClient => new CognitoIdentityClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });

describe('GetPrincipalTagAttributeMap / SetPrincipalTagAttributeMap', () => {
  it('books-abac maps dept from custom:dept for the books pool', async () => {
    const ci = admin();
    const out = await ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: sandbox.identityPools['books-abac'], IdentityProviderName: PROVIDER_NAME }));
    ci.destroy();
    assert.deepEqual({ ...out, $metadata: undefined }, {
      $metadata: undefined, IdentityPoolId: sandbox.identityPools['books-abac'], IdentityProviderName: PROVIDER_NAME, UseDefaults: false, PrincipalTags: { dept: 'custom:dept' },
    });
  });

  it('a provider never configured answers ResourceNotFoundException; an unknown pool too', async () => {
    const ci = admin();
    const none = await rejection(ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: sandbox.identityPools.books, IdentityProviderName: PROVIDER_NAME })));
    const pool = await rejection(ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: 'eu-central-1:00000000-0000-0000-0000-000000000000', IdentityProviderName: PROVIDER_NAME })));
    ci.destroy();
    assert.equal(none.name, 'ResourceNotFoundException');
    assert.deepEqual(pool, { name: 'ResourceNotFoundException', message: 'IdentityPool \'eu-central-1:00000000-0000-0000-0000-000000000000\' not found.' });
  });

  it('Set then Get echoes the map; more than 50 tags is InvalidParameterException', async () => {
    const ci = admin();
    const IdentityPoolId = sandbox.identityPools['books-guest'];
    const set = await ci.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: PROVIDER_NAME, UseDefaults: true, PrincipalTags: { mail: 'email' } }));
    const got = await ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: PROVIDER_NAME }));
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'sub']));
    const tooMany = await rejection(ci.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: PROVIDER_NAME, PrincipalTags: many })));
    ci.destroy();
    for (const out of [set, got]) assert.deepEqual([out.UseDefaults, out.PrincipalTags, out.IdentityProviderName], [true, { mail: 'email' }, PROVIDER_NAME]);
    assert.equal(tooMany.name, 'InvalidParameterException');
  });

  it('the read-only profile may read maps (READONLY_ACTIONS) but not set them', async () => {
    const ci = new CognitoIdentityClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.readonlyCredentials });
    const got = await ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: sandbox.identityPools['books-abac'], IdentityProviderName: PROVIDER_NAME }));
    const set = await rejection(ci.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: sandbox.identityPools['books-abac'], IdentityProviderName: PROVIDER_NAME, UseDefaults: true })));
    ci.destroy();
    assert.deepEqual(got.PrincipalTags, { dept: 'custom:dept' });
    assert.equal(set.name, 'AccessDeniedException');
  });
});

describe('session tags through books-abac', () => {
  it('testuser1 (custom:dept books): the credentials carry dept=books; its own department\'s item is allowed, another\'s denied', async () => {
    assert.equal(userByName('testuser1').attributes?.['custom:dept'], 'books');
    const { credentials, identityId } = await credentialsFor(sandbox, 'books-abac', 'testuser1');
    const session = sandbox.session(credentials.accessKeyId);
    assert.deepEqual(session?.tags, { dept: 'books' });
    assert.equal(session?.roleArn, `arn:aws:iam::${ACCOUNT_ID}:role/BooksAbacDept`);
    assert.equal(session?.identityId, identityId);
    const db = dynamo(sandbox, credentials);
    const own = await db.send(new GetItemCommand({ TableName: 'book-table', Key: book('books', 'Department handbook: books') }));
    const query = await db.send(new QueryCommand({ TableName: 'book-table', KeyConditionExpression: 'author = :d', ExpressionAttributeValues: { ':d': { S: 'books' } } }));
    const other = await rejection(db.send(new GetItemCommand({ TableName: 'book-table', Key: book('music', 'Department handbook: music') })));
    db.destroy();
    assert.equal(own.Item?.title?.S, 'Department handbook: books');
    assert.equal(query.Count, 1);
    assert.equal(other.name, 'AccessDeniedException');
    assert.equal(other.message, `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksAbacDept/CognitoIdentityCredentials is not authorized to perform: `
      + `dynamodb:GetItem on resource: ${tableArn('book-table')} because no identity-based policy allows the dynamodb:GetItem action`);
  });

  it('writer (no custom:dept): credentials without tags, and ${aws:PrincipalTag/dept} matches nothing', async () => {
    assert.equal(userByName('writer').attributes, undefined);
    const { credentials } = await credentialsFor(sandbox, 'books-abac', 'writer');
    assert.deepEqual(sandbox.session(credentials.accessKeyId)?.tags, {});
    const db = dynamo(sandbox, credentials);
    const denied = await rejection(db.send(new GetItemCommand({ TableName: 'book-table', Key: book('books', 'Department handbook: books') })));
    db.destroy();
    assert.equal(denied.name, 'AccessDeniedException');
  });

  it('UseDefaults: tag client from aud and username from sub', async () => {
    const ci = admin();
    const IdentityPoolId = sandbox.identityPools['books-abac'];
    await ci.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: PROVIDER_NAME, UseDefaults: true, PrincipalTags: {} }));
    try {
      const { credentials } = await credentialsFor(sandbox, 'books-abac', 'testuser1');
      assert.deepEqual(sandbox.session(credentials.accessKeyId)?.tags, { client: CLIENTS.web.ClientId, username: userByName('testuser1').sub });
    } finally {
      await ci.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: PROVIDER_NAME, UseDefaults: false, PrincipalTags: { dept: 'custom:dept' } }));
      ci.destroy();
    }
  });
});

describe('books-abac-broken: the same map, a trust without sts:TagSession', () => {
  for (const user of ['testuser1', 'writer']) {
    it(`${user}: InvalidIdentityPoolConfigurationException (the map applies whether or not the token fills it)`, async () => {
      assert.deepEqual(await rejection(credentialsFor(sandbox, 'books-abac-broken', user)), INVALID_CONFIGURATION);
    });
  }
});

describe('the rules, without a running sandbox', () => {
  const trust = (Action: string | string[], extra: Record<string, unknown> = {}): PolicyDocument => ({ Version: '2012-10-17', Statement: [{
    Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action, ...extra,
    Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'eu-central-1:pool' }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
  }] });
  const store = (doc: PolicyDocument, inline: Record<string, PolicyDocument> = {}): IamStore =>
    new IamStore([{ RoleName: 'R', Description: '', AssumeRolePolicyDocument: doc, Attached: [], Inline: inline }], [], []);
  const tagged = async (doc: PolicyDocument, tags = { dept: 'books' }, aud = 'eu-central-1:pool'): Promise<boolean> => {
    const role = store(doc).role('R');
    assert.ok(role);
    return tagSessionAllowed(role, ACCOUNT_ID, 'eu-central-1:identity', aud, ['authenticated'], tags);
  };

  it('sts:TagSession: allowed by the statement that names it, with that statement\'s conditions', async () => {
    assert.equal(await tagged(trust(['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'])), true);
    assert.equal(await tagged(trust(['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']), { dept: 'books' }, 'eu-central-1:other'), false);
    assert.equal(await tagged(trust('sts:AssumeRoleWithWebIdentity')), false);
    assert.equal(await tagged(trust('sts:*')), true);
    const notAction = trust('x');
    delete notAction.Statement[0]!.Action;
    notAction.Statement[0]!.NotAction = 'sts:TagSession';
    assert.equal(await tagged(notAction), false);
    const denied = trust(['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']);
    denied.Statement.push({ Effect: 'Deny', Principal: '*', Action: 'sts:TagSession', Condition: { StringEquals: { 'aws:RequestTag/dept': 'books' } } });
    assert.equal(await tagged(denied), false);
    assert.equal(await tagged(denied, { dept: 'music' }), true);
  });

  it('aws:PrincipalTag/<key> conditions and ${aws:PrincipalTag/<key>} variables read the session\'s tags', async () => {
    const iam = store(trust('sts:AssumeRoleWithWebIdentity'), {
      p: { Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: tableArn('book-table'), Condition: { StringEquals: { 'aws:PrincipalTag/dept': 'books' } } },
        { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn('${aws:PrincipalTag/dept}-table') },
      ] },
    });
    const session = (tags?: Record<string, string>): IssuedSession => ({
      kind: 'issued', accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 60000),
      roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/R`, roleName: 'R', identityId: 'eu-central-1:i', identityPoolId: 'eu-central-1:pool', amr: ['authenticated'],
      ...(tags ? { tags } : {}), arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/R/CognitoIdentityCredentials`, userId: 'AROAX:CognitoIdentityCredentials',
    });
    const decide = async (tags: Record<string, string> | undefined, action: string, table: string): Promise<boolean> =>
      (await authorizeSession(iam, session(tags), ACCOUNT_ID, { action, resource: tableArn(table) })).allowed;
    assert.equal(await decide({ dept: 'books' }, 'dynamodb:DescribeTable', 'book-table'), true);
    assert.equal(await decide({ dept: 'music' }, 'dynamodb:DescribeTable', 'book-table'), false);
    assert.equal(await decide(undefined, 'dynamodb:DescribeTable', 'book-table'), false);
    assert.equal(await decide({ dept: 'book' }, 'dynamodb:GetItem', 'book-table'), true);
    assert.equal(await decide({ dept: 'user' }, 'dynamodb:GetItem', 'book-table'), false);
    assert.equal(await decide(undefined, 'dynamodb:GetItem', 'book-table'), false);
  });

  it('session tags from claims: missing claims set nothing; values outside the STS limits are refused', () => {
    const map = { UseDefaults: false, PrincipalTags: { dept: 'custom:dept', team: 'team' } };
    assert.equal(mapApplies(map), true);
    assert.equal(mapApplies({ UseDefaults: false, PrincipalTags: {} }), false);
    assert.equal(mapApplies(undefined), false);
    assert.deepEqual(sessionTags(map, { 'custom:dept': 'books' }), { tags: { dept: 'books' } });
    assert.deepEqual(sessionTags(map, { 'custom:dept': 'books', team: 'Ünïcode team 7 _.:/=+-@' }), { tags: { dept: 'books', team: 'Ünïcode team 7 _.:/=+-@' } });
    assert.deepEqual(sessionTags(map, { team: 42 }), { tags: { team: '42' } });
    assert.ok('problem' in sessionTags(map, { team: 'a&b' }));
    assert.ok('problem' in sessionTags(map, { team: 'x'.repeat(257) }));
    assert.ok(!('problem' in sessionTags(map, { team: 'x'.repeat(256) })));
    assert.ok('problem' in sessionTags(map, { team: ['a', 'b'] }));
    assert.ok('problem' in sessionTags({ UseDefaults: false, PrincipalTags: { 'aws:dept': 'team' } }, { team: 'x' }));
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'sub']));
    assert.ok('problem' in sessionTags({ UseDefaults: false, PrincipalTags: many }, { sub: 'x' }));
  });
});
