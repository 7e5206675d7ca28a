// "Test as User...": sign a real user in (or take a pasted ID token), get identity-pool
// credentials, and open the result panel beside the engine's prediction. From the palette, a
// user pool, group, user or identity pool node, or with an argument object (automation, tests).
// Beyond a user pool: an OIDC provider of the identity pool (its pasted ID token, under the
// provider's host), and the basic flow with a chosen role where the pool allows it. The password is
// never stored or logged unless the person ticks "remember" (then SecretStorage only).
import * as vscode from 'vscode';
import type { Connection, ConnectionStore } from '../connections.ts';
import { loadAws, loadEngine } from '../lazy.ts';
import type { Log } from '../log.ts';
import { readSettings } from '../settings.ts';
import { TestUserPanel, type LiveTestUser, type TestUserSessions } from '../panels/testUserPanel.ts';
import { testUserView } from '../panels/testUserModel.ts';
import { describeError } from '../../aws/errors.ts';
import { refusedSecret, type RecentUsers, type Secrets } from '../secrets.ts';
import { Node } from '../tree/node.ts';
import type { StepView, TestUserView } from '../../webview/protocol.ts';
import {
  askProviderToken, askSecret, explainNeedsLive, oidcHost, oidcProviders, pickClient, pickConnection, pickFlow, pickIdentityPool, pickProviderIdentityPool,
  pickSignInSource, pickWho, recordSteps, type SignInSource,
} from './testUserPicks.ts';
import { IdentityPoolNode } from '../tree/identityPoolNodes.ts';
import type { Snapshot } from '../../core/snapshot.ts';

export interface TestUserArgs {
  /** A connection id (from cognitoAccess.connect); else the node's or a picked AWS connection. */
  connection?: string;
  userPoolId: string;
  clientId: string;
  username: string;
  /** Automation only: used for this sign-in, never stored or logged. */
  password?: string;
  identityPoolId?: string;
  customRoleArn?: string;
  /** Use this ID token instead of signing in (with `provider`: that provider's token). */
  idToken?: string;
  /**
   * Sign in through a provider of the identity pool that is not a user pool: an OIDC provider's
   * host or ARN (the identity pool's Logins key is the host). Needs `idToken` (else asked).
   */
  provider?: string;
  /** The basic (classic) flow: GetOpenIdToken, then STS AssumeRoleWithWebIdentity of this role. */
  basicFlowRole?: string;
}

export interface TestUserDeps {
  store: ConnectionStore;
  sessions: TestUserSessions;
  secrets: Secrets;
  recent: RecentUsers;
  extensionUri: vscode.Uri;
  log: Log;
}

/** What the command returns: no secrets (the view carries masked values only). */
export interface TestUserResult {
  sessionId: string;
  view: TestUserView;
}

function isArgs(value: unknown): value is Partial<TestUserArgs> {
  return Boolean(value) && typeof value === 'object' && !(value instanceof Node);
}

export async function testUser(deps: TestUserDeps, target?: Node | Partial<TestUserArgs>): Promise<TestUserResult | undefined> {
  const args = isArgs(target) ? target : {};
  const node = target instanceof Node ? target : undefined;
  const connection: Connection | undefined = args.connection ? deps.store.get(args.connection) : (node?.connection ?? (await pickConnection(deps.store)));
  if (args.connection && !connection) throw new Error(`No connection ${args.connection}: connect first (cognitoAccess.connect).`);
  if (!connection) return undefined;
  if (connection.spec.kind !== 'aws') {
    deps.log.info(`test-user: ${explainNeedsLive(connection)}`);
    return undefined;
  }
  const spec = connection.spec;
  const account = await connection.load();
  const snapshot = account.snapshot;
  // An identity pool node names the identity pool (its poolId is not a user pool's).
  const nodeIdentityPool = node instanceof IdentityPoolNode ? node.poolId : undefined;
  const nodeUserPool = node && !(node instanceof IdentityPoolNode) && 'poolId' in node ? String(node.poolId) : undefined;
  const source = await signInSource(snapshot, args, nodeUserPool, nodeIdentityPool);
  if (!source) return undefined;
  // A provider other than a user pool (OIDC): its pasted ID token, no user pool, client or password.
  const pool = source.kind === 'userPool' ? source.pool : undefined;
  const client = pool ? await pickClient(snapshot, pool, args.clientId) : undefined;
  if (pool && !client) return undefined;
  const identityPoolId = args.identityPoolId ?? nodeIdentityPool
    ?? (source.kind === 'provider' ? await pickProviderIdentityPool(snapshot, source.identityPoolIds) : await pickIdentityPool(snapshot, pool!.Id, client!.ClientId));
  if (identityPoolId === null || (source.kind === 'provider' && !identityPoolId)) return undefined;
  // The basic flow: asked (with its role) only when the identity pool allows it and the caller did not say.
  const engine = await loadEngine();
  const basicFlowRole = args.basicFlowRole ?? (identityPoolId && !(isArgs(target) && args.identityPoolId)
    ? await pickFlow(snapshot, identityPoolId, (roleArn) => admitsBasicFlow(engine, snapshot, identityPoolId, roleArn, source))
    : null);
  if (basicFlowRole === undefined) return undefined;

  let who: { username: string } | { idToken: string } | undefined;
  if (source.kind === 'provider') {
    const token = args.idToken ?? (await askProviderToken(source.provider));
    who = token ? { idToken: token } : undefined;
  } else {
    who = args.idToken ? { idToken: args.idToken } : args.username ? { username: args.username } : await pickWho(pool!, node, deps.recent.list(pool!.Id));
  }
  if (!who) return undefined;
  const username = 'username' in who ? who.username : source.kind === 'provider' ? `${source.provider} token` : '(ID token)';
  const passwordKey = { kind: 'password' as const, userPoolId: pool?.Id ?? '', clientId: client?.ClientId ?? '', username };
  const secretKey = { kind: 'clientSecret' as const, userPoolId: pool?.Id ?? '', clientId: client?.ClientId ?? '' };

  type Given = { value: string; remember: boolean; stored: boolean };
  const ask = async (prompt: string, title: string): Promise<Given | undefined> => {
    const asked = await askSecret(prompt, title);
    return asked && { ...asked, stored: false };
  };
  const askPassword = () => ask(`Password for ${username}`, `Test as user: ${username} in ${pool?.Name ?? pool?.Id}`);
  const askClientSecret = () => ask(`Client secret of app client ${client?.ClientName ?? client?.ClientId}`, 'This app client has a secret (needed for SECRET_HASH)');
  let password: Given | undefined;
  if ('username' in who) {
    const stored = args.password ? undefined : await deps.secrets.get(passwordKey);
    password = args.password ? { value: args.password, remember: false, stored: false } : stored ? { value: stored, remember: false, stored: true } : await askPassword();
    if (!password) return undefined;
  }
  let clientSecret: Given | undefined;
  if (client?.HasSecret && 'username' in who) {
    const stored = await deps.secrets.get(secretKey);
    clientSecret = stored ? { value: stored, remember: false, stored: true } : await askClientSecret();
    if (!clientSecret) return undefined;
  }

  const aws = await loadAws();
  let steps: StepView[] = [];
  /** Set when Cognito made the user choose a new password (NEW_PASSWORD_REQUIRED). */
  let newPassword: string | undefined;
  let outcome: Awaited<ReturnType<typeof aws.runTestUser>> | undefined;
  while (!outcome) {
    steps = [];
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Test as user: ${username}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return aws.runTestUser({
            profile: spec.profile, region: spec.region,
            options: {
              ...(source.kind === 'provider' ? { provider: source.provider } : { userPoolId: pool!.Id, clientId: client!.ClientId, username }), authFlow: 'auto',
              ...(identityPoolId ? { identityPoolId } : {}), ...(args.customRoleArn ? { customRoleArn: args.customRoleArn } : {}), ...(basicFlowRole ? { basicFlowRole } : {}),
            },
            ...(password ? { password: password.value } : {}), ...('idToken' in who ? { idToken: who.idToken } : {}), ...(clientSecret ? { clientSecret: clientSecret.value } : {}),
            prompt: (question, hidden) => challengePrompt(question, hidden, (value) => { newPassword = value; }),
            onStep: (step) => progress.report({ message: recordSteps(steps, step) }),
            signal: abort.signal,
            timeoutSeconds: readSettings().requestTimeoutSeconds,
          });
        },
      );
    } catch (error) {
      if (error instanceof aws.CancelledError) {
        deps.log.info(`test-user: ${username}: cancelled`);
        void vscode.window.showInformationMessage(`Test as user: ${username}: cancelled. Nothing was remembered.`);
        return undefined;
      }
      // A remembered secret Cognito refuses is forgotten at once, and asked for again (once each).
      const refused = refusedSecret(error, { password: password?.stored === true, clientSecret: clientSecret?.stored === true });
      if (!refused) throw error;
      const what = refused === 'password' ? `password of ${username}` : `client secret of ${client?.ClientName ?? client?.ClientId}`;
      await deps.secrets.delete(refused === 'password' ? passwordKey : secretKey);
      deps.log.warn(`test-user: the remembered ${what} was refused; forgotten`);
      void vscode.window.showWarningMessage(`Cognito refused the remembered ${what} (${describeError(error)}); it was forgotten. Enter it again.`);
      const again = refused === 'password' ? await askPassword() : await askClientSecret();
      if (!again) return undefined;
      if (refused === 'password') password = again;
      else clientSecret = again;
    }
  }
  // Remembered only after Cognito accepted them, and only when ticked. A new password set through
  // NEW_PASSWORD_REQUIRED replaces the (now dead) one that was typed or remembered.
  if (password && (password.remember || (password.stored && newPassword))) await deps.secrets.store(passwordKey, newPassword ?? password.value);
  if (clientSecret?.remember) await deps.secrets.store(secretKey, clientSecret.value);
  if ('username' in who && pool) await deps.recent.remember(pool.Id, username);

  const { session } = outcome;
  const live = session.comparison.live;
  if (live.outcome === 'error') {
    const failed = !live.identityId ? 'GetId' : live.flow !== 'basic' ? 'GetCredentialsForIdentity' : steps.some((s) => s.step === 'AssumeRoleWithWebIdentity') ? 'AssumeRoleWithWebIdentity' : 'GetOpenIdToken';
    for (const s of steps) if (s.step === failed) { s.status = 'failed'; s.detail = `${live.error?.code}: ${live.error?.message}`; }
    if (!steps.some((s) => s.step === 'GetCallerIdentity')) steps.push({ step: 'GetCallerIdentity', label: 'GetCallerIdentity (STS, as the test user)', status: 'skipped', detail: 'no credentials to call it with' });
  }
  const shownName = 'username' in who ? username : tokenUsername(engine, outcome.idToken, source.kind === 'provider' ? source.provider : undefined);
  const view = testUserView(engine, {
    connection: connection.label, connectionId: spec.id, clientId: client?.ClientId ?? '', username: shownName, session, idToken: outcome.idToken,
    hasAccessToken: Boolean(outcome.accessToken), steps, connectionSnapshot: account.snapshot, connectionLoadedAt: account.loadedAt, mask: engine.mask,
  });
  const live_ = live.outcome === 'credentials' ? `${live.roleArn}` : `${live.error?.code}`;
  deps.log.info(`test-user: ${shownName} via ${session.identityPoolId}: predicted ${session.comparison.predicted.roleArn ?? session.comparison.predicted.error?.code}, live ${live_}: ${session.comparison.agree ? 'agree' : 'differ'}`);
  const liveUser: LiveTestUser = {
    id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    profile: spec.profile, region: spec.region, outcome, view,
    again: {
      connection: spec.id, userPoolId: pool?.Id ?? '', clientId: client?.ClientId ?? '', username: shownName, identityPoolId: session.identityPoolId,
      ...(args.customRoleArn ? { customRoleArn: args.customRoleArn } : {}),
      ...(source.kind === 'provider' ? { provider: source.provider } : {}), ...(basicFlowRole ? { basicFlowRole } : {}),
    },
  };
  deps.sessions.add(liveUser);
  TestUserPanel.show(liveUser, { extensionUri: deps.extensionUri, sessions: deps.sessions, log: deps.log });
  return { sessionId: liveUser.id, view };
}

const MFA_LABELS: Record<string, string> = { SMS_MFA: 'A code sent by SMS', SOFTWARE_TOKEN_MFA: 'A code from the authenticator app (TOTP)' };

/**
 * Challenge answers through the editor's own inputs. The questions are the CLI session's
 * (src/pipeline/session.ts): "MFA type (A or B): " becomes a pick, a code must be six digits, a new
 * password is hidden and asked twice.
 */
async function challengePrompt(question: string, hidden: boolean, onNewPassword: (value: string) => void): Promise<string> {
  const cancelled = async (): Promise<never> => {
    throw new (await loadAws()).CancelledError();
  };
  const prompt = question.replace(/:\s*$/, '');
  const mfaChoice = /^MFA type \((.+)\)$/.exec(prompt);
  if (mfaChoice) {
    const options = mfaChoice[1]!.split(' or ');
    const picked = await vscode.window.showQuickPick(options.map((o) => ({ label: MFA_LABELS[o] ?? o, description: o, value: o })), { title: 'Test as user: Cognito asks which second factor to use', ignoreFocusOut: true });
    return picked ? picked.value : cancelled();
  }
  const isCode = /^Code /.test(prompt);
  const answer = await vscode.window.showInputBox({
    title: 'Test as user', prompt, password: hidden, ignoreFocusOut: true,
    ...(isCode ? { placeHolder: '6 digits', validateInput: (v: string) => (/^\d{6}$/.test(v.trim()) ? null : 'The code has 6 digits') } : {}),
  });
  if (answer === undefined) return cancelled();
  if (/new password/i.test(prompt)) {
    const again = await vscode.window.showInputBox({
      title: 'Test as user', prompt: 'The new password again', password: true, ignoreFocusOut: true,
      validateInput: (v: string) => (v === answer ? null : 'Not the same as the first entry'),
    });
    if (again === undefined) return cancelled();
    onNewPassword(answer);
  }
  return isCode ? answer.trim() : answer;
}

function tokenUsername(engine: Awaited<ReturnType<typeof loadEngine>>, idToken: string, provider?: string): string {
  try {
    const claims = engine.decodeToken(idToken).claims;
    const name = claims['cognito:username'] ?? (provider ? claims['email'] ?? claims['sub'] : undefined);
    if (provider && typeof name === 'string') return `${name} (${provider})`;
    return typeof name === 'string' ? name : 'ID token user';
  } catch {
    return 'ID token user';
  }
}

/** Where the user signs in: the provider of the arguments, an identity pool node's only OIDC provider, or a pick. */
async function signInSource(snapshot: Snapshot, args: Partial<TestUserArgs>, nodeUserPool: string | undefined, nodeIdentityPool: string | undefined): Promise<SignInSource | undefined> {
  if (args.provider) {
    const provider = oidcHost(args.provider);
    const listed = oidcProviders(snapshot).find((p) => p.provider === provider)?.identityPoolIds ?? [];
    return { kind: 'provider', provider, identityPoolIds: args.identityPoolId ? [args.identityPoolId] : listed };
  }
  const ip = nodeIdentityPool ? snapshot.identityPools.find((p) => p.IdentityPoolId === nodeIdentityPool) : undefined;
  if (ip && !args.userPoolId) {
    // From an identity pool node: its user pool when it trusts one, else its OIDC provider.
    const userPools = [...new Set(ip.CognitoIdentityProviders.map((p) => p.ProviderName.slice(p.ProviderName.lastIndexOf('/') + 1)))];
    const oidc = (ip.OpenIdConnectProviderARNs ?? []).map(oidcHost);
    if (userPools.length === 1 && oidc.length === 0) return pickSignInSource(snapshot, userPools[0]);
    if (userPools.length === 0 && oidc.length === 1) return { kind: 'provider', provider: oidc[0]!, identityPoolIds: [ip.IdentityPoolId] };
  }
  return pickSignInSource(snapshot, args.userPoolId ?? nodeUserPool);
}

/** Whether a role's trust admits the basic flow's web identity for this identity pool (the engine's trust check). */
function admitsBasicFlow(engine: Awaited<ReturnType<typeof loadEngine>>, snapshot: Snapshot, identityPoolId: string, roleArn: string, source: SignInSource): boolean {
  const role = snapshot.roles.find((r) => r.Arn === roleArn);
  if (!role) return false;
  const target = source.kind === 'provider'
    ? { identityPoolId, kind: 'authenticated' as const, provider: source.provider }
    : { identityPoolId, kind: 'authenticated' as const, userPool: { region: snapshot.region, id: source.pool.Id } };
  return engine.checkTrust(role, target).assumable;
}
