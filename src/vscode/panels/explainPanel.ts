// The "Explain an AWS Error" panel, host side: one panel, showing the latest explanation; its
// "Reveal in tree" buttons select the role's node in the Explorer. The view holds no secret
// (error texts name ARNs and ids, which the Explorer shows too).
import * as vscode from 'vscode';
import type { Log } from '../log.ts';
import { EXPLAIN_VIEW_TYPE, type ExplainView, type FromWebview, type PageState } from '../../webview/protocol.ts';
import { WebviewHost, webviewOptions } from './webviewHost.ts';

export interface ExplainPanelDeps {
  extensionUri: vscode.Uri;
  log: Log;
  /** Selects the role's node in the Explorer; false when the connection or node is gone. */
  revealRole: (connectionId: string, roleArn: string) => Promise<boolean>;
}

export class ExplainPanel {
  private static current: ExplainPanel | undefined;
  readonly host: WebviewHost;

  private constructor(
    panel: vscode.WebviewPanel,
    private view: ExplainView,
    private readonly deps: ExplainPanelDeps,
  ) {
    this.host = new WebviewHost(panel, deps.extensionUri, 'explain', (m) => this.receive(m), (e) => this.fail(e));
    this.host.onDidDispose(() => {
      if (ExplainPanel.current === this) ExplainPanel.current = undefined;
    });
    ExplainPanel.current = this;
    this.host.setView({ type: 'explain', view });
  }

  /** Shows `view` in the open panel (brought to the front), or in a new one. */
  static show(view: ExplainView, deps: ExplainPanelDeps): ExplainPanel {
    const open = ExplainPanel.current;
    if (open) {
      open.view = view;
      open.host.panel.title = panelTitle(view);
      open.host.setView({ type: 'explain', view });
      open.host.panel.reveal(undefined, false);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(EXPLAIN_VIEW_TYPE, panelTitle(view), vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new ExplainPanel(panel, view, deps);
  }

  /** After a window reload: the saved view (it holds everything the page shows). */
  static restore(panel: vscode.WebviewPanel, state: PageState | undefined, deps: ExplainPanelDeps): ExplainPanel | undefined {
    if (!state?.explain) {
      panel.dispose();
      return undefined;
    }
    return new ExplainPanel(panel, state.explain, deps);
  }

  static panel(): ExplainPanel | undefined {
    return ExplainPanel.current;
  }

  get currentView(): ExplainView {
    return this.view;
  }

  private async receive(message: FromWebview): Promise<void> {
    if (message.type !== 'revealRole') return;
    // Only roles this view names, in the view's own connection.
    const known = [this.view.access?.roleArn, ...(this.view.pool?.roles.map((r) => r.roleArn) ?? [])];
    if (!this.view.connection || !known.includes(message.roleArn)) return;
    if (!(await this.deps.revealRole(this.view.connection.id, message.roleArn))) {
      this.host.send({ type: 'notice', text: `The Explorer has no node for ${message.roleArn.slice(message.roleArn.lastIndexOf('/') + 1)} (the connection was removed or refreshed without it).` });
    }
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.log.error(`explain panel: ${message}`);
    this.host.send({ type: 'notice', text: message });
  }
}

function panelTitle(view: ExplainView): string {
  return view.understood ? `Explain: ${view.code ?? view.kind}` : 'Explain: not understood';
}
