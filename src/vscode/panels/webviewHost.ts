// One helper for every panel: the page's HTML (CSP `default-src 'none'`, a fresh nonce from
// crypto.randomBytes, local resources only), typed messages both ways, and posting only after
// the page said `ready`. The page may be torn down while hidden (no retainContextWhenHidden, to
// save memory): it draws itself from its own saved state at once and says `ready` again, and the
// host re-posts the latest view.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseFromWebview, type FromWebview, type ToWebview } from '../../webview/protocol.ts';

export type PageScript = 'testUser' | 'probe' | 'explain' | 'accessMatrix';

/** Where the pages may load from: the webview bundles and the panels' css, nothing else. */
export function localRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media', 'panels')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: localRoots(extensionUri), enableFindWidget: true };
}

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

/** The page: static markup only; every value reaches it by postMessage and is drawn as text. */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, script: PageScript, title: string): string {
  const n = nonce();
  const css = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panels', 'panels.css'));
  const js = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${script}.js`));
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${n}'`, `img-src ${webview.cspSource}`, `font-src ${webview.cspSource}`].join('; ');
  const safeTitle = title.replace(/[<>&"']/g, '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css.toString()}">
<title>${safeTitle}</title>
</head>
<body>
<main id="app" data-page="${script}"><p class="muted">Loading…</p></main>
<script nonce="${n}" src="${js.toString()}"></script>
</body>
</html>`;
}

/** A panel's message pump: typed, ready-gated, with the latest view kept for re-posting. */
export class WebviewHost implements vscode.Disposable {
  private ready = false;
  private latestView: ToWebview | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private readyWaiters: (() => void)[] = [];
  private isDisposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    script: PageScript,
    private readonly onMessage: (message: FromWebview) => void | Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = pageHtml(panel.webview, extensionUri, script, panel.title);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)),
      panel.onDidChangeViewState(() => {
        // A hidden page without retained context is gone; it says `ready` again when shown.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Resolves once the page has said `ready` (tests and commands that return after drawing). */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** The panel's main view: kept, and posted now if the page is ready, else on `ready`. */
  setView(message: Extract<ToWebview, { type: 'testUser' | 'probe' | 'explain' | 'matrix' }>): void {
    this.latestView = message;
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  /** A one-off message (revealed value, busy, notice): dropped when the page is not ready. */
  send(message: ToWebview): boolean {
    if (!this.ready) return false;
    void this.panel.webview.postMessage(message);
    return true;
  }

  private async receive(data: unknown): Promise<void> {
    const message = parseFromWebview(data);
    if (!message) return;
    if (message.type === 'ready') {
      this.ready = true;
      if (this.latestView) void this.panel.webview.postMessage(this.latestView);
      for (const resolve of this.readyWaiters.splice(0)) resolve();
    }
    try {
      await this.onMessage(message);
    } catch (error) {
      this.onError(error);
    }
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.ready = false;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}
