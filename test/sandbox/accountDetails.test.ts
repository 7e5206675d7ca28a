// IAM GetAccountAuthorizationDetails through the real @aws-sdk/client-iam: Marker / IsTruncated /
// MaxItems paging over a bench-sized seed, Filter, validation, and documents equal to what
// GetRole / GetRolePolicy / GetPolicyVersion return; a caller with an unreadable role is denied it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GetAccountAuthorizationDetailsCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient,
  ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, PutRolePolicyCommand, type EntityType, type GetAccountAuthorizationDetailsCommandOutput,
  type ManagedPolicyDetail, type RoleDetail,
} from '@aws-sdk/client-iam';
import { startSandbox, type Sandbox } from './index.ts';
import { MANAGED_POLICIES, READONLY_ARN, READONLY_CREDENTIALS, ROLES, policyArn } from './seed.ts';
import { rejection } from './testFlow.ts';

const EXTRA_ROLES = 150;
let sandbox: Sandbox;
let iam: IAMClient;
before(async () => {
  // The read-only user may not read BooksAdmin: it is denied the account's details altogether.
  sandbox = await startSandbox({
    seed: { extraGroups: 20, extraRoles: EXTRA_ROLES },
    unreadableRoles: [{ roleName: 'BooksAdmin', accessKeyId: READONLY_CREDENTIALS.accessKeyId }],
  });
  iam = new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
});
after(async () => {
  iam.destroy();
  await sandbox.stop();
});

/** Every page, in order. */
async function allPages(Filter?: EntityType[], MaxItems?: number): Promise<GetAccountAuthorizationDetailsCommandOutput[]> {
  const pages: GetAccountAuthorizationDetailsCommandOutput[] = [];
  let Marker: string | undefined;
  do {
    const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter, MaxItems, Marker }));
    assert.equal(out.IsTruncated, out.Marker !== undefined, 'a Marker exactly when truncated');
    pages.push(out);
    Marker = out.Marker;
  } while (Marker && pages.length < 100);
  return pages;
}

const size = (p: GetAccountAuthorizationDetailsCommandOutput): number =>
  (p.UserDetailList?.length ?? 0) + (p.GroupDetailList?.length ?? 0) + (p.RoleDetailList?.length ?? 0) + (p.Policies?.length ?? 0);

describe('GetAccountAuthorizationDetails', () => {
  const roleCount = ROLES.length + EXTRA_ROLES;
  const total = roleCount + MANAGED_POLICIES.length;

  it('pages every role and policy by Marker: MaxItems counts all entities, default 100', async () => {
    const byDefault = await allPages();
    assert.deepEqual(byDefault.map(size), [100, total - 100]);
    const small = await allPages(undefined, 40);
    assert.deepEqual(small.map(size), [...Array<number>(Math.floor(total / 40)).fill(40), ...(total % 40 ? [total % 40] : [])]);
    const roles = small.flatMap((p) => p.RoleDetailList ?? []);
    assert.equal(roles.length, roleCount);
    assert.equal(new Set(roles.map((r) => r.RoleName)).size, roleCount);
    assert.deepEqual(small.flatMap((p) => p.Policies ?? []).map((p) => p.PolicyName), MANAGED_POLICIES.map((p) => p.PolicyName));
    for (const p of small) {
      assert.deepEqual(p.UserDetailList, [], 'the sandbox\'s IAM has no users');
      assert.deepEqual(p.GroupDetailList, []);
    }
  });

  it('each role equals what GetRole, ListAttachedRolePolicies and GetRolePolicy return', async () => {
    const roles: RoleDetail[] = (await allPages(['Role'], 1000)).flatMap((p) => p.RoleDetailList ?? []);
    assert.equal(roles.length, roleCount);
    for (const detail of roles) {
      const name = detail.RoleName ?? '';
      const [{ Role: role }, attached, inline] = await Promise.all([
        iam.send(new GetRoleCommand({ RoleName: name })),
        iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name })),
        iam.send(new ListRolePoliciesCommand({ RoleName: name })),
      ]);
      assert.equal(detail.RoleId, role?.RoleId);
      assert.equal(detail.Arn, role?.Arn);
      assert.equal(detail.Path, role?.Path);
      assert.equal(detail.AssumeRolePolicyDocument, role?.AssumeRolePolicyDocument, `${name}: trust, URL-encoded as GetRole's`);
      assert.match(detail.AssumeRolePolicyDocument ?? '', /^%7B/);
      assert.deepEqual(detail.PermissionsBoundary, role?.PermissionsBoundary);
      assert.deepEqual(detail.AttachedManagedPolicies, attached.AttachedPolicies);
      const documents = await Promise.all((inline.PolicyNames ?? []).map(async (PolicyName) => {
        const out = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName }));
        return { PolicyName, PolicyDocument: out.PolicyDocument };
      }));
      assert.deepEqual(detail.RolePolicyList, documents, `${name}: inline policies`);
    }
    const editor = roles.find((r) => r.RoleName === 'BooksEditor');
    assert.equal(editor?.PermissionsBoundary?.PermissionsBoundaryArn, policyArn('BooksEditorBoundary'));
    assert.equal(roles.find((r) => r.RoleName === 'BooksReadAccess')?.PermissionsBoundary, undefined);
  });

  it('each managed policy equals GetPolicy, with every version as GetPolicyVersion returns it', async () => {
    const pages = await allPages(['LocalManagedPolicy']);
    assert.equal(pages.length, 1);
    assert.deepEqual(pages[0]?.RoleDetailList, []);
    const policies: ManagedPolicyDetail[] = pages[0]?.Policies ?? [];
    assert.equal(policies.length, MANAGED_POLICIES.length);
    for (const detail of policies) {
      const { Policy: policy } = await iam.send(new GetPolicyCommand({ PolicyArn: detail.Arn }));
      assert.equal(detail.PolicyName, policy?.PolicyName);
      assert.equal(detail.PolicyId, policy?.PolicyId);
      assert.equal(detail.DefaultVersionId, policy?.DefaultVersionId);
      assert.equal(detail.AttachmentCount, policy?.AttachmentCount);
      const seeded = MANAGED_POLICIES.find((p) => p.PolicyName === detail.PolicyName);
      assert.deepEqual(detail.PolicyVersionList?.map((v) => v.VersionId), seeded?.Versions.map((v) => v.VersionId));
      for (const version of detail.PolicyVersionList ?? []) {
        const { PolicyVersion: read } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: detail.Arn, VersionId: version.VersionId }));
        assert.equal(version.Document, read?.Document, `${detail.PolicyName} ${version.VersionId}`);
        assert.equal(version.IsDefaultVersion, read?.IsDefaultVersion);
      }
    }
    const booksRead = policies.find((p) => p.PolicyName === 'BooksRead');
    assert.deepEqual(booksRead?.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v1', false], ['v2', true]]);
  });

  it('Filter: users, groups and AWS managed policies are empty here; a bad value or MaxItems is a ValidationError', async () => {
    const none = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Group', 'AWSManagedPolicy'] }));
    assert.equal(size(none), 0);
    assert.equal(none.IsTruncated, false);
    const bad = await rejection(iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Roles' as EntityType] })));
    assert.equal(bad.name, 'ValidationError');
    assert.match(bad.message, /at 'filter' failed to satisfy constraint/);
    const big = await rejection(iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1001 })));
    assert.deepEqual(big, {
      name: 'ValidationError',
      message: '1 validation error detected: Value \'1001\' at \'maxItems\' failed to satisfy constraint: Member must have value less than or equal to 1000',
    });
  });

  it('a caller denied reading a role is denied the whole call; its other reads still work', async () => {
    const ro = new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.readonlyCredentials });
    try {
      const e = await rejection(ro.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] })));
      assert.deepEqual(e, {
        name: 'AccessDenied',
        message: `User: ${READONLY_ARN} is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: * `
          + 'because no identity-based policy allows the iam:GetAccountAuthorizationDetails action',
      });
      assert.equal((await rejection(ro.send(new GetRoleCommand({ RoleName: 'BooksAdmin' })))).name, 'AccessDenied');
      assert.equal((await ro.send(new GetRoleCommand({ RoleName: 'BooksReadAccess' }))).Role?.RoleName, 'BooksReadAccess');
    } finally {
      ro.destroy();
    }
  });

  it('shows a role changed by PutRolePolicy', async () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:Scan', Resource: '*' }] };
    await iam.send(new PutRolePolicyCommand({ RoleName: 'BenchRole007', PolicyName: 'added', PolicyDocument: JSON.stringify(document) }));
    const roles = (await allPages(['Role'], 1000)).flatMap((p) => p.RoleDetailList ?? []);
    const changed = roles.find((r) => r.RoleName === 'BenchRole007');
    assert.deepEqual(changed?.RolePolicyList?.map((p) => p.PolicyName), ['read', 'added']);
    assert.deepEqual(JSON.parse(decodeURIComponent(changed?.RolePolicyList?.[1]?.PolicyDocument ?? '')), document);
  });
});
