// The explorer tree and its commands in a real VS Code: the sample account offline, and the local
// AWS sandbox through the cognito-sandbox profile when the runner started one (COGNITO_SANDBOX).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/diagnose.ts';
import type { SimulationResult } from '../../../src/core/simulate.ts';
import type { CognitoAccessApi } from '../../../src/extension.ts';
import type { FindingsItem } from '../../../src/vscode/tree/explorer.ts';
import type { Node } from '../../../src/vscode/tree/node.ts';
import { activate, closeAllEditors, openDocumentsContaining, waitFor } from './helpers.ts';

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
    const trust = await walk(api, id, 'Identity pools', 'books-broken', 'Role mappings', ':webclient', '1. ', 'BooksReadBroken', 'Trust policy');
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
    const result = await vscode.commands.executeCommand<SimulationResult>('cognitoAccess.simulateAsGroups', undefined, { connection: id, groups: ['BooksRead'], identityPoolId: 'eu-central-1:aaaaaaaa-1111-2222-3333-444444444444' });
    assert.equal(result.resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksReadAccess');
    await waitFor('the simulation report', () => openDocumentsContaining('markdown', '# Sign-in as a member of BooksRead')[0]);
    const tie = await vscode.commands.executeCommand<SimulationResult>('cognitoAccess.simulateAsGroups', undefined, { connection: id, groups: ['Editors', 'Reviewers'], identityPoolId: 'eu-central-1:cccccccc-1111-2222-3333-444444444444', quiet: true });
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

  it('reveals a finding of the Findings view in the tree', async () => {
    const account = api.store.get(id)!.account!;
    const finding = account.diagnosis.findings.find((f) => f.code === 'GROUP_PRECEDENCE_TIE')!;
    const item: FindingsItem = { kind: 'finding', connection: api.store.get(id)!, finding };
    const node = await vscode.commands.executeCommand<Node>('cognitoAccess.revealFinding', item);
    assert.equal(node.id, `connection:sample/userPools/userPool:eu-central-1_BOOKS1234/groups/group:Editors`);
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
    const trust = await walk(api, id, 'Identity pools', 'books-broken', 'Role mappings', ':webclient', '1. ', 'BooksReadBroken', 'Trust policy');
    assert.match(String(api.explorer.getTreeItem(trust).description), /TRUST_AUD_IS_USER_POOL_ID/);
  });

  it('remembers the connection (profile and region, no credentials)', () => {
    assert.deepEqual(api.store.get(id)!.spec, { kind: 'aws', id, profile: sandbox!.profile, region: sandbox!.region });
  });
});
