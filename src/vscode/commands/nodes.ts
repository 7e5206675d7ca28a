// Commands on tree nodes: diagnose, open policy document, copy ARN, open in console, simulate as
// groups, load users, reveal a finding. Each also works from the palette where that makes sense,
// and takes plain arguments for automation (tests).
import * as vscode from 'vscode';
import type { Diagnosis } from '../../core/diagnose.ts';
import type { SimulationResult } from '../../core/simulate.ts';
import type { Connection, ConnectionStore } from '../connections.ts';
import { loadAws } from '../lazy.ts';
import type { Log } from '../log.ts';
import { policyUri } from '../policyDocuments.ts';
import { showReport } from '../reportDocuments.ts';
import { diagnosisMarkdown, simulationMarkdown } from '../reports.ts';
import { readSettings } from '../settings.ts';
import type { ExplorerProvider, FindingsItem } from '../tree/explorer.ts';
import type { Node } from '../tree/node.ts';
import type { GapNode } from '../tree/gapNodes.ts';
import { IdentityPoolNode } from '../tree/identityPoolNodes.ts';
import { GroupNode, UserNode, UserPoolNode, UsersNode, USERS_PAGE } from '../tree/poolNodes.ts';
import { PolicyNode, RoleNode, TableNode, TrustPolicyNode } from '../tree/roleNodes.ts';
import { pickConnection } from './connect.ts';

export async function diagnoseConnection(store: ConnectionStore, node?: Node | string): Promise<Diagnosis | undefined> {
  const connection = typeof node === 'string' ? store.get(node) : (node?.connection ?? (await pickConnection(store, 'Diagnose which connection?')));
  if (!connection) return undefined;
  const account = await connection.load();
  await showReport(`Diagnosis ${connection.label}`, diagnosisMarkdown(connection.label, account.diagnosis));
  return account.diagnosis;
}

export async function openPolicyDocument(node: PolicyNode | TrustPolicyNode): Promise<vscode.TextDocument | undefined> {
  const ref = node instanceof TrustPolicyNode ? ({ kind: 'trust' } as const) : node.ref;
  const label = node instanceof TrustPolicyNode ? 'trust-policy' : ((node.arn ?? ('name' in node.ref ? node.ref.name : 'policy')).split('/').pop() ?? 'policy');
  const uri = policyUri({ connection: node.connection.spec.id, role: node.role.Arn, ref }, node.role.RoleName, label);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'json');
  await vscode.window.showTextDocument(document, { preview: true });
  return document;
}

/** The ARN (or id) a node stands for. */
export function arnOf(node: Node): string | undefined {
  if (node instanceof RoleNode) return node.roleArn;
  if (node instanceof PolicyNode) return node.arn;
  if (node instanceof TableNode) return node.arn;
  const region = node.account.snapshot.region;
  const account = node.account.snapshot.accountId;
  if (node instanceof UserPoolNode) return `arn:aws:cognito-idp:${region}:${account}:userpool/${node.poolId}`;
  if (node instanceof IdentityPoolNode) return `arn:aws:cognito-identity:${region}:${account}:identitypool/${node.poolId}`;
  if (node instanceof GroupNode) return node.group.RoleArn ?? undefined;
  return undefined;
}

export async function copyArn(node: Node): Promise<string | undefined> {
  const arn = arnOf(node);
  if (!arn) return undefined;
  await vscode.env.clipboard.writeText(arn);
  vscode.window.setStatusBarMessage(`Copied ${arn}`, 3000);
  return arn;
}

/** The AWS console page of a node. */
export function consoleUrl(node: Node): string | undefined {
  const region = node.account.snapshot.region;
  const regional = `https://${region}.console.aws.amazon.com`;
  if (node instanceof RoleNode) return `https://console.aws.amazon.com/iam/home#/roles/details/${encodeURIComponent(node.roleArn.slice(node.roleArn.lastIndexOf('/') + 1))}`;
  if (node instanceof PolicyNode && node.arn) return `https://console.aws.amazon.com/iam/home#/policies/details/${encodeURIComponent(node.arn)}`;
  if (node instanceof UserPoolNode) return `${regional}/cognito/v2/idp/user-pools/${encodeURIComponent(node.poolId)}/overview?region=${region}`;
  if (node instanceof GroupNode) return `${regional}/cognito/v2/idp/user-pools/${encodeURIComponent(node.poolId)}/groups/details/${encodeURIComponent(node.groupName)}?region=${region}`;
  if (node instanceof IdentityPoolNode) return `${regional}/cognito/v2/identity/identity-pools/${encodeURIComponent(node.poolId)}/?region=${region}`;
  if (node instanceof TableNode) return `${regional}/dynamodbv2/home?region=${region}#table?name=${encodeURIComponent(node.tableName)}`;
  return undefined;
}

export async function openInConsole(node: Node): Promise<string | undefined> {
  const url = consoleUrl(node);
  if (!url) return undefined;
  // Where no browser can be opened (a remote or locked-down host), the link is copied instead.
  const opened = await Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url))).catch(() => false);
  if (!opened) {
    await vscode.env.clipboard.writeText(url);
    void vscode.window.showInformationMessage(`Could not open a browser; the console link is on the clipboard: ${url}`);
  }
  return url;
}

export interface SimulateArgs {
  connection?: string;
  userPoolId?: string;
  identityPoolId?: string;
  groups?: string[];
  /** The app client the user signs in with (id or name); asked when the identity pool trusts several of the pool's. */
  clientId?: string;
  /** Skip the report document (automation). */
  quiet?: boolean;
}

/** "Simulate as Groups...": pick groups, see the predicted claims and role, offline. */
export async function simulateAsGroups(store: ConnectionStore, node?: Node, args: SimulateArgs = {}): Promise<SimulationResult | undefined> {
  const connection: Connection | undefined = args.connection ? store.get(args.connection) : (node?.connection ?? (await pickConnection(store, 'Simulate in which connection?')));
  if (!connection) return undefined;
  const account = await connection.load();
  const { snapshot, engine } = account;
  let poolId = args.userPoolId ?? (node instanceof UserPoolNode || node instanceof GroupNode || node instanceof UserNode ? node.poolId : undefined);
  // A named identity pool that trusts one user pool names it too (accounts with several user pools, e.g. one with a trigger).
  const trusted = args.identityPoolId
    ? [...new Set(snapshot.identityPools.find((p) => p.IdentityPoolId === args.identityPoolId)?.CognitoIdentityProviders.map((p) => p.ProviderName.slice(p.ProviderName.lastIndexOf('/') + 1)) ?? [])]
    : [];
  if (!poolId && trusted.length === 1 && snapshot.userPools.some((p) => p.Id === trusted[0])) poolId = trusted[0];
  if (!poolId) {
    if (snapshot.userPools.length === 1) poolId = snapshot.userPools[0]!.Id;
    else poolId = (await vscode.window.showQuickPick(snapshot.userPools.map((p) => ({ label: p.Name ?? p.Id, description: p.Id, id: p.Id })), { ignoreFocusOut: true, title: 'Simulate: user pool' }))?.id;
  }
  const pool = snapshot.userPools.find((p) => p.Id === poolId);
  if (!pool) return undefined;
  let groups = args.groups;
  if (!groups) {
    const preselected = new Set(node instanceof GroupNode ? [node.groupName] : node instanceof UserNode ? node.groups : []);
    const sorted = [...pool.Groups].sort((a, b) => engine.comparePrecedence(a.Precedence, b.Precedence));
    const picked = await vscode.window.showQuickPick(
      sorted.map((g) => ({ label: g.GroupName, description: `${engine.formatPrecedence(g.Precedence)} · ${g.RoleArn ? g.RoleArn.slice(g.RoleArn.lastIndexOf('/') + 1) : 'no role'}`, picked: preselected.has(g.GroupName) })),
      { ignoreFocusOut: true, title: `Simulate a member of which groups of ${pool.Name ?? pool.Id}?`, canPickMany: true, placeHolder: 'None picked: a user in no group' },
    );
    if (!picked) return undefined;
    groups = picked.map((p) => p.label);
  }
  let identityPoolId = args.identityPoolId;
  const provider = engine.providerNameFor(snapshot.region, pool.Id);
  const trusting = snapshot.identityPools.filter((ip) => ip.CognitoIdentityProviders.some((p) => p.ProviderName === provider));
  if (!identityPoolId && trusting.length > 1) {
    identityPoolId = (await vscode.window.showQuickPick(trusting.map((ip) => ({ label: ip.IdentityPoolName ?? ip.IdentityPoolId, description: ip.IdentityPoolId, id: ip.IdentityPoolId })), { ignoreFocusOut: true, title: 'Simulate: through which identity pool?' }))?.id;
    if (!identityPoolId) return undefined;
  }
  identityPoolId ??= trusting[0]?.IdentityPoolId;
  // Role mappings are per app client, so with several trusted clients the client matters: ask.
  let clientId = args.clientId;
  const clients = identityPoolId ? engine.trustedClients(snapshot, pool, identityPoolId) : [];
  if (!clientId && clients.length > 1) {
    const names = new Map(pool.Clients.map((c) => [c.ClientId, c.ClientName]));
    clientId = (await vscode.window.showQuickPick(clients.map((id) => ({ label: names.get(id) ?? id, description: id, id })), { ignoreFocusOut: true, title: 'Simulate: signing in with which app client?' }))?.id;
    if (!clientId) return undefined;
  }
  let result: SimulationResult;
  try {
    result = engine.simulate(snapshot, { userPoolId: pool.Id, ...(identityPoolId ? { identityPoolId } : {}), ...(clientId ? { clientId } : {}), groups });
  } catch (error) {
    void vscode.window.showErrorMessage(`Simulate: ${(error as Error).message}`);
    return undefined;
  }
  const title = `Sign-in as a member of ${groups.length ? groups.join(', ') : 'no group'}`;
  if (!args.quiet) await showReport('Simulated sign-in', simulationMarkdown(title, result));
  return result;
}

export async function loadUsers(node: UsersNode, log: Log): Promise<void> {
  const connection = node.connection;
  if (connection.spec.kind !== 'aws') return;
  const spec = connection.spec;
  const account = await connection.load();
  const aws = await loadAws();
  await vscode.window.withProgress({ location: { viewId: 'cognitoAccess.explorer' }, title: 'Loading users' }, async () => {
    try {
      const settings = readSettings();
      const { pool, gaps } = await aws.readUserPoolWithUsers(spec.profile, spec.region, node.poolNode.poolId, settings.scanConcurrency, settings.requestTimeoutSeconds);
      // This pool's earlier gaps are replaced by what this read could not read (if anything).
      const kept = (account.snapshot.scanGaps ?? []).filter((g) => g.service !== 'cognito-idp' || !(g.resource === pool.Id || g.resource?.startsWith(`${pool.Id}/`)));
      const scanGaps = [...kept, ...gaps];
      const { scanGaps: _old, ...rest } = account.snapshot;
      await connection.update({ ...rest, userPools: account.snapshot.userPools.map((p) => (p.Id === pool.Id ? pool : p)), ...(scanGaps.length ? { scanGaps } : {}) });
    } catch (error) {
      log.error(`loading users of ${node.poolNode.poolId}: ${(error as Error).message}`);
      void vscode.window.showErrorMessage(`Loading users failed: ${(error as Error).message}`);
    }
  });
}

export function loadMoreUsers(node: UsersNode, explorer: { refreshNode(node: Node): void }): void {
  node.shown += USERS_PAGE;
  node.reset();
  explorer.refreshNode(node);
}

/** "Copy IAM Policy Statement" on a gap node: the policy that would let the scan read what it could not. */
export async function copyGapPolicy(node: GapNode | undefined): Promise<string | undefined> {
  if (!node?.gap) return undefined;
  const { snapshot, engine } = node.account;
  const document = engine.gapPolicyDocument(node.gap, snapshot.region, snapshot.accountId);
  await vscode.env.clipboard.writeText(document);
  void vscode.window.showInformationMessage(`Copied an IAM policy allowing ${node.gap.permission} to the clipboard. Attach it to the identity that scans, then Refresh.`);
  return document;
}

export async function revealFinding(explorer: ExplorerProvider, view: vscode.TreeView<Node>, item: FindingsItem): Promise<Node | undefined> {
  if (item.kind !== 'finding') return undefined;
  const node = await explorer.nodeFor(item.connection, item.finding.subject, item.finding);
  if (!node) {
    void vscode.window.showInformationMessage(`${item.finding.code}: ${item.finding.subject.kind} ${item.finding.subject.id} has no node in the tree.`);
    return undefined;
  }
  await view.reveal(node, { select: true, focus: true, expand: true });
  return node;
}
