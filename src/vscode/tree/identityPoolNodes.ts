// Identity pools > pool > providers, role mappings (with their rules) and default roles.
import * as vscode from 'vscode';
import type { IdentityPool, MappingRule, RoleMapping } from '../../core/snapshot.ts';
import { contextValue, decorate, escapeMarkdown, FindingNode, FolderNode, MessageNode, Node, tooltipMarkdown } from './node.ts';
import { markdownCode } from './markdown.ts';
import { RoleNode, roleName } from './roleNodes.ts';
import { GapNode, gapNodes, gapsAt, notAGap } from './gapNodes.ts';
import { basicFlowRow, providerRows, type ProviderRow, type TagRow } from './providerRows.ts';

export class IdentityPoolsNode extends FolderNode<IdentityPool> {
  protected readonly label = 'Identity pools';
  protected readonly icon = 'key';
  protected readonly empty = 'No identity pools found';
  protected readonly context = 'identityPools';
  protected override readonly expanded = true;

  constructor(parent: Node) {
    super(parent, 'identityPools');
  }

  protected items(): readonly IdentityPool[] {
    return this.account.snapshot.identityPools;
  }

  protected child(pool: IdentityPool): Node {
    return new IdentityPoolNode(this, pool.IdentityPoolId);
  }

  /** A failed ListIdentityPools: the gap, not "No identity pools found". */
  protected override loadChildren(): Node[] {
    const nodes = super.loadChildren();
    return nodes.length ? nodes : gapNodes(this, (place) => place.kind === 'connection').filter((n) => n.gap.operation === 'ListIdentityPools');
  }

  override treeItem(): vscode.TreeItem {
    const item = super.treeItem();
    if (this.items().length === 0 && this.account.snapshot.scanGaps?.some((g) => g.operation === 'ListIdentityPools')) item.description = 'not listed';
    return item;
  }
}
export class IdentityPoolNode extends Node {
  constructor(
    parent: Node,
    readonly poolId: string,
  ) {
    super(parent, `identityPool:${poolId}`);
  }

  get pool(): IdentityPool {
    const pool = this.account.snapshot.identityPools.find((p) => p.IdentityPoolId === this.poolId);
    if (!pool) throw new Error(`identity pool ${this.poolId} is no longer in the account`);
    return pool;
  }

  override subject() {
    return { kind: 'identityPool' as const, id: this.poolId };
  }

  treeItem(): vscode.TreeItem {
    const pool = this.pool;
    const item = new vscode.TreeItem(pool.IdentityPoolName ?? pool.IdentityPoolId, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = pool.IdentityPoolId;
    item.tooltip = tooltipMarkdown().appendMarkdown(
      `**Identity pool** ${escapeMarkdown(pool.IdentityPoolName ?? '')}\n\n${markdownCode(pool.IdentityPoolId)}\n\nGuests ${pool.AllowUnauthenticatedIdentities ? 'allowed' : 'not allowed'} · basic flow ${pool.AllowClassicFlow ? 'on' : 'off'}`,
    );
    item.contextValue = contextValue('identityPool', 'console', 'hasId', 'testUser');
    return decorate(item, this.findings(), new vscode.ThemeIcon('key'));
  }

  protected override loadChildren(): Node[] {
    const pool = this.pool;
    const gaps = gapsAt(this.account.snapshot, (place) => place.kind === 'identityPool' && place.poolId === this.poolId);
    const unread = (topic: string) => gaps.some((g) => g.place.kind === 'identityPool' && g.place.topic === topic);
    // What the scan could not read shows as its gap, not as "No role mappings" or "No default roles".
    // A principal-tag map's gap shows under its provider.
    const nodes: Node[] = [
      ...this.findings().filter(notAGap).map((f, i) => new FindingNode(this, f, i)),
      ...gaps.filter((g) => g.place.kind !== 'identityPool' || g.place.topic !== 'tags').map((g) => new GapNode(this, g)),
    ];
    const otherProviders = Object.keys(pool.SupportedLoginProviders ?? {}).length + (pool.OpenIdConnectProviderARNs?.length ?? 0) + (pool.SamlProviderARNs?.length ?? 0) + (pool.DeveloperProviderName ? 1 : 0);
    if (pool.CognitoIdentityProviders.length || otherProviders || !unread('settings')) nodes.push(new ProvidersNode(this));
    if (!unread('settings')) nodes.push(new BasicFlowNode(this));
    if (Object.keys(pool.RoleMappings).length || !unread('roles')) nodes.push(new MappingsNode(this));
    if (pool.Roles.authenticated) nodes.push(new RoleNode(this, pool.Roles.authenticated, 'Authenticated role'));
    if (pool.Roles.unauthenticated) nodes.push(new RoleNode(this, pool.Roles.unauthenticated, 'Unauthenticated role'));
    if (!pool.Roles.authenticated && !pool.Roles.unauthenticated && !unread('roles')) nodes.push(new MessageNode(this, 'noroles', 'No default roles'));
    return nodes;
  }
}

export class ProvidersNode extends FolderNode<ProviderRow> {
  protected readonly label = 'Providers';
  protected readonly icon = 'plug';
  protected readonly empty = 'No providers';
  protected readonly context = 'providers';
  protected override readonly expanded = true;

  constructor(readonly poolNode: IdentityPoolNode) {
    super(poolNode, 'providers');
  }

  /** Every provider: user pool clients, social providers, OIDC and SAML providers, the developer provider. */
  protected items(): readonly ProviderRow[] {
    return providerRows(this.account.engine, this.poolNode.pool);
  }

  protected child(row: ProviderRow): Node {
    return new ProviderNode(this, this.poolNode.poolId, row);
  }
}

/** One provider of an identity pool; its children are its principal-tag map (`tag ← claim`). */
export class ProviderNode extends Node {
  constructor(
    parent: Node,
    readonly identityPoolId: string,
    readonly row: ProviderRow,
  ) {
    super(parent, row.id);
  }

  /** GetPrincipalTagAttributeMap of this provider that the scan could not read. */
  private tagGaps() {
    return gapsAt(this.account.snapshot, (place) => place.kind === 'identityPool' && place.poolId === this.identityPoolId && place.topic === 'tags')
      .filter((g) => g.gap.resource === `${this.identityPoolId}/${this.row.name}`);
  }

  treeItem(): vscode.TreeItem {
    const r = this.row;
    const gaps = this.tagGaps();
    const item = new vscode.TreeItem(r.label, r.tags || gaps.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.description = gaps.length && !r.tags ? r.description.replace(/no principal tags$/, 'principal tags not read') : r.description;
    item.tooltip = r.tooltip;
    item.iconPath = new vscode.ThemeIcon(r.kind === 'user-pool' ? 'plug' : r.kind === 'developer' ? 'server' : 'key');
    item.contextValue = contextValue('provider', r.kind, Boolean(r.tags) && 'tags');
    return item;
  }

  protected override loadChildren(): Node[] {
    const rows = this.row.tags?.rows ?? [];
    return [...this.tagGaps().map((g) => new GapNode(this, g)), ...rows.map((tag, i) => new TagNode(this, tag, i))];
  }
}

export class TagNode extends Node {
  constructor(
    parent: Node,
    readonly tag: TagRow,
    index: number,
  ) {
    super(parent, `tag-${index}`);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.tag.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('tag');
    item.tooltip = this.tag.tooltip;
    item.contextValue = 'principalTag';
    return item;
  }
}

/** Basic (classic) flow on or off, badged with POOL_BASIC_FLOW_ENABLED (the identity pool's finding). */
export class BasicFlowNode extends Node {
  constructor(readonly poolNode: IdentityPoolNode) {
    super(poolNode, 'basicFlow');
  }

  /** The pool's findings about the basic flow: this node is where they are revealed. */
  basicFlowFindings() {
    return this.poolNode.findings().filter((f) => f.code === 'POOL_BASIC_FLOW_ENABLED');
  }

  treeItem(): vscode.TreeItem {
    const row = basicFlowRow(this.poolNode.pool);
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.description = row.description;
    item.tooltip = tooltipMarkdown().appendMarkdown(escapeMarkdown(row.tooltip));
    item.contextValue = contextValue('basicFlow', row.on && 'on');
    return decorate(item, this.basicFlowFindings(), new vscode.ThemeIcon(row.on ? 'unlock' : 'lock'));
  }
}
export class MappingsNode extends FolderNode<[string, RoleMapping]> {
  protected readonly label = 'Role mappings';
  protected readonly icon = 'git-compare';
  protected readonly empty = 'No role mappings: every user gets the authenticated role';
  protected readonly context = 'mappings';
  protected override readonly expanded = true;

  constructor(readonly poolNode: IdentityPoolNode) {
    super(poolNode, 'mappings');
  }

  protected items(): readonly [string, RoleMapping][] {
    return Object.entries(this.poolNode.pool.RoleMappings);
  }

  protected child([key, mapping]: [string, RoleMapping]): Node {
    return new MappingNode(this, this.poolNode.poolId, key, mapping);
  }
}
export class MappingNode extends Node {
  constructor(
    parent: Node,
    readonly identityPoolId: string,
    readonly key: string,
    readonly mapping: RoleMapping,
  ) {
    super(parent, `mapping:${key}`);
  }

  override subject() {
    return { kind: 'roleMapping' as const, id: `${this.identityPoolId}/${this.key}` };
  }

  treeItem(): vscode.TreeItem {
    const m = this.mapping;
    const item = new vscode.TreeItem(this.key.replace(/^cognito-idp\.[^/]+\//, ''), m.Type === 'Rules' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.description = `${m.Type === 'Token' ? 'role from token' : 'rules'} · ambiguous: ${m.AmbiguousRoleResolution ?? 'AuthenticatedRole'}`;
    item.tooltip = tooltipMarkdown().appendMarkdown(`**Role mapping** ${markdownCode(this.key)}\n\nType ${escapeMarkdown(String(m.Type))}; AmbiguousRoleResolution ${escapeMarkdown(m.AmbiguousRoleResolution ?? 'AuthenticatedRole (default)')}`);
    item.contextValue = 'roleMapping';
    return decorate(item, this.findings(), new vscode.ThemeIcon(m.Type === 'Token' ? 'symbol-key' : 'list-ordered'));
  }

  protected override loadChildren(): Node[] {
    const findings = this.findings().map((f, i) => new FindingNode(this, f, i));
    const rules = (this.mapping.RulesConfiguration?.Rules ?? []).map((rule, i) => new RuleNode(this, rule, i));
    return [...findings, ...rules];
  }
}

export class RuleNode extends Node {
  constructor(
    readonly mappingNode: MappingNode,
    readonly rule: MappingRule,
    readonly index: number,
  ) {
    super(mappingNode, `rule-${index}`);
  }

  /** Findings placed on this rule (engine placeKey: `rule|<identity pool>/<mapping key>#<index>`). */
  protected override findingKey(): string {
    return `rule|${this.mappingNode.identityPoolId}/${this.mappingNode.key}#${this.index}`;
  }

  treeItem(): vscode.TreeItem {
    const r = this.rule;
    const item = new vscode.TreeItem(`Rules[${this.index}]: ${r.Claim} ${r.MatchType} "${r.Value}"`, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `→ ${roleName(r.RoleARN)}`;
    item.tooltip = tooltipMarkdown().appendMarkdown(`**Rules[${this.index}]** of ${markdownCode(this.mappingNode.key)} (the first rule that matches wins): claim ${markdownCode(r.Claim)} ${escapeMarkdown(r.MatchType)} ${markdownCode(r.Value)} gives role ${markdownCode(r.RoleARN)}`);
    item.contextValue = 'rule';
    return decorate(item, this.findings(), new vscode.ThemeIcon('filter'));
  }

  protected override loadChildren(): Node[] {
    return [...this.findings().map((f, i) => new FindingNode(this, f, i)), new RoleNode(this, this.rule.RoleARN)];
  }
}
