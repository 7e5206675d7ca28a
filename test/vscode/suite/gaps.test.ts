// Scan gaps and cancelled scans in a real VS Code: a snapshot whose scan could not read some things
// shows a warning node where each gap is (never a misleading empty folder), copies the IAM policy
// that would read it, and lists SCAN_INCOMPLETE in the Findings view; a scan cancelled while an
// endpoint hangs stops within a second, says "Scan cancelled", and Refresh scans again.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Snapshot } from '../../../src/core/snapshot.ts';
import type { CognitoAccessApi } from '../../../src/extension.ts';
import type { FindingsItem } from '../../../src/vscode/tree/explorer.ts';
import type { Node } from '../../../src/vscode/tree/node.ts';
import { activate, sampleUri, waitFor } from './helpers.ts';

const sandbox = process.env.COGNITO_SANDBOX ? (JSON.parse(process.env.COGNITO_SANDBOX) as { region: string; profile: string }) : undefined;

const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';
const BOOKS_IDENTITY_POOL = 'eu-central-1:aaaaaaaa-1111-2222-3333-444444444444';
const BOOKS_USER_POOL = 'eu-central-1_BOOKS1234';
const BOOKS_READ_ROLE = `arn:aws:iam::${ACCOUNT}:role/BooksReadAccess`;

const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const iconOf = (item: vscode.TreeItem) => (item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined);

/** seed-healthy.json as a scan that was refused GetIdentityPoolRoles, a page of ListGroups, GetRole and ListIdentityPools. */
function snapshotWithGaps(): Snapshot {
  const snapshot = JSON.parse(readFileSync(sampleUri('seed-healthy.json').fsPath, 'utf8')) as Snapshot;
  const denied = (service: string, operation: string, resource: string | null) => ({
    service, operation, resource, error: 'AccessDeniedException',
    message: `User: arn:aws:iam::${ACCOUNT}:user/scanner is not authorized to perform: ${service}:${operation}`,
    permission: `${service}:${operation}`,
  });
  // What the scanner leaves when GetIdentityPoolRoles is denied: no roles and no mappings read.
  const books = snapshot.identityPools.find((p) => p.IdentityPoolId === BOOKS_IDENTITY_POOL)!;
  books.Roles = {};
  books.RoleMappings = {};
  // GetRole denied: the role keeps what else was read (its policies), without its trust policy.
  const role = snapshot.roles.find((r) => r.Arn === BOOKS_READ_ROLE)!;
  delete role.AssumeRolePolicyDocument;
  role.Unreadable = 'AccessDenied: not authorized to perform: iam:GetRole';
  snapshot.scanGaps = [
    denied('cognito-identity', 'GetIdentityPoolRoles', BOOKS_IDENTITY_POOL),
    denied('cognito-idp', 'ListGroups', BOOKS_USER_POOL),
    { ...denied('iam', 'GetRole', BOOKS_READ_ROLE), error: 'AccessDenied' },
    denied('cognito-identity', 'ListIdentityPools', null),
  ];
  return snapshot;
}

describe('Explorer: scan gaps', () => {
  let api: CognitoAccessApi;
  let id: string;
  let root: Node;

  const items = async (node: Node) => ((await api.explorer.getChildren(node)) ?? []).map((n) => ({ node: n, item: api.explorer.getTreeItem(n) }));
  const child = async (node: Node, prefix: string) => {
    const all = await items(node);
    const found = all.find((c) => label(c.item) === prefix) ?? all.find((c) => label(c.item).startsWith(prefix));
    assert.ok(found, `"${prefix}" under "${label(api.explorer.getTreeItem(node))}" (found: ${all.map((c) => label(c.item)).join(', ')})`);
    return found;
  };
  const assertGapNode = (item: vscode.TreeItem, text: string, permission: string) => {
    assert.equal(label(item), text);
    assert.equal(item.description, `needs ${permission}`);
    assert.equal(iconOf(item)?.id, 'warning');
    assert.equal((iconOf(item)?.color as vscode.ThemeColor | undefined)?.id, 'problemsWarningIcon.foreground');
    assert.match(String(item.contextValue), /^gap\b.*\bcopyPolicy\b/, 'the context menu offers Copy IAM Policy Statement');
  };
  const copied = async (node: Node) => {
    const returned = await vscode.commands.executeCommand<string>('cognitoAccess.copyGapPolicy', node);
    const text = await vscode.env.clipboard.readText();
    assert.equal(text, returned);
    const policy = JSON.parse(text) as { Version: string; Statement: { Effect: string; Action: string; Resource: string }[] };
    assert.equal(policy.Version, '2012-10-17');
    assert.equal(policy.Statement.length, 1);
    assert.equal(policy.Statement[0]!.Effect, 'Allow');
    return policy.Statement[0]!;
  };

  before(async () => {
    api = await activate();
    const file = join(mkdtempSync(join(tmpdir(), 'cai-gaps-')), 'gaps.json');
    writeFileSync(file, JSON.stringify(snapshotWithGaps(), null, 2));
    id = (await vscode.commands.executeCommand<string>('cognitoAccess.openSnapshot', vscode.Uri.file(file)))!;
    await api.store.get(id)!.load();
    root = (await api.explorer.getChildren())!.find((n) => n.connection.spec.id === id)!;
  });

  after(async () => {
    if (root) await vscode.commands.executeCommand('cognitoAccess.removeConnection', root);
  });

  it('shows the role mappings gap under the identity pool instead of an empty "Role mappings" and "No default roles"', async () => {
    const identityPools = await child(root, 'Identity pools');
    const books = await child(identityPools.node, 'books');
    const children = await items(books.node);
    const gap = await child(books.node, 'Role mappings');
    assertGapNode(gap.item, 'Role mappings and default roles: not readable', 'cognito-identity:GetIdentityPoolRoles');
    const tooltip = (gap.item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /cognito-identity:GetIdentityPoolRoles/, 'the operation');
    assert.match(tooltip, /AccessDeniedException/, 'the error');
    // The message is appended as text (escaped, spaces as &nbsp;): compare it as shown.
    assert.match(tooltip.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1'), /is not authorized to perform: cognito-identity:GetIdentityPoolRoles/, 'the message');
    const labels = children.map((c) => label(c.item));
    assert.ok(!labels.includes('Role mappings'), `no empty Role mappings folder: ${labels.join(', ')}`);
    assert.ok(!labels.includes('No default roles'), `no "No default roles": ${labels.join(', ')}`);
    assert.ok(labels.includes('Providers'), 'what was read still shows');

    const statement = await copied(gap.node);
    assert.equal(statement.Action, 'cognito-identity:GetIdentityPoolRoles');
    assert.equal(statement.Resource, `arn:aws:cognito-identity:${REGION}:${ACCOUNT}:identitypool/${BOOKS_IDENTITY_POOL}`);
  });

  it('shows the groups gap under the user pool, next to the groups that were read', async () => {
    const userPools = await child(root, 'User pools');
    const books = await child(userPools.node, 'books');
    const gap = await child(books.node, 'Groups:');
    assertGapNode(gap.item, 'Groups: not readable', 'cognito-idp:ListGroups');
    const groups = await child(books.node, 'Groups');
    assert.equal(label(groups.item), 'Groups');
    assert.deepEqual((await items(groups.node)).map((c) => label(c.item)), ['BooksRead']);
    const statement = await copied(gap.node);
    assert.equal(statement.Action, 'cognito-idp:ListGroups');
    assert.equal(statement.Resource, `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${BOOKS_USER_POOL}`);
  });

  it('shows the GetRole gap on the role node, with the policies that were read', async () => {
    const userPools = await child(root, 'User pools');
    const books = await child(userPools.node, 'books');
    const groups = await child(books.node, 'Groups');
    const booksRead = await child(groups.node, 'BooksRead');
    const role = await child(booksRead.node, 'BooksReadAccess');
    assert.match(String(role.item.description), /unreadable/);
    const gap = await child(role.node, 'Role and trust policy');
    assertGapNode(gap.item, 'Role and trust policy: not readable', 'iam:GetRole');
    const labels = (await items(role.node)).map((c) => label(c.item));
    assert.ok(labels.includes('Permissions'), labels.join(', '));
    assert.ok(!labels.includes('Trust policy'), 'no trust policy node for a document that was not read');
    const statement = await copied(gap.node);
    assert.equal(statement.Action, 'iam:GetRole');
    assert.equal(statement.Resource, BOOKS_READ_ROLE);
  });

  it('shows a list call\'s gap under the connection', async () => {
    const gap = await child(root, 'Identity pools:');
    assertGapNode(gap.item, 'Identity pools: not readable', 'cognito-identity:ListIdentityPools');
    assert.match(String(api.explorer.getTreeItem(root).description), /scan incomplete/);
    const statement = await copied(gap.node);
    assert.equal(statement.Action, 'cognito-identity:ListIdentityPools');
    assert.equal(statement.Resource, '*');
  });

  it('lists SCAN_INCOMPLETE in the Findings view and reveals each, an account-wide one included', async () => {
    const connectionItem = api.findings.getChildren().find((i) => i.kind === 'connection' && i.connection.spec.id === id)!;
    const gapFindings = api.findings.getChildren(connectionItem).filter((i): i is Extract<FindingsItem, { kind: 'finding' }> => i.kind === 'finding' && i.finding.code === 'SCAN_INCOMPLETE');
    assert.deepEqual(gapFindings.map((i) => i.finding.subject.kind).sort(), ['account', 'identityPool', 'role', 'userPool']);
    const account = gapFindings.find((i) => i.finding.subject.kind === 'account')!;
    const item = api.findings.getTreeItem(account);
    assert.equal(item.description, `SCAN_INCOMPLETE · account ${ACCOUNT}/${REGION}`);
    assert.equal(iconOf(item)?.id, 'warning');
    assert.equal(item.command?.command, 'cognitoAccess.revealFinding');

    const revealed = await vscode.commands.executeCommand<Node>('cognitoAccess.revealFinding', account);
    assert.ok(revealed, 'the account-wide finding has a node');
    assert.equal(label(api.explorer.getTreeItem(revealed)), 'Identity pools: not readable');
    assert.equal(revealed.parent, root);

    const pool = gapFindings.find((i) => i.finding.subject.kind === 'identityPool')!;
    const poolGap = await vscode.commands.executeCommand<Node>('cognitoAccess.revealFinding', pool);
    assert.equal(label(api.explorer.getTreeItem(poolGap)), 'Role mappings and default roles: not readable');
  });

  it('reports the gaps in Diagnose without failing on the account-wide one', async () => {
    const diagnosis = await vscode.commands.executeCommand<{ findings: { code: string }[] }>('cognitoAccess.diagnose', id);
    assert.equal(diagnosis.findings.filter((f) => f.code === 'SCAN_INCOMPLETE').length, 4);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

describe('Explorer: cancelling a scan', function () {
  this.timeout(60_000);
  let api: CognitoAccessApi;
  let server: Server;
  const sockets: Socket[] = [];
  const savedConfigFile = process.env.AWS_CONFIG_FILE;
  const profile = 'cai-blackhole';
  let id: string | undefined;

  before(async () => {
    api = await activate();
    // An endpoint that accepts connections and never answers: every AWS call hangs.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'cai-blackhole-'));
    const config = join(dir, 'config');
    writeFileSync(config, [
      `[profile ${profile}]`, `region = ${REGION}`, `endpoint_url = http://127.0.0.1:${port}`,
      'aws_access_key_id = AKIAIOSFODNN7BLACKHOLE', 'aws_secret_access_key = not-a-secret-blackhole-test-key', '',
      ...(savedConfigFile ? [readFileSync(savedConfigFile, 'utf8')] : []),
    ].join('\n'));
    process.env.AWS_CONFIG_FILE = config;
  });

  after(async () => {
    if (savedConfigFile === undefined) delete process.env.AWS_CONFIG_FILE;
    else process.env.AWS_CONFIG_FILE = savedConfigFile;
    if (id) await api.store.remove(id);
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('stops within a second while a call hangs, shows "Scan cancelled", and Refresh scans again', async () => {
    const connection = await api.store.add({ kind: 'aws', profile, region: REGION });
    id = connection.spec.id;
    const loading = connection.load();
    loading.catch(() => undefined);
    await waitFor('the scan to reach the silent endpoint', () => sockets.length > 0);
    assert.equal(connection.state, 'loading');

    const cancelledAt = Date.now();
    assert.equal(connection.cancelLoad(), true);
    await assert.rejects(loading, { name: 'ScanCancelledError' });
    assert.ok(Date.now() - cancelledAt < 1000, `stopped in ${Date.now() - cancelledAt} ms`);
    assert.equal(connection.state, 'cancelled');
    assert.equal(connection.error, undefined, 'a cancel is not an error');

    const root = (await api.explorer.getChildren())!.find((n) => n.connection.spec.id === id)!;
    assert.equal(api.explorer.getTreeItem(root).description, 'scan cancelled');
    const children = ((await api.explorer.getChildren(root)) ?? []).map((n) => api.explorer.getTreeItem(n));
    assert.deepEqual(children.map(label), ['Scan cancelled'], 'one calm node, no error and no automatic rescan');
    assert.equal(children[0]!.command?.command, 'cognitoAccess.refresh');
    assert.equal(connection.state, 'cancelled', 'showing the node did not start another scan');

    // Refresh scans again (and can be cancelled again).
    const seen = sockets.length;
    const refreshing = vscode.commands.executeCommand('cognitoAccess.refresh', root);
    await waitFor('the new scan to reach the endpoint', () => connection.state === 'loading' && sockets.length > seen);
    assert.equal(connection.cancelLoad(), true);
    await refreshing;
    assert.equal(connection.state, 'cancelled');
  });

  it('keeps the previous scan when a refresh of a loaded connection is cancelled; the next refresh loads', async function () {
    if (!sandbox) return this.skip();
    const connection = await api.store.add({ kind: 'aws', profile: sandbox.profile, region: sandbox.region });
    const first = await connection.load();
    const refreshing = connection.load(true);
    assert.equal(connection.cancelLoad(), true);
    assert.equal(await refreshing, first, 'the previous account stays');
    assert.equal(connection.state, 'loaded');
    assert.equal(connection.cancelled, true);
    const root = (await api.explorer.getChildren())!.find((n) => n.connection.spec.id === connection.spec.id)!;
    assert.match(String(api.explorer.getTreeItem(root).description), /^refresh cancelled · AWS/);
    await vscode.commands.executeCommand('cognitoAccess.refresh', root);
    assert.equal(connection.state, 'loaded');
    assert.equal(connection.cancelled, false);
    assert.ok(connection.account!.loadedAt > first.loadedAt, 'scanned again');
  });
});
