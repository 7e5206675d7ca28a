// "Explain an AWS Error..." and the access matrix in a real VS Code, through the commands (with
// argument objects, as automation would): offline over the sample account and a snapshot file;
// with the sandbox, an AccessDenied the sandbox's own probe answered is pasted and explained.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestUserResult } from '../../../src/vscode/commands/testUser.ts';
import type { ExplainView, MatrixView, ProbeView } from '../../../src/webview/protocol.ts';
import { userByName } from '../../sandbox/seed.ts';
import { activate, closeAllEditors, sampleUri, waitFor } from './helpers.ts';

const sandbox = process.env.COGNITO_SANDBOX
  ? (JSON.parse(process.env.COGNITO_SANDBOX) as { region: string; profile: string; userPoolId: string; clients: { web: string }; identityPools: Record<string, string> })
  : undefined;

const deniedPut = (role: string) =>
  `An error occurred (AccessDeniedException) when calling the PutItem operation: User: arn:aws:sts::123456789012:assumed-role/${role}/CognitoIdentityCredentials is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-central-1:123456789012:table/book-table because no identity-based policy allows the dynamodb:PutItem action`;

const panelTab = (viewType: string) =>
  waitFor(`a ${viewType} tab`, () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType)));

describe('Explain an AWS Error (offline)', () => {
  let sample: string;
  before(async () => {
    await activate();
    sample = (await vscode.commands.executeCommand<string>('cognitoAccess.openSample'))!;
  });
  afterEach(closeAllEditors);

  it('finds the role in the one connection that holds it, and names the closest statement and the fix', async () => {
    // A snapshot whose role name no other connection has, so the command finds it without asking.
    const dir = mkdtempSync(join(tmpdir(), 'cognito-explain-'));
    const file = join(dir, 'explain-only.json');
    writeFileSync(file, readFileSync(sampleUri('seed-healthy.json').fsPath, 'utf8').split('BooksReadAccess').join('ExplainOnlyRole'));
    const id = await vscode.commands.executeCommand<string>('cognitoAccess.openSnapshot', vscode.Uri.file(file));
    assert.ok(id);
    const view = await vscode.commands.executeCommand<ExplainView>('cognitoAccess.explainError', { text: deniedPut('ExplainOnlyRole') });
    assert.ok(view, 'the command returns the view');
    assert.equal(view.connection?.id, id);
    assert.equal(view.access?.roleName, 'ExplainOnlyRole');
    assert.equal(view.access?.explanation.closest?.label, 'Statement[0]');
    assert.match(view.access?.explanation.suggestion ?? '', /add "dynamodb:PutItem" to its Action/);
    assert.equal(view.access?.revealable, true);
    await panelTab('cognitoAccess.explainError');
  });

  it('InvalidIdentityPoolConfiguration for a pool: the refused role first, with the corrected trust policy', async () => {
    const view = await vscode.commands.executeCommand<ExplainView>('cognitoAccess.explainError', {
      text: 'InvalidIdentityPoolConfigurationException: Invalid identity pool configuration. Check assigned IAM roles for this pool.', connection: sample, identityPoolId: 'eu-central-1:bbbbbbbb-1111-2222-3333-444444444444', quiet: true,
    });
    const role = view.pool?.roles[0];
    assert.equal(role?.roleName, 'BooksReadBroken');
    assert.equal(role?.status, 'refused');
    assert.ok(role?.findings.some((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID'));
    assert.match(role?.correctedTrustPolicy ?? '', /eu-central-1:bbbbbbbb-1111-2222-3333-444444444444/);
  });

  it('an editor selection, and a text it does not understand', async () => {
    const document = await vscode.workspace.openTextDocument({ content: `log line\n${deniedPut('BooksWriteAccess').replace('PutItem on', 'DescribeTable on').replace(/dynamodb:PutItem/g, 'dynamodb:DescribeTable')}\n` });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, document.lineAt(1).text.length);
    const explained = await vscode.commands.executeCommand<ExplainView>('cognitoAccess.explainSelection', { connection: sample, quiet: true });
    assert.ok(explained);
    assert.equal(explained.access?.action, 'dynamodb:DescribeTable');
    const unknown = await vscode.commands.executeCommand<ExplainView>('cognitoAccess.explainError', { text: 'The server is on fire', quiet: true });
    assert.equal(unknown.understood, false);
    assert.ok(unknown.understoodForms.some((f) => f.startsWith('NotAuthorizedException')));
  });

  it('Who Can Access a table, What Can a group do: the matrix panel', async () => {
    const who = await vscode.commands.executeCommand<MatrixView>('cognitoAccess.whoCanAccess', { connection: sample, table: 'user-notes' });
    assert.equal(who.title, 'Who can access user-notes');
    const notes = who.rows.find((r) => r.label.startsWith('group NotesOwn (precedence 3) of books '))!;
    assert.equal(who.cells.find((c) => c.rowId === notes.id && c.action === 'dynamodb:GetItem')?.outcome, 'own-partition');
    assert.equal(who.rows.find((r) => r.roleName === 'BooksReadBroken')?.credentials, false);
    await panelTab('cognitoAccess.accessMatrix');
    const what = await vscode.commands.executeCommand<MatrixView>('cognitoAccess.whatCanItDo', { connection: sample, roleArn: 'arn:aws:iam::123456789012:role/BooksWriteAccess' });
    assert.ok(what.rows.every((r) => r.roleName === 'BooksWriteAccess'));
    assert.ok(what.cells.some((c) => c.action === 'dynamodb:PutItem' && c.outcome === 'allowed'));
  });
});

describe('Explain an AWS Error: an AccessDenied the sandbox answered', function () {
  this.timeout(120_000);
  let connection: string;

  before(async function () {
    if (!sandbox) return this.skip();
    await activate();
    connection = (await vscode.commands.executeCommand<string>('cognitoAccess.connect', { profile: sandbox.profile, region: sandbox.region }))!;
  });
  afterEach(closeAllEditors);

  it('testuser1\'s denied PutItem, pasted: the statement of BooksReadAccess and the change that allows it', async () => {
    const result = await vscode.commands.executeCommand<TestUserResult>('cognitoAccess.testUser', {
      connection, userPoolId: sandbox!.userPoolId, clientId: sandbox!.clients.web, username: 'testuser1', password: userByName('testuser1').password, identityPoolId: sandbox!.identityPools.books,
    });
    const probe = await vscode.commands.executeCommand<ProbeView>('cognitoAccess.probe', { sessionId: result.sessionId });
    const put = probe.cells.find((c) => c.action === 'dynamodb:PutItem' && c.live === 'denied');
    assert.ok(put?.awsMessage, 'the live probe\'s AccessDenied');
    const view = await vscode.commands.executeCommand<ExplainView>('cognitoAccess.explainError', { text: put.awsMessage, connection });
    assert.equal(view.kind, 'access-denied');
    assert.equal(view.access?.roleName, 'BooksReadAccess');
    assert.equal(view.access?.identityPoolId, sandbox!.identityPools.books);
    assert.equal(view.access?.agrees, true, 'the engine denies too');
    const closest = view.access?.explanation.closest;
    assert.equal(closest?.policy, 'BooksRead');
    assert.equal(closest?.label, 'Statement[0]');
    assert.match(view.access?.explanation.suggestion ?? '', /^Statement\[0\] of identity-based policy "BooksRead" comes closest; .*add "dynamodb:PutItem" to its Action/);
    assert.match(view.access?.explanation.suggestedStatement ?? '', /"dynamodb:PutItem"/);
    await panelTab('cognitoAccess.explainError');
  });
});
