// Tree nodes: one class per kind, each with a stable id (its path), so a finding can be revealed.
// Every child load goes through `loadChildren`: the children, an empty placeholder, or an error
// node that opens the log (the AWS Toolkit's pattern).
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings.ts';
import type { Connection, LoadedAccount } from '../connections.ts';
import { subjectKey } from '../connections.ts';
import { markdownCode, markdownCodeBlock, markdownText } from './markdown.ts';

/** contextValue flags, matched by regex in package.json `when` clauses (e.g. `viewItem =~ /\bhasArn\b/`). */
export function contextValue(kind: string, ...flags: (string | false | undefined)[]): string {
  return [kind, ...flags.filter((f): f is string => Boolean(f))].join('+');
}

export abstract class Node {
  private cached: Node[] | undefined;
  readonly connection: Connection;

  constructor(
    readonly parent: Node | undefined,
    /** The segment of this node in its parent; the id is the path of segments. */
    readonly segment: string,
    /** Only for the root (connection) node; the rest inherit their parent's. */
    connection?: Connection,
  ) {
    const owner = connection ?? parent?.connection;
    if (!owner) throw new Error('a tree node needs a connection');
    this.connection = owner;
  }

  get id(): string {
    return this.parent ? `${this.parent.id}/${this.segment}` : this.segment;
  }

  /** The loaded account of this node's connection (nodes below a connection exist only once it loaded). */
  get account(): LoadedAccount {
    const account = this.connection.account;
    if (!account) throw new Error(`${this.connection.label} is not loaded`);
    return account;
  }

  abstract treeItem(): vscode.TreeItem;

  /** Builds the children; only called by `children()`, which caches and handles errors. */
  protected loadChildren(): Node[] | Promise<Node[]> {
    return [];
  }

  /** What to show when there are no children; null: a leaf (no placeholder). */
  protected emptyLabel(): string | null {
    return null;
  }

  async children(): Promise<Node[]> {
    if (this.cached) return this.cached;
    try {
      const loaded = await this.loadChildren();
      const empty = this.emptyLabel();
      this.cached = loaded.length === 0 && empty ? [new MessageNode(this, 'empty', empty)] : loaded;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return [new ErrorNode(this, message)];
    }
    return this.cached;
  }

  /** Forgets cached children (refresh). */
  reset(): void {
    this.cached = undefined;
  }

  /** Findings whose subject is this node's subject, or that are placed on it (an app client, a rule). */
  findings(): Finding[] {
    const key = this.findingKey();
    if (!key || !this.connection.account) return [];
    return this.connection.account.findingsBySubject.get(key) ?? [];
  }

  /** This node's key in the findings index: its subject's, or (nodes without a subject kind) its place's. */
  protected findingKey(): string | undefined {
    const subject = this.subject();
    return subject ? subjectKey(subject) : undefined;
  }

  subject(): Finding['subject'] | undefined {
    return undefined;
  }
}

/** Marks a tree item with its findings: an error or warning icon and the first message. */
export function decorate(item: vscode.TreeItem, findings: Finding[], fallbackIcon?: vscode.ThemeIcon): vscode.TreeItem {
  const worst = findings.find((f) => f.severity === 'error') ?? findings.find((f) => f.severity === 'warning') ?? findings[0];
  if (worst) {
    item.iconPath = severityIcon(worst.severity);
    const md = tooltipMarkdown();
    if (item.tooltip instanceof vscode.MarkdownString) md.appendMarkdown(`${item.tooltip.value}\n\n---\n\n`);
    for (const f of findings) md.appendMarkdown(`$(${severityIconId(f.severity)}) **${escapeMarkdown(f.code)}**: ${escapeMarkdown(f.message)}\n\n`);
    item.tooltip = md;
    item.description = [item.description, `${worst.code}`].filter(Boolean).join(' · ');
  } else if (fallbackIcon) {
    item.iconPath = fallbackIcon;
  }
  return item;
}

export function severityIconId(severity: Finding['severity']): string {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'info';
}

export function severityIcon(severity: Finding['severity']): vscode.ThemeIcon {
  const color = severity === 'error' ? 'problemsErrorIcon.foreground' : severity === 'warning' ? 'problemsWarningIcon.foreground' : 'problemsInfoIcon.foreground';
  return new vscode.ThemeIcon(severityIconId(severity), new vscode.ThemeColor(color));
}

/** Values from AWS are shown as text: Markdown characters are escaped (markdown.ts). */
export function escapeMarkdown(text: string): string {
  return markdownText(text);
}

/**
 * Every tooltip that shows AWS or snapshot values: theme icons on (the escaping in markdown.ts
 * assumes them), never trusted (no command links), no HTML.
 */
export function tooltipMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** A folder of like children, e.g. "Groups 6": the count, an icon, a placeholder when empty. */
export abstract class FolderNode<T> extends Node {
  protected abstract readonly label: string;
  protected abstract readonly icon: string;
  protected abstract readonly empty: string;
  protected abstract readonly context: string;
  protected readonly expanded: boolean = false;

  /** The items the children stand for, in display order. */
  protected abstract items(): readonly T[];
  protected abstract child(item: T): Node;

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, this.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.description = String(this.items().length);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.context;
    return item;
  }

  protected override emptyLabel(): string {
    return this.empty;
  }

  protected override loadChildren(): Node[] {
    return this.items().map((item) => this.child(item));
  }
}

/** A one-line node: an empty placeholder ("No groups"), a note, or a simple leaf with an action. */
export class MessageNode extends Node {
  constructor(
    parent: Node,
    segment: string,
    readonly message: string,
    private readonly icon?: vscode.ThemeIcon,
    private readonly extra: Partial<Pick<vscode.TreeItem, 'description' | 'tooltip' | 'command' | 'contextValue'>> = {},
  ) {
    super(parent, segment);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.contextValue = 'message';
    if (this.icon) item.iconPath = this.icon;
    Object.assign(item, this.extra);
    return item;
  }
}

/** A child load that failed: a warning node that opens the log. */
export class ErrorNode extends Node {
  constructor(
    parent: Node,
    readonly message: string,
  ) {
    super(parent, 'error');
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Failed to load: ${this.message}`, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    item.tooltip = `${this.message}\n\nClick to open the Cognito Access log.`;
    item.command = { command: 'cognitoAccess.showLog', title: 'Open Log' };
    item.contextValue = 'error';
    return item;
  }
}

/** One finding, shown under the node it is about. */
export class FindingNode extends Node {
  constructor(
    parent: Node,
    readonly finding: Finding,
    index: number,
  ) {
    super(parent, `finding-${index}`);
  }

  treeItem(): vscode.TreeItem {
    const f = this.finding;
    const item = new vscode.TreeItem(f.message, vscode.TreeItemCollapsibleState.None);
    item.description = f.code;
    item.iconPath = severityIcon(f.severity);
    const md = tooltipMarkdown();
    md.appendMarkdown(`$(${severityIconId(f.severity)}) **${escapeMarkdown(f.code)}** (${f.severity})\n\n${escapeMarkdown(f.message)}\n\n`);
    if (f.symptom) md.appendMarkdown(`Symptom: ${markdownCode(f.symptom)}\n\n`);
    const json = f.fix.indexOf('\n{');
    md.appendMarkdown(`**Fix:** ${escapeMarkdown(json < 0 ? f.fix : f.fix.slice(0, json))}\n\n`);
    if (json >= 0) md.appendMarkdown(markdownCodeBlock(f.fix.slice(json + 1), 'json'));
    item.tooltip = md;
    item.contextValue = contextValue('finding', f.fix.includes('\n{') && 'hasFixJson');
    return item;
  }
}
