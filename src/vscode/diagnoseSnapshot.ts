// "Cognito: Diagnose Snapshot File...": runs the offline engine over a snapshot file and shows
// the findings as a Markdown report. Nothing is written to disk.
import * as vscode from 'vscode';
import { diagnose } from '../core/diagnose.ts';
import type { Diagnosis } from '../core/diagnose.ts';
import { parseSnapshot, roleNameFromArn, SnapshotError } from '../core/snapshot.ts';

export async function diagnoseSnapshotCommand(uri: vscode.Uri | undefined, log: vscode.LogOutputChannel): Promise<Diagnosis | undefined> {
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
  let result: Diagnosis;
  try {
    const bytes = await vscode.workspace.fs.readFile(target);
    result = diagnose(parseSnapshot(new TextDecoder().decode(bytes), name));
  } catch (error) {
    const message = error instanceof SnapshotError ? error.message : `${name}: ${(error as Error).message}`;
    log.error(`[diagnose] ${message}`);
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  log.info(`[diagnose] ${name}: ${result.summary.errors} errors, ${result.summary.warnings} warnings, ${result.summary.infos} infos`);
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: diagnosisMarkdown(name, result) });
  await vscode.window.showTextDocument(document, { preview: true });
  return result;
}

export function diagnosisMarkdown(name: string, result: Diagnosis): string {
  const { errors, warnings, infos } = result.summary;
  const lines = [`# Cognito access diagnosis: ${name}`, '', `${errors} errors, ${warnings} warnings, ${infos} infos.`, ''];
  for (const f of result.findings) {
    const subject = f.subject.kind === 'role' ? roleNameFromArn(f.subject.id) : f.subject.id;
    lines.push(`## ${f.severity}: ${f.code} (${f.subject.kind} ${subject})`, '', f.message, '');
    if (f.symptom) lines.push(`Symptom: \`${f.symptom}\``, '');
    lines.push('**Fix:**', '', ...fenceJson(f.fix), '');
  }
  return lines.join('\n');
}

/** Puts the JSON fragment of a fix in a code block. */
function fenceJson(fix: string): string[] {
  const start = fix.indexOf('\n{');
  if (start < 0) return [fix];
  return [fix.slice(0, start), '', '```json', fix.slice(start + 1), '```'];
}
