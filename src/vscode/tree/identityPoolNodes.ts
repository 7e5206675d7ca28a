// Identity pools > pool > providers, role mappings (with their rules) and default roles.
import * as vscode from 'vscode';
import type { IdentityPool, MappingRule, RoleMapping } from '../../core/snapshot.ts';
import { contextValue, decorate, escapeMarkdown, FindingNode, MessageNode, Node } from './node.ts';
import { RoleNode, roleName } from './roleNodes.ts';

export class IdentityPoolsNode extends Node {
  constructor(parent: Node) {
    super(parent, 'identityPools');
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Identity pools', vscode.TreeItemCollapsibleState.Expanded);
    item.description = String(this.account.snapshot.identityPools.length);
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = 'identityPools';
    return item;
  }

  protected override emptyLabel(): string {
    return 'No identity pools found';
  }

  protected override loadChildren(): Node[] {
    return this.account.snapshot.identityPools.map((p) => new IdentityPoolNode(this, p.IdentityPoolId));
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
    item.tooltip = new vscode.MarkdownString(
      `**Identity pool** ${escapeMarkdown(pool.IdentityPoolName ?? '')}\n\n\`${pool.IdentityPoolId}\`\n\nGuests ${pool.AllowUnauthenticatedIdentities ? 'allowed' : 'not allowed'} · basic flow ${pool.AllowClassicFlow ? 'on' : 'off'}`,
    );
    item.contextValue = contextValue('identityPool', 'console', 'hasId');
    return decorate(item, this.findings(), new vscode.ThemeIcon('key'));
  }

  protected override loadChildren(): Node[] {
    const pool = this.pool;
    const nodes: Node[] = this.findings().map((f, i) => new FindingNode(this, f, i));
    nodes.push(new ProvidersNode(this));
    nodes.push(new MappingsNode(this));
    if (pool.Roles.authenticated) nodes.push(new RoleNode(this, pool.Roles.authenticated, 'Authenticated role'));
    if (pool.Roles.unauthenticated) nodes.push(new RoleNode(this, pool.Roles.unauthenticated, 'Unauthenticated role'));
    if (!pool.Roles.authenticated && !pool.Roles.unauthenticated) nodes.push(new MessageNode(this, 'noroles', 'No default roles'));
    return nodes;
  }
}

export class ProvidersNode extends Node {
  constructor(readonly poolNode: IdentityPoolNode) {
    super(poolNode, 'providers');
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Providers', vscode.TreeItemCollapsibleState.Collapsed);
    item.description = String(this.poolNode.pool.CognitoIdentityProviders.length);
    item.iconPath = new vscode.ThemeIcon('plug');
    item.contextValue = 'providers';
    return item;
  }

  protected override emptyLabel(): string {
    return 'No Cognito user pools';
  }

  protected override loadChildren(): Node[] {
    return this.poolNode.pool.CognitoIdentityProviders.map(
      (p) =>
        new MessageNode(this, `provider:${p.ProviderName}:${p.ClientId}`, p.ProviderName.replace(/^cognito-idp\.[^/]+\//, ''), new vscode.ThemeIcon('plug'), {
          description: `client ${p.ClientId}${p.ServerSideTokenCheck ? ' · server-side token check' : ''}`,
          tooltip: `${p.ProviderName}\nclient ${p.ClientId}`,
          contextValue: 'provider',
        }),
    );
  }
}

export class MappingsNode extends Node {
  constructor(readonly poolNode: IdentityPoolNode) {
    super(poolNode, 'mappings');
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Role mappings', vscode.TreeItemCollapsibleState.Expanded);
    item.description = String(Object.keys(this.poolNode.pool.RoleMappings).length);
    item.iconPath = new vscode.ThemeIcon('git-compare');
    item.contextValue = 'mappings';
    return item;
  }

  protected override emptyLabel(): string {
    return 'No role mappings: every user gets the authenticated role';
  }

  protected override loadChildren(): Node[] {
    return Object.entries(this.poolNode.pool.RoleMappings).map(([key, mapping]) => new MappingNode(this, this.poolNode.poolId, key, mapping));
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
    item.tooltip = new vscode.MarkdownString(`**Role mapping** \`${this.key}\`\n\nType ${m.Type}; AmbiguousRoleResolution ${m.AmbiguousRoleResolution ?? 'AuthenticatedRole (default)'}`);
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
    parent: Node,
    readonly rule: MappingRule,
    readonly index: number,
  ) {
    super(parent, `rule-${index}`);
  }

  treeItem(): vscode.TreeItem {
    const r = this.rule;
    const item = new vscode.TreeItem(`${this.index + 1}. ${r.Claim} ${r.MatchType} "${r.Value}"`, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `→ ${roleName(r.RoleARN)}`;
    item.iconPath = new vscode.ThemeIcon('filter');
    item.contextValue = 'rule';
    return item;
  }

  protected override loadChildren(): Node[] {
    return [new RoleNode(this, this.rule.RoleARN)];
  }
}
