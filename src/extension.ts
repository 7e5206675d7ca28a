// Extension entry point. activate() registers views and commands and nothing more: the engine,
// jose and the AWS SDK load on first use, so activation stays fast.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Cognito Access', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('cognitoAccess.diagnoseSnapshot', async (uri?: vscode.Uri) => {
      const { diagnoseSnapshotCommand } = await import('./vscode/diagnoseSnapshot.ts');
      await diagnoseSnapshotCommand(uri, log);
    }),
  );
  log.info('[extension] activated');
}

export function deactivate(): void {
  // Nothing to release: every disposable is in context.subscriptions.
}
