// The questions of Test as user: which connection, pool, app client, identity pool and user, the
// password (with a "remember" toggle) and the step list the progress shows. Each picks
// automatically when there is only one sensible answer.
import * as vscode from 'vscode';
import type { AppClient, Snapshot, UserPool } from '../../core/snapshot.ts';
import type { Connection, ConnectionStore } from '../connections.ts';
import type { Node } from '../tree/node.ts';
import { GroupNode, UserNode } from '../tree/poolNodes.ts';
import type { StepView } from '../../webview/protocol.ts';
import { STEP_LABELS } from '../panels/testUserModel.ts';

export async function pickConnection(store: ConnectionStore): Promise<Connection | undefined> {
  const all = store.list();
  const aws = all.filter((c) => c.spec.kind === 'aws');
  if (aws.length === 1) return aws[0];
  if (all.length === 0) {
    const choice = await vscode.window.showInformationMessage('Test as user needs a live AWS connection.', 'Connect to AWS…');
    if (choice) await vscode.commands.executeCommand('cognitoAccess.connect');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((c) => ({ label: c.label, description: c.spec.kind === 'aws' ? 'AWS' : `${c.spec.kind}: simulated only`, connection: c })),
    { ignoreFocusOut: true, title: 'Test as user: which connection?' },
  );
  return picked?.connection;
}

/**
 * The sample and snapshots cannot sign anyone in: say so, and offer what works instead. Not
 * awaited, so a command called with arguments (automation) returns at once.
 */
export function explainNeedsLive(connection: Connection): string {
  const message =
    `Test as user signs a real user in, so it needs a live AWS connection; "${connection.label}" is ${connection.spec.kind === 'sample' ? 'the offline sample' : 'a snapshot file'}. ` +
    'To try it locally, start the sandbox (npm run sandbox) and connect with profile cognito-sandbox. The simulated probe works here.';
  void vscode.window.showInformationMessage(message, 'Connect to AWS…', 'Probe (simulated)…').then((choice) => {
    if (choice === 'Connect to AWS…') void vscode.commands.executeCommand('cognitoAccess.connect');
    if (choice === 'Probe (simulated)…') void vscode.commands.executeCommand('cognitoAccess.probe', { connection: connection.spec.id });
  });
  return message;
}

export async function pickUserPool(snapshot: Snapshot, id: string | undefined): Promise<UserPool | undefined> {
  if (id) {
    const pool = snapshot.userPools.find((p) => p.Id === id);
    if (!pool) throw new Error(`User pool ${id} is not in this connection.`);
    return pool;
  }
  if (snapshot.userPools.length === 1) return snapshot.userPools[0];
  if (snapshot.userPools.length === 0) throw new Error('This connection has no user pool.');
  const picked = await vscode.window.showQuickPick(snapshot.userPools.map((p) => ({ label: p.Name ?? p.Id, description: p.Id, pool: p })), { ignoreFocusOut: true, title: 'Test as user: user pool' });
  return picked?.pool;
}

/** App clients trusted by an identity pool come first: those are the ones that can get credentials. */
export async function pickClient(snapshot: Snapshot, pool: UserPool, id: string | undefined): Promise<AppClient | undefined> {
  if (id) {
    const client = pool.Clients.find((c) => c.ClientId === id || c.ClientName === id);
    if (!client) throw new Error(`App client ${id} is not in user pool ${pool.Id}.`);
    return client;
  }
  const trusted = new Set(snapshot.identityPools.flatMap((ip) => ip.CognitoIdentityProviders.filter((p) => p.ProviderName.endsWith(`/${pool.Id}`)).map((p) => p.ClientId)));
  const clients = [...pool.Clients].sort((a, b) => Number(trusted.has(b.ClientId)) - Number(trusted.has(a.ClientId)));
  if (clients.length === 1) return clients[0];
  if (clients.length === 0) throw new Error(`User pool ${pool.Id} has no app client.`);
  const picked = await vscode.window.showQuickPick(
    clients.map((c) => ({
      label: c.ClientName ?? c.ClientId,
      description: [c.ClientId, c.HasSecret ? 'has a secret' : undefined, trusted.has(c.ClientId) ? 'trusted by an identity pool' : 'no identity pool trusts it'].filter(Boolean).join(' · '),
      client: c,
    })),
    { ignoreFocusOut: true, title: 'Test as user: app client' },
  );
  return picked?.client;
}

/** The identity pool; undefined lets the session pick the only one, null means cancelled. */
export async function pickIdentityPool(snapshot: Snapshot, userPoolId: string, clientId: string): Promise<string | undefined | null> {
  const trusting = snapshot.identityPools.filter((ip) => ip.CognitoIdentityProviders.some((p) => p.ClientId === clientId && p.ProviderName.endsWith(`/${userPoolId}`)));
  if (trusting.length <= 1) return trusting[0]?.IdentityPoolId;
  const picked = await vscode.window.showQuickPick(
    trusting.map((ip) => ({ label: ip.IdentityPoolName ?? ip.IdentityPoolId, description: ip.IdentityPoolId, id: ip.IdentityPoolId })),
    { ignoreFocusOut: true, title: 'Test as user: through which identity pool?', matchOnDescription: true },
  );
  return picked ? picked.id : null;
}

const ANOTHER = '$(edit) Another user name…';
const PASTE = '$(key) Paste an ID token…';

/** The user-name box's check: something other than spaces (Cognito user names are 1-128 characters). */
export function validateUsername(value: string): string | null {
  if (!value.trim()) return 'Enter the user name (or press Escape to cancel)';
  return value.trim().length > 128 ? 'A Cognito user name has at most 128 characters' : null;
}

/** A user name (the node's, recent ones, the snapshot's users) or a pasted ID token. */
export async function pickWho(pool: UserPool, node: Node | undefined, recent: string[]): Promise<{ username: string } | { idToken: string } | undefined> {
  const fromNode = node instanceof UserNode ? [node.username] : [];
  const members = node instanceof GroupNode ? (pool.Users ?? []).filter((u) => u.Groups.includes(node.groupName)).map((u) => u.Username) : [];
  const known = (pool.Users ?? []).map((u) => u.Username);
  const names = [...new Set([...fromNode, ...members, ...recent, ...known])];
  if (fromNode.length === 1) return { username: fromNode[0]! };
  const items = [
    ...names.map((n) => ({ label: n, description: [members.includes(n) && `member of ${(node as GroupNode).groupName}`, recent.includes(n) && 'recent'].filter(Boolean).join(' · ') || undefined })),
    { label: ANOTHER },
    { label: PASTE, description: 'for federated or hosted-UI users' },
  ];
  const picked = names.length === 0 ? { label: ANOTHER } : await vscode.window.showQuickPick(items, { ignoreFocusOut: true, title: `Test as user: who signs in to ${pool.Name ?? pool.Id}?` });
  if (!picked) return undefined;
  if (picked.label === PASTE) {
    const token = await vscode.window.showInputBox({ title: 'Test as user: ID token', prompt: 'Paste the ID token (a JWT); it stays in memory only', password: true, ignoreFocusOut: true, validateInput: (v) => (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(v.trim()) ? null : 'Not a JWT (three base64url parts separated by dots)') });
    return token ? { idToken: token.trim() } : undefined;
  }
  if (picked.label === ANOTHER) {
    // An empty name would end the command without a word: the box says so and stays open.
    const name = await vscode.window.showInputBox({ title: 'Test as user: user name', prompt: `A user of ${pool.Name ?? pool.Id}`, ignoreFocusOut: true, validateInput: validateUsername });
    return name ? { username: name.trim() } : undefined;
  }
  return { username: picked.label };
}

/** A hidden input with a "remember" toggle: off by default; on stores the value in SecretStorage. */
export function askSecret(prompt: string, title: string): Promise<{ value: string; remember: boolean } | undefined> {
  const box = vscode.window.createInputBox();
  box.title = title;
  box.password = true;
  box.ignoreFocusOut = true;
  let remember = false;
  const button = () => ({
    iconPath: new vscode.ThemeIcon(remember ? 'pass-filled' : 'circle-large-outline'),
    tooltip: remember ? 'Will be remembered in VS Code secret storage: click to forget' : 'Remember in VS Code secret storage (off)',
  });
  const describe = () => {
    box.prompt = `${prompt} · ${remember ? 'remembered in secret storage after a successful sign-in' : 'not remembered (toggle with the button)'}`;
    box.buttons = [button()];
  };
  describe();
  return new Promise((resolve) => {
    let done = false;
    box.onDidTriggerButton(() => {
      remember = !remember;
      describe();
    });
    box.onDidAccept(() => {
      if (!box.value) return;
      done = true;
      resolve({ value: box.value, remember });
      box.hide();
    });
    box.onDidHide(() => {
      if (!done) resolve(undefined);
      box.dispose();
    });
    box.show();
  });
}

/** Marks the step list as a call starts; returns the progress message. */
export function recordSteps(steps: StepView[], step: StepView['step']): string {
  for (const s of steps) s.status = 'done';
  steps.push({ step, label: STEP_LABELS[step], status: 'done' });
  return `${STEP_LABELS[step]}…`;
}

// ---------------------------------------------------------------------------------------------
// Beyond the article: other providers of an identity pool (OIDC) and the basic (classic) flow.

/** Where the user signs in: a user pool, or an OIDC provider that identity pools list (its Logins key: the host and path). */
export type SignInSource = { kind: 'userPool'; pool: UserPool } | { kind: 'provider'; provider: string; identityPoolIds: string[] };

/** The OIDC providers the identity pools list, by Logins key (host and path), with the pools that list them. */
export function oidcProviders(snapshot: Snapshot): { provider: string; arn: string; identityPoolIds: string[] }[] {
  const found = new Map<string, { provider: string; arn: string; identityPoolIds: string[] }>();
  for (const ip of snapshot.identityPools) {
    for (const arn of ip.OpenIdConnectProviderARNs ?? []) {
      const provider = oidcHost(arn);
      const entry = found.get(provider) ?? { provider, arn, identityPoolIds: [] };
      if (!entry.identityPoolIds.includes(ip.IdentityPoolId)) entry.identityPoolIds.push(ip.IdentityPoolId);
      found.set(provider, entry);
    }
  }
  return [...found.values()];
}

/** `arn:aws:iam::123:oidc-provider/login.example.com` -> `login.example.com` (core/providers.ts oidcProviderName, without loading the engine). */
export function oidcHost(arnOrName: string): string {
  const at = arnOrName.indexOf(':oidc-provider/');
  return at >= 0 ? arnOrName.slice(at + ':oidc-provider/'.length) : arnOrName.replace(/^https?:\/\//, '');
}

/**
 * The user pool, or an OIDC provider of an identity pool: one pick for both. Picks by itself when
 * there is one user pool and no OIDC provider (as before there were other providers).
 */
export async function pickSignInSource(snapshot: Snapshot, userPoolId: string | undefined): Promise<SignInSource | undefined> {
  if (userPoolId) {
    const pool = await pickUserPool(snapshot, userPoolId);
    return pool && { kind: 'userPool', pool };
  }
  const providers = oidcProviders(snapshot);
  if (providers.length === 0) {
    const pool = await pickUserPool(snapshot, undefined);
    return pool && { kind: 'userPool', pool };
  }
  if (snapshot.userPools.length === 0 && providers.length === 1) return { kind: 'provider', provider: providers[0]!.provider, identityPoolIds: providers[0]!.identityPoolIds };
  const name = (id: string) => snapshot.identityPools.find((p) => p.IdentityPoolId === id)?.IdentityPoolName ?? id;
  type Item = vscode.QuickPickItem & { source: SignInSource };
  const items: Item[] = [
    ...snapshot.userPools.map((p): Item => ({ label: p.Name ?? p.Id, description: `user pool ${p.Id}`, source: { kind: 'userPool', pool: p } })),
    ...providers.map((p): Item => ({
      label: `$(key) ${p.provider}`, description: `OIDC provider · identity pool ${p.identityPoolIds.map(name).join(', ')} · paste its ID token`,
      source: { kind: 'provider', provider: p.provider, identityPoolIds: p.identityPoolIds },
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, title: 'Test as user: sign in through which user pool or provider?', matchOnDescription: true });
  return picked?.source;
}

/** The identity pool of a provider sign-in; undefined: cancelled. */
export async function pickProviderIdentityPool(snapshot: Snapshot, identityPoolIds: string[]): Promise<string | undefined> {
  if (identityPoolIds.length === 1) return identityPoolIds[0];
  const picked = await vscode.window.showQuickPick(
    identityPoolIds.map((id) => ({ label: snapshot.identityPools.find((p) => p.IdentityPoolId === id)?.IdentityPoolName ?? id, description: id, id })),
    { ignoreFocusOut: true, title: 'Test as user: through which identity pool?', matchOnDescription: true },
  );
  return picked?.id;
}

/** The provider's ID token, pasted; it stays in memory only. */
export async function askProviderToken(provider: string): Promise<string | undefined> {
  const token = await vscode.window.showInputBox({
    title: `Test as user: an ID token of ${provider}`, prompt: `Paste an ID token issued by https://${provider} (a JWT); it stays in memory only`, password: true, ignoreFocusOut: true,
    validateInput: (v) => (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(v.trim()) ? null : 'Not a JWT (three base64url parts separated by dots)'),
  });
  return token?.trim() || undefined;
}

const ENHANCED = 'Enhanced flow';
const BASIC = 'Basic (classic) flow';

/**
 * With AllowClassicFlow, the flow to test: enhanced (the identity pool chooses the role) or basic
 * (GetOpenIdToken, then STS AssumeRoleWithWebIdentity of a role picked here). Returns the basic
 * flow's role ARN, null for the enhanced flow, undefined when cancelled.
 */
export async function pickFlow(snapshot: Snapshot, identityPoolId: string, assumable: (roleArn: string) => boolean): Promise<string | null | undefined> {
  const pool = snapshot.identityPools.find((p) => p.IdentityPoolId === identityPoolId);
  if (!pool?.AllowClassicFlow) return null;
  const flow = await vscode.window.showQuickPick([
    { label: ENHANCED, description: 'GetCredentialsForIdentity: the identity pool chooses the role' },
    { label: BASIC, description: 'GetOpenIdToken, then STS AssumeRoleWithWebIdentity with a role you choose (role mappings do not apply)' },
  ], { ignoreFocusOut: true, title: `Test as user: ${pool.IdentityPoolName ?? identityPoolId} allows the basic flow; which flow?` });
  if (!flow) return undefined;
  if (flow.label === ENHANCED) return null;
  const roles = snapshot.roles.filter((r) => !r.Missing).map((r) => ({ role: r, admits: assumable(r.Arn) }));
  roles.sort((a, b) => Number(b.admits) - Number(a.admits) || a.role.RoleName.localeCompare(b.role.RoleName));
  const picked = await vscode.window.showQuickPick(
    roles.map(({ role, admits }) => ({ label: role.RoleName, description: admits ? 'its trust admits this identity pool' : 'its trust refuses: STS will answer AccessDenied', arn: role.Arn })),
    { ignoreFocusOut: true, title: 'Test as user (basic flow): which role does the client ask STS for?', matchOnDescription: true },
  );
  return picked ? picked.arn : undefined;
}
