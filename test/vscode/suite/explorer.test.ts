// The explorer tree and its commands in a real VS Code: the sample account offline, and the local
// AWS sandbox through the cognito-sandbox profile when the runner started one (COGNITO_SANDBOX).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/diagnose.ts';
import type { SimulationResult } from '../../../src/core/simulate.ts';
import type { CognitoAccessApi } from '../../../src/extension.ts';
import type { FindingsItem } from '../../../src/vscode/tree/explorer.ts';
import type { Node } from '../../../src/vscode/tree/node.ts';
import { activate, closeAllEditors, openDocumentsContaining, sampleUri, waitFor } from './helpers.ts';

const sandbox = process.env.COGNITO_SANDBOX ? (JSON.parse(process.env.COGNITO_SANDBOX) as { region: string; profile: string; identityPools: Record<string, string> }) : undefined;

const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

/** Walks the tree by labels (a label may be a prefix), as a user expands nodes. */
async function walk(api: CognitoAccessApi, connectionId: string, ...labels: string[]): Promise<Node> {
  const roots = (await api.explorer.getChildren()) ?? [];
  let node = roots.find((n) => n.connection.spec.id === connectionId);
  assert.ok(node, `connection ${connectionId} in the tree`);
  for (const wanted of labels) {
    // Finding nodes (messages under the node they are about) are not part of the path.
    const children: Node[] = ((await api.explorer.getChildren(node)) ?? []).filter((c) => !String(api.explorer.getTreeItem(c).contextValue).startsWith('finding'));
    const labelOf = (c: Node) => label(api.explorer.getTreeItem(c));
    const next: Node | undefined = children.find((c) => labelOf(c) === wanted) ?? children.find((c) => labelOf(c).includes(wanted));
    assert.ok(next, `"${wanted}" under "${label(api.explorer.getTreeItem(node))}" (found: ${children.map((c) => label(api.explorer.getTreeItem(c))).join(', ')})`);
    node = next;
  }
  return node;
}

const iconId = (item: vscode.TreeItem): string | undefined => (item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined);

describe('Explorer: the sample account', () => {
  let api: CognitoAccessApi;
  let id: string;

  before(async () => {
    api = await activate();
    id = (await vscode.commands.executeCommand<string>('cognitoAccess.openSample'))!;
    assert.equal(id, 'sample');
  });
  afterEach(closeAllEditors);

  it('shows groups by precedence with their roles', async () => {
    const groups = await walk(api, id, 'User pools', 'books', 'Groups');
    const items = ((await api.explorer.getChildren(groups)) ?? []).map((n) => api.explorer.getTreeItem(n));
    assert.deepEqual(items.map(label).slice(0, 3), ['Admins', 'BooksRead', 'BooksWrite']);
    const booksRead = items.find((i) => label(i) === 'BooksRead')!;
    assert.equal(booksRead.description, 'precedence 1 · BooksReadAccess');
    assert.match(String((booksRead.tooltip as vscode.MarkdownString).value), /Precedence \| 1/);
    const editors = items.find((i) => label(i) === 'Editors')!;
    assert.equal(iconId(editors), 'warning', 'the precedence tie is badged on the group');
  });

  it('badges the broken trust policy of books-broken with its finding', async () => {
    const trust = await walk(api, id, 'Identity pools', 'books-broken', 'Role mappings', ':webclient', 'Rules[0]: ', 'BooksReadBroken', 'Trust policy');
    const item = api.explorer.getTreeItem(trust);
    assert.equal(iconId(item), 'error');
    assert.match(String(item.description), /TRUST_AUD_IS_USER_POOL_ID/);
    const children = ((await api.explorer.getChildren(trust)) ?? []).map((n) => api.explorer.getTreeItem(n));
    assert.ok(children.some((c) => label(c).includes('eu-central-1_BOOKS1234') && c.description === 'TRUST_AUD_IS_USER_POOL_ID'), 'the finding is a child with the real values');
  });

  it('runs Diagnose into a readable report', async () => {
    const diagnosis = await vscode.commands.executeCommand<Diagnosis>('cognitoAccess.diagnose', id);
    assert.ok(diagnosis.findings.some((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID'));
    await waitFor('the diagnosis report', () => openDocumentsContaining('markdown', '# Cognito access diagnosis: Sample account')[0]);
  });

  it('opens a policy document decoded and pretty-printed, read-only', async () => {
    const policy = await walk(api, id, 'User pools', 'books', 'Groups', 'BooksRead', 'BooksReadAccess', 'Permissions', 'BooksRead');
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('cognitoAccess.openPolicyDocument', policy);
    assert.equal(document.uri.scheme, 'cognito-access-policy');
    assert.equal(document.languageId, 'json');
    const parsed = JSON.parse(document.getText()) as { Version: string; Statement: unknown[] };
    assert.equal(parsed.Version, '2012-10-17');
    assert.match(document.getText(), /^\{\n {2}"Version"/, 'pretty-printed');
  });

  it('simulates a member of chosen groups, offline', async () => {
    const result = await vscode.commands.executeCommand<SimulationResult>('cognitoAccess.simulateAsGroups', undefined, { connection: id, groups: ['BooksRead'], identityPoolId: 'eu-central-1:aaaaaaaa-1111-2222-3333-444444444444', clientId: 'web' });
    assert.equal(result.resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksReadAccess');
    // books trusts two app clients of the pool (web, mobile): the client is named, or asked; the
    // sample has two user pools (books, books-trigger), so without a node the pool is named too.
    const mobile = await vscode.commands.executeCommand<SimulationResult>('cognitoAccess.simulateAsGroups', undefined, { connection: id, groups: ['BooksRead'], identityPoolId: 'eu-central-1:aaaaaaaa-1111-2222-3333-444444444444', clientId: 'mobile', quiet: true });
    assert.equal(mobile.resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksReadAccess');
    await waitFor('the simulation report', () => openDocumentsContaining('markdown', '# Sign-in as a member of BooksRead')[0]);
    const tie = await vscode.commands.executeCommand<SimulationResult>('cognitoAccess.simulateAsGroups', undefined, { connection: id, userPoolId: 'eu-central-1_BOOKS1234', groups: ['Editors', 'Reviewers'], identityPoolId: 'eu-central-1:cccccccc-1111-2222-3333-444444444444', quiet: true });
    assert.equal(tie.resolution.error?.code, 'NotAuthorizedException');
  });

  it('exports the connection as a snapshot file', async () => {
    const target = vscode.Uri.file(join(mkdtempSync(join(tmpdir(), 'cai-export-')), 'sample.json'));
    const root = (await api.explorer.getChildren())!.find((n) => n.connection.spec.id === id)!;
    await vscode.commands.executeCommand('cognitoAccess.exportSnapshot', root, target);
    const written = JSON.parse(readFileSync(target.fsPath, 'utf8')) as { format: string; userPools: { Id: string }[] };
    assert.equal(written.format, 'cognito-access-snapshot/v1');
    assert.equal(written.userPools[0]!.Id, 'eu-central-1_BOOKS1234');
  });

  it('copies a role ARN', async () => {
    const role = await walk(api, id, 'User pools', 'books', 'Groups', 'BooksRead', 'BooksReadAccess');
    assert.equal(await vscode.commands.executeCommand('cognitoAccess.copyArn', role), 'arn:aws:iam::123456789012:role/BooksReadAccess');
    assert.equal(await vscode.env.clipboard.readText(), 'arn:aws:iam::123456789012:role/BooksReadAccess');
  });

  it('opens a role in the AWS console', async () => {
    const role = await walk(api, id, 'User pools', 'books', 'Groups', 'BooksRead', 'BooksReadAccess');
    assert.equal(await vscode.commands.executeCommand('cognitoAccess.openInConsole', role), 'https://console.aws.amazon.com/iam/home#/roles/details/BooksReadAccess');
  });

  it('refreshes a connection: it loads again', async () => {
    const before = api.store.get(id)!.account!.loadedAt;
    const root = (await api.explorer.getChildren())!.find((n) => n.connection.spec.id === id)!;
    await vscode.commands.executeCommand('cognitoAccess.refresh', root);
    assert.ok(api.store.get(id)!.account!.loadedAt > before);
    assert.ok(await walk(api, id, 'User pools', 'books'));
  });

  it('reveals a finding of the Findings view in the tree', async () => {
    const account = api.store.get(id)!.account!;
    const finding = account.diagnosis.findings.find((f) => f.code === 'GROUP_PRECEDENCE_TIE')!;
    const item: FindingsItem = { kind: 'finding', connection: api.store.get(id)!, finding };
    const node = await vscode.commands.executeCommand<Node>('cognitoAccess.revealFinding', item);
    assert.equal(node.id, `connection:sample/userPools/userPool:eu-central-1_BOOKS1234/groups/group:Editors`);
  });
});

describe('Explorer: snapshot files', () => {
  let api: CognitoAccessApi;
  const dir = mkdtempSync(join(tmpdir(), 'cai-snapshots-'));
  before(async () => {
    api = await activate();
  });

  it('pages users 50 at a time', async () => {
    const sample = JSON.parse(readFileSync(sampleUri('sample-account.json').fsPath, 'utf8')) as { userPools: { Users: { Username: string; Groups: string[] }[] }[] };
    sample.userPools[0]!.Users = Array.from({ length: 120 }, (_, i) => ({ Username: `user${String(i).padStart(3, '0')}`, Groups: ['BooksRead'] }));
    const file = join(dir, 'many-users.json');
    writeFileSync(file, JSON.stringify(sample));
    const id = (await vscode.commands.executeCommand<string>('cognitoAccess.openSnapshot', vscode.Uri.file(file)))!;
    const users = await walk(api, id, 'User pools', 'books', 'Users');
    const page = async () => ((await api.explorer.getChildren(users)) ?? []).map((n) => label(api.explorer.getTreeItem(n)));
    let shown = await page();
    assert.equal(shown.length, 51);
    assert.equal(shown[50], 'Show 50 more of 70…');
    await vscode.commands.executeCommand('cognitoAccess.loadMoreUsers', users);
    shown = await page();
    assert.equal(shown.length, 101);
    assert.equal(shown[100], 'Show 20 more of 20…');
  });

  it('shows why a broken snapshot failed to load, as a node that opens the log', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ format: 'cognito-access-snapshot/v1', region: 'eu-central-1', accountId: '123456789012', userPools: [{ Id: 7 }] }));
    const id = (await vscode.commands.executeCommand<string>('cognitoAccess.openSnapshot', vscode.Uri.file(file)))!;
    await waitFor('the load to fail', () => api.store.get(id)!.state === 'error');
    const root = (await api.explorer.getChildren())!.find((n) => n.connection.spec.id === id)!;
    const [error] = (await api.explorer.getChildren(root))!.map((n) => api.explorer.getTreeItem(n));
    assert.match(label(error!), /^Failed to load: .*broken\.json: userPools\[0\]\.Id: expected a string, found a number \(7\)/);
    assert.equal(error!.command?.command, 'cognitoAccess.showLog');
    await vscode.commands.executeCommand('cognitoAccess.removeConnection', root);
    assert.equal(api.store.get(id), undefined);
  });

  it('shows the connections of the cognitoAccess.connections setting', async () => {
    const config = vscode.workspace.getConfiguration('cognitoAccess');
    await config.update('connections', [{ profile: 'team-prod', region: 'eu-west-1' }], vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the configured connection', () => api.store.get('aws:team-prod:eu-west-1'));
    } finally {
      await config.update('connections', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('Explorer: the sandbox through Connect to AWS', function () {
  this.timeout(60_000);
  let api: CognitoAccessApi;
  let id: string;

  before(async function () {
    if (!sandbox) return this.skip();
    api = await activate();
    id = (await vscode.commands.executeCommand<string>('cognitoAccess.connect', { profile: sandbox.profile, region: sandbox.region }))!;
    await api.store.get(id)!.load();
  });

  it('scans the account: BooksRead shows precedence 1 · BooksReadAccess', async () => {
    const booksRead = await walk(api, id, 'User pools', 'books', 'Groups', 'BooksRead');
    assert.equal(api.explorer.getTreeItem(booksRead).description, 'precedence 1 · BooksReadAccess');
  });

  it('shows the books-broken role with its trust error', async () => {
    const trust = await walk(api, id, 'Identity pools', 'books-broken', 'Role mappings', ':webclient', 'Rules[0]: ', 'BooksReadBroken', 'Trust policy');
    assert.match(String(api.explorer.getTreeItem(trust).description), /TRUST_AUD_IS_USER_POOL_ID/);
  });

  it('loads users on demand', async () => {
    const users = await walk(api, id, 'User pools', 'books', 'Users');
    assert.equal(api.explorer.getTreeItem(users).description, 'not loaded');
    await vscode.commands.executeCommand('cognitoAccess.loadUsers', users);
    const again = await walk(api, id, 'User pools', 'books', 'Users');
    const names = ((await api.explorer.getChildren(again)) ?? []).map((n) => label(api.explorer.getTreeItem(n)));
    assert.ok(['testuser1', 'writer', 'admin', 'tied', 'nogroup', 'noteuser'].every((u) => names.includes(u)), names.join(', '));
  });

  it('remembers the connection (profile and region, no credentials)', () => {
    assert.deepEqual(api.store.get(id)!.spec, { kind: 'aws', id, profile: sandbox!.profile, region: sandbox!.region });
  });
});
