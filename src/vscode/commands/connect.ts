// Connect to AWS (profile and region), open the sample account or a snapshot file, export one.
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections.ts';
import type { Log } from '../log.ts';
import { loadAws } from '../lazy.ts';
import { readSettings } from '../settings.ts';
import type { Node } from '../tree/node.ts';

/** Regions where Cognito identity pools exist, offered after the profile's own. */
const COMMON_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1', 'me-south-1', 'il-central-1',
];

export interface ConnectArgs {
  profile?: string;
  region?: string;
}

export async function connect(store: ConnectionStore, log: Log, args: ConnectArgs = {}): Promise<string | undefined> {
  let profile = args.profile;
  let region = args.region;
  if (!profile) {
    const aws = await loadAws();
    const settings = readSettings();
    let profiles: Awaited<ReturnType<typeof aws.listProfiles>> = [];
    try {
      profiles = await aws.listProfiles();
    } catch (error) {
      log.warn(`reading the shared config files failed: ${(error as Error).message}`);
    }
    const preferred = new Set(settings.profiles);
    const items = [
      ...settings.profiles.filter((p) => !profiles.some((x) => x.name === p)).map((name) => ({ name, region: undefined, source: 'settings', sso: false })),
      ...profiles,
    ]
      .sort((a, b) => Number(preferred.has(b.name)) - Number(preferred.has(a.name)))
      .map((p) => ({ label: p.name, description: [p.region, p.sso ? 'SSO' : undefined].filter(Boolean).join(' · '), detail: `from ${p.source}`, region: p.region }));
    if (items.length === 0) {
      void vscode.window.showWarningMessage('No AWS profiles found in the shared config files (~/.aws/config, ~/.aws/credentials). Add one with `aws configure`, or open the sample account.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, title: 'Connect to AWS (1/2): profile', placeHolder: 'A profile from your AWS config files', matchOnDescription: true });
    if (!picked) return undefined;
    profile = picked.label;
    region ??= await pickRegion(picked.region);
  } else {
    region ??= await pickRegion(undefined);
  }
  if (!region) return undefined;
  const connection = await store.add({ kind: 'aws', profile, region });
  log.info(`connected ${connection.label}`);
  void connection.load().catch(() => undefined);
  return connection.spec.id;
}

async function pickRegion(profileRegion: string | undefined): Promise<string | undefined> {
  const settings = readSettings();
  const regions = [...new Set([profileRegion, ...settings.regions, ...COMMON_REGIONS].filter((r): r is string => Boolean(r)))];
  const picked = await vscode.window.showQuickPick(
    regions.map((r) => ({ label: r, description: r === profileRegion ? "the profile's region" : settings.regions.includes(r) ? 'from settings' : undefined })),
    { ignoreFocusOut: true, title: 'Connect to AWS (2/2): region', placeHolder: 'The region of the user pools and identity pools' },
  );
  return picked?.label;
}

export async function openSample(store: ConnectionStore): Promise<string> {
  const connection = await store.add({ kind: 'sample', id: 'sample' });
  await connection.load().catch(() => undefined);
  await vscode.commands.executeCommand('workbench.view.extension.cognitoAccess');
  return connection.spec.id;
}

export async function openSnapshot(store: ConnectionStore, uri?: vscode.Uri): Promise<string | undefined> {
  const target =
    uri ??
    (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Open Snapshot', title: 'Open an account snapshot', filters: { 'Snapshot (JSON)': ['json'] } }))?.[0];
  if (!target) return undefined;
  const connection = await store.add({ kind: 'snapshot', path: target.fsPath });
  try {
    await connection.load(true);
  } catch (error) {
    void vscode.window.showErrorMessage((error as Error).message);
  }
  return connection.spec.id;
}

/** Writes a connection's snapshot to a file the user chooses (snapshots hold no secrets). */
export async function exportSnapshot(store: ConnectionStore, node?: Node, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const connection = node?.connection ?? (await pickConnection(store, 'Export which connection?'));
  if (!connection) return undefined;
  const account = await connection.load();
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: `Export ${connection.label} as a snapshot`,
      saveLabel: 'Export',
      filters: { 'Snapshot (JSON)': ['json'] },
      defaultUri: vscode.Uri.file(`${account.snapshot.accountId}-${account.snapshot.region}.snapshot.json`),
    }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${JSON.stringify(account.snapshot, null, 2)}\n`));
  void vscode.window.showInformationMessage(`Exported ${connection.label} to ${vscode.workspace.asRelativePath(uri)}.`);
  return uri;
}

export async function pickConnection(store: ConnectionStore, title: string) {
  const list = store.list();
  if (list.length <= 1) return list[0];
  const picked = await vscode.window.showQuickPick(
    list.map((c) => ({ label: c.label, description: c.spec.kind, connection: c })),
    { title },
  );
  return picked?.connection;
}
