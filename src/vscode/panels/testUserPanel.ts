// The Test-as-user result panel, host side. The session (tokens, temporary credentials) stays in
// this process's memory: the page gets masked values and asks for a reveal or a copy; the clear
// value goes to the page only for an explicit reveal click, and to the clipboard for a copy.
import * as vscode from 'vscode';
import type { TestUserOutcome } from '../awsAdapters.ts';
import type { Log } from '../log.ts';
import { forgetSecret } from '../../core/redact.ts';
import { loadEngine } from '../lazy.ts';
import { credentialsAsEnv, credentialsAsProfile, profileNameFor, type ClearCredentials } from '../../webview/format.ts';
import { TEST_USER_VIEW_TYPE, type FromWebview, type PageState, type SecretField, type TestUserView } from '../../webview/protocol.ts';
import { tokenView } from './testUserModel.ts';
import { WebviewHost, webviewOptions } from './webviewHost.ts';

export interface TestUserArgsForAgain {
  connection: string;
  userPoolId: string;
  clientId: string;
  username: string;
  identityPoolId: string;
  customRoleArn?: string;
  /** An OIDC provider's Logins key: its token is asked for again (tokens are never kept for this). */
  provider?: string;
  basicFlowRole?: string;
}

/** One signed-in test user, in memory only. */
export interface LiveTestUser {
  id: string;
  profile: string;
  region: string;
  again: TestUserArgsForAgain;
  outcome: TestUserOutcome;
  view: TestUserView;
}

/** The sessions whose panels are open; a closed panel forgets its session. */
export class TestUserSessions {
  private readonly sessions = new Map<string, LiveTestUser>();
  private last: string | undefined;

  add(session: LiveTestUser): void {
    this.sessions.set(session.id, session);
    this.last = session.id;
  }

  get(id: string | undefined): LiveTestUser | undefined {
    return this.sessions.get(id ?? this.last ?? '');
  }

  /** Forgets a session, and its tokens and keys in the redaction registry (nothing can log them any more). */
  delete(id: string): void {
    const session = this.sessions.get(id);
    const c = session?.outcome.session.credentials;
    for (const value of [session?.outcome.idToken, session?.outcome.accessToken, c?.secretAccessKey, c?.sessionToken]) forgetSecret(value);
    this.sessions.delete(id);
    if (this.last === id) this.last = undefined;
  }
}

export interface PanelDeps {
  extensionUri: vscode.Uri;
  sessions: TestUserSessions;
  log: Log;
}

/** Which sign-in a view shows: the same target signed in again reuses its panel. */
function targetKey(view: TestUserView): string {
  return JSON.stringify([view.connectionId, view.userPoolId, view.clientId, view.username, view.identityPoolId, view.provider ?? null, view.basicFlowRole ?? null]);
}

export class TestUserPanel {
  private static readonly open = new Set<TestUserPanel>();
  readonly host: WebviewHost;
  /** Every session this panel showed: kept while it is open, so a probe opened from an earlier one still runs live. */
  private readonly owned: string[] = [];

  private constructor(
    panel: vscode.WebviewPanel,
    private session: LiveTestUser | undefined,
    private view: TestUserView,
    private readonly deps: PanelDeps,
  ) {
    this.host = new WebviewHost(panel, deps.extensionUri, 'testUser', (m) => this.receive(m), (e) => this.fail(e));
    this.host.onDidDispose(() => {
      TestUserPanel.open.delete(this);
      for (const id of this.owned) deps.sessions.delete(id);
    });
    if (session) this.owned.push(session.id);
    TestUserPanel.open.add(this);
    this.host.setView({ type: 'testUser', view });
  }

  /** A new panel, or the open one of the same user, pool, client and identity pool (Sign in again), updated. */
  static show(session: LiveTestUser, deps: PanelDeps): TestUserPanel {
    const key = targetKey(session.view);
    const same = [...TestUserPanel.open].find((p) => targetKey(p.view) === key);
    if (same) {
      same.replace(session);
      same.host.panel.reveal(undefined, false);
      return same;
    }
    const panel = vscode.window.createWebviewPanel(TEST_USER_VIEW_TYPE, `Test as user: ${session.again.username}`, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new TestUserPanel(panel, session, session.view, deps);
  }

  private replace(session: LiveTestUser): void {
    this.session = session;
    this.view = session.view;
    this.owned.push(session.id);
    this.host.setView({ type: 'testUser', view: session.view });
  }

  /** After a window reload: the page's saved view, marked ended (the credentials died with the old host). */
  static restore(panel: vscode.WebviewPanel, state: PageState | undefined, deps: PanelDeps): TestUserPanel | undefined {
    if (!state?.testUser) {
      panel.dispose();
      return undefined;
    }
    return new TestUserPanel(panel, undefined, { ...state.testUser, credentials: null, ended: true }, deps);
  }

  /** Open panels, for tests. */
  static panels(): TestUserPanel[] {
    return [...TestUserPanel.open];
  }

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  get currentView(): TestUserView {
    return this.view;
  }

  private clear(): ClearCredentials | undefined {
    const c = this.session?.outcome.session.credentials;
    if (!c) return undefined;
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration ? c.expiration.toISOString() : null };
  }

  private async receive(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'reveal': {
        const clear = this.clear();
        if (!clear) return this.notice('The credentials are no longer in memory: sign in again.');
        this.host.send({ type: 'revealed', field: message.field, value: clear[message.field as SecretField] });
        return;
      }
      case 'copy':
        return this.copy(message.what);
      case 'showAccessToken': {
        const token = this.session?.outcome.accessToken;
        const engine = await loadEngine();
        this.host.send(token ? { type: 'accessToken', token: tokenView(engine, token) } : { type: 'accessToken', token: null, reason: this.session ? 'This sign-in returned no access token (a pasted ID token has none).' : 'The session ended: sign in again.' });
        return;
      }
      case 'probe':
        if (!this.session) return this.notice('The credentials are no longer in memory: sign in again to probe live, or run the simulated probe.');
        await vscode.commands.executeCommand('cognitoAccess.probe', { sessionId: this.session.id });
        return;
      case 'signInAgain': {
        const again = this.session?.again ?? {
          connection: this.view.connectionId, userPoolId: this.view.userPoolId, clientId: this.view.clientId, username: this.view.username, identityPoolId: this.view.identityPoolId,
          ...(this.view.provider ? { provider: this.view.provider } : {}), ...(this.view.basicFlowRole ? { basicFlowRole: this.view.basicFlowRole } : {}),
        };
        await vscode.commands.executeCommand('cognitoAccess.testUser', again);
        return;
      }
      case 'runProbe':
        return;
    }
  }

  private async copy(what: 'env' | 'profile' | 'trustPolicy' | SecretField): Promise<void> {
    if (what === 'trustPolicy') {
      const policy = this.view.diagnosis?.correctedTrustPolicy;
      if (!policy) return this.notice('There is no corrected trust policy for this result.');
      await vscode.env.clipboard.writeText(policy);
      this.status('Copied the corrected trust policy');
      return;
    }
    const clear = this.clear();
    if (!clear) return this.notice('The credentials are no longer in memory: sign in again.');
    const text =
      what === 'env' ? credentialsAsEnv(clear) : what === 'profile' ? credentialsAsProfile(clear, profileNameFor(this.view.username)) : clear[what];
    await vscode.env.clipboard.writeText(text);
    this.status(what === 'env' ? 'Copied the credentials as environment variables' : what === 'profile' ? `Copied the credentials as profile ${profileNameFor(this.view.username)}` : `Copied ${what}`);
  }

  private status(text: string): void {
    vscode.window.setStatusBarMessage(`$(check) ${text} (clipboard only; nothing was saved)`, 4000);
    this.host.send({ type: 'notice', text: `${text}.` });
  }

  private notice(text: string): void {
    this.host.send({ type: 'notice', text });
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.log.error(`test-user panel: ${message}`);
    this.notice(message);
  }

  dispose(): void {
    this.host.panel.dispose();
  }
}
