// Registers "Explain an AWS Error..." (palette, editor and terminal selections), "Who Can
// Access..." and "What Can It Do...", and their panels' serializers. Cheap: nothing here loads the
// engine; that happens when a command runs.
import * as vscode from 'vscode';
import { explainEditorSelection, explainErrorCommand, explainTerminalSelection, type ExplainArgs, type ExplainDeps } from '../commands/explainError.ts';
import { whatCanItDo, whoCanAccess, type WhatCanItDoArgs, type WhoCanAccessArgs } from '../commands/accessMatrix.ts';
import type { ConnectionStore } from '../connections.ts';
import type { Log } from '../log.ts';
import type { ExplorerProvider } from '../tree/explorer.ts';
import { IdentityPoolsNode } from '../tree/identityPoolNodes.ts';
import type { Node } from '../tree/node.ts';
import { RoleNode } from '../tree/roleNodes.ts';
import { EXPLAIN_VIEW_TYPE, MATRIX_VIEW_TYPE, type PageState } from '../../webview/protocol.ts';
import { ExplainPanel } from './explainPanel.ts';
import { MatrixPanel } from './matrixPanel.ts';

type Register = (id: string, run: (...args: never[]) => unknown) => vscode.Disposable;

export interface InsightsDeps {
  store: ConnectionStore;
  log: Log;
  explorer: ExplorerProvider;
  view: vscode.TreeView<Node>;
}

/** The role's node: where the Explorer reveals a role (a group's, a default role), else under a rule. */
async function roleNode(explorer: ExplorerProvider, deps: InsightsDeps, connectionId: string, roleArn: string): Promise<Node | undefined> {
  const connection = deps.store.get(connectionId);
  if (!connection) return undefined;
  const found = await explorer.nodeFor(connection, { kind: 'role', id: roleArn });
  if (found) return found;
  // Rule roles sit deeper: identity pools > pool > role mappings > mapping > rule > role.
  const root = explorer.rootOf(connection);
  let level: Node[] = root ? (await root.children()).filter((n) => n instanceof IdentityPoolsNode) : [];
  for (let depth = 0; depth < 5 && level.length > 0; depth++) {
    const next: Node[] = [];
    for (const node of level) {
      for (const child of await node.children()) {
        if (child instanceof RoleNode && child.roleArn === roleArn) return child;
        next.push(child);
      }
    }
    level = next;
  }
  return undefined;
}

function argsOf(value: unknown): ExplainArgs {
  return value && typeof value === 'object' && !(value instanceof vscode.Uri) ? (value as ExplainArgs) : {};
}

export function registerInsights(context: vscode.ExtensionContext, deps: InsightsDeps, command: Register): vscode.Disposable[] {
  const extensionUri = context.extensionUri;
  const log = deps.log.for('explain');
  const revealRole = async (connectionId: string, roleArn: string): Promise<boolean> => {
    await vscode.commands.executeCommand('workbench.view.extension.cognitoAccess');
    const node = await roleNode(deps.explorer, deps, connectionId, roleArn);
    if (!node) return false;
    await deps.view.reveal(node, { select: true, focus: true, expand: true });
    return true;
  };
  const explainDeps: ExplainDeps = { store: deps.store, extensionUri, log, selection: () => deps.view.selection, revealRole };
  const matrixDeps = { store: deps.store, extensionUri, log: deps.log.for('matrix') };
  return [
    // Menus pass the editor's document Uri as the first argument; automation passes an object.
    command('cognitoAccess.explainError', (args?: ExplainArgs) => explainErrorCommand(explainDeps, argsOf(args))),
    command('cognitoAccess.explainSelection', (args?: ExplainArgs) => explainEditorSelection(explainDeps, argsOf(args))),
    command('cognitoAccess.explainTerminalSelection', () => explainTerminalSelection(explainDeps)),
    command('cognitoAccess.whoCanAccess', (target?: Node | WhoCanAccessArgs) => whoCanAccess(matrixDeps, target)),
    command('cognitoAccess.whatCanItDo', (target?: Node | WhatCanItDoArgs) => whatCanItDo(matrixDeps, target)),
    vscode.window.registerWebviewPanelSerializer(EXPLAIN_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        ExplainPanel.restore(panel, state as PageState | undefined, { extensionUri, log, revealRole });
      },
    }),
    vscode.window.registerWebviewPanelSerializer(MATRIX_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        MatrixPanel.restore(panel, state as PageState | undefined, matrixDeps);
      },
    }),
  ];
}
