// The read-only profile (`cognito-sandbox-readonly`): every read the scanner makes is allowed,
// anything else is denied in the service's own words, an action taken off the list is denied;
// and an empty region (a credential scope naming another region than the sandbox's).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  CognitoIdentityClient, DescribeIdentityPoolCommand, GetIdentityPoolRolesCommand, GetPrincipalTagAttributeMapCommand, ListIdentityPoolsCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  AdminInitiateAuthCommand, AdminListGroupsForUserCommand, CognitoIdentityProviderClient, CreateGroupCommand, DescribeUserPoolClientCommand,
  DescribeUserPoolCommand, ListGroupsCommand, ListUserPoolClientsCommand, ListUserPoolsCommand, ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeTableCommand, DynamoDBClient, GetItemCommand, GetResourcePolicyCommand, ListTablesCommand, PutItemCommand, ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetAccountAuthorizationDetailsCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient,
  ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, ListRolesCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { readonlyAllows } from './access.ts';
import { emptyRegion } from './emptyRegion.ts';
import { READONLY_ACTIONS, startSandbox, type Sandbox } from './index.ts';
import { ACCOUNT_ID, IDENTITY_POOL_IDS, PROVIDER_NAME, READONLY_ARN, USER_POOL_ID, policyArn, tableArn } from './seed.ts';
import { rejection, tableDump } from './testFlow.ts';

type Keys = Sandbox['adminCredentials'];
const clients = (sandbox: Sandbox, credentials: Keys, region = sandbox.region) => {
  const config = { endpoint: sandbox.endpoint, region, credentials, maxAttempts: 1 };
  return {
    idp: new CognitoIdentityProviderClient(config), ci: new CognitoIdentityClient(config), db: new DynamoDBClient(config),
    iam: new IAMClient(config), sts: new STSClient(config),
    destroy(): void {
      for (const c of [this.idp, this.ci, this.db, this.iam, this.sts]) c.destroy();
    },
  };
};
const denial = (action: string, resource: string): string =>
  `User: ${READONLY_ARN} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

describe('the read-only profile', () => {
  let sandbox: Sandbox;
  let c: ReturnType<typeof clients>;
  before(async () => {
    // A test may take an action off the list from the start (here ListUsers), or at run time.
    sandbox = await startSandbox({ readonlyActions: READONLY_ACTIONS.filter((a) => a !== 'cognito-idp:ListUsers') });
    c = clients(sandbox, sandbox.readonlyCredentials);
  });
  after(async () => {
    c.destroy();
    await sandbox.stop();
  });

  it('is written beside cognito-sandbox, and the SDK\'s own chain finds it (GetCallerIdentity needs no permission)', async () => {
    assert.equal(sandbox.readonlyProfile, 'cognito-sandbox-readonly');
    assert.match(readFileSync(sandbox.configFile, 'utf8'), /\[profile cognito-sandbox-readonly\]\nregion = eu-central-1\nendpoint_url = http/);
    assert.match(readFileSync(sandbox.credentialsFile, 'utf8'), new RegExp(`\\[cognito-sandbox-readonly\\]\\naws_access_key_id = ${sandbox.readonlyCredentials.accessKeyId}\\n`));
    const saved = { ...process.env };
    try {
      process.env.AWS_CONFIG_FILE = sandbox.configFile;
      process.env.AWS_SHARED_CREDENTIALS_FILE = sandbox.credentialsFile;
      process.env.AWS_PROFILE = sandbox.readonlyProfile;
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_REGION;
      delete process.env.AWS_ENDPOINT_URL;
      const sts = new STSClient({});
      const me = await sts.send(new GetCallerIdentityCommand({}));
      sts.destroy();
      assert.equal(me.Arn, `arn:aws:iam::${ACCOUNT_ID}:user/inspector-readonly`);
    } finally {
      process.env = saved;
    }
  });

  it('the readonlyActions option takes an action off from the start', async () => {
    const users = await rejection(c.idp.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID })));
    assert.deepEqual(users, {
      name: 'AccessDeniedException',
      message: denial('cognito-idp:ListUsers', `arn:aws:cognito-idp:${sandbox.region}:${ACCOUNT_ID}:userpool/${USER_POOL_ID}`),
    });
    await c.idp.send(new ListGroupsCommand({ UserPoolId: USER_POOL_ID }));
  });

  it('allows every read of the scanner\'s policy', async () => {
    sandbox.setReadonlyActions(READONLY_ACTIONS);
    sandbox.resetCalls();
    const pool = USER_POOL_ID;
    await c.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    await c.idp.send(new DescribeUserPoolCommand({ UserPoolId: pool }));
    await c.idp.send(new ListUserPoolClientsCommand({ UserPoolId: pool }));
    await c.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: sandbox.clients.web }));
    await c.idp.send(new ListGroupsCommand({ UserPoolId: pool }));
    await c.idp.send(new ListUsersCommand({ UserPoolId: pool }));
    await c.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'admin' }));
    await c.ci.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
    await c.ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: IDENTITY_POOL_IDS.books }));
    await c.ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: IDENTITY_POOL_IDS.books }));
    await c.ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: IDENTITY_POOL_IDS['books-abac'], IdentityProviderName: PROVIDER_NAME }));
    await c.iam.send(new GetAccountAuthorizationDetailsCommand({}));
    await c.iam.send(new GetRoleCommand({ RoleName: 'BooksReviewer' }));
    await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'BooksReviewer' }));
    await c.iam.send(new ListRolePoliciesCommand({ RoleName: 'BooksReviewer' }));
    await c.iam.send(new GetRolePolicyCommand({ RoleName: 'BooksReviewer', PolicyName: 'review' }));
    await c.iam.send(new GetPolicyCommand({ PolicyArn: policyArn('BooksRead') }));
    await c.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn('BooksRead'), VersionId: 'v2' }));
    await c.db.send(new ListTablesCommand({}));
    await c.db.send(new DescribeTableCommand({ TableName: 'book-table' }));
    await c.db.send(new GetResourcePolicyCommand({ ResourceArn: tableArn('book-table') }));
    // Every action of the policy was called once, and allowed.
    assert.deepEqual(Object.keys(sandbox.calls()), [...READONLY_ACTIONS].sort());
  });

  it('denies writes, data-plane reads and anything off the list, in each service\'s words; nothing changes', async () => {
    sandbox.setReadonlyActions(READONLY_ACTIONS);
    const before = await tableDump(sandbox, 'book-table');
    const put = await rejection(c.db.send(new PutItemCommand({ TableName: 'book-table', Item: { author: { S: 'x' }, title: { S: 'y' } } })));
    assert.deepEqual(put, { name: 'AccessDeniedException', message: denial('dynamodb:PutItem', tableArn('book-table')) });
    const get = await rejection(c.db.send(new GetItemCommand({ TableName: 'book-table', Key: { author: { S: 'x' }, title: { S: 'y' } } })));
    assert.deepEqual(get, { name: 'AccessDeniedException', message: denial('dynamodb:GetItem', tableArn('book-table')) });
    assert.equal((await rejection(c.db.send(new ScanCommand({ TableName: 'user-notes' })))).name, 'AccessDeniedException');
    const auth = await rejection(c.idp.send(new AdminInitiateAuthCommand({
      UserPoolId: USER_POOL_ID, ClientId: sandbox.clients.backend, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'admin', PASSWORD: 'x' },
    })));
    assert.deepEqual(auth, {
      name: 'AccessDeniedException',
      message: denial('cognito-idp:AdminInitiateAuth', `arn:aws:cognito-idp:${sandbox.region}:${ACCOUNT_ID}:userpool/${USER_POOL_ID}`),
    });
    assert.equal((await rejection(c.idp.send(new CreateGroupCommand({ UserPoolId: USER_POOL_ID, GroupName: 'x' })))).name, 'AccessDeniedException');
    const putRole = await rejection(c.iam.send(new PutRolePolicyCommand({ RoleName: 'BooksReadAccess', PolicyName: 'x', PolicyDocument: '{}' })));
    assert.deepEqual(putRole, { name: 'AccessDenied', message: denial('iam:PutRolePolicy', 'role BooksReadAccess') });
    assert.deepEqual(await rejection(c.iam.send(new ListRolesCommand({}))), { name: 'AccessDenied', message: denial('iam:ListRoles', '*') });
    assert.equal(await tableDump(sandbox, 'book-table'), before);
  });

  it('an action taken off the list at run time (setReadonlyActions) is denied', async () => {
    sandbox.setReadonlyActions(READONLY_ACTIONS.filter((a) => a !== 'cognito-idp:ListUsers'));
    const users = await rejection(c.idp.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID })));
    assert.deepEqual(users, {
      name: 'AccessDeniedException',
      message: denial('cognito-idp:ListUsers', `arn:aws:cognito-idp:${sandbox.region}:${ACCOUNT_ID}:userpool/${USER_POOL_ID}`),
    });
    sandbox.setReadonlyActions(READONLY_ACTIONS.filter((a) => a !== 'iam:GetRolePolicy' && a !== 'dynamodb:DescribeTable'));
    await c.idp.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID }));
    const inline = await rejection(c.iam.send(new GetRolePolicyCommand({ RoleName: 'BooksReviewer', PolicyName: 'review' })));
    assert.deepEqual(inline, { name: 'AccessDenied', message: denial('iam:GetRolePolicy', 'role BooksReviewer') });
    const table = await rejection(c.db.send(new DescribeTableCommand({ TableName: 'user-notes' })));
    assert.deepEqual(table, { name: 'AccessDeniedException', message: denial('dynamodb:DescribeTable', tableArn('user-notes')) });
    // Still allowed: STS, which needs no permission, and the other reads.
    await c.sts.send(new GetCallerIdentityCommand({}));
    await c.iam.send(new GetRoleCommand({ RoleName: 'BooksReviewer' }));
    // The admin keys are never restricted by it.
    const admin = clients(sandbox, sandbox.adminCredentials);
    await admin.db.send(new DescribeTableCommand({ TableName: 'user-notes' }));
    admin.destroy();
  });

  it('takes IAM Action patterns (case-insensitive, * and ?)', () => {
    assert.ok(readonlyAllows(['dynamodb:Describe*'], 'dynamodb:DescribeTable'));
    assert.ok(readonlyAllows(['IAM:getrole'], 'iam:GetRole'));
    assert.ok(readonlyAllows(['iam:Get?ole'], 'iam:GetRole'));
    assert.ok(!readonlyAllows(['dynamodb:Describe*'], 'dynamodb:ListTables'));
    assert.ok(readonlyAllows([], 'sts:GetCallerIdentity'));
    assert.ok(readonlyAllows(['*'], 'iam:PutRolePolicy'));
    assert.ok(readonlyAllows(['cognito-idp:*Groups*'], 'cognito-idp:AdminListGroupsForUser'));
    assert.ok(!readonlyAllows(['iam:GetRole'], 'iam:GetRolePolicy'));
    assert.ok(!readonlyAllows(['iam:Get.ole'], 'iam:GetRole'), 'a dot is a dot');
  });
});

describe('another region is empty', () => {
  const OTHER = 'us-west-2';
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  it('lists are empty, the seeded ids are not found; IAM and STS are global', async () => {
    const c = clients(sandbox, sandbox.adminCredentials, OTHER);
    try {
      assert.deepEqual((await c.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools, []);
      assert.deepEqual(await rejection(c.idp.send(new DescribeUserPoolCommand({ UserPoolId: USER_POOL_ID }))),
        { name: 'ResourceNotFoundException', message: `User pool ${USER_POOL_ID} does not exist.` });
      assert.equal((await rejection(c.idp.send(new ListGroupsCommand({ UserPoolId: USER_POOL_ID })))).name, 'ResourceNotFoundException');
      assert.deepEqual((await c.ci.send(new ListIdentityPoolsCommand({ MaxResults: 60 }))).IdentityPools, []);
      assert.deepEqual(await rejection(c.ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: IDENTITY_POOL_IDS.books }))),
        { name: 'ResourceNotFoundException', message: `IdentityPool '${IDENTITY_POOL_IDS.books}' not found.` });
      assert.equal((await rejection(c.ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: IDENTITY_POOL_IDS.books })))).name, 'ResourceNotFoundException');
      assert.deepEqual((await c.db.send(new ListTablesCommand({}))).TableNames, []);
      assert.deepEqual(await rejection(c.db.send(new DescribeTableCommand({ TableName: 'book-table' }))),
        { name: 'ResourceNotFoundException', message: 'Requested resource not found: Table: book-table not found' });
      const otherArn = `arn:aws:dynamodb:${OTHER}:${ACCOUNT_ID}:table/book-table`;
      assert.equal((await rejection(c.db.send(new GetResourcePolicyCommand({ ResourceArn: otherArn })))).name, 'ResourceNotFoundException');
      assert.equal((await c.iam.send(new GetRoleCommand({ RoleName: 'BooksAdmin' }))).Role?.RoleName, 'BooksAdmin');
      assert.equal((await c.sts.send(new GetCallerIdentityCommand({}))).Account, ACCOUNT_ID);
      assert.equal(emptyRegion('dynamodb', 'constructor', {}, OTHER).status, 400, 'no list call from the prototype');
    } finally {
      c.destroy();
    }
    // The sandbox's own region is unchanged.
    const home = clients(sandbox, sandbox.adminCredentials);
    assert.equal((await home.db.send(new ListTablesCommand({}))).TableNames?.length, 2);
    home.destroy();
  });

  it('the read-only user is authorized there too, with that region in the ARNs', async () => {
    const c = clients(sandbox, sandbox.readonlyCredentials, OTHER);
    try {
      assert.deepEqual((await c.db.send(new ListTablesCommand({}))).TableNames, []);
      const put = await rejection(c.db.send(new PutItemCommand({ TableName: 'book-table', Item: { author: { S: 'x' }, title: { S: 'y' } } })));
      assert.deepEqual(put, { name: 'AccessDeniedException', message: denial('dynamodb:PutItem', `arn:aws:dynamodb:${OTHER}:${ACCOUNT_ID}:table/book-table`) });
    } finally {
      c.destroy();
    }
  });
});
