// "Cognito: Diagnose Snapshot File...": runs the offline engine over a snapshot file and shows
// the findings as a Markdown report. Nothing is written to disk.
import * as vscode from 'vscode';
import type { Diagnosis } from '../core/diagnose.ts';
import { loadEngine } from './lazy.ts';
import type { Log } from './log.ts';
import { showReport } from './reportDocuments.ts';
import { diagnosisMarkdown } from './reports.ts';

export async function diagnoseSnapshotCommand(uri: vscode.Uri | undefined, log: Log): Promise<Diagnosis | undefined> {
  const target =
    uri ??
    (
      await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Diagnose',
        title: 'Diagnose a Cognito access snapshot',
        filters: { 'Snapshot (JSON)': ['json'] },
      })
    )?.[0];
  if (!target) return undefined;
  const name = vscode.workspace.asRelativePath(target);
  const engine = await loadEngine();
  let result: Diagnosis;
  try {
    const bytes = await vscode.workspace.fs.readFile(target);
    result = engine.diagnose(engine.parseSnapshot(new TextDecoder().decode(bytes), name));
  } catch (error) {
    const message = error instanceof engine.SnapshotError ? error.message : `${name}: ${(error as Error).message}`;
    log.error(message);
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  log.info(`${name}: ${result.summary.errors} errors, ${result.summary.warnings} warnings, ${result.summary.infos} infos`);
  await showReport(`Diagnosis ${name}`, diagnosisMarkdown(name, result));
  return result;
}
