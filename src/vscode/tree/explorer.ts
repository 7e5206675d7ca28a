// The "Cognito Access" explorer: connections at the root, loaded lazily; refresh per node and per
// view; findings revealed by walking the same nodes the user would expand.
import * as vscode from 'vscode';
import type { Finding, FindingSubject } from '../../core/findings.ts';
import type { Connection, ConnectionStore } from '../connections.ts';
import type { Node } from './node.ts';
import { GapNode } from './gapNodes.ts';
import { BasicFlowNode, IdentityPoolNode, IdentityPoolsNode, MappingNode, MappingsNode, RuleNode } from './identityPoolNodes.ts';
import { ConnectionNode, GroupNode, GroupsNode, TriggerNode, UserNode, UserPoolNode, UserPoolsNode, UsersNode } from './poolNodes.ts';
import { RoleNode } from './roleNodes.ts';

export class ExplorerProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots = new Map<string, ConnectionNode>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ConnectionStore) {
    this.subscription = store.onDidChange((connection) => {
      if (!connection) return this.changed.fire(undefined);
      // A load that starts was asked for by the tree itself (it shows "Loading…" already) or by
      // refresh(), which redraws the node first. Redrawing here too would fetch the node's children
      // twice at once, and VS Code refuses the second set ("already registered").
      if (connection.state === 'loading') return;
      this.redraw(connection);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    try {
      const item = node.treeItem();
      item.id = node.id;
      return item;
    } catch (error) {
      // A node whose data vanished (the account was refreshed underneath it).
      const item = new vscode.TreeItem(`Failed to show: ${(error as Error).message}`);
      item.id = node.id;
      return item;
    }
  }

  getChildren(node?: Node): vscode.ProviderResult<Node[]> {
    if (node) return node.children();
    const roots = new Map<string, ConnectionNode>();
    for (const connection of this.store.list()) roots.set(connection.spec.id, this.roots.get(connection.spec.id) ?? new ConnectionNode(connection));
    this.roots = roots;
    return [...roots.values()];
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  /** Reloads a node's connection (the data of every node comes from one scan), or every connection. */
  async refresh(node?: Node): Promise<void> {
    const connections: Connection[] = node ? [node.connection] : [...this.store.list()];
    const loads = connections.map((c) => c.load(true));
    for (const c of connections) this.redraw(c); // the spinner and "Loading…" while it reloads
    await Promise.allSettled(loads);
  }

  private redraw(connection: Connection): void {
    const root = this.roots.get(connection.spec.id);
    root?.reset();
    this.changed.fire(root);
  }

  /** Shows a node again with fresh children (paging, a changed filter). */
  refreshNode(node: Node): void {
    node.reset();
    this.changed.fire(node);
  }

  rootOf(connection: Connection): ConnectionNode | undefined {
    return this.roots.get(connection.spec.id);
  }

  /**
   * The node a finding is about, found by walking down from the connection. A SCAN_INCOMPLETE
   * finding (given as `finding`) goes to its gap node where the subject's node holds one.
   */
  async nodeFor(connection: Connection, subject: FindingSubject, finding?: Finding): Promise<Node | undefined> {
    const node = await this.subjectNode(connection, subject);
    // Findings about one setting of a pool have a node of their own: the trigger, the basic flow.
    const own = finding?.code === 'USER_POOL_TOKEN_TRIGGER' ? TriggerNode : finding?.code === 'POOL_BASIC_FLOW_ENABLED' ? BasicFlowNode : undefined;
    if (own && node) return (await node.children()).find((n) => n instanceof own) ?? node;
    if (finding?.code !== 'SCAN_INCOMPLETE') return node;
    // The gap's own node: under the subject's node, else (account, table, a user not loaded) under the connection or the user pool.
    const { engine } = await connection.load();
    const root = this.roots.get(connection.spec.id);
    const userPool = subject.kind === 'user' ? await this.subjectNode(connection, { kind: 'userPool', id: subject.id.split('/')[0]! }) : undefined;
    for (const parent of [node, userPool, root]) {
      if (!parent) continue;
      const gapNode = (await parent.children()).find(
        (n): n is GapNode => n instanceof GapNode && engine.gapFindings({ ...n.account.snapshot, scanGaps: [n.gap] })[0]?.message === finding.message,
      );
      if (gapNode) return gapNode;
    }
    return node ?? (subject.kind === 'account' ? root : undefined);
  }

  private async subjectNode(connection: Connection, subject: FindingSubject): Promise<Node | undefined> {
    const root = this.roots.get(connection.spec.id) ?? new ConnectionNode(connection);
    if (!this.roots.has(connection.spec.id)) this.roots.set(connection.spec.id, root);
    const account = await connection.load();
    const child = async <T extends Node>(parent: Node | undefined, match: (n: Node) => n is T): Promise<T | undefined> =>
      parent ? (await parent.children()).find(match) : undefined;
    const userPools = await child(root, (n): n is UserPoolsNode => n instanceof UserPoolsNode);
    const identityPools = await child(root, (n): n is IdentityPoolsNode => n instanceof IdentityPoolsNode);
    const userPool = (id: string) => child(userPools, (n): n is UserPoolNode => n instanceof UserPoolNode && n.poolId === id);
    const identityPool = (id: string) => child(identityPools, (n): n is IdentityPoolNode => n instanceof IdentityPoolNode && n.poolId === id);
    const split = (id: string): [string, string] => {
      const slash = id.indexOf('/');
      return [id.slice(0, slash), id.slice(slash + 1)];
    };
    switch (subject.kind) {
      case 'userPool':
        return userPool(subject.id);
      case 'identityPool':
        return identityPool(subject.id);
      case 'group': {
        const [poolId, name] = split(subject.id);
        const groups = await child(await userPool(poolId), (n): n is GroupsNode => n instanceof GroupsNode);
        return child(groups, (n): n is GroupNode => n instanceof GroupNode && n.groupName === name);
      }
      case 'user': {
        const [poolId, name] = split(subject.id);
        const users = await child(await userPool(poolId), (n): n is UsersNode => n instanceof UsersNode);
        return child(users, (n): n is UserNode => n instanceof UserNode && n.username === name);
      }
      case 'roleMapping': {
        const [poolId, key] = split(subject.id);
        const mappings = await child(await identityPool(poolId), (n): n is MappingsNode => n instanceof MappingsNode);
        return child(mappings, (n): n is MappingNode => n instanceof MappingNode && n.key === key);
      }
      case 'role': {
        // The first place the role shows: a group of a user pool, else an identity pool's default role.
        for (const pool of account.snapshot.userPools) {
          const group = pool.Groups.find((g) => g.RoleArn === subject.id);
          if (!group) continue;
          const groupNode = await this.nodeFor(connection, { kind: 'group', id: `${pool.Id}/${group.GroupName}` });
          const role = await child(groupNode, (n): n is RoleNode => n instanceof RoleNode);
          if (role) return role;
        }
        for (const pool of account.snapshot.identityPools) {
          const node = await identityPool(pool.IdentityPoolId);
          const role = await child(node, (n): n is RoleNode => n instanceof RoleNode && n.roleArn === subject.id);
          if (role) return role;
        }
        // A rule's role (e.g. an OIDC provider's Rules mapping): mapping > rule > role.
        for (const pool of account.snapshot.identityPools) {
          for (const [key, mapping] of Object.entries(pool.RoleMappings)) {
            const index = (mapping.RulesConfiguration?.Rules ?? []).findIndex((r) => r.RoleARN === subject.id);
            if (index < 0) continue;
            const mappingNode = await this.nodeFor(connection, { kind: 'roleMapping', id: `${pool.IdentityPoolId}/${key}` });
            const rule = await child(mappingNode, (n): n is RuleNode => n instanceof RuleNode && n.index === index);
            const role = await child(rule, (n): n is RoleNode => n instanceof RoleNode);
            if (role) return role;
          }
        }
        return undefined;
      }
      case 'table':
        return undefined;
      case 'account':
        return root;
    }
  }
}

/** The "Findings" view: every finding of every loaded connection, errors first. */
export class FindingsProvider implements vscode.TreeDataProvider<FindingsItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ConnectionStore) {
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  getTreeItem(element: FindingsItem): vscode.TreeItem {
    if (element.kind === 'connection') {
      const summary = element.connection.account?.diagnosis.summary;
      const item = new vscode.TreeItem(element.connection.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = summary ? `${summary.errors} errors, ${summary.warnings} warnings, ${summary.infos} infos` : element.connection.state === 'loading' ? 'loading…' : element.connection.state === 'cancelled' ? 'scan cancelled' : 'not loaded';
      item.iconPath = new vscode.ThemeIcon('checklist');
      item.contextValue = 'findingsConnection';
      return item;
    }
    const f = element.finding;
    const item = new vscode.TreeItem(f.message, vscode.TreeItemCollapsibleState.None);
    item.description = `${f.code} · ${f.subject.kind} ${f.subject.kind === 'role' || f.subject.kind === 'table' ? f.subject.id.slice(f.subject.id.lastIndexOf('/') + 1) : f.subject.id}`;
    item.iconPath = new vscode.ThemeIcon(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info', new vscode.ThemeColor(f.severity === 'error' ? 'problemsErrorIcon.foreground' : f.severity === 'warning' ? 'problemsWarningIcon.foreground' : 'problemsInfoIcon.foreground'));
    const md = new vscode.MarkdownString();
    md.appendText(`${f.code} (${f.severity})\n\n${f.message}\n\nFix: ${f.fix}`);
    item.tooltip = md;
    item.command = { command: 'cognitoAccess.revealFinding', title: 'Reveal in Tree', arguments: [element] };
    item.contextValue = 'finding';
    return item;
  }

  getChildren(element?: FindingsItem): FindingsItem[] {
    if (!element) return this.store.list().map((connection) => ({ kind: 'connection', connection }));
    if (element.kind !== 'connection') return [];
    return (element.connection.account?.diagnosis.findings ?? []).map((finding) => ({ kind: 'finding', connection: element.connection, finding }));
  }
}

export type FindingsItem = { kind: 'connection'; connection: Connection } | { kind: 'finding'; connection: Connection; finding: Finding };
