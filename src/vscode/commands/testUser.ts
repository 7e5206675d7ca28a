// "Test as User...": sign a real user in (or take a pasted ID token), get identity-pool
// credentials, and open the result panel beside the engine's prediction. From the palette, a
// user pool, group or user node, or with an argument object (automation, tests). The password is
// never stored or logged unless the person ticks "remember" (then SecretStorage only).
import * as vscode from 'vscode';
import type { Connection, ConnectionStore } from '../connections.ts';
import { loadAws, loadEngine } from '../lazy.ts';
import type { Log } from '../log.ts';
import { TestUserPanel, type LiveTestUser, type TestUserSessions } from '../panels/testUserPanel.ts';
import { testUserView } from '../panels/testUserModel.ts';
import type { RecentUsers, Secrets } from '../secrets.ts';
import { Node } from '../tree/node.ts';
import type { StepView, TestUserView } from '../../webview/protocol.ts';
import { askSecret, explainNeedsLive, pickClient, pickConnection, pickIdentityPool, pickUserPool, pickWho, recordSteps } from './testUserPicks.ts';

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
  /** Use this ID token instead of signing in. */
  idToken?: string;
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
  const pool = await pickUserPool(account.snapshot, args.userPoolId ?? (node && 'poolId' in node ? String(node.poolId) : undefined));
  if (!pool) return undefined;
  const client = await pickClient(account.snapshot, pool, args.clientId);
  if (!client) return undefined;
  const identityPoolId = args.identityPoolId ?? (await pickIdentityPool(account.snapshot, pool.Id, client.ClientId));
  if (identityPoolId === null) return undefined;

  const who = args.idToken ? { idToken: args.idToken } : args.username ? { username: args.username } : await pickWho(pool, node, deps.recent.list(pool.Id));
  if (!who) return undefined;
  const username = 'username' in who ? who.username : '(ID token)';
  const passwordKey = { kind: 'password' as const, userPoolId: pool.Id, clientId: client.ClientId, username };
  const secretKey = { kind: 'clientSecret' as const, userPoolId: pool.Id, clientId: client.ClientId };

  let password: { value: string; remember: boolean } | undefined;
  if ('username' in who) {
    const stored = args.password ? undefined : await deps.secrets.get(passwordKey);
    password = args.password ? { value: args.password, remember: false } : stored ? { value: stored, remember: false } : await askSecret(`Password for ${username}`, `Test as user: ${username} in ${pool.Name ?? pool.Id}`);
    if (!password) return undefined;
  }
  let clientSecret: { value: string; remember: boolean } | undefined;
  if (client.HasSecret && 'username' in who) {
    const stored = await deps.secrets.get(secretKey);
    clientSecret = stored ? { value: stored, remember: false } : await askSecret(`Client secret of app client ${client.ClientName ?? client.ClientId}`, 'This app client has a secret (needed for SECRET_HASH)');
    if (!clientSecret) return undefined;
  }

  const aws = await loadAws();
  const steps: StepView[] = [];
  let outcome: Awaited<ReturnType<typeof aws.runTestUser>>;
  try {
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Test as user: ${username}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return aws.runTestUser({
          profile: spec.profile, region: spec.region,
          options: { userPoolId: pool.Id, clientId: client.ClientId, username, authFlow: 'auto', ...(identityPoolId ? { identityPoolId } : {}), ...(args.customRoleArn ? { customRoleArn: args.customRoleArn } : {}) },
          ...(password ? { password: password.value } : {}), ...('idToken' in who ? { idToken: who.idToken } : {}), ...(clientSecret ? { clientSecret: clientSecret.value } : {}),
          prompt: challengePrompt,
          onStep: (step) => progress.report({ message: recordSteps(steps, step) }),
          signal: abort.signal,
        });
      },
    );
  } catch (error) {
    if (error instanceof aws.CancelledError) {
      deps.log.info(`test-user: ${username}: cancelled`);
      return undefined;
    }
    throw error;
  }
  // Remembered only after Cognito accepted them, and only when ticked.
  if (password?.remember) await deps.secrets.store(passwordKey, password.value);
  if (clientSecret?.remember) await deps.secrets.store(secretKey, clientSecret.value);
  if ('username' in who) await deps.recent.remember(pool.Id, username);

  const { session } = outcome;
  const live = session.comparison.live;
  if (live.outcome === 'error') {
    const failed = live.identityId ? 'GetCredentialsForIdentity' : 'GetId';
    for (const s of steps) if (s.step === failed) { s.status = 'failed'; s.detail = `${live.error?.code}: ${live.error?.message}`; }
    if (!steps.some((s) => s.step === 'GetCallerIdentity')) steps.push({ step: 'GetCallerIdentity', label: 'GetCallerIdentity (STS, as the test user)', status: 'skipped', detail: 'no credentials to call it with' });
  }
  const engine = await loadEngine();
  const shownName = 'username' in who ? username : tokenUsername(engine, outcome.idToken);
  const view = testUserView(engine, {
    connection: connection.label, connectionId: spec.id, clientId: client.ClientId, username: shownName, session, idToken: outcome.idToken,
    hasAccessToken: Boolean(outcome.accessToken), steps, connectionSnapshot: account.snapshot, connectionLoadedAt: account.loadedAt, mask: engine.mask,
  });
  const live_ = live.outcome === 'credentials' ? `${live.roleArn}` : `${live.error?.code}`;
  deps.log.info(`test-user: ${shownName} via ${session.identityPoolId}: predicted ${session.comparison.predicted.roleArn ?? session.comparison.predicted.error?.code}, live ${live_}: ${session.comparison.agree ? 'agree' : 'differ'}`);
  const liveUser: LiveTestUser = {
    id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    profile: spec.profile, region: spec.region, outcome, view,
    again: { connection: spec.id, userPoolId: pool.Id, clientId: client.ClientId, username: shownName, identityPoolId: session.identityPoolId, ...(args.customRoleArn ? { customRoleArn: args.customRoleArn } : {}) },
  };
  deps.sessions.add(liveUser);
  TestUserPanel.show(liveUser, { extensionUri: deps.extensionUri, sessions: deps.sessions, log: deps.log });
  return { sessionId: liveUser.id, view };
}

/** Challenge answers (new password, TOTP or SMS code, MFA choice) through input boxes. */
async function challengePrompt(question: string, hidden: boolean): Promise<string> {
  const answer = await vscode.window.showInputBox({ title: 'Test as user', prompt: question.replace(/:\s*$/, ''), password: hidden, ignoreFocusOut: true });
  if (answer === undefined) throw new (await loadAws()).CancelledError();
  return answer;
}

function tokenUsername(engine: Awaited<ReturnType<typeof loadEngine>>, idToken: string): string {
  try {
    const name = engine.decodeToken(idToken).claims['cognito:username'];
    return typeof name === 'string' ? name : 'ID token user';
  } catch {
    return 'ID token user';
  }
}
