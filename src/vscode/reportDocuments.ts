// Reports (a diagnosis, a simulated sign-in) open as read-only virtual Markdown documents:
// nothing is written to disk and closing one asks nothing. Their text lives in memory while open.
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'cognito-access-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, string>();
  private next = 1;
  private readonly closing: vscode.Disposable;

  constructor() {
    // Forget a report's text once its document is closed.
    this.closing = vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === REPORT_SCHEME) this.reports.delete(d.uri.path);
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.path) ?? '# This report is gone\n\nRun the command again to see it.\n';
  }

  /** Opens `content` as a read-only Markdown document titled `title`. */
  async show(title: string, content: string): Promise<vscode.TextDocument> {
    const safe = title.replace(/[^A-Za-z0-9 _.-]+/g, '-').slice(0, 80).trim() || 'report';
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${this.next++}/${safe}.md` });
    this.reports.set(uri.path, content);
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  dispose(): void {
    this.closing.dispose();
    this.reports.clear();
  }
}

let instance: ReportDocuments | undefined;

/** Made once by activate(): registers the provider and returns what to dispose. */
export function registerReports(): vscode.Disposable {
  instance = new ReportDocuments();
  const registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, instance);
  return vscode.Disposable.from(registration, instance);
}

export function showReport(title: string, content: string): Promise<vscode.TextDocument> {
  if (!instance) throw new Error('the extension is not active');
  return instance.show(title, content);
}
