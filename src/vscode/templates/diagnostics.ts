// Diagnose before deploy, in the editor: CloudFormation/SAM templates and Terraform folders get
// their findings in the Problems panel (collection `cognitoAccess.templates`) and as squiggles,
// refreshed on open, on edit (150 ms after the last key, from the unsaved text) and on save. Files not open are
// diagnosed too: the workspace is scanned once (setting cognitoAccess.diagnoseWorkspaceTemplates,
// dependency and build folders skipped) and a watcher re-reads what changes on disk; closing an
// editor goes back to the file on disk instead of dropping its findings. A finding's code links
// to its explanation (a read-only report); findings with a quick fix get a Quick Fix code action
// that replaces only the offending text.
import { open as openFile } from 'node:fs/promises';
import { basename, dirname, sep } from 'node:path';
import * as vscode from 'vscode';
import type { TemplateFinding, TemplateModel } from '../engine.ts';
import { loadEngine } from '../lazy.ts';
import type { Log } from '../log.ts';
import { showReport } from '../reportDocuments.ts';
import { readSettings } from '../settings.ts';
import {
  diagnosticMessage, EDIT_DEBOUNCE_MS, inSkippedFolder, MAX_SCANNED_FILES, MAX_TEMPLATE_BYTES, pointTuple, severityIndex, SKIPPED_GLOB, TEMPLATE_GLOB, templateKindOf, toRangeTuple,
} from './detect.ts';
import { templateFindingMarkdown } from './findingReport.ts';

export const TEMPLATE_DIAGNOSTICS = 'cognitoAccess.templates';
export const SHOW_TEMPLATE_FINDING = 'cognitoAccess.showTemplateFinding';
/** Files changed on disk (a checkout, a copy) settle for this long before they are read. */
const DEBOUNCE_MS = 300;
const SOURCE = 'Cognito Access';

const toRange = (t: [number, number, number, number]): vscode.Range => new vscode.Range(t[0], t[1], t[2], t[3]);
const SEVERITIES = [vscode.DiagnosticSeverity.Error, vscode.DiagnosticSeverity.Warning, vscode.DiagnosticSeverity.Information];

/** A finding with a quick fix, remembered for the code action provider. */
interface FixEntry {
  code: string;
  range: vscode.Range;
  finding: TemplateFinding;
  /** The document version the offsets belong to (undefined: a file not open when diagnosed). */
  version: number | undefined;
}

/** What one diagnosis run is about: a CloudFormation file, or a Terraform folder. */
interface Target {
  key: string;
  kind: 'cloudformation' | 'terraform';
  /** The file (CloudFormation) or folder (Terraform), absolute. */
  path: string;
}

export class TemplateDiagnostics implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  readonly collection = vscode.languages.createDiagnosticCollection(TEMPLATE_DIAGNOSTICS);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly runs = new Map<string, number>();
  /** Files each target last put diagnostics on, to clear them when they vanish. */
  private readonly owned = new Map<string, Set<string>>();
  private readonly fixes = new Map<string, FixEntry[]>();
  /** Findings by `file#startOffset#code`, for the explanation a diagnostic's code links to. */
  private readonly findings = new Map<string, TemplateFinding>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly disposables: vscode.Disposable[] = [];

  /** The last workspace scan (for tests: resolves when every file it found was diagnosed). */
  scanned: Promise<void> = Promise.resolve();
  private scanRun = 0;
  private watchers: vscode.FileSystemWatcher[] = [];

  constructor(private readonly log: Log) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.schedule(e.document, EDIT_DEBOUNCE_MS)),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rescan()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('cognitoAccess.diagnoseWorkspaceTemplates') && this.rescan()),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    this.rescan();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.scanRun++;
    for (const w of this.watchers) w.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private scanning(): boolean {
    return readSettings().diagnoseWorkspaceTemplates && (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  }

  /**
   * Diagnoses the workspace's templates and Terraform folders that no editor has open, one after
   * the other (the extension host stays responsive), and watches them on disk. Turned off: only
   * open files keep diagnostics.
   */
  rescan(): Promise<void> {
    const run = ++this.scanRun;
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    // Files no editor has open keep diagnostics only while scanning is on and their folder is in the workspace.
    const open = this.openTargets();
    const scanning = this.scanning();
    for (const key of [...this.owned.keys()]) {
      if (open.has(key)) continue;
      if (!scanning || !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(pathOfKey(key)))) this.clear(key);
    }
    if (!scanning) return (this.scanned = Promise.resolve());
    const watcher = vscode.workspace.createFileSystemWatcher(TEMPLATE_GLOB);
    watcher.onDidCreate((uri) => this.changedOnDisk(uri));
    watcher.onDidChange((uri) => this.changedOnDisk(uri));
    // A deleted folder is one event for the folder (not for each file in it): deletions of anything
    // count. A new folder is looked through: files written into it before the watcher saw the
    // folder are reported by no event.
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    folders.onDidDelete((uri) => this.deletedOnDisk(uri));
    folders.onDidCreate((uri) => this.folderCreated(uri));
    this.watchers = [watcher, folders];
    this.scanned = (async () => {
      await this.scanFiles(TEMPLATE_GLOB, run, 'workspace scan');
    })().catch((error: unknown) => this.log.error(`workspace scan: ${(error as Error).message}`));
    return this.scanned;
  }

  /** Diagnoses the templates and Terraform folders among the files `include` finds, one after the other. */
  private async scanFiles(include: vscode.GlobPattern, run: number, what: string): Promise<void> {
    const uris = await vscode.workspace.findFiles(include, SKIPPED_GLOB, MAX_SCANNED_FILES);
    if (uris.length === MAX_SCANNED_FILES) this.log.info(`${what}: the first ${MAX_SCANNED_FILES} files only; open a file to diagnose it`);
    const folders = new Set<string>();
    let diagnosed = 0;
    for (const uri of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      if (run !== this.scanRun) return;
      if (uri.fsPath.toLowerCase().endsWith('.tf')) {
        if (folders.has(dirname(uri.fsPath))) continue;
        folders.add(dirname(uri.fsPath));
      }
      if (await this.considerOnDisk(uri)) diagnosed++;
    }
    this.log.info(`${what}: ${uris.length} file(s) looked at, ${diagnosed} template(s) or Terraform folder(s) diagnosed`);
  }

  /** Something created on disk: a folder (not a skipped one) is looked through once its writing settles. */
  private folderCreated(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || inSkippedFolder(vscode.workspace.asRelativePath(uri, false))) return;
    // `mkdir -p a/b/c` or a checkout: a pending look through a parent folder covers this one.
    for (const key of this.timers.keys()) if (key.startsWith('folder:') && within(pathOfKey(key), uri.fsPath)) return;
    this.debounce(`folder:${uri.fsPath}`, DEBOUNCE_MS, () => {
      const run = this.scanRun;
      void Promise.resolve(vscode.workspace.fs.stat(uri))
        .then((stat) => (stat.type & vscode.FileType.Directory ? this.scanFiles(new vscode.RelativePattern(uri, TEMPLATE_GLOB), run, `new folder ${vscode.workspace.asRelativePath(uri)}`) : undefined))
        .catch(() => undefined);
    });
  }

  /** Runs `task` once `delay` ms have passed without another call for the same key. */
  private debounce(key: string, delay: number, task: () => void): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        task();
      }, delay),
    );
  }

  /** A file written on disk: read once the writing has settled (a file being copied is not read half-way). */
  private changedOnDisk(uri: vscode.Uri): void {
    this.debounce(`disk:${uri.fsPath}`, DEBOUNCE_MS, () => void this.considerOnDisk(uri));
  }

  /** The target keys of the documents open in editors. */
  private openTargets(): Set<string> {
    const keys = new Set<string>();
    for (const d of vscode.workspace.textDocuments) {
      const key = this.targetOf(d)?.key;
      if (key) keys.add(key);
    }
    return keys;
  }

  /**
   * A file on disk (found by the scan, or changed, created or left by an editor): diagnosed from
   * disk when it is a template or a .tf file and no editor has it open (an open one follows its
   * editor). True when it was diagnosed.
   */
  private async considerOnDisk(uri: vscode.Uri): Promise<boolean> {
    if (uri.scheme !== 'file' || !this.scanning() || inSkippedFolder(vscode.workspace.asRelativePath(uri, false))) return false;
    if (!vscode.workspace.getWorkspaceFolder(uri)) return false;
    const path = uri.fsPath;
    if (vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && d.uri.fsPath === path)) return false;
    let target: Target | undefined;
    if (path.toLowerCase().endsWith('.tf')) target = { key: `tf:${dirname(path)}`, kind: 'terraform', path: dirname(path) };
    else {
      const size = await Promise.resolve(vscode.workspace.fs.stat(uri)).then((s) => s.size, () => -1);
      if (size < 0) return false;
      // A huge file is only looked at when it says it is a template in its first 64 KiB (only those are read).
      const bytes = size > MAX_TEMPLATE_BYTES ? await head(path, 64 * 1024) : await Promise.resolve(vscode.workspace.fs.readFile(uri)).catch(() => undefined);
      if (!bytes) return false;
      const text = new TextDecoder().decode(bytes);
      if (templateKindOf(path, text) !== 'cloudformation') {
        if (this.owned.has(`cfn:${path}`)) this.clear(`cfn:${path}`); // it stopped being a template
        return false;
      }
      target = { key: `cfn:${path}`, kind: 'cloudformation', path };
    }
    if (vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && d.uri.fsPath === path)) return false; // opened meanwhile
    clearTimeout(this.timers.get(target.key));
    this.timers.delete(target.key);
    await this.run(target);
    return true;
  }

  /** A file or folder deleted on disk: the templates in it lose their findings; a Terraform folder that keeps .tf files is read again. */
  private deletedOnDisk(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    const gone = uri.fsPath;
    const open = this.openTargets();
    for (const key of [...this.owned.keys(), ...this.timers.keys()]) {
      if (!within(pathOfKey(key), gone)) continue;
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      // A file an editor still has open keeps following its editor (the text is there, unsaved).
      if (open.has(key)) this.scheduleTarget({ key, kind: key.startsWith('tf:') ? 'terraform' : 'cloudformation', path: pathOfKey(key) }, 0);
      else this.clear(key);
    }
    if (!gone.toLowerCase().endsWith('.tf')) return;
    const folder = dirname(gone);
    void Promise.resolve(vscode.workspace.findFiles(new vscode.RelativePattern(folder, '*.tf'), null, 1)).then((left) => {
      if (left.length > 0) this.scheduleTarget({ key: `tf:${folder}`, kind: 'terraform', path: folder }, DEBOUNCE_MS);
      else this.clear(`tf:${folder}`);
    });
  }

  /** Diagnoses a document now (or its Terraform folder); resolves once its diagnostics are set. For tests and commands. */
  async refresh(document: vscode.TextDocument): Promise<void> {
    const target = this.targetOf(document);
    if (!target) return;
    clearTimeout(this.timers.get(target.key));
    this.timers.delete(target.key);
    await this.run(target);
  }

  /** The last run of a document's target, if one is pending. */
  settled(document: vscode.TextDocument): Promise<void> {
    const target = this.targetOf(document);
    return (target && this.pending.get(target.key)) ?? Promise.resolve();
  }

  private targetOf(document: vscode.TextDocument): Target | undefined {
    if (document.uri.scheme !== 'file') return undefined;
    const path = document.uri.fsPath;
    if (path.toLowerCase().endsWith('.tf')) return { key: `tf:${dirname(path)}`, kind: 'terraform', path: dirname(path) };
    // Only what could be a template is read at all: a quick look at the extension first.
    if (!/\.(ya?ml|json|template)$/i.test(path)) return undefined;
    if (documentLength(document) > MAX_TEMPLATE_BYTES) return { key: `cfn:${path}`, kind: 'cloudformation', path };
    return templateKindOf(path, document.getText()) === 'cloudformation' ? { key: `cfn:${path}`, kind: 'cloudformation', path } : undefined;
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    const target = this.targetOf(document);
    if (!target) {
      // A file that stopped looking like a template keeps no stale squiggles.
      if (document.uri.scheme === 'file' && this.owned.has(`cfn:${document.uri.fsPath}`)) this.clear(`cfn:${document.uri.fsPath}`);
      return;
    }
    this.scheduleTarget(target, delay);
  }

  private scheduleTarget(target: Target, delay: number): void {
    this.debounce(target.key, delay, () => void this.run(target));
  }

  private closed(document: vscode.TextDocument): void {
    const target = this.targetOf(document);
    if (!target) return;
    if (target.kind === 'terraform') {
      // Keep the folder's diagnostics while another of its files is open; else re-read it from disk (the unsaved text is gone).
      const others = vscode.workspace.textDocuments.some((d) => d !== document && d.uri.scheme === 'file' && dirname(d.uri.fsPath) === target.path && d.uri.fsPath.endsWith('.tf'));
      if (others) this.schedule(document, 0);
      else if (this.scanning() && vscode.workspace.getWorkspaceFolder(document.uri) && !inSkippedFolder(vscode.workspace.asRelativePath(document.uri, false))) this.scheduleTarget(target, 0);
      else this.clear(target.key);
      return;
    }
    clearTimeout(this.timers.get(target.key));
    this.clear(target.key);
    // A workspace file keeps its findings: the text on disk (unsaved edits are gone) is diagnosed again.
    if (this.scanning()) this.changedOnDisk(document.uri);
  }

  private run(target: Target): Promise<void> {
    const run = (this.runs.get(target.key) ?? 0) + 1;
    this.runs.set(target.key, run);
    const done = this.diagnose(target, run).catch((error: unknown) => this.log.error(`${target.path}: ${(error as Error).message}`));
    this.pending.set(target.key, done);
    return done;
  }

  private async diagnose(target: Target, run: number): Promise<void> {
    const engine = await loadEngine();
    const documents = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]));
    const current = () => this.runs.get(target.key) === run;
    const main = target.kind === 'cloudformation' ? documents.get(target.path) : undefined;
    if (main && documentLength(main) > MAX_TEMPLATE_BYTES) {
      const size = (documentLength(main) / 1024 / 1024).toFixed(1);
      return this.publish(target, new Map([[target.path, [info(`${basename(target.path)} is ${size} MB; templates over ${MAX_TEMPLATE_BYTES / 1024 / 1024} MB are not diagnosed.`)]]]), [], documents);
    }
    let model: TemplateModel;
    try {
      if (main) {
        model = engine.parseTemplateText(target.path, main.getText());
      } else {
        // Terraform: the folder, with the unsaved text of its open files.
        const overlay = new Map<string, string>();
        for (const [path, d] of documents) if (d.isDirty && dirname(path).startsWith(target.path)) overlay.set(path, d.getText());
        model = await engine.parseTemplate(target.path, { overlay, maxFileBytes: MAX_TEMPLATE_BYTES });
      }
    } catch (error) {
      if (!current()) return;
      if (error instanceof engine.TemplateSyntaxError) {
        const d = new vscode.Diagnostic(toRange(pointTuple(error.line, error.column)), error.problem, vscode.DiagnosticSeverity.Error);
        d.source = SOURCE;
        d.code = 'TEMPLATE_SYNTAX';
        return this.publish(target, new Map([[error.file || target.path, [d]]]), [], documents);
      }
      if (error instanceof engine.TemplateInputError) {
        const file = target.kind === 'cloudformation' ? target.path : this.anyOpenFile(target, documents);
        if (!file) {
          // A Terraform folder no editor has open: a folder is no place for a diagnostic; the log says it.
          this.log.info(`${target.path}: ${error.message}`);
          return this.publish(target, new Map(), [], documents);
        }
        return this.publish(target, new Map([[file, [info(error.message)]]]), [], documents);
      }
      throw error;
    }
    if (!current()) return;
    const { findings } = engine.diagnoseTemplate(model);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const fixes: { file: string; entry: FixEntry }[] = [];
    for (const f of findings) {
      const file = f.location.file;
      const range = toRange(toRangeTuple(f.location));
      const d = new vscode.Diagnostic(range, diagnosticMessage(f), SEVERITIES[severityIndex(f.severity)]);
      d.source = SOURCE;
      d.code = { value: f.code, target: explanationUri(file, f) };
      const list = byFile.get(file) ?? [];
      list.push(d);
      byFile.set(file, list);
      this.findings.set(findingKey(file, f.location.startOffset, f.code), f);
      if (f.quickFix?.edits.length) fixes.push({ file, entry: { code: f.code, range, finding: f, version: documents.get(file)?.version } });
    }
    this.publish(target, byFile, fixes, documents);
    this.log.info(`${target.path}: ${findings.length} finding(s) in ${model.files.length} file(s)`);
  }

  private anyOpenFile(target: Target, documents: Map<string, vscode.TextDocument>): string | undefined {
    return [...documents.keys()].find((p) => dirname(p) === target.path && p.endsWith('.tf'));
  }

  private publish(target: Target, byFile: Map<string, vscode.Diagnostic[]>, fixes: { file: string; entry: FixEntry }[], _documents: Map<string, vscode.TextDocument>): void {
    const before = this.owned.get(target.key) ?? new Set<string>();
    for (const file of before) {
      if (!byFile.has(file)) this.collection.delete(vscode.Uri.file(file));
      this.fixes.delete(file);
    }
    // The file diagnosed is always owned, so its next clean run clears it.
    if (target.kind === 'cloudformation' && !byFile.has(target.path)) byFile.set(target.path, []);
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
    for (const { file, entry } of fixes) {
      const list = this.fixes.get(file) ?? [];
      list.push(entry);
      this.fixes.set(file, list);
    }
    this.owned.set(target.key, new Set(byFile.keys()));
  }

  private clear(key: string): void {
    this.runs.set(key, (this.runs.get(key) ?? 0) + 1); // a run in flight is dropped
    for (const file of this.owned.get(key) ?? []) {
      this.collection.delete(vscode.Uri.file(file));
      this.fixes.delete(file);
    }
    this.owned.delete(key);
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const entries = this.fixes.get(document.uri.fsPath) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const entry of entries) {
      if (entry.version !== undefined && entry.version !== document.version) continue; // stale offsets: a new run is due
      if (!entry.range.intersection(range)) continue;
      const fix = entry.finding.quickFix!;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits) edit.replace(vscode.Uri.file(e.location.file), toRange(toRangeTuple(e.location)), e.newText);
      action.edit = edit;
      action.diagnostics = context.diagnostics.filter((d) => codeOf(d) === entry.code && d.range.isEqual(entry.range));
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  /** The explanation a diagnostic's code links to: the finding, its fix and where it is, as a report. */
  async showFinding(file: string, startOffset: number, code: string): Promise<vscode.TextDocument> {
    const finding = this.findings.get(findingKey(file, startOffset, code));
    return showReport(`${code} ${basename(file)}`, templateFindingMarkdown(code, finding, vscode.workspace.asRelativePath(file)));
  }
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

function info(message: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Information);
  d.source = SOURCE;
  return d;
}

function documentLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

const findingKey = (file: string, offset: number, code: string): string => `${file}#${offset}#${code}`;

/** The path in a target or timer key (`cfn:<file>`, `tf:<folder>`, `disk:<file>`, `folder:<folder>`; a drive letter keeps its colon). */
const pathOfKey = (key: string): string => key.slice(key.indexOf(':') + 1);

/** Whether `path` is `folder` or lies inside it. */
const within = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/** The first `bytes` bytes of a file, or undefined when it cannot be read. */
async function head(path: string, bytes: number): Promise<Uint8Array | undefined> {
  const handle = await openFile(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function explanationUri(file: string, f: TemplateFinding): vscode.Uri {
  const args = encodeURIComponent(JSON.stringify([file, f.location.startOffset, f.code]));
  return vscode.Uri.parse(`command:${SHOW_TEMPLATE_FINDING}?${args}`);
}

/** Registers the diagnostics, the quick fixes and the explanation command. */
export function registerTemplateDiagnostics(log: Log, command: (id: string, run: (...args: never[]) => unknown) => vscode.Disposable): { diagnostics: TemplateDiagnostics; disposables: vscode.Disposable[] } {
  const diagnostics = new TemplateDiagnostics(log);
  const selector: vscode.DocumentSelector = [
    { scheme: 'file', pattern: '**/*.{yaml,yml,json,template,tf}' },
  ];
  return {
    diagnostics,
    disposables: [
      diagnostics,
      vscode.languages.registerCodeActionsProvider(selector, diagnostics, { providedCodeActionKinds: TemplateDiagnostics.providedCodeActionKinds }),
      command(SHOW_TEMPLATE_FINDING, (file: string, startOffset: number, code: string) => diagnostics.showFinding(file, startOffset, code)),
    ],
  };
}
