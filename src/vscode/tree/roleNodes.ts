// A role in the tree: its trust policy (with the trust findings) and its permissions (policies,
// statements, and the DynamoDB tables they reach).
import * as vscode from 'vscode';
import type { Statement } from '../../core/iam/types.ts';
import type { RawPolicyDocument, Role } from '../../core/snapshot.ts';
import { contextValue, decorate, escapeMarkdown, FindingNode, MessageNode, Node, tooltipMarkdown } from './node.ts';
import { markdownCode, markdownCodeBlock } from './markdown.ts';
import { GapNode, gapsAt, notAGap, type PlacedGap } from './gapNodes.ts';

/** Which document of a role: its trust policy, a managed policy (by ARN), an inline policy (by name) or its boundary. */
export type PolicyRef = { kind: 'trust' } | { kind: 'attached'; arn: string } | { kind: 'inline'; name: string } | { kind: 'boundary' };

export function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function documentOf(role: Role, ref: PolicyRef): RawPolicyDocument | null | undefined {
  switch (ref.kind) {
    case 'trust':
      return role.AssumeRolePolicyDocument;
    case 'attached':
      return role.AttachedPolicies?.find((p) => p.PolicyArn === ref.arn)?.Document;
    case 'inline':
      return role.InlinePolicies?.find((p) => p.PolicyName === ref.name)?.PolicyDocument;
    case 'boundary':
      return role.PermissionsBoundary?.Document;
  }
}

export class RoleNode extends Node {
  constructor(
    parent: Node,
    readonly roleArn: string,
    /** Shown before the role name, e.g. "authenticated role". */
    private readonly prefix?: string,
  ) {
    super(parent, `role:${roleArn}`);
  }

  get role(): Role | undefined {
    return this.account.snapshot.roles.find((r) => r.Arn === this.roleArn);
  }

  override subject() {
    return { kind: 'role' as const, id: this.roleArn };
  }

  /** What the scan could not read about this role (GetRole, its policies). */
  private gaps(): PlacedGap[] {
    return gapsAt(this.account.snapshot, (place) => place.kind === 'role' && place.roleArn === this.roleArn);
  }

  treeItem(): vscode.TreeItem {
    const role = this.role;
    const gaps = this.gaps();
    const state = !role ? (gaps.length ? 'not readable' : 'not captured') : role.Missing ? 'does not exist' : role.Unreadable ? 'unreadable' : undefined;
    const item = new vscode.TreeItem(this.prefix ? `${this.prefix}: ${roleName(this.roleArn)}` : roleName(this.roleArn), state && !role && !gaps.length ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    item.description = state;
    const md = tooltipMarkdown();
    md.appendMarkdown(`**IAM role** ${escapeMarkdown(roleName(this.roleArn))}\n\n${markdownCode(this.roleArn)}`);
    if (role?.Unreadable) md.appendMarkdown(`\n\nThe scanner could not read it: ${escapeMarkdown(role.Unreadable)}`);
    item.tooltip = md;
    item.contextValue = contextValue('role', 'hasArn', 'console');
    return decorate(item, this.findings(), new vscode.ThemeIcon(role?.Missing ? 'circle-slash' : 'shield'));
  }

  protected override loadChildren(): Node[] {
    const role = this.role;
    // The gaps say what could not be read and what permission would read it; what was read still shows.
    const placed = this.gaps();
    const gaps = placed.map((g) => new GapNode(this, g));
    if (!role) return gaps.length ? gaps : [new MessageNode(this, 'uncaptured', 'Not in the snapshot: nothing is claimed about this role.', new vscode.ThemeIcon('question'))];
    if (role.Missing) return [new MessageNode(this, 'missing', 'IAM says this role does not exist (NoSuchEntity).', new vscode.ThemeIcon('circle-slash'))];
    if (role.Unreadable && !gaps.length) return [new MessageNode(this, 'unreadable', `Could not be read: ${role.Unreadable}`, new vscode.ThemeIcon('lock'))];
    // Findings elsewhere that name this role as what users obtain (a rule on a claim users write) show on it too.
    const elsewhere = this.findings().filter((f) => f.subject.kind !== 'role').map((f, i) => new FindingNode(this, f, i));
    const nodes: Node[] = [...elsewhere, ...gaps];
    if (role.AssumeRolePolicyDocument !== undefined || !role.Unreadable) nodes.push(new TrustPolicyNode(this, role));
    // "No policies" would mislead when listing them failed.
    const policiesUnread = placed.some((g) => /^(ListAttachedRolePolicies|ListRolePolicies|GetRolePolicy)$/.test(g.gap.operation));
    if (role.AttachedPolicies?.length || role.InlinePolicies?.length || role.PermissionsBoundary || !policiesUnread) nodes.push(new PermissionsNode(this, role));
    return nodes;
  }
}

/** The trust policy: a status icon, the trust findings, then its statements. */
export class TrustPolicyNode extends Node {
  constructor(
    parent: RoleNode,
    readonly role: Role,
  ) {
    super(parent, 'trust');
  }

  private trustFindings() {
    return (this.account.findingsBySubject.get(`role|${this.role.Arn}`) ?? []).filter((f) => f.code.startsWith('TRUST_'));
  }

  treeItem(): vscode.TreeItem {
    const findings = this.trustFindings();
    const item = new vscode.TreeItem('Trust policy', vscode.TreeItemCollapsibleState.Collapsed);
    item.contextValue = contextValue('policy', 'trust', 'openable');
    item.description = findings.length === 0 ? 'Cognito can assume it' : undefined;
    item.tooltip = 'Who may assume this role. Cognito Identity needs Federated cognito-identity.amazonaws.com, sts:AssumeRoleWithWebIdentity, and an aud condition with the identity pool id.';
    return decorate(item, findings, new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')));
  }

  protected override loadChildren(): Node[] {
    const findings = this.trustFindings().map((f, i) => new FindingNode(this, f, i));
    return [...findings, ...statementNodes(this, this.role.AssumeRolePolicyDocument, `trust policy of ${this.role.RoleName}`, 'trust')];
  }
}

export class PermissionsNode extends Node {
  constructor(
    parent: RoleNode,
    readonly role: Role,
  ) {
    super(parent, 'permissions');
  }

  override subject() {
    return undefined;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Permissions', vscode.TreeItemCollapsibleState.Collapsed);
    const permissionFindings = (this.account.findingsBySubject.get(`role|${this.role.Arn}`) ?? []).filter((f) => f.subject.kind === 'role' && !f.code.startsWith('TRUST_') && notAGap(f));
    item.contextValue = 'permissions';
    return decorate(item, permissionFindings, new vscode.ThemeIcon('key'));
  }

  protected override emptyLabel(): string {
    return 'No policies';
  }

  protected override loadChildren(): Node[] {
    const role = this.role;
    const nodes: Node[] = (this.account.findingsBySubject.get(`role|${role.Arn}`) ?? [])
      .filter((f) => f.subject.kind === 'role' && !f.code.startsWith('TRUST_') && notAGap(f))
      .map((f, i) => new FindingNode(this, f, i));
    for (const p of role.AttachedPolicies ?? []) nodes.push(new PolicyNode(this, role, { kind: 'attached', arn: p.PolicyArn }, p.PolicyName ?? roleName(p.PolicyArn), 'managed'));
    for (const p of role.InlinePolicies ?? []) nodes.push(new PolicyNode(this, role, { kind: 'inline', name: p.PolicyName }, p.PolicyName, 'inline'));
    if (role.PermissionsBoundary) nodes.push(new PolicyNode(this, role, { kind: 'boundary' }, roleName(role.PermissionsBoundary.PermissionsBoundaryArn), 'permissions boundary'));
    const tables = reachableTables(this, role);
    if (tables.length) nodes.push(new TablesNode(this, tables));
    return nodes;
  }
}

export class PolicyNode extends Node {
  constructor(
    parent: Node,
    readonly role: Role,
    readonly ref: PolicyRef,
    private readonly name: string,
    private readonly kindLabel: string,
  ) {
    super(parent, `policy:${ref.kind}:${'arn' in ref ? ref.arn : 'name' in ref ? ref.name : ''}`);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.kindLabel;
    item.iconPath = new vscode.ThemeIcon(this.ref.kind === 'boundary' ? 'symbol-namespace' : 'file-code');
    item.contextValue = contextValue('policy', 'openable', this.ref.kind === 'attached' && 'hasArn');
    item.command = { command: 'cognitoAccess.openPolicyDocument', title: 'Open Policy Document', arguments: [this] };
    return item;
  }

  get arn(): string | undefined {
    return this.ref.kind === 'attached' ? this.ref.arn : this.ref.kind === 'boundary' ? this.role.PermissionsBoundary?.PermissionsBoundaryArn : undefined;
  }

  protected override emptyLabel(): string {
    return 'No statements';
  }

  protected override loadChildren(): Node[] {
    return statementNodes(this, documentOf(this.role, this.ref), this.name, this.ref.kind === 'boundary' ? 'boundary' : 'identity');
  }
}

function statementNodes(parent: Node, raw: RawPolicyDocument | null | undefined, name: string, kind: 'trust' | 'identity' | 'boundary'): Node[] {
  if (raw === null || raw === undefined) return [new MessageNode(parent, 'nodoc', 'The document is not in the snapshot.')];
  const { engine } = parent.account;
  let document: Record<string, unknown>;
  try {
    document = engine.decodePolicyDocument(raw);
  } catch (error) {
    return [new MessageNode(parent, 'baddoc', `The document cannot be read: ${(error as Error).message}`, new vscode.ThemeIcon('warning'))];
  }
  const policy = engine.parsePolicy(document, { name, kind });
  const nodes: Node[] = policy.Statement.map((s) => new StatementNode(parent, s));
  for (const [i, problem] of policy.problems.entries()) nodes.push(new MessageNode(parent, `problem-${i}`, `${problem.path}: ${problem.message}`, new vscode.ThemeIcon('warning')));
  return nodes;
}

export class StatementNode extends Node {
  constructor(
    parent: Node,
    readonly statement: Statement,
  ) {
    super(parent, `statement-${statement.index}`);
  }

  treeItem(): vscode.TreeItem {
    const s = this.statement;
    const actions = s.Action ? s.Action.join(', ') : `NotAction ${(s.NotAction ?? []).join(', ')}`;
    const item = new vscode.TreeItem(`${s.Effect} ${actions}`, vscode.TreeItemCollapsibleState.None);
    const principal = s.Principal === '*' ? '*' : s.Principal ? Object.entries(s.Principal).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ') : undefined;
    const resource = s.Resource ? s.Resource.join(', ') : s.NotResource ? `NotResource ${s.NotResource.join(', ')}` : undefined;
    item.description = [s.Sid && `Sid ${s.Sid}`, principal, resource].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(s.Effect === 'Allow' ? 'check' : 'circle-slash', new vscode.ThemeColor(s.Effect === 'Allow' ? 'testing.iconPassed' : 'testing.iconFailed'));
    const md = tooltipMarkdown();
    md.appendMarkdown(markdownCodeBlock(JSON.stringify(withoutIndex(s), null, 2), 'json'));
    item.tooltip = md;
    item.contextValue = 'statement';
    return item;
  }
}

function withoutIndex(s: Statement): Omit<Statement, 'index'> {
  const { index: _index, ...rest } = s;
  return rest;
}

export class TablesNode extends Node {
  constructor(
    parent: Node,
    private readonly tables: string[],
  ) {
    super(parent, 'tables');
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('DynamoDB tables', vscode.TreeItemCollapsibleState.Collapsed);
    item.description = String(this.tables.length);
    item.iconPath = new vscode.ThemeIcon('database');
    item.contextValue = 'tables';
    return item;
  }

  protected override loadChildren(): Node[] {
    return this.tables.map((name) => new TableNode(this, name));
  }
}

export class TableNode extends Node {
  constructor(
    parent: Node,
    readonly tableName: string,
  ) {
    super(parent, `table:${tableName}`);
  }

  get arn(): string | undefined {
    return this.account.snapshot.tables.find((t) => t.TableName === this.tableName)?.TableArn;
  }

  override subject() {
    const arn = this.arn;
    return arn ? { kind: 'table' as const, id: arn } : undefined;
  }

  treeItem(): vscode.TreeItem {
    const table = this.account.snapshot.tables.find((t) => t.TableName === this.tableName);
    const item = new vscode.TreeItem(this.tableName, vscode.TreeItemCollapsibleState.None);
    item.description = table ? table.KeySchema.map((k) => `${k.AttributeName} (${k.KeyType === 'HASH' ? 'partition' : 'sort'})`).join(', ') : 'not in the snapshot';
    item.tooltip = table ? `${table.TableArn}${table.ResourcePolicy ? '\nHas a resource policy.' : ''}` : undefined;
    item.contextValue = contextValue('table', table && 'hasArn', table && 'console');
    return decorate(item, this.findings(), new vscode.ThemeIcon('table'));
  }
}

/** The snapshot's tables that some Allow statement of the role names (wildcards and variables match loosely). */
function reachableTables(node: Node, role: Role): string[] {
  const { snapshot, engine } = node.account;
  const patterns: string[] = [];
  const documents = [...(role.AttachedPolicies ?? []).map((p) => p.Document), ...(role.InlinePolicies ?? []).map((p) => p.PolicyDocument)];
  for (const raw of documents) {
    if (!raw) continue;
    try {
      const policy = engine.parsePolicy(engine.decodePolicyDocument(raw), { name: 'p', kind: 'identity' });
      for (const s of policy.Statement) {
        if (s.Effect !== 'Allow' || !s.Resource) continue;
        if (!(s.Action ?? ['dynamodb:*']).some((a) => /^(dynamodb:|\*)/i.test(a))) continue;
        // An index or stream ARN reaches its table; variables match anything here.
        for (const r of s.Resource) patterns.push(r.replace(/\/(index|stream)\/.*$/, '').replace(/\$\{[^}]*\}/g, '*'));
      }
    } catch {
      // An unreadable document is reported as a finding; it reaches nothing here.
    }
  }
  return snapshot.tables.filter((t) => patterns.some((p) => engine.matches(p, t.TableArn, 'glob', false))).map((t) => t.TableName);
}
