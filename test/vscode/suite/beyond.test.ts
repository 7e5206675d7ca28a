// What real accounts add (issue 12), in a real VS Code: the Explorer shows every provider of an
// identity pool with its principal-tag map, the basic flow and the user pool's pre token generation
// trigger, each badged with its finding; Test as user through books-abac-broken shows the error,
// TRUST_NO_TAG_SESSION and the fix; through books-abac the probe allows the department's own
// partition and denies another, naming the tag; sign-in through the OIDC provider and the basic flow.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CognitoAccessApi } from '../../../src/extension.ts';
import type { TestUserResult } from '../../../src/vscode/commands/testUser.ts';
import type { Node } from '../../../src/vscode/tree/node.ts';
import type { ProbeCellView, ProbeView } from '../../../src/webview/protocol.ts';
import { roleArn, userByName } from '../../sandbox/seed.ts';
import { activate, closeAllEditors } from './helpers.ts';

interface SandboxInfo {
  region: string;
  userPoolId: string;
  clients: { web: string };
  identityPools: Record<string, string>;
  profile: string;
  oidc: { providerName: string; providerArn: string };
  oidcToken: string;
}
const sandbox: SandboxInfo | undefined = process.env.COGNITO_SANDBOX ? (JSON.parse(process.env.COGNITO_SANDBOX) as SandboxInfo) : undefined;

const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const iconId = (item: vscode.TreeItem): string | undefined => (item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined);

/** Walks the tree by labels (exact first, else a prefix match), as a user expands nodes. */
async function walk(api: CognitoAccessApi, connectionId: string, ...labels: string[]): Promise<Node> {
  let node = ((await api.explorer.getChildren()) ?? []).find((n) => n.connection.spec.id === connectionId);
  assert.ok(node, `connection ${connectionId} in the tree`);
  for (const wanted of labels) {
    const children: Node[] = ((await api.explorer.getChildren(node)) ?? []).filter((c) => !String(api.explorer.getTreeItem(c).contextValue).startsWith('finding'));
    const labelOf = (c: Node) => label(api.explorer.getTreeItem(c));
    const next: Node | undefined = children.find((c) => labelOf(c) === wanted) ?? children.find((c) => labelOf(c).startsWith(wanted));
    assert.ok(next, `"${wanted}" under "${label(api.explorer.getTreeItem(node))}" (found: ${children.map(labelOf).join(', ')})`);
    node = next;
  }
  return node;
}

const childItems = async (api: CognitoAccessApi, node: Node) => ((await api.explorer.getChildren(node)) ?? []).map((n) => api.explorer.getTreeItem(n));

describe('Explorer: providers, principal tags, basic flow and the trigger (sample account)', () => {
  let api: CognitoAccessApi;
  let id: string;
  before(async () => {
    api = await activate();
    id = (await vscode.commands.executeCommand<string>('cognitoAccess.openSample'))!;
  });

  it('books-abac: the user pool client with its tag map, `dept ← custom:dept`', async () => {
    const provider = await walk(api, id, 'Identity pools', 'books-abac', 'Providers', 'eu-central-1_BOOKS1234');
    const item = api.explorer.getTreeItem(provider);
    assert.equal(item.description, 'client webclient0000000000000001 · tags: dept ← custom:dept');
    assert.deepEqual((await childItems(api, provider)).map(label), ['dept ← custom:dept']);
    const plain = api.explorer.getTreeItem(await walk(api, id, 'Identity pools', 'books', 'Providers', 'eu-central-1_BOOKS1234'));
    assert.match(String(plain.description), /no principal tags$/);
    assert.equal(plain.collapsibleState, vscode.TreeItemCollapsibleState.None);
  });

  it('books-oidc: the OIDC provider by its host, with its ARN', async () => {
    const item = api.explorer.getTreeItem(await walk(api, id, 'Identity pools', 'books-oidc', 'Providers', 'login.sandbox.test'));
    assert.equal(item.description, 'OIDC provider · arn:aws:iam::123456789012:oidc-provider/login.sandbox.test · no principal tags');
  });

  it('basic flow: on in books-classic, badged POOL_BASIC_FLOW_ENABLED; off elsewhere', async () => {
    const on = api.explorer.getTreeItem(await walk(api, id, 'Identity pools', 'books-classic', 'Basic (classic) flow: on'));
    assert.equal(iconId(on), 'warning');
    assert.match(String(on.description), /POOL_BASIC_FLOW_ENABLED$/);
    const off = api.explorer.getTreeItem(await walk(api, id, 'Identity pools', 'books', 'Basic (classic) flow: off'));
    assert.equal(iconId(off), 'lock');
    assert.doesNotMatch(String(off.description), /POOL_BASIC_FLOW_ENABLED/);
  });

  it('books-trigger: the pre token generation trigger with its ARN and version, badged USER_POOL_TOKEN_TRIGGER', async () => {
    const item = api.explorer.getTreeItem(await walk(api, id, 'User pools', 'books-trigger', 'Pre token generation trigger'));
    assert.equal(label(item), 'Pre token generation trigger: books-pre-token-generation');
    assert.equal(item.description, 'V2_0 · arn:aws:lambda:eu-central-1:123456789012:function:books-pre-token-generation · USER_POOL_TOKEN_TRIGGER');
    assert.equal(iconId(item), 'info');
    const groups = (await childItems(api, await walk(api, id, 'User pools', 'books'))).map(label);
    assert.ok(!groups.some((l) => l.startsWith('Pre token generation trigger')), 'no trigger node for a pool without one');
  });

  it('books-abac-broken: the trust policy badged TRUST_NO_TAG_SESSION', async () => {
    const trust = api.explorer.getTreeItem(await walk(api, id, 'Identity pools', 'books-abac-broken', 'Authenticated role: BooksAbacDeptBroken', 'Trust policy'));
    assert.equal(iconId(trust), 'error');
    assert.match(String(trust.description), /TRUST_NO_TAG_SESSION/);
  });

  it('books-rules-writable: the rule, the client users write custom:role through and the role they obtain are badged', async () => {
    const rule = api.explorer.getTreeItem(await walk(api, id, 'Identity pools', 'books-rules-writable', 'Role mappings', 'eu-central-1_BOOKS1234:selfserviceclient00000001', 'Rules[0]: custom:role Equals "admin"'));
    assert.equal(iconId(rule), 'error');
    assert.match(String(rule.description), /MAPPING_RULE_ON_WRITABLE_CLAIM/);
    const clientNode = await walk(api, id, 'User pools', 'books', 'App clients', 'selfservice');
    const client = api.explorer.getTreeItem(clientNode);
    assert.equal(iconId(client), 'error');
    assert.match(String(client.description), /MAPPING_RULE_ON_WRITABLE_CLAIM/);
    assert.match((client.tooltip as vscode.MarkdownString).value, /custom:role/);
    assert.ok((await childItems(api, clientNode)).some((c) => c.description === 'MAPPING_RULE_ON_WRITABLE_CLAIM'), 'the finding under the client');
    const web = api.explorer.getTreeItem(await walk(api, id, 'User pools', 'books', 'App clients', 'web'));
    assert.notEqual(iconId(web), 'error', 'a client that writes no custom:role is not badged');
    const roleNode = await walk(api, id, 'Identity pools', 'books-rules-writable', 'Role mappings', 'eu-central-1_BOOKS1234:selfserviceclient00000001', 'Rules[0]: custom:role Equals "admin"', 'BooksAdmin');
    assert.equal(iconId(api.explorer.getTreeItem(roleNode)), 'error');
    const under = await childItems(api, roleNode);
    assert.ok(under.some((c) => c.description === 'MAPPING_RULE_ON_WRITABLE_CLAIM'), `the finding under the role (${under.map(label).join(', ')})`);
    const permissions = under.find((c) => label(c) === 'Permissions');
    assert.doesNotMatch(String(permissions?.description ?? ''), /MAPPING_RULE/, 'not a permission finding');
  });

  it('the guest role of books-guest, probed from its node, is probed as guests get it: every call denied by Cognito\'s guest session policy', async () => {
    const node = await walk(api, id, 'Identity pools', 'books-guest', 'Unauthenticated role: BooksGuest');
    const view = await vscode.commands.executeCommand<ProbeView>('cognitoAccess.probe', node);
    assert.equal(view.subject, 'guests as BooksGuest (simulated)');
    assert.ok(view.cells.length > 0 && view.cells.every((c) => c.simulated !== 'allowed'), 'nothing allowed');
    assert.ok(view.notes.some((n) => /session policy for guests/.test(n)), view.notes.join(' | '));
    await closeAllEditors();
  });

  it('reveals the new findings on their own nodes', async () => {
    const connection = api.store.get(id)!;
    const findings = (await connection.load()).diagnosis.findings;
    const reveal = async (code: string) => {
      const finding = findings.find((f) => f.code === code);
      assert.ok(finding, code);
      const node = await api.explorer.nodeFor(connection, finding.subject, finding);
      assert.ok(node, `a node for ${code}`);
      return label(api.explorer.getTreeItem(node));
    };
    assert.equal(await reveal('POOL_BASIC_FLOW_ENABLED'), 'Basic (classic) flow: on');
    assert.equal(await reveal('USER_POOL_TOKEN_TRIGGER'), 'Pre token generation trigger: books-pre-token-generation');
    assert.match(await reveal('TRUST_NO_TAG_SESSION'), /BooksAbacDeptBroken/);
  });
});

describe('Beyond the article against the sandbox', function () {
  this.timeout(120_000);
  let api: CognitoAccessApi;
  let connection: string;
  before(async function () {
    if (!sandbox) return this.skip();
    api = await activate();
    connection = (await vscode.commands.executeCommand<string>('cognitoAccess.connect', { profile: sandbox.profile, region: sandbox.region }))!;
  });
  afterEach(closeAllEditors);

  const run = (username: string, pool: string, extra: Record<string, unknown> = {}) =>
    vscode.commands.executeCommand<TestUserResult>('cognitoAccess.testUser', {
      connection, userPoolId: sandbox!.userPoolId, clientId: sandbox!.clients.web, username, password: userByName(username).password, identityPoolId: sandbox!.identityPools[pool], ...extra,
    });
  const cell = (view: ProbeView, rowId: string, action: string): ProbeCellView => {
    const found = view.cells.find((c) => c.rowId === rowId && c.action === action);
    assert.ok(found, `cell ${rowId} ${action} (rows: ${view.rows.map((r) => r.id).join(', ')})`);
    return found;
  };

  it('the live scan shows books-abac\'s tag map and the trigger', async () => {
    await api.store.get(connection)!.load();
    const provider = api.explorer.getTreeItem(await walk(api, connection, 'Identity pools', 'books-abac', 'Providers', sandbox!.userPoolId));
    assert.match(String(provider.description), /tags: dept ← custom:dept$/);
    const trigger = api.explorer.getTreeItem(await walk(api, connection, 'User pools', 'books-trigger', 'Pre token generation trigger'));
    assert.match(String(trigger.description), /^V2_0 · arn:aws:lambda:/);
  });

  it('Test as user through books-abac-broken: InvalidIdentityPoolConfiguration, TRUST_NO_TAG_SESSION and the fix with sts:TagSession', async () => {
    const { view } = (await run('testuser1', 'books-abac-broken'))!;
    assert.equal(view.live.error?.code, 'InvalidIdentityPoolConfigurationException');
    assert.equal(view.agree, true, 'the engine predicted the same error');
    assert.equal(view.credentials, null);
    assert.deepEqual(view.sessionTags?.predicted, { dept: 'books' });
    const d = view.diagnosis;
    assert.ok(d?.findings.some((f) => f.code === 'TRUST_NO_TAG_SESSION'), d?.findings.map((f) => f.code).join(', '));
    assert.match(d?.roleArn ?? '', /role\/BooksAbacDeptBroken$/);
    assert.match(d?.statement ?? '', /not sts:TagSession/);
    assert.match(d?.correctedTrustPolicy ?? '', /"sts:AssumeRoleWithWebIdentity",\s*"sts:TagSession"/);
  });

  it('Test as user through books-abac: tag dept = books; the probe allows the department\'s partition and denies another, naming the tag', async () => {
    const result = (await run('testuser1', 'books-abac'))!;
    assert.match(result.view.live.roleArn ?? '', /role\/BooksAbacDept$/);
    assert.equal(result.view.agree, true);
    assert.deepEqual(result.view.sessionTags?.predicted, { dept: 'books' });
    for (const mode of ['live', 'simulated'] as const) {
      const probe = await vscode.commands.executeCommand<ProbeView>('cognitoAccess.probe', { sessionId: result.sessionId, tables: ['book-table'], mode });
      assert.equal(probe.mode, mode);
      assert.equal(probe.disagreements, 0);
      assert.deepEqual(probe.rows.map((r) => r.label), ['book-table (own partition)', 'book-table (partition "books" = principal tag dept)', "book-table (another's partition)"]);
      const own = cell(probe, 'book-table|tag:dept', 'dynamodb:GetItem');
      assert.equal(own.simulated, 'allowed');
      if (mode === 'live') assert.equal(own.live, 'allowed');
      assert.match(own.explanation?.summary ?? '', /aws:PrincipalTag\/dept = "books"/);
      const other = cell(probe, 'book-table|other', 'dynamodb:GetItem');
      assert.equal(other.simulated, 'implicit-deny');
      if (mode === 'live') assert.equal(other.live, 'denied');
      assert.match(other.explanation?.closest?.conditions.map((c) => c.reason).join(' ') ?? '', /aws:PrincipalTag\/dept is "books"/);
      assert.ok(probe.notes.some((n) => /principal tags dept = "books"/.test(n)));
    }
  });

  it('Test as user through the OIDC provider login.sandbox.test (a pasted token; the Logins key is the host): books-oidc\'s rule gives BooksOidcReader', async () => {
    const { view } = (await vscode.commands.executeCommand<TestUserResult>('cognitoAccess.testUser', {
      connection, provider: sandbox!.oidc.providerArn, idToken: sandbox!.oidcToken, identityPoolId: sandbox!.identityPools['books-oidc'],
    }))!;
    assert.equal(view.provider, 'login.sandbox.test');
    assert.equal(view.signature, 'verified', view.signatureReason ?? '');
    assert.equal(view.live.roleArn, roleArn('BooksOidcReader'));
    assert.equal(view.agree, true);
    assert.match(view.username, /login\.sandbox\.test/);
    assert.ok(!view.steps.some((s) => s.step === 'signIn'));
  });

  it('Test as user through the basic flow of books-classic with a chosen role: GetOpenIdToken, then AssumeRoleWithWebIdentity', async () => {
    const { view } = (await run('testuser1', 'books-classic', { basicFlowRole: roleArn('BooksClassicAuth') }))!;
    assert.equal(view.flow, 'basic');
    assert.deepEqual(view.steps.map((s) => s.step).filter((s) => s !== 'scan'), ['signIn', 'signature', 'GetId', 'GetOpenIdToken', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity']);
    assert.equal(view.live.roleArn, roleArn('BooksClassicAuth'));
    assert.match(view.credentials?.assumedRoleArn ?? '', /assumed-role\/BooksClassicAuth\/cognito-access-test-user$/);
    assert.equal(view.agree, true);
    const refused = (await run('testuser1', 'books-classic', { basicFlowRole: roleArn('BooksAbacDept') }))!.view;
    assert.equal(refused.live.error?.code, 'AccessDenied');
    assert.equal(refused.agree, true);
    assert.equal(refused.steps.find((s) => s.step === 'AssumeRoleWithWebIdentity')?.status, 'failed');
  });
});
