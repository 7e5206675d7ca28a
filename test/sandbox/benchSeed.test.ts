// The bench-sized seed (seedExtra.ts), Cognito's 60-per-page listing at the gateway, and
// main.ts --json (the sandbox in a child process, as bench/scan.bench.ts runs it).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { AdminListGroupsForUserCommand, CognitoIdentityProviderClient, ListGroupsCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { startSandbox, type Sandbox } from './index.ts';
import { GROUPS, ROLES, USERS, roleArn } from './seed.ts';
import { extraGroups, extraRoles } from './seedExtra.ts';
import { rejection } from './testFlow.ts';

const idpOf = (s: { endpoint: string; region: string; adminCredentials: Sandbox['adminCredentials'] }): CognitoIdentityProviderClient =>
  new CognitoIdentityProviderClient({ endpoint: s.endpoint, region: s.region, credentials: s.adminCredentials });

/** Every page of ListGroups: the page sizes and all names. */
async function listGroupPages(idp: CognitoIdentityProviderClient, userPoolId: string, Limit?: number): Promise<{ sizes: number[]; names: string[] }> {
  const sizes: number[] = [];
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const out = await idp.send(new ListGroupsCommand({ UserPoolId: userPoolId, Limit, NextToken }));
    sizes.push(out.Groups?.length ?? 0);
    names.push(...(out.Groups ?? []).map((g) => g.GroupName ?? ''));
    NextToken = out.NextToken;
  } while (NextToken);
  return { sizes, names };
}

describe('extra seed and Cognito paging', () => {
  let sandbox: Sandbox;
  let idp: CognitoIdentityProviderClient;
  before(async () => {
    sandbox = await startSandbox({ seed: { extraGroups: 130, extraRoles: 3 } });
    idp = idpOf(sandbox);
  });
  after(async () => {
    idp.destroy();
    await sandbox.stop();
  });

  it('the generator: groups round-robin over the extra roles, names fixed', () => {
    const groups = extraGroups({ extraGroups: 5, extraRoles: 2 });
    assert.deepEqual(groups.map((g) => [g.GroupName, g.RoleArn]), [
      ['bench-0000', roleArn('BenchRole000')], ['bench-0001', roleArn('BenchRole001')], ['bench-0002', roleArn('BenchRole000')],
      ['bench-0003', roleArn('BenchRole001')], ['bench-0004', roleArn('BenchRole000')],
    ]);
    assert.equal(extraGroups({ extraGroups: 2 })[0]?.RoleArn, undefined, 'no extra roles: groups without a role');
    assert.equal(extraRoles({}).length, 0);
  });

  it('ListGroups pages at 60 like Cognito, whatever cognito-local does with Limit', async () => {
    const total = GROUPS.length + 130;
    const byDefault = await listGroupPages(idp, sandbox.userPoolId);
    assert.deepEqual(byDefault.sizes, [60, 60, total - 120]);
    assert.equal(new Set(byDefault.names).size, total);
    assert.deepEqual((await listGroupPages(idp, sandbox.userPoolId, 50)).sizes, [50, 50, 36]);
    const e = await rejection(idp.send(new ListGroupsCommand({ UserPoolId: sandbox.userPoolId, Limit: 61 })));
    assert.equal(e.name, 'InvalidParameterException');
    assert.match(e.message, /less than or equal to 60/);
  });

  it('ListUsers pages by PaginationToken; AdminListGroupsForUser still answers', async () => {
    const sizes: number[] = [];
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await idp.send(new ListUsersCommand({ UserPoolId: sandbox.userPoolId, Limit: 4, PaginationToken: token }));
      sizes.push(page.Users?.length ?? 0);
      names.push(...(page.Users ?? []).map((u) => u.Username ?? ''));
      token = page.PaginationToken;
    } while (token && sizes.length < 10);
    // Full pages of 4, then the rest; the last page carries no token.
    const full = Math.floor(USERS.length / 4);
    assert.deepEqual(sizes, [...Array<number>(full).fill(4), ...(USERS.length % 4 ? [USERS.length % 4] : [])]);
    assert.deepEqual(names.sort(), USERS.map((u) => u.Username).sort());
    const admin = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: sandbox.userPoolId, Username: 'admin' }));
    assert.deepEqual(admin.Groups?.map((g) => g.GroupName).sort(), ['Admins', 'BooksRead']);
  });

  it('the extra roles are in IAM beside the scenario\'s', async () => {
    const iam = new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    const roles = await iam.send(new ListRolesCommand({}));
    const role = await iam.send(new GetRoleCommand({ RoleName: 'BenchRole002' }));
    iam.destroy();
    assert.equal(roles.Roles?.length, ROLES.length + 3);
    assert.equal(role.Role?.Arn, roleArn('BenchRole002'));
  });
});

describe('main.ts --json (the sandbox in a child process)', () => {
  it('prints its endpoint as JSON, serves the extra seed and --fault, and stops on SIGTERM', async () => {
    const args = ['--port', '0', '--json', '--extra-groups', '70', '--fault', 'iam:GetRole=deny'];
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/sandbox/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
        child.once('exit', () => reject(new Error('exited before it was ready')));
      });
      const info = JSON.parse(line) as Sandbox & { pid: number; seed: unknown; faults: unknown };
      assert.match(info.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info.pid, child.pid);
      assert.deepEqual(info.seed, { extraGroups: 70 });
      assert.deepEqual(info.faults, { 'iam:GetRole': 'deny' });
      assert.equal(info.readonlyProfile, 'cognito-sandbox-readonly');
      const iam = new IAMClient({ endpoint: info.endpoint, region: info.region, credentials: info.adminCredentials });
      const denied = await rejection(iam.send(new GetRoleCommand({ RoleName: 'BooksAdmin' })));
      iam.destroy();
      assert.equal(denied.name, 'AccessDenied');
      const idp = idpOf(info);
      const pages = await listGroupPages(idp, info.userPoolId);
      idp.destroy();
      assert.deepEqual(pages.sizes, [60, GROUPS.length + 10]);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});
