// The extension's settings (non-secret only; secrets live in SecretStorage).
import * as vscode from 'vscode';

export const SECTION = 'cognitoAccess';

export interface Settings {
  /** Profiles offered first by "Connect to AWS". */
  profiles: string[];
  /** Regions offered first by "Connect to AWS". */
  regions: string[];
  /** Only these user pools are shown (ids); empty: all. */
  userPools: string[];
  /** Only these identity pools are shown (ids); empty: all. */
  identityPools: string[];
  /** AWS calls in flight at once while scanning. */
  scanConcurrency: number;
  /** Read users and their groups while scanning (one call per user). */
  loadUsers: boolean;
  /** Time limit of one AWS call in seconds, retries included (connecting: 5 s). */
  requestTimeoutSeconds: number;
  /** AWS connections (profile and region) to show without asking, e.g. a team's or the demo's. */
  connections: { profile: string; region: string }[];
  /** Diagnose every template and Terraform folder of the workspace, not only open files. */
  diagnoseWorkspaceTemplates: boolean;
}

/** A number of seconds, at least 1; anything else (a hand-edited string, NaN) is the default 30. */
export function timeoutSeconds(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(1, value) : 30;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    profiles: c.get<string[]>('profiles', []),
    regions: c.get<string[]>('regions', []),
    userPools: c.get<string[]>('userPools', []),
    identityPools: c.get<string[]>('identityPools', []),
    scanConcurrency: Math.max(1, Math.min(32, c.get<number>('scanConcurrency', 8))),
    loadUsers: c.get<boolean>('loadUsers', false),
    requestTimeoutSeconds: timeoutSeconds(c.get<unknown>('requestTimeoutSeconds', 30)),
    connections: c
      .get<unknown[]>('connections', [])
      .filter((x): x is { profile: string; region: string } => typeof x === 'object' && x !== null && typeof (x as { profile?: unknown }).profile === 'string' && typeof (x as { region?: unknown }).region === 'string'),
    diagnoseWorkspaceTemplates: c.get<boolean>('diagnoseWorkspaceTemplates', true) !== false,
  };
}
