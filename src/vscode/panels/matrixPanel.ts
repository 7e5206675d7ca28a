// The access matrix panel ("Who Can Access..." on a table, "What Can It Do..." on a group or a
// role), host side: computes the matrix from the connection's snapshot, posts the view, and
// explains a cell when the page asks (the probe's explanation, for the own and another partition).
import * as vscode from 'vscode';
import type { AccessMatrix } from '../../core/accessMatrix.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { ConnectionStore } from '../connections.ts';
import { loadEngine, type Engine } from '../lazy.ts';
import type { Log } from '../log.ts';
import { MATRIX_VIEW_TYPE, type FromWebview, type MatrixView, type PageState } from '../../webview/protocol.ts';
import { matrixCellDetail, matrixView, type MatrixSubject } from './matrixModel.ts';
import { WebviewHost, webviewOptions } from './webviewHost.ts';

export interface MatrixPanelDeps {
  extensionUri: vscode.Uri;
  store: ConnectionStore;
  log: Log;
}

interface Computed {
  engine: Engine;
  snapshot: Snapshot;
  matrix: AccessMatrix;
}

export class MatrixPanel {
  private static readonly open = new Set<MatrixPanel>();
  readonly host: WebviewHost;
  private computed: Computed | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    private view: MatrixView,
    private readonly deps: MatrixPanelDeps,
  ) {
    this.host = new WebviewHost(panel, deps.extensionUri, 'accessMatrix', (m) => this.receive(m), (e) => this.fail(e));
    this.host.onDidDispose(() => MatrixPanel.open.delete(this));
    MatrixPanel.open.add(this);
    this.host.setView({ type: 'matrix', view });
  }

  /** Computes the matrix for `subject` from the connection's snapshot and opens a panel showing it. */
  static async create(subject: MatrixSubject, deps: MatrixPanelDeps): Promise<MatrixPanel> {
    const computed = await compute(subject, deps.store);
    const view = matrixView(computed.engine, computed.matrix, subject);
    const panel = vscode.window.createWebviewPanel(MATRIX_VIEW_TYPE, subject.title, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    const created = new MatrixPanel(panel, view, deps);
    created.computed = computed;
    return created;
  }

  /** After a window reload: the saved view; a cell is explained again from the connection. */
  static restore(panel: vscode.WebviewPanel, state: PageState | undefined, deps: MatrixPanelDeps): MatrixPanel | undefined {
    if (!state?.matrix) {
      panel.dispose();
      return undefined;
    }
    return new MatrixPanel(panel, state.matrix, deps);
  }

  static panels(): MatrixPanel[] {
    return [...MatrixPanel.open];
  }

  get currentView(): MatrixView {
    return this.view;
  }

  /** The detail of one cell, as the page shows it after a click (tests call it directly). */
  async explainCell(cellId: string) {
    this.computed ??= await compute(this.view, this.deps.store);
    const detail = matrixCellDetail(this.computed.engine, this.computed.snapshot, this.computed.matrix, this.view, cellId);
    if (detail) this.host.send({ type: 'matrixCell', detail });
    return detail;
  }

  private async receive(message: FromWebview): Promise<void> {
    if (message.type === 'explainCell') await this.explainCell(message.cellId);
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.log.error(`access matrix panel: ${message}`);
    this.host.send({ type: 'notice', text: message });
  }
}

async function compute(subject: Pick<MatrixSubject, 'connectionId' | 'filter'>, store: ConnectionStore): Promise<Computed> {
  const connection = store.get(subject.connectionId);
  if (!connection) throw new Error('The connection of this matrix was removed.');
  const { snapshot } = await connection.load();
  const engine = await loadEngine();
  return { engine, snapshot, matrix: engine.accessMatrix(snapshot, subject.filter) };
}
