// Which editor documents are definitions worth diagnosing, and how the engine's locations become
// editor ranges. Pure (no 'vscode'), so node:test covers it.

/**
 * Quiet time after the last keystroke before a template is diagnosed again from the unsaved text.
 * With the re-diagnosis of a 300-resource template (bench/template.bench.ts) the squiggles follow
 * the last key within 300 ms.
 */
export const EDIT_DEBOUNCE_MS = 150;

/** The engine refuses larger files; the editor does not even hand them over. */
export const MAX_TEMPLATE_BYTES = 10 * 1024 * 1024;

export type TemplateDocumentKind = 'cloudformation' | 'terraform';

const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.json', '.template'];

/** The files the workspace scan and its watcher look at. */
export const TEMPLATE_GLOB = '**/*.{yaml,yml,json,template,tf}';
/** Folders whose files are dependencies or build output (a synthesized cdk.out, a SAM build, downloaded modules), never scanned. */
export const SKIPPED_FOLDERS = ['node_modules', '.git', 'cdk.out', '.aws-sam', '.terraform', '.vscode-test'];
export const SKIPPED_GLOB = `**/{${SKIPPED_FOLDERS.join(',')}}/**`;
/** At most this many files are looked at by one workspace scan. */
export const MAX_SCANNED_FILES = 1_000;

/** Whether a path lies in a folder the workspace scan skips (any separator). */
export function inSkippedFolder(path: string): boolean {
  return path.split(/[\\/]/).some((part) => SKIPPED_FOLDERS.includes(part));
}

/**
 * `terraform` for a `.tf` file; `cloudformation` for a YAML/JSON file that looks like a template
 * (`AWSTemplateFormatVersion`, a SAM/Serverless transform, or `Resources` holding `AWS::` types);
 * undefined for everything else (package.json, a workflow, a snapshot).
 */
export function templateKindOf(path: string, text: string): TemplateDocumentKind | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tf')) return 'terraform';
  if (!TEMPLATE_EXTENSIONS.some((e) => lower.endsWith(e))) return undefined;
  // Only the head matters for the version line; a huge file is refused later with a message.
  if (/(?:^|[{,])\s*["']?AWSTemplateFormatVersion["']?\s*:/m.test(text)) return 'cloudformation';
  if (/["']?Transform["']?\s*:\s*\[?\s*["']?AWS::Serverless/.test(text)) return 'cloudformation';
  const hasResources = /(?:^|[{,])\s*["']?[Rr]esources["']?\s*:/m.test(text);
  const hasAwsType = /["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/.test(text);
  return hasResources && hasAwsType ? 'cloudformation' : undefined;
}

/** An engine location (1-based, end column one past the last character). */
export interface EngineLocation {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** The same place as 0-based [startLine, startCharacter, endLine, endCharacter] (a vscode.Range's fields). */
export function toRangeTuple(location: EngineLocation): [number, number, number, number] {
  const startLine = Math.max(0, location.startLine - 1);
  const startCharacter = Math.max(0, location.startColumn - 1);
  const endLine = Math.max(startLine, location.endLine - 1);
  const endCharacter = Math.max(endLine === startLine ? startCharacter : 0, location.endColumn - 1);
  return [startLine, startCharacter, endLine, endCharacter];
}

/** A syntax error's 1-based line and column as a 0-based one-character tuple. */
export function pointTuple(line: number, column: number): [number, number, number, number] {
  const l = Math.max(0, line - 1);
  const c = Math.max(0, column - 1);
  return [l, c, l, c + 1];
}

/** Mirrors `vscode.DiagnosticSeverity` (Error 0, Warning 1, Information 2, Hint 3). */
export function severityIndex(severity: string): 0 | 1 | 2 {
  return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
}

/** Problems-panel text: the finding's message, then its fix (a corrected statement stays readable on its own lines). */
export function diagnosticMessage(finding: { message: string; fix?: string }): string {
  return finding.fix ? `${finding.message}\nFix: ${finding.fix}` : finding.message;
}

/** Whether a document's length is over the limit the engine accepts. */
export const tooLarge = (length: number): boolean => length > MAX_TEMPLATE_BYTES;
