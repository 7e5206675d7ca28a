// Extension entry point. activate() builds the log, the connection store and the views, and
// registers commands; nothing else. The engine (dist/engine.js) and the AWS SDK (dist/aws.js)
// load on first use, so activation stays fast.
import * as vscode from 'vscode';
import { connect, exportSnapshot, openSample, openSnapshot } from './vscode/commands/connect.ts';
import type { ConnectArgs } from './vscode/commands/connect.ts';
import { copyArn, copyGapPolicy, diagnoseConnection, loadMoreUsers, loadUsers, openInConsole, openPolicyDocument, revealFinding, simulateAsGroups } from './vscode/commands/nodes.ts';
import type { SimulateArgs } from './vscode/commands/nodes.ts';
import { ConnectionStore, ScanCancelledError } from './vscode/connections.ts';
import { diagnoseSnapshotCommand } from './vscode/diagnoseSnapshot.ts';
import { registerPanels } from './vscode/panels/register.ts';
import { registerInsights } from './vscode/panels/registerInsights.ts';
import { Log } from './vscode/log.ts';
import { POLICY_SCHEME, PolicyDocumentProvider } from './vscode/policyDocuments.ts';
import { registerReports } from './vscode/reportDocuments.ts';
import { openTemplate } from './vscode/commands/openTemplate.ts';
import { registerTemplateDiagnostics } from './vscode/templates/diagnostics.ts';
import type { TemplateDiagnostics } from './vscode/templates/diagnostics.ts';
import { ExplorerProvider, FindingsProvider } from './vscode/tree/explorer.ts';
import type { FindingsItem } from './vscode/tree/explorer.ts';
import type { Node } from './vscode/tree/node.ts';
import { GapNode } from './vscode/tree/gapNodes.ts';
import type { PolicyNode, TrustPolicyNode } from './vscode/tree/roleNodes.ts';
import type { UsersNode } from './vscode/tree/poolNodes.ts';

/** What activate() returns: handy for the extension-host tests. */
export interface CognitoAccessApi {
  store: ConnectionStore;
  explorer: ExplorerProvider;
  findings: FindingsProvider;
  /** Template diagnostics and quick fixes (collection cognitoAccess.templates). */
  templates: TemplateDiagnostics;
}

export function activate(context: vscode.ExtensionContext): CognitoAccessApi {
  const channel = vscode.window.createOutputChannel('Cognito Access', { log: true });
  const log = new Log(channel);
  const store = new ConnectionStore(context.globalState, context.extensionUri, log.for('connection'));
  const explorer = new ExplorerProvider(store);
  const findings = new FindingsProvider(store);
  const view = vscode.window.createTreeView('cognitoAccess.explorer', { treeDataProvider: explorer, showCollapseAll: true });
  const findingsView = vscode.window.createTreeView('cognitoAccess.findings', { treeDataProvider: findings });
  const refreshNode = (node: Node) => explorer.refreshNode(node);

  const command = (id: string, run: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (run as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        // A scan the user cancelled is not an error (the connection shows "Scan cancelled").
        if (error instanceof ScanCancelledError) return undefined;
        const message = error instanceof Error ? error.message : String(error);
        log.for('command').error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
    });

  const templates = registerTemplateDiagnostics(log.for('templates'), command);
  context.subscriptions.push(
    channel,
    store,
    explorer,
    findings,
    view,
    findingsView,
    vscode.workspace.registerTextDocumentContentProvider(POLICY_SCHEME, new PolicyDocumentProvider(store)),
    registerReports(),
    command('cognitoAccess.connect', (args?: ConnectArgs) => connect(store, log.for('connect'), args)),
    command('cognitoAccess.openSample', () => openSample(store)),
    command('cognitoAccess.openSnapshot', (uri?: vscode.Uri) => openSnapshot(store, uri)),
    command('cognitoAccess.exportSnapshot', (node?: Node, target?: vscode.Uri) => exportSnapshot(store, node, target)),
    command('cognitoAccess.removeConnection', (node?: Node) => (node ? store.remove(node.connection.spec.id) : undefined)),
    command('cognitoAccess.refresh', (node?: Node) => explorer.refresh(node)),
    command('cognitoAccess.diagnose', (node?: Node | string) => diagnoseConnection(store, node)),
    command('cognitoAccess.diagnoseSnapshot', (uri?: vscode.Uri) => diagnoseSnapshotCommand(uri, log.for('diagnose'))),
    command('cognitoAccess.openPolicyDocument', (node: PolicyNode | TrustPolicyNode) => openPolicyDocument(node)),
    command('cognitoAccess.copyArn', (node: Node) => copyArn(node)),
    // From the context menu on a gap node, or from the palette while one is selected.
    command('cognitoAccess.copyGapPolicy', (node?: GapNode) => copyGapPolicy(node ?? view.selection.find((n): n is GapNode => n instanceof GapNode))),
    view.onDidChangeSelection((e) => void vscode.commands.executeCommand('setContext', 'cognitoAccess.gapSelected', e.selection.some((n) => n instanceof GapNode))),
    command('cognitoAccess.openInConsole', (node: Node) => openInConsole(node)),
    command('cognitoAccess.simulateAsGroups', (node?: Node, args?: SimulateArgs) => simulateAsGroups(store, node, args)),
    command('cognitoAccess.loadUsers', (node: UsersNode) => loadUsers(node, log.for('users'))),
    command('cognitoAccess.loadMoreUsers', (node: UsersNode) => loadMoreUsers(node, { refreshNode })),
    command('cognitoAccess.revealFinding', (item: FindingsItem) => revealFinding(explorer, view, item)),
    command('cognitoAccess.showLog', () => log.show()),
    ...registerPanels(context, store, log, command),
    ...registerInsights(context, { store, log, explorer, view }, command),
    command('cognitoAccess.openTemplate', (uri?: vscode.Uri) => openTemplate(store, uri)),
    ...templates.disposables,
  );
  log.info('activated');
  return { store, explorer, findings, templates: templates.diagnostics };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
