// Connections: an AWS profile and region, a snapshot file, the built-in sample account, or a
// template (CloudFormation/SAM file, cdk.out or Terraform folder: read-only, before deploy).
// Several sit side by side; their specs (never credentials) are remembered in globalState.
import * as vscode from 'vscode';
import type { Diagnosis } from '../core/diagnose.ts';
import type { Finding, FindingSubject } from '../core/findings.ts';
import type { Snapshot } from '../core/snapshot.ts';
import type { Log } from './log.ts';
import { loadAws, loadEngine } from './lazy.ts';
import type { Engine } from './lazy.ts';
import { readSettings, SECTION } from './settings.ts';
import { ScanCancelledError, unlessCancelled } from './cancel.ts';

export { ScanCancelledError } from './cancel.ts';

export type ConnectionSpec =
  | { kind: 'aws'; id: string; profile: string; region: string }
  | { kind: 'snapshot'; id: string; path: string }
  | { kind: 'sample'; id: string }
  | { kind: 'template'; id: string; path: string };

/** A connection to add: its spec, with the id optional (derived from the target). */
export type NewConnection = ConnectionSpec extends infer T ? (T extends ConnectionSpec ? Omit<T, 'id'> & { id?: string } : never) : never;

export const SAMPLE_FILE = 'media/samples/sample-account.json';
const STATE_KEY = 'cognitoAccess.connections';

export interface LoadedAccount {
  snapshot: Snapshot;
  diagnosis: Diagnosis;
  /** Findings by subject (`kind|id`) and by their further places (an app client, a rule: engine placeKey), for badges in the tree. */
  findingsBySubject: Map<string, Finding[]>;
  warnings: string[];
  loadedAt: Date;
  engine: Engine;
}

export function subjectKey(subject: FindingSubject): string {
  return `${subject.kind}|${subject.id}`;
}

export function indexFindings(findings: Finding[], engine: Pick<Engine, 'placesOf' | 'placeKey'>): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  const add = (key: string, f: Finding): void => {
    const list = map.get(key);
    if (list) list.push(f);
    else map.set(key, [f]);
  };
  for (const f of findings) {
    const own = subjectKey(f.subject);
    add(own, f);
    // Each further place once, and not again where the subject already put it.
    for (const key of new Set(engine.placesOf(f).map((p) => engine.placeKey(p)))) if (key !== own) add(key, f);
  }
  return map;
}

/** A loaded account: the snapshot with its diagnosis and the findings indexed for the tree. */
function diagnosed(engine: Engine, snapshot: Snapshot, warnings: string[]): LoadedAccount {
  const diagnosis = engine.diagnose(snapshot);
  return { snapshot, diagnosis, findingsBySubject: indexFindings(diagnosis.findings, engine), warnings, loadedAt: new Date(), engine };
}

export function connectionLabel(spec: ConnectionSpec): string {
  switch (spec.kind) {
    case 'aws':
      return `${spec.profile} · ${spec.region}`;
    case 'snapshot':
      return spec.path.split(/[\\/]/).pop() ?? spec.path;
    case 'sample':
      return 'Sample account';
    case 'template':
      return `${spec.path.split(/[\\/]/).pop() ?? spec.path} (template)`;
  }
}

export class Connection {
  /** 'cancelled': the first scan was cancelled (a cancelled refresh keeps the previous account: 'loaded'). */
  state: 'idle' | 'loading' | 'loaded' | 'error' | 'cancelled' = 'idle';
  account: LoadedAccount | undefined;
  error: string | undefined;
  /** The last load was cancelled (shown on the connection until the next load). */
  cancelled = false;
  private loading: Promise<LoadedAccount> | undefined;
  private abort: AbortController | undefined;
  private readonly changed = new vscode.EventEmitter<Connection>();
  readonly onDidChange = this.changed.event;

  constructor(
    readonly spec: ConnectionSpec,
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {}

  get label(): string {
    return connectionLabel(this.spec);
  }

  /** Loads (or reloads with `force`) the account; concurrent callers share one load. */
  load(force = false): Promise<LoadedAccount> {
    if (this.account && !force) return Promise.resolve(this.account);
    if (this.loading) return this.loading;
    this.state = 'loading';
    this.error = undefined;
    this.cancelled = false;
    const abort = (this.abort = new AbortController());
    this.changed.fire(this);
    this.loading = unlessCancelled(this.read(abort), abort.signal)
      .then(
        (account) => {
          this.account = account;
          this.state = 'loaded';
          this.log.info(`${this.label}: ${account.diagnosis.summary.errors} errors, ${account.diagnosis.summary.warnings} warnings, ${account.diagnosis.summary.infos} infos`);
          return account;
        },
        (error: unknown) => {
          if (error instanceof ScanCancelledError) {
            this.cancelled = true;
            this.log.info(`${this.label}: scan cancelled${this.account ? '; showing the previous scan' : ''}`);
            if (this.account) {
              this.state = 'loaded';
              return this.account;
            }
            this.state = 'cancelled';
            throw error;
          }
          this.state = 'error';
          this.error = error instanceof Error ? error.message : String(error);
          this.log.error(`${this.label}: ${this.error}`);
          throw error;
        },
      )
      .finally(() => {
        if (this.abort === abort) this.abort = undefined;
        this.loading = undefined;
        this.changed.fire(this);
      });
    return this.loading;
  }

  /** Stops the load in progress (what the scan notification's Cancel does); false when none runs. */
  cancelLoad(): boolean {
    if (!this.abort || this.abort.signal.aborted) return false;
    this.abort.abort();
    return true;
  }

  /** Replaces the snapshot (e.g. after users were loaded) and re-runs diagnose. */
  async update(snapshot: Snapshot): Promise<void> {
    this.account = diagnosed(await loadEngine(), snapshot, this.account?.warnings ?? []);
    this.changed.fire(this);
  }

  private async read(abort: AbortController): Promise<LoadedAccount> {
    const engine = await loadEngine();
    let snapshot: Snapshot;
    let warnings: string[] = [];
    if (this.spec.kind === 'aws') {
      ({ snapshot, warnings } = await this.scan(this.spec, abort));
    } else if (this.spec.kind === 'template') {
      // The definition's snapshot (synthetic ids stand for what only deploy knows); refresh re-reads the files.
      const model = await engine.parseTemplate(this.spec.path);
      snapshot = model.snapshot;
      warnings = model.unsupported.map((u) => `${u.what}: ${u.reason}`);
    } else {
      const uri = this.spec.kind === 'sample' ? vscode.Uri.joinPath(this.extensionUri, SAMPLE_FILE) : vscode.Uri.file(this.spec.path);
      const bytes = await vscode.workspace.fs.readFile(uri);
      snapshot = engine.parseSnapshot(new TextDecoder().decode(bytes), this.spec.kind === 'sample' ? 'sample account' : vscode.workspace.asRelativePath(uri));
    }
    return diagnosed(engine, snapshot, warnings);
  }

  /**
   * Scans with a notification that has Cancel (a view's progress bar cannot be cancelled) and the
   * Explorer's progress bar. Every step waits through `unlessCancelled`, so a cancel stops the load
   * at once even while a call hangs on a slow endpoint; the abort signal stops the scan's calls.
   */
  private async scan(spec: Extract<ConnectionSpec, { kind: 'aws' }>, abort: AbortController): Promise<{ snapshot: Snapshot; warnings: string[] }> {
    const aws = await loadAws();
    const settings = readSettings();
    const { signal } = abort;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Scanning ${this.label}`, cancellable: true }, (progress, token) =>
      vscode.window.withProgress({ location: { viewId: 'cognitoAccess.explorer' } }, async () => {
        const onCancel = token.onCancellationRequested(() => abort.abort());
        try {
          const creating = aws.createAwsContext({ profile: spec.profile, region: spec.region, timeoutSeconds: settings.requestTimeoutSeconds });
          // A context that arrives after a cancel is closed at once.
          creating.then((late) => signal.aborted && late.destroy(), () => undefined);
          const context = await unlessCancelled(creating, signal);
          try {
            const accountId = await unlessCancelled(context.accountId(), signal);
            const result = await unlessCancelled(
              aws.scanAccount(context.clients, {
                region: context.region,
                accountId,
                userPoolIds: settings.userPools.length ? settings.userPools : undefined,
                identityPoolIds: settings.identityPools.length ? settings.identityPools : undefined,
                includeUsers: settings.loadUsers,
                concurrency: settings.scanConcurrency,
                signal,
                onProgress: (p) => progress.report({ message: `${p.done}/${p.total} ${p.message}` }),
              }),
              signal,
            );
            for (const warning of result.warnings) this.log.warn(`${this.label}: ${warning}`);
            return result;
          } finally {
            context.destroy();
          }
        } finally {
          onCancel.dispose();
        }
      }),
    );
  }
}

export class ConnectionStore implements vscode.Disposable {
  private readonly connections: Connection[] = [];
  private readonly changed = new vscode.EventEmitter<Connection | undefined>();
  /** Fires with the connection that changed, or undefined when the list changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly memento: vscode.Memento,
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {
    for (const spec of memento.get<ConnectionSpec[]>(STATE_KEY, [])) this.attach(spec);
    this.addConfigured();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.connections`) && this.addConfigured()) this.changed.fire(undefined);
      }),
    );
  }

  /** Shows the connections of the `cognitoAccess.connections` setting (not remembered: the setting is). */
  private addConfigured(): boolean {
    let added = false;
    for (const { profile, region } of readSettings().connections) {
      const spec: ConnectionSpec = { kind: 'aws', id: idFor({ kind: 'aws', id: '', profile, region }), profile, region };
      if (this.get(spec.id)) continue;
      this.attach(spec);
      added = true;
    }
    return added;
  }

  list(): readonly Connection[] {
    return this.connections;
  }

  get(id: string): Connection | undefined {
    return this.connections.find((c) => c.spec.id === id);
  }

  /** Adds a connection, or returns the existing one with the same target. */
  async add(spec: NewConnection): Promise<Connection> {
    const id = spec.id ?? idFor(spec as ConnectionSpec);
    const existing = this.get(id);
    if (existing) return existing;
    const connection = this.attach({ ...spec, id } as ConnectionSpec);
    await this.save();
    this.changed.fire(undefined);
    return connection;
  }

  async remove(id: string): Promise<void> {
    const index = this.connections.findIndex((c) => c.spec.id === id);
    if (index < 0) return;
    this.connections.splice(index, 1);
    await this.save();
    this.changed.fire(undefined);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private attach(spec: ConnectionSpec): Connection {
    const connection = new Connection(spec, this.extensionUri, this.log);
    this.disposables.push(connection.onDidChange((c) => this.changed.fire(c)));
    this.connections.push(connection);
    return connection;
  }

  private save(): Thenable<void> {
    return this.memento.update(
      STATE_KEY,
      this.connections.map((c) => c.spec),
    );
  }
}

export function idFor(spec: ConnectionSpec): string {
  switch (spec.kind) {
    case 'aws':
      return `aws:${spec.profile}:${spec.region}`;
    case 'snapshot':
      return `snapshot:${spec.path}`;
    case 'sample':
      return 'sample';
    case 'template':
      return `template:${spec.path}`;
  }
}
