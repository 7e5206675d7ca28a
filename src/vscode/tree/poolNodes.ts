// Connection > user pools > pool > groups / app clients / users. Identity pools are in
// identityPoolNodes.ts.
import * as vscode from 'vscode';
import type { AppClient, Group, UserPool } from '../../core/snapshot.ts';
import type { Connection } from '../connections.ts';
import { contextValue, decorate, ErrorNode, escapeMarkdown, FindingNode, FolderNode, MessageNode, Node, tooltipMarkdown } from './node.ts';
import { markdownCode } from './markdown.ts';
import { GapNode, gapNodes, gapsAt, notAGap } from './gapNodes.ts';
import { IdentityPoolsNode } from './identityPoolNodes.ts';
import { RoleNode, roleName } from './roleNodes.ts';
import { triggerRow } from './providerRows.ts';

export const USERS_PAGE = 50;

export class ConnectionNode extends Node {
  constructor(connection: Connection) {
    super(undefined, `connection:${connection.spec.id}`, connection);
  }

  treeItem(): vscode.TreeItem {
    const c = this.connection;
    const item = new vscode.TreeItem(c.label, vscode.TreeItemCollapsibleState.Expanded);
    const summary = c.account?.diagnosis.summary;
    const kind = c.spec.kind === 'aws' ? 'AWS' : c.spec.kind === 'sample' ? 'built-in sample' : c.spec.kind === 'template' ? 'template, before deploy' : 'snapshot';
    const loaded = summary
      ? [
          c.cancelled && 'refresh cancelled',
          kind,
          c.account?.snapshot.accountId,
          c.account?.snapshot.scanGaps?.length && 'scan incomplete',
          summary.errors ? `${summary.errors} error${summary.errors > 1 ? 's' : ''}` : undefined,
          summary.warnings ? `${summary.warnings} warning${summary.warnings > 1 ? 's' : ''}` : undefined,
        ].filter(Boolean).join(' · ')
      : kind;
    item.description = c.state === 'loading' ? 'loading…' : c.state === 'error' ? 'failed to load' : c.state === 'cancelled' ? (c.spec.kind === 'aws' ? 'scan cancelled' : 'cancelled') : loaded;
    item.iconPath =
      c.state === 'loading'
        ? new vscode.ThemeIcon('loading~spin')
        : c.state === 'error'
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
          : c.state === 'cancelled'
            ? new vscode.ThemeIcon('circle-slash')
            : new vscode.ThemeIcon(c.spec.kind === 'aws' ? 'cloud' : c.spec.kind === 'sample' ? 'beaker' : c.spec.kind === 'template' ? 'file-symlink-file' : 'file-code');
    const md = tooltipMarkdown();
    md.appendMarkdown(`**${escapeMarkdown(c.label)}**\n\n`);
    if (c.spec.kind === 'aws') md.appendMarkdown(`Profile ${markdownCode(c.spec.profile)}, region ${markdownCode(c.spec.region)}`);
    if (c.spec.kind === 'snapshot') md.appendMarkdown(`Snapshot ${markdownCode(c.spec.path)}`);
    if (c.spec.kind === 'sample') md.appendMarkdown('The article\'s scenario, offline: no AWS account needed.');
    if (c.spec.kind === 'template') {
      md.appendMarkdown(`Definitions ${markdownCode(c.spec.path)}, read before deploy: ids and ARNs that only exist after deploy stand as the resources that make them (\`!Ref IdentityPool\`, \`aws_cognito_identity_pool.main.id\`). Refresh reads the files again.`);
    }
    if (c.account) md.appendMarkdown(`\n\nLoaded ${c.account.loadedAt.toLocaleTimeString()}`);
    if (c.error) md.appendMarkdown(`\n\n$(warning) ${escapeMarkdown(c.error)}`);
    if (c.cancelled) md.appendMarkdown(c.spec.kind === 'aws' ? `\n\nThe last scan was cancelled${c.account ? ': this is the previous one' : ''}. Refresh to scan again.` : `\n\nThe last refresh was cancelled${c.account ? ': this is the previous reading' : ''}. Refresh to read again.`);
    item.tooltip = md;
    item.contextValue = contextValue('connection', c.spec.kind, c.account && 'loaded');
    return item;
  }

  /**
   * Never waits for a scan: until the account is loaded the node shows "Loading…" and starts the
   * load, whose completion refreshes this node. (Awaiting the scan here let a refresh of the same
   * node run concurrently, and VS Code then saw every child twice.)
   */
  override async children(): Promise<Node[]> {
    const c = this.connection;
    if (c.state === 'loaded' && c.account) return super.children();
    if (c.state === 'error') return [new ErrorNode(this, c.error ?? 'unknown error')];
    // Cancelled on purpose: not an error, and not loaded again until asked (Refresh).
    if (c.state === 'cancelled') {
      return [
        new MessageNode(this, 'cancelled', 'Scan cancelled', new vscode.ThemeIcon('circle-slash'), {
          description: 'Refresh to scan again',
          tooltip: 'The scan was cancelled before it finished. Click to scan again.',
          command: { command: 'cognitoAccess.refresh', title: 'Refresh', arguments: [this] },
        }),
      ];
    }
    void c.load().catch(() => undefined);
    // One placeholder object: VS Code may ask twice while loading, and an id must keep its element.
    this.loadingNode ??= new MessageNode(this, 'loading', 'Loading…', new vscode.ThemeIcon('loading~spin'));
    return [this.loadingNode];
  }

  private loadingNode: MessageNode | undefined;

  protected override loadChildren(): Node[] {
    const warnings = this.connection.account?.warnings ?? [];
    return [
      new UserPoolsNode(this),
      new IdentityPoolsNode(this),
      ...gapNodes(this, (place) => place.kind === 'connection'),
      ...warnings.map((w, i) => new MessageNode(this, `warning-${i}`, w, new vscode.ThemeIcon('warning'))),
    ];
  }
}

export class UserPoolsNode extends FolderNode<UserPool> {
  protected readonly label = 'User pools';
  protected readonly icon = 'organization';
  protected readonly empty = 'No user pools found';
  protected readonly context = 'userPools';
  protected override readonly expanded = true;

  constructor(parent: Node) {
    super(parent, 'userPools');
  }

  protected items(): readonly UserPool[] {
    return this.account.snapshot.userPools;
  }

  protected child(pool: UserPool): Node {
    return new UserPoolNode(this, pool.Id);
  }

  /** A failed ListUserPools: the gap, not "No user pools found". */
  protected override loadChildren(): Node[] {
    const nodes = super.loadChildren();
    return nodes.length ? nodes : gapNodes(this, (place) => place.kind === 'connection').filter((n) => n.gap.operation === 'ListUserPools');
  }

  override treeItem(): vscode.TreeItem {
    const item = super.treeItem();
    if (this.items().length === 0 && this.account.snapshot.scanGaps?.some((g) => g.operation === 'ListUserPools')) item.description = 'not listed';
    return item;
  }
}
export class UserPoolNode extends Node {
  constructor(
    parent: Node,
    readonly poolId: string,
  ) {
    super(parent, `userPool:${poolId}`);
  }

  get pool(): UserPool {
    const pool = this.account.snapshot.userPools.find((p) => p.Id === this.poolId);
    if (!pool) throw new Error(`user pool ${this.poolId} is no longer in the account`);
    return pool;
  }

  override subject() {
    return { kind: 'userPool' as const, id: this.poolId };
  }

  treeItem(): vscode.TreeItem {
    const pool = this.pool;
    const item = new vscode.TreeItem(pool.Name ?? pool.Id, vscode.TreeItemCollapsibleState.Expanded);
    item.description = pool.Id;
    item.tooltip = tooltipMarkdown().appendMarkdown(`**User pool** ${escapeMarkdown(pool.Name ?? '')}\n\n${markdownCode(pool.Id)}\n\n${pool.Groups.length} groups, ${pool.Clients.length} app clients`);
    item.contextValue = contextValue('userPool', 'hasArn', 'console', 'simulate', 'testUser');
    return decorate(item, this.findings(), new vscode.ThemeIcon('account'));
  }

  protected override loadChildren(): Node[] {
    const pool = this.pool;
    const gaps = gapsAt(this.account.snapshot, (place) => place.kind === 'userPool' && place.poolId === this.poolId);
    const unread = (topic: string) => gaps.some((g) => g.place.kind === 'userPool' && g.place.topic === topic);
    // A folder the scan could not read shows as its gap, not as "No groups" (unless some were read).
    const nodes: Node[] = [...this.findings().filter(notAGap).map((f, i) => new FindingNode(this, f, i)), ...gaps.map((g) => new GapNode(this, g))];
    if (this.account.engine.tokenTriggerOf(pool, this.account.snapshot.region)) nodes.push(new TriggerNode(this));
    if (pool.Groups.length || !unread('groups')) nodes.push(new GroupsNode(this));
    if (pool.Clients.length || !unread('clients')) nodes.push(new ClientsNode(this));
    // Users not in a live scan can still be loaded on demand; an empty or absent list elsewhere would mislead.
    if (pool.Users?.length || !unread('users') || (this.connection.spec.kind === 'aws' && !pool.Users)) nodes.push(new UsersNode(this));
    return nodes;
  }
}

/** The pre token generation trigger (ARN and version), badged with USER_POOL_TOKEN_TRIGGER. */
export class TriggerNode extends Node {
  constructor(readonly poolNode: UserPoolNode) {
    super(poolNode, 'trigger');
  }

  /** The pool's findings about the trigger: this node is where they are revealed. */
  triggerFindings() {
    return this.poolNode.findings().filter((f) => f.code === 'USER_POOL_TOKEN_TRIGGER');
  }

  treeItem(): vscode.TreeItem {
    const row = triggerRow(this.account.engine, this.poolNode.pool, this.account.snapshot.region);
    const item = new vscode.TreeItem(row?.label ?? 'Pre token generation trigger', vscode.TreeItemCollapsibleState.None);
    item.description = row?.description;
    item.tooltip = tooltipMarkdown().appendMarkdown(escapeMarkdown(row?.tooltip ?? ''));
    item.contextValue = contextValue('trigger', Boolean(row?.problems.length) && 'problems');
    return decorate(item, this.triggerFindings(), new vscode.ThemeIcon('zap'));
  }
}

export class GroupsNode extends FolderNode<Group> {
  protected readonly label = 'Groups';
  protected readonly icon = 'symbol-array';
  protected readonly empty = 'No groups';
  protected readonly context = contextValue('groups', 'simulate');
  protected override readonly expanded = true;

  constructor(readonly poolNode: UserPoolNode) {
    super(poolNode, 'groups');
  }

  /** By precedence (lower wins, none last), then by name. */
  protected items(): readonly Group[] {
    const { engine } = this.account;
    return [...this.poolNode.pool.Groups].sort((a, b) => engine.comparePrecedence(a.Precedence, b.Precedence) || a.GroupName.localeCompare(b.GroupName));
  }

  protected child(group: Group): Node {
    return new GroupNode(this, this.poolNode.poolId, group.GroupName);
  }
}
export class GroupNode extends Node {
  constructor(
    parent: Node,
    readonly poolId: string,
    readonly groupName: string,
  ) {
    super(parent, `group:${groupName}`);
  }

  get group(): Group {
    const group = this.account.snapshot.userPools.find((p) => p.Id === this.poolId)?.Groups.find((g) => g.GroupName === this.groupName);
    if (!group) throw new Error(`group ${this.groupName} is no longer in user pool ${this.poolId}`);
    return group;
  }

  override subject() {
    return { kind: 'group' as const, id: `${this.poolId}/${this.groupName}` };
  }

  treeItem(): vscode.TreeItem {
    const g = this.group;
    const precedence = g.Precedence === null || g.Precedence === undefined ? 'no precedence' : `precedence ${g.Precedence}`;
    const item = new vscode.TreeItem(g.GroupName, g.RoleArn ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = `${precedence} · ${g.RoleArn ? roleName(g.RoleArn) : 'no role'}`;
    const md = tooltipMarkdown();
    md.appendMarkdown(`**Group** ${escapeMarkdown(g.GroupName)}\n\n`);
    const cell = { inTable: true };
    md.appendMarkdown(`| | |\n|---|---|\n| Precedence | ${g.Precedence ?? '(none: loses to every number)'} |\n| Role | ${g.RoleArn ? markdownCode(g.RoleArn, cell) : '(none)'} |\n| Description | ${escapeMarkdown(g.Description ?? '')} |\n| User pool | ${markdownCode(this.poolId, cell)} |\n`);
    md.appendMarkdown('\nLower precedence wins: the role of the member\'s lowest-precedence group becomes `cognito:preferred_role`.');
    item.tooltip = md;
    item.contextValue = contextValue('group', Boolean(g.RoleArn) && 'hasRole', 'simulate', 'testUser', 'console');
    return decorate(item, this.findings(), new vscode.ThemeIcon('symbol-enum-member'));
  }

  protected override loadChildren(): Node[] {
    const g = this.group;
    return [...this.findings().map((f, i) => new FindingNode(this, f, i)), ...(g.RoleArn ? [new RoleNode(this, g.RoleArn)] : [])];
  }
}

export class ClientsNode extends FolderNode<AppClient> {
  protected readonly label = 'App clients';
  protected readonly icon = 'device-mobile';
  protected readonly empty = 'No app clients';
  protected readonly context = 'clients';

  constructor(readonly poolNode: UserPoolNode) {
    super(poolNode, 'clients');
  }

  protected items(): readonly AppClient[] {
    return this.poolNode.pool.Clients;
  }

  protected child(c: AppClient): Node {
    return new ClientNode(this, this.poolNode.poolId, c);
  }
}

/** An app client: its flows, and the findings placed on it (a claim its users may write, no ID token). */
export class ClientNode extends Node {
  constructor(
    parent: Node,
    readonly poolId: string,
    readonly client: AppClient,
  ) {
    super(parent, `client:${client.ClientId}`);
  }

  /** Findings placed on this client (engine placeKey: `client|<user pool>/<client id>`). */
  protected override findingKey(): string {
    return `client|${this.poolId}/${this.client.ClientId}`;
  }

  treeItem(): vscode.TreeItem {
    const c = this.client;
    const findings = this.findings();
    const item = new vscode.TreeItem(c.ClientName ?? c.ClientId, findings.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = [c.ClientId, c.HasSecret ? 'has a secret' : undefined, (c.ExplicitAuthFlows ?? []).map((f) => f.replace(/^ALLOW_/, '')).join(', ')].filter(Boolean).join(' · ');
    const md = tooltipMarkdown().appendMarkdown(`**App client** ${escapeMarkdown(c.ClientName ?? c.ClientId)}

${markdownCode(c.ClientId)}`);
    if (c.WriteAttributes?.length) md.appendMarkdown(`

Users may write: ${c.WriteAttributes.map((a) => markdownCode(a)).join(', ')}`);
    item.tooltip = md;
    item.contextValue = 'client';
    return decorate(item, findings, new vscode.ThemeIcon(c.HasSecret ? 'lock' : 'device-mobile'));
  }

  protected override loadChildren(): Node[] {
    return this.findings().map((f, i) => new FindingNode(this, f, i));
  }
}
export class UsersNode extends Node {
  shown = USERS_PAGE;

  constructor(readonly poolNode: UserPoolNode) {
    super(poolNode, 'users');
  }

  treeItem(): vscode.TreeItem {
    const users = this.poolNode.pool.Users;
    const item = new vscode.TreeItem('Users', vscode.TreeItemCollapsibleState.Collapsed);
    item.description = users ? String(users.length) : 'not loaded';
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = contextValue('users', !users && this.connection.spec.kind === 'aws' && 'canLoad');
    return item;
  }

  protected override emptyLabel(): string {
    return 'No users';
  }

  protected override loadChildren(): Node[] {
    const users = this.poolNode.pool.Users;
    if (!users) {
      if (this.connection.spec.kind === 'template') return [new MessageNode(this, 'nousers', 'Users are not defined in templates: they sign up after deploy.')];
      if (this.connection.spec.kind !== 'aws') return [new MessageNode(this, 'nousers', 'This snapshot lists no users.')];
      return [new MessageNode(this, 'load', 'Load users…', new vscode.ThemeIcon('cloud-download'), { command: { command: 'cognitoAccess.loadUsers', title: 'Load Users', arguments: [this] } })];
    }
    const nodes: Node[] = users.slice(0, this.shown).map((u) => new UserNode(this, this.poolNode.poolId, u.Username, u.Groups));
    if (users.length > this.shown) {
      const rest = users.length - this.shown;
      nodes.push(
        new MessageNode(this, `more-${this.shown}`, `Show ${Math.min(USERS_PAGE, rest)} more of ${rest}…`, new vscode.ThemeIcon('ellipsis'), {
          command: { command: 'cognitoAccess.loadMoreUsers', title: 'Show More', arguments: [this] },
        }),
      );
    }
    return nodes;
  }
}

export class UserNode extends Node {
  constructor(
    parent: Node,
    readonly poolId: string,
    readonly username: string,
    readonly groups: string[],
  ) {
    super(parent, `user:${username}`);
  }

  override subject() {
    return { kind: 'user' as const, id: `${this.poolId}/${this.username}` };
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.username, vscode.TreeItemCollapsibleState.None);
    const groupsUnread = this.account.snapshot.scanGaps?.some((g) => g.operation === 'AdminListGroupsForUser' && g.resource === `${this.poolId}/${this.username}`);
    item.description = groupsUnread ? 'groups not readable' : this.groups.length ? this.groups.join(', ') : 'no group';
    item.contextValue = contextValue('user', 'testUser', 'simulate');
    const f = this.findings();
    item.tooltip = f.length ? undefined : `User ${this.username}: ${item.description}`;
    return decorate(item, f, new vscode.ThemeIcon('person'));
  }
}
