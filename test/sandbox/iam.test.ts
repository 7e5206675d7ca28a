// IAM and STS as a scanner sees them (Query protocol through the real SDK clients), the
// profile files found through the SDK's own credential chain and endpoint_url, and the
// gateway's refusal of unknown keys and wrong signatures.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListIdentityPoolsCommand, GetIdentityPoolRolesCommand, CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { DescribeTableCommand, DynamoDBClient, GetResourcePolicyCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand, ListRolesCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from './index.ts';
import { ACCOUNT_ID, ADMIN_ARN, IDENTITY_POOL_IDS, REGION, ROLES, TABLES, policyArn, tableArn } from './seed.ts';
import { credentialsFor, dynamo, rejection, tableDump } from './testFlow.ts';

let sandbox: Sandbox;
let iam: IAMClient;
before(async () => {
  sandbox = await startSandbox({ unreadableRoles: [{ roleName: 'BooksAdmin' }] });
  iam = new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
});
after(async () => {
  iam.destroy();
  await sandbox.stop();
});

describe('IAM', () => {
  it('pages ListRoles with Marker / IsTruncated / MaxItems', async () => {
    const names: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const out = await iam.send(new ListRolesCommand({ MaxItems: 3, Marker }));
      assert.ok((out.Roles ?? []).length <= 3);
      names.push(...(out.Roles ?? []).map((r) => r.RoleName ?? ''));
      assert.equal(out.IsTruncated, out.Marker !== undefined);
      Marker = out.Marker;
      pages++;
    } while (Marker);
    assert.deepEqual(names, ROLES.map((r) => r.RoleName));
    assert.equal(pages, Math.ceil(ROLES.length / 3));
  });

  it('GetRole returns the trust policy URL-encoded, as AWS does', async () => {
    const out = await iam.send(new GetRoleCommand({ RoleName: 'BooksReadBroken' }));
    const raw = out.Role?.AssumeRolePolicyDocument ?? '';
    assert.match(raw, /^%7B/);
    const trust = JSON.parse(decodeURIComponent(raw)) as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
    assert.equal(trust.Statement[0].Condition.StringEquals['cognito-identity.amazonaws.com:aud'], `${REGION}_BOOKS1234`);
    const editor = await iam.send(new GetRoleCommand({ RoleName: 'BooksEditor' }));
    assert.equal(editor.Role?.PermissionsBoundary?.PermissionsBoundaryArn, policyArn('BooksEditorBoundary'));
  });

  it('lists attached and inline policies and reads their documents', async () => {
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'BooksWriteAccess' }));
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'BooksRead', PolicyArn: policyArn('BooksRead') }]);
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: 'BooksReviewer' }));
    assert.deepEqual(inline.PolicyNames, ['review', 'no-new-books']);
    const deny = await iam.send(new GetRolePolicyCommand({ RoleName: 'BooksReviewer', PolicyName: 'no-new-books' }));
    assert.equal((JSON.parse(decodeURIComponent(deny.PolicyDocument ?? '')) as { Statement: { Effect: string }[] }).Statement[0].Effect, 'Deny');
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn('BooksRead') }));
    assert.equal(policy.Policy?.DefaultVersionId, 'v2');
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn('BooksRead'), VersionId: 'v2' }));
    assert.ok(decodeURIComponent(version.PolicyVersion?.Document ?? '').includes('dynamodb:BatchGetItem'));
  });

  it('answers NoSuchEntity for what does not exist', async () => {
    const e = await rejection(iam.send(new GetRoleCommand({ RoleName: 'Nope' })));
    assert.deepEqual(e, { name: 'NoSuchEntityException', message: 'The role with name Nope cannot be found.' });
  });

  it('a role marked unreadable answers AccessDenied to its caller', async () => {
    const e = await rejection(iam.send(new GetRoleCommand({ RoleName: 'BooksAdmin' })));
    assert.equal(e.name, 'AccessDenied');
    assert.equal(e.message, `User: ${ADMIN_ARN} is not authorized to perform: iam:GetRole on resource: role BooksAdmin `
      + 'because no identity-based policy allows the iam:GetRole action');
  });
});

describe('PutRolePolicy (tests change a role behind a scan)', () => {
  // A write no item can satisfy: authorized, it fails its condition; refused, it is AccessDenied.
  const impossiblePut = (client: DynamoDBClient) => client.send(new PutItemCommand({
    TableName: 'book-table', Item: { author: { S: 'x' }, title: { S: 'y' } },
    ConditionExpression: 'attribute_exists(author) AND attribute_not_exists(author)',
  }));

  it('lets the admin change a role: the change is read back and decides the next request; the seed stays as seeded', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'testuser1');
    const user = dynamo(sandbox, credentials);
    const before = await tableDump(sandbox, 'book-table');
    assert.equal((await rejection(impossiblePut(user))).name, 'AccessDeniedException');
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: tableArn('book-table') }] };
    await iam.send(new PutRolePolicyCommand({ RoleName: 'BooksReadAccess', PolicyName: 'put-books', PolicyDocument: JSON.stringify(document) }));
    const read = await iam.send(new GetRolePolicyCommand({ RoleName: 'BooksReadAccess', PolicyName: 'put-books' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(read.PolicyDocument ?? '')), document);
    assert.equal((await rejection(impossiblePut(user))).name, 'ConditionalCheckFailedException', 'now allowed (and still no data changed)');
    assert.equal(await tableDump(sandbox, 'book-table'), before);
    assert.deepEqual(Object.keys(ROLES.find((r) => r.RoleName === 'BooksReadAccess')!.Inline), [], 'the seed module is not changed');
    user.destroy();
  });

  it('refuses a malformed document, a bad name and issued credentials', async () => {
    const put = (PolicyName: string, PolicyDocument: string) => iam.send(new PutRolePolicyCommand({ RoleName: 'BooksWriteAccess', PolicyName, PolicyDocument }));
    assert.deepEqual(await rejection(put('ok', '{not json')), { name: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.' });
    assert.equal((await rejection(put('bad name!', '{}'))).name, 'ValidationError');
    const { credentials } = await credentialsFor(sandbox, 'books', 'admin');
    const asUser = new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
    assert.equal((await rejection(asUser.send(new PutRolePolicyCommand({ RoleName: 'BooksWriteAccess', PolicyName: 'x', PolicyDocument: '{}' })))).name, 'AccessDenied');
    asUser.destroy();
  });
});

describe('admin reads of Cognito Identity and DynamoDB', () => {
  it('lists and describes the identity pools', async () => {
    const ci = new CognitoIdentityClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    const list = await ci.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
    assert.deepEqual(list.IdentityPools?.map((p) => p.IdentityPoolId), Object.values(IDENTITY_POOL_IDS));
    const roles = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: IDENTITY_POOL_IDS['books-broken'] }));
    ci.destroy();
    assert.equal(Object.values(roles.RoleMappings ?? {})[0]?.Type, 'Rules');
  });

  it('DescribeTable through dynalite; GetResourcePolicy from the seed, or PolicyNotFoundException', async () => {
    const db = new DynamoDBClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    const table = await db.send(new DescribeTableCommand({ TableName: 'book-table' }));
    assert.deepEqual(table.Table?.KeySchema, TABLES[0].KeySchema);
    const policy = await db.send(new GetResourcePolicyCommand({ ResourceArn: tableArn('book-table') }));
    assert.deepEqual(JSON.parse(policy.Policy ?? ''), TABLES[0].ResourcePolicy);
    const none = await rejection(db.send(new GetResourcePolicyCommand({ ResourceArn: tableArn('user-notes') })));
    db.destroy();
    assert.equal(none.name, 'PolicyNotFoundException');
  });
});

describe('credentials', () => {
  it('the written profile files reach the gateway through the SDK\'s own chain and endpoint_url', async () => {
    const saved = { ...process.env };
    try {
      process.env.AWS_CONFIG_FILE = sandbox.configFile;
      process.env.AWS_SHARED_CREDENTIALS_FILE = sandbox.credentialsFile;
      process.env.AWS_PROFILE = sandbox.profile;
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_REGION;
      delete process.env.AWS_ENDPOINT_URL;
      // No endpoint, region or credentials given: the default chain finds all three in the profile.
      const sts = new STSClient({});
      const me = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(await sts.config.region(), REGION);
      sts.destroy();
      assert.equal(me.Arn, ADMIN_ARN);
      assert.equal(me.Account, ACCOUNT_ID);
    } finally {
      process.env = saved;
    }
  });

  it('unknown keys: UnrecognizedClientException (DynamoDB) and InvalidClientTokenId (STS)', async () => {
    const credentials = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' };
    const db = new DynamoDBClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials, maxAttempts: 1 });
    const e = await rejection(db.send(new DescribeTableCommand({ TableName: 'book-table' })));
    db.destroy();
    assert.deepEqual(e, { name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    const sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials, maxAttempts: 1 });
    const s = await rejection(sts.send(new GetCallerIdentityCommand({})));
    sts.destroy();
    assert.equal(s.name, 'InvalidClientTokenId');
  });

  it('a wrong secret for a known key fails the signature check', async () => {
    const credentials = { accessKeyId: sandbox.adminCredentials.accessKeyId, secretAccessKey: 'wrong' };
    const db = new DynamoDBClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials, maxAttempts: 1 });
    const e = await rejection(db.send(new DescribeTableCommand({ TableName: 'book-table' })));
    db.destroy();
    assert.equal(e.name, 'InvalidSignatureException');
  });
});
