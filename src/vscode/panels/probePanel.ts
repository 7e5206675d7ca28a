// The probe panel, host side: runs the matrix live (a test user's credentials, src/aws/probe.ts
// through loadAws) or simulated (the engine only, from a connection's snapshot), and posts the
// view. Live results carry the engine's decision too, so disagreements are marked.
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections.ts';
import { loadAws, loadEngine } from '../lazy.ts';
import type { Log } from '../log.ts';
import { readSettings } from '../settings.ts';
import { PROBE_VIEW_TYPE, type FromWebview, type PageState, type ProbeView } from '../../webview/protocol.ts';
import { probeContextOf } from '../../pipeline/probeContext.ts';
import { probeView, sessionNotes, simulateProbes, type ProbeRecord, type ProbeSession } from './probeModel.ts';
import type { LiveTestUser, TestUserSessions } from './testUserPanel.ts';
import { WebviewHost, webviewOptions } from './webviewHost.ts';

export interface ProbeTarget {
  connectionId: string;
  roleArn: string;
  identityPoolId: string;
  tables: string[];
  /** Set for a live probe: the test user whose credentials are used. */
  sessionId?: string;
  subject: string;
  /** The role as the pool's guest (unauthenticated) role: simulated with Cognito's guest session policy. */
  guest?: boolean;
}

export interface ProbeDeps {
  extensionUri: vscode.Uri;
  store: ConnectionStore;
  sessions: TestUserSessions;
  log: Log;
}

export class ProbePanel {
  private static readonly open = new Set<ProbePanel>();
  readonly host: WebviewHost;
  private view: ProbeView | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly target: ProbeTarget,
    private readonly deps: ProbeDeps,
  ) {
    this.host = new WebviewHost(panel, deps.extensionUri, 'probe', (m) => this.receive(m), (e) => this.fail(e));
    this.host.onDidDispose(() => ProbePanel.open.delete(this));
    ProbePanel.open.add(this);
  }

  static create(target: ProbeTarget, deps: ProbeDeps): ProbePanel {
    const panel = vscode.window.createWebviewPanel(PROBE_VIEW_TYPE, `Probe: ${target.subject}`, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new ProbePanel(panel, target, deps);
  }

  /** After a window reload: the saved view; a live run needs a new sign-in, a simulated one re-runs. */
  static restore(panel: vscode.WebviewPanel, state: PageState | undefined, deps: ProbeDeps): ProbePanel | undefined {
    const saved = state?.probe;
    if (!saved) {
      panel.dispose();
      return undefined;
    }
    const p = new ProbePanel(panel, { connectionId: saved.connectionId, roleArn: saved.roleArn, identityPoolId: saved.identityPoolId, tables: saved.tables, subject: saved.subject, ...(saved.guest ? { guest: true } : {}) }, deps);
    p.show({ ...saved, canRunLive: false, notes: [...saved.notes.filter((n) => !n.startsWith('Restored')), 'Restored after a reload: the test user\'s credentials were in memory only; this is the last result.'] });
    return p;
  }

  static panels(): ProbePanel[] {
    return [...ProbePanel.open];
  }

  get currentView(): ProbeView | undefined {
    return this.view;
  }

  private show(view: ProbeView): void {
    this.view = view;
    this.host.setView({ type: 'probe', view });
  }

  private session(): LiveTestUser | undefined {
    return this.target.sessionId ? this.deps.sessions.get(this.target.sessionId) : undefined;
  }

  /** Runs the matrix and shows it; live when a session is in memory and asked for. */
  async run(mode: 'live' | 'simulated'): Promise<ProbeView> {
    const session = this.session();
    if (mode === 'live' && !session) throw new Error('A live probe needs a signed-in test user: run Test as User first (the credentials live in memory only).');
    this.host.send({ type: 'busy', message: mode === 'live' ? 'Probing DynamoDB as the test user…' : 'Simulating…' });
    try {
      const view = mode === 'live' && session ? await this.runLive(session) : await this.runSimulated(session);
      this.show(view);
      return view;
    } finally {
      this.host.send({ type: 'busy', message: null });
    }
  }

  private async runSimulated(session: LiveTestUser | undefined): Promise<ProbeView> {
    const engine = await loadEngine();
    // With a test user, simulate against the snapshot read for that sign-in (fresh); else the connection's.
    const snapshot = session?.outcome.session.snapshot ?? (await this.connectionSnapshot());
    const identityId = session?.outcome.session.comparison.live.identityId ?? undefined;
    // A test user's session: its tags, provider and flow, as the live probe's engine side has them.
    const context: ProbeSession = session ? probeContextOf(session.outcome.session) : this.target.guest ? { guest: true } : {};
    const records = simulateProbes(engine, snapshot, {
      roleArn: this.target.roleArn, identityPoolId: this.target.identityPoolId, tables: this.target.tables, ...(identityId ? { identityId } : {}), ...context,
    });
    return probeView({
      mode: 'simulated', subject: this.target.subject, connectionId: this.target.connectionId, roleArn: this.target.roleArn, identityPoolId: this.target.identityPoolId,
      identityId: identityId ?? null, canRunLive: Boolean(session), notes: sessionNotes(context), sessionTags: context.sessionTags ?? null, ...(context.guest ? { guest: true } : {}),
    }, records);
  }

  private async connectionSnapshot() {
    const connection = this.deps.store.get(this.target.connectionId);
    if (!connection) throw new Error('The connection of this probe was removed.');
    return (await connection.load()).snapshot;
  }

  private async runLive(session: LiveTestUser): Promise<ProbeView> {
    const live = session.outcome.session.comparison.live;
    const credentials = session.outcome.session.credentials;
    if (!credentials || !live.roleArn || !live.identityId) throw new Error(`Cannot probe: the identity pool gave no credentials (${live.error?.code ?? 'no role'}).`);
    const aws = await loadAws();
    const context = probeContextOf(session.outcome.session);
    const { results, warnings } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Probing DynamoDB as ${session.again.username}` },
      () => aws.probeLive({
        profile: session.profile, region: session.region, snapshot: session.outcome.session.snapshot, credentials,
        roleArn: live.roleArn!, identityId: live.identityId!, identityPoolId: session.outcome.session.identityPoolId, tables: this.target.tables,
        timeoutSeconds: readSettings().requestTimeoutSeconds, ...context,
      }),
    );
    const records: ProbeRecord[] = results.map((r) => ({ ...r, awsMessage: r.awsMessage, skipped: r.skipped }));
    this.deps.log.info(`probe: ${session.again.username} as ${live.roleArn}: ${results.length} probes, ${results.filter((r) => r.agree === false && !r.undecided).length} disagreements`);
    return probeView({
      mode: 'live', subject: this.target.subject, connectionId: this.target.connectionId, roleArn: live.roleArn, identityPoolId: session.outcome.session.identityPoolId,
      identityId: live.identityId, canRunLive: true, notes: [`Live as ${live.callerArn ?? live.roleArn}.`, ...sessionNotes(context), ...warnings], sessionTags: context.sessionTags ?? null,
    }, records);
  }

  private async receive(message: FromWebview): Promise<void> {
    if (message.type === 'runProbe') await this.run(message.mode);
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.log.error(`probe panel: ${message}`);
    this.host.send({ type: 'notice', text: message });
  }

  dispose(): void {
    this.host.panel.dispose();
  }
}
