// "Cognito: Open Template...": a CloudFormation/SAM file, a cdk.out folder or a Terraform folder
// as a read-only connection. The tree shows the definition's pools, groups and roles, and
// Simulate as Groups runs on them before deploy; Refresh re-reads the files.
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections.ts';

export async function openTemplate(store: ConnectionStore, uri?: vscode.Uri): Promise<string | undefined> {
  const target =
    uri ??
    (
      await vscode.window.showOpenDialog({
        canSelectMany: false,
        canSelectFiles: true,
        canSelectFolders: true,
        openLabel: 'Open Template',
        title: 'Open a CloudFormation/SAM template, a cdk.out folder or a Terraform folder',
        filters: { 'Templates': ['yaml', 'yml', 'json', 'template', 'tf'] },
      })
    )?.[0];
  if (!target) return undefined;
  const connection = await store.add({ kind: 'template', path: target.fsPath });
  try {
    await connection.load(true);
  } catch (error) {
    void vscode.window.showErrorMessage((error as Error).message);
  }
  await vscode.commands.executeCommand('workbench.view.extension.cognitoAccess');
  return connection.spec.id;
}
