// A stand-in for the 'vscode' module, for timing activate() outside VS Code. Each API call does
// the least work that still returns what the extension uses: the benchmark times our code.
'use strict';
const disposable = () => ({ dispose() {} });
class EventEmitter {
  constructor() { this.listeners = []; this.event = (l) => (this.listeners.push(l), disposable()); }
  fire(e) { for (const l of this.listeners) l(e); }
  dispose() { this.listeners = []; }
}
class TreeItem { constructor(label, state) { this.label = label; this.collapsibleState = state; } }
class ThemeIcon { constructor(id, color) { this.id = id; this.color = color; } }
class ThemeColor { constructor(id) { this.id = id; } }
class MarkdownString { constructor(v = '') { this.value = v; } appendMarkdown(s) { this.value += s; return this; } appendText(s) { this.value += s; return this; } appendCodeblock(s) { this.value += s; return this; } }
const channel = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, show() {}, dispose() {} };
/**
 * A namespace (window, workspace, ...) or API object (a tree view) in which events (`onDid...`)
 * and registrations (`register...`) the stub does not list still return a disposable, so a new
 * listener in activate() does not break the benchmark; any other missing member throws, naming
 * itself.
 */
const lenient = (name, members) => new Proxy(members, {
  get(target, key) {
    if (typeof key !== 'string' || key in target) return target[key];
    if (/^(on[A-Z]|register[A-Z])/.test(key)) return disposable;
    throw new Error(`bench/vscodeStub.cjs has no vscode.${name}.${key}: add it`);
  },
});
module.exports = {
  EventEmitter, TreeItem, ThemeIcon, ThemeColor, MarkdownString, Disposable: { from: () => disposable() },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  Uri: { file: (p) => ({ fsPath: p, path: p }), joinPath: (u, ...p) => ({ fsPath: [u.fsPath, ...p].join('/') }), parse: (s) => ({ toString: () => s }) },
  window: lenient('window', {
    createOutputChannel: () => channel, createTreeView: () => lenient('TreeView', { dispose() {}, reveal: async () => {}, selection: [], visible: true }),
    registerWebviewPanelSerializer: disposable, showErrorMessage: async () => undefined, createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
  }),
  commands: lenient('commands', { registerCommand: disposable, executeCommand: async () => undefined }),
  workspace: lenient('workspace', { registerTextDocumentContentProvider: disposable, getConfiguration: () => ({ get: (_k, d) => d }), onDidChangeConfiguration: disposable, onDidCloseTextDocument: disposable, textDocuments: [], workspaceFolders: undefined, createFileSystemWatcher: () => ({ onDidChange: disposable, onDidCreate: disposable, onDidDelete: disposable, dispose() {} }) }),
  languages: lenient('languages', { createDiagnosticCollection: () => ({ set() {}, delete() {}, clear() {}, dispose() {} }) }),
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  CodeActionKind: { QuickFix: { value: 'quickfix' }, Empty: { value: '' } },
  Range: class Range { constructor(a, b, c, d) { Object.assign(this, { a, b, c, d }); } },
  Position: class Position { constructor(line, character) { Object.assign(this, { line, character }); } },
  Diagnostic: class Diagnostic { constructor(range, message, severity) { Object.assign(this, { range, message, severity }); } },
  CodeAction: class CodeAction { constructor(title, kind) { Object.assign(this, { title, kind }); } },
  WorkspaceEdit: class WorkspaceEdit { replace() {} },
  RelativePattern: class RelativePattern { constructor(base, pattern) { Object.assign(this, { base, pattern }); } },
  env: lenient('env', {}),
};
