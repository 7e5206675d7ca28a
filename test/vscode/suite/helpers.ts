// Small helpers for the extension-host tests: the extension under test, its manifest, its
// samples, and waiting for the workbench to catch up.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CognitoAccessApi } from '../../../src/extension.ts';

export const EXTENSION_ID = 'cognito-access.cognito-access-inspector';

export interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    viewsContainers: { activitybar: { id: string; title: string }[] };
    views: Record<string, { id: string; name: string }[]>;
  };
}

export function extension(): vscode.Extension<CognitoAccessApi> {
  const ext = vscode.extensions.getExtension<CognitoAccessApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

/** Activates the extension (once) and returns what activate() returned. */
export async function activate(): Promise<CognitoAccessApi> {
  const ext = extension();
  return ext.isActive ? ext.exports : ext.activate();
}

export const manifest = (): Manifest => extension().packageJSON as Manifest;

/** Uri of a file shipped in media/samples/. */
export const sampleUri = (name: string): vscode.Uri => vscode.Uri.joinPath(extension().extensionUri, 'media', 'samples', name);

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Open text documents whose language is `languageId` and whose text contains `text`. */
export const openDocumentsContaining = (languageId: string, text: string): vscode.TextDocument[] =>
  vscode.workspace.textDocuments.filter((d) => d.languageId === languageId && d.getText().includes(text));

/** Closes every editor without a save prompt (reports open as untitled documents). */
export async function closeAllEditors(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.activeTextEditor; i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor('all editors to close', () => vscode.window.visibleTextEditors.length === 0, 5_000);
}
