// seedSnapshot() must be what the running sandbox's APIs say, field by field, so the project
// can use it as the expected value of a live scan; and it must carry no secret.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CognitoIdentityClient, DescribeIdentityPoolCommand, GetIdentityPoolRolesCommand, GetPrincipalTagAttributeMapCommand } from '@aws-sdk/client-cognito-identity';
import {
  AdminListGroupsForUserCommand, CognitoIdentityProviderClient, DescribeUserPoolClientCommand, DescribeUserPoolCommand, ListGroupsCommand,
  ListUserPoolClientsCommand, ListUserPoolsCommand, ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { startSandbox, type Sandbox } from './index.ts';
import { ADMIN_CREDENTIALS, CLIENTS, TOTP_SECRET, USERS, seedSnapshot } from './seed.ts';

interface Snap {
  userPools: {
    Id: string; Clients: { ClientId: string; ExplicitAuthFlows: string[]; HasSecret: boolean }[];
    Groups: { GroupName: string; Precedence?: number; RoleArn?: string }[]; Users: { Username: string }[];
  }[];
  identityPools: { IdentityPoolId: string; CognitoIdentityProviders: unknown; Roles: unknown; RoleMappings: unknown }[];
  roles: { RoleName: string; AssumeRolePolicyDocument: unknown; AttachedPolicies: { PolicyArn: string; Document: unknown }[] }[];
  tables: { TableName: string; KeySchema: unknown }[];
}

let sandbox: Sandbox;
let snap: Snap;
before(async () => {
  sandbox = await startSandbox();
  snap = seedSnapshot(sandbox) as unknown as Snap;
});
after(async () => { await sandbox.stop(); });

describe('seedSnapshot', () => {
  const config = (): { endpoint: string; region: string; credentials: Sandbox['adminCredentials'] } =>
    ({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });

  it('matches the user pool as cognito-local reports it', async () => {
    const idp = new CognitoIdentityProviderClient(config());
    const groups = await idp.send(new ListGroupsCommand({ UserPoolId: sandbox.userPoolId }));
    const users = await idp.send(new ListUsersCommand({ UserPoolId: sandbox.userPoolId }));
    const pool = snap.userPools[0];
    assert.equal(pool.Id, sandbox.userPoolId);
    assert.deepEqual(groups.Groups?.map((g) => [g.GroupName, g.Precedence, g.RoleArn]).sort(),
      pool.Groups.map((g) => [g.GroupName, g.Precedence, g.RoleArn]).sort());
    assert.deepEqual(users.Users?.map((u) => u.Username).sort(), pool.Users.map((u) => u.Username).sort());
    assert.deepEqual(pool.Clients.map((c) => c.ClientId), Object.values(sandbox.clients));
    for (const c of pool.Clients) {
      const live = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: sandbox.userPoolId, ClientId: c.ClientId }));
      assert.deepEqual(live.UserPoolClient?.ExplicitAuthFlows, c.ExplicitAuthFlows, c.ClientId);
      assert.equal(Boolean(live.UserPoolClient?.ClientSecret), c.HasSecret, c.ClientId);
    }
    idp.destroy();
  });

  it('matches DescribeIdentityPool and GetIdentityPoolRoles', async () => {
    const ci = new CognitoIdentityClient(config());
    for (const p of snap.identityPools) {
      const d = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: p.IdentityPoolId }));
      const r = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: p.IdentityPoolId }));
      assert.deepEqual(d.CognitoIdentityProviders, p.CognitoIdentityProviders);
      assert.deepEqual(r.Roles, p.Roles);
      assert.deepEqual(r.RoleMappings, p.RoleMappings);
    }
    ci.destroy();
  });

  it('matches IAM: trust policies and the default versions of attached policies', async () => {
    const iam = new IAMClient(config());
    for (const role of snap.roles) {
      const got = await iam.send(new GetRoleCommand({ RoleName: role.RoleName }));
      assert.deepEqual(JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? '')), role.AssumeRolePolicyDocument);
      const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }));
      assert.deepEqual(attached.AttachedPolicies?.map((a) => a.PolicyArn), role.AttachedPolicies.map((a) => a.PolicyArn));
      for (const a of role.AttachedPolicies) {
        const p = await iam.send(new GetPolicyCommand({ PolicyArn: a.PolicyArn }));
        const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: a.PolicyArn, VersionId: p.Policy?.DefaultVersionId }));
        assert.deepEqual(JSON.parse(decodeURIComponent(v.PolicyVersion?.Document ?? '')), a.Document);
      }
    }
    iam.destroy();
  });

  it('matches DescribeTable', async () => {
    const db = new DynamoDBClient(config());
    for (const t of snap.tables) {
      const d = await db.send(new DescribeTableCommand({ TableName: t.TableName }));
      assert.deepEqual(d.Table?.KeySchema, t.KeySchema);
    }
    db.destroy();
  });

  it('carries no secret', () => {
    const json = JSON.stringify(snap);
    for (const secret of [ADMIN_CREDENTIALS.secretAccessKey, CLIENTS.backend.ClientSecret ?? '-', CLIENTS.mobile.ClientSecret ?? '-', TOTP_SECRET, ...USERS.map((u) => u.password)]) {
      assert.ok(!json.includes(secret), `snapshot contains a secret: ${secret}`);
    }
  });

  it('puts other ids where the seed\'s were', () => {
    const other = seedSnapshot({ userPoolId: 'eu-central-1_OTHER0000' }) as unknown as Snap;
    assert.equal(other.userPools[0].Id, 'eu-central-1_OTHER0000');
    assert.ok(JSON.stringify(other).includes('cognito-idp.eu-central-1.amazonaws.com/eu-central-1_OTHER0000:webclient'));
    assert.ok(!JSON.stringify(other).includes('BOOKS1234'));
  });
});

describe('seedSnapshot: the fields added after v1\'s first cut (snapshot.md)', () => {
  interface Beyond {
    userPools: { Id: string; Name: string; LambdaConfig?: unknown; SchemaAttributes?: { Name: string; Mutable: boolean }[]; Groups: { GroupName: string }[];
      Users: { Username: string; Groups: string[] }[]; Clients: { ClientId: string }[] }[];
    identityPools: { IdentityPoolId: string; CognitoIdentityProviders: { ProviderName: string }[]; OpenIdConnectProviderARNs?: string[];
      SupportedLoginProviders?: unknown; SamlProviderARNs?: string[]; DeveloperProviderName?: string;
      PrincipalTagMaps?: { IdentityProviderName: string; UseDefaults: boolean; PrincipalTags: Record<string, string> }[] }[];
  }
  const admin = (): { endpoint: string; region: string; credentials: Sandbox['adminCredentials'] } =>
    ({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });

  it('every user pool of ListUserPools, with DescribeUserPool\'s Name, LambdaConfig and SchemaAttributes, its clients, groups and users', async () => {
    const beyond = snap as unknown as Beyond;
    const idp = new CognitoIdentityProviderClient(admin());
    const listed = await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.deepEqual(listed.UserPools?.map((p) => p.Id).sort(), beyond.userPools.map((p) => p.Id).sort());
    for (const pool of beyond.userPools) {
      const d = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool;
      assert.equal(d?.Name, pool.Name);
      const lambda = d?.LambdaConfig?.PreTokenGeneration ? d.LambdaConfig : undefined;
      assert.deepEqual(lambda, pool.LambdaConfig, pool.Id);
      assert.deepEqual(d?.SchemaAttributes?.map((a) => ({ Name: a.Name, Mutable: a.Mutable })), pool.SchemaAttributes, pool.Id);
      const clients = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id }));
      assert.deepEqual(clients.UserPoolClients?.map((c) => c.ClientId).sort(), pool.Clients.map((c) => c.ClientId).sort());
      const groups = await idp.send(new ListGroupsCommand({ UserPoolId: pool.Id }));
      assert.deepEqual(groups.Groups?.map((g) => g.GroupName).sort(), pool.Groups.map((g) => g.GroupName).sort());
      for (const user of pool.Users) {
        const of = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.Id, Username: user.Username }));
        assert.deepEqual(of.Groups?.map((g) => g.GroupName).sort(), [...user.Groups].sort(), user.Username);
      }
    }
    idp.destroy();
    const trigger = beyond.userPools.find((p) => p.Id === sandbox.triggerPool.userPoolId);
    assert.ok(trigger?.LambdaConfig, 'the trigger pool is in the snapshot with its trigger');
    assert.ok(beyond.userPools[0]?.SchemaAttributes?.some((a) => a.Name === 'custom:dept'));
  });

  it('each identity pool\'s other providers as DescribeIdentityPool gives them, and one PrincipalTagMap per provider that has one', async () => {
    const beyond = snap as unknown as Beyond;
    const ci = new CognitoIdentityClient(admin());
    for (const p of beyond.identityPools) {
      const d = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: p.IdentityPoolId }));
      assert.deepEqual([d.OpenIdConnectProviderARNs, d.SupportedLoginProviders, d.SamlProviderARNs, d.DeveloperProviderName],
        [p.OpenIdConnectProviderARNs, p.SupportedLoginProviders, p.SamlProviderARNs, p.DeveloperProviderName], p.IdentityPoolId);
      const providers = [...p.CognitoIdentityProviders.map((c) => c.ProviderName), ...(p.OpenIdConnectProviderARNs ?? []).map((a) => a.slice(a.indexOf(':oidc-provider/') + 15))];
      const maps: unknown[] = [];
      for (const IdentityProviderName of new Set(providers)) {
        try {
          const m = await ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: p.IdentityPoolId, IdentityProviderName }));
          maps.push({ IdentityProviderName: m.IdentityProviderName, UseDefaults: m.UseDefaults, PrincipalTags: m.PrincipalTags });
        } catch (e) {
          assert.equal((e as Error).name, 'ResourceNotFoundException');
        }
      }
      assert.deepEqual(maps.length > 0 ? maps : undefined, p.PrincipalTagMaps, p.IdentityPoolId);
    }
    ci.destroy();
    assert.deepEqual(beyond.identityPools.filter((p) => p.PrincipalTagMaps).map((p) => p.IdentityPoolId),
      [sandbox.identityPools['books-abac'], sandbox.identityPools['books-abac-broken']]);
  });

  it('puts the trigger pool\'s ids where the seed\'s were', () => {
    const other = JSON.stringify(seedSnapshot({ triggerPool: { userPoolId: 'eu-central-1_OTHERTRIG', clientId: 'otherclient' } }));
    assert.ok(other.includes('cognito-idp.eu-central-1.amazonaws.com/eu-central-1_OTHERTRIG:otherclient'));
    assert.ok(!other.includes('TRIGGER12'));
  });
});
