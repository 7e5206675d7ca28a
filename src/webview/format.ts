// Pure formatting shared by the host and the pages: countdowns, claim rows, cell labels, and the
// clipboard texts for credentials. No DOM, no vscode, no Node APIs (it runs in both places).
import type { ClaimRow, LiveOutcome, ProbeCellView, SimulatedOutcome } from './protocol.ts';

/** "expires in 59:03", "expires in 1 h 02 min", "expired 3 min ago"; "no expiry" for null. */
export function countdownText(expiresAt: string | null, now: number): string {
  if (!expiresAt) return 'no expiry';
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return 'expiry unknown';
  const seconds = Math.round((at - now) / 1000);
  if (seconds <= 0) {
    const ago = -seconds;
    if (ago < 60) return `expired ${ago} s ago`;
    if (ago < 3600) return `expired ${Math.floor(ago / 60)} min ago`;
    return `expired ${Math.floor(ago / 3600)} h ${String(Math.floor((ago % 3600) / 60)).padStart(2, '0')} min ago`;
  }
  if (seconds >= 3600) return `expires in ${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
  return `expires in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Whether a countdown has run out (for styling). */
export function isExpired(expiresAt: string | null, now: number): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= now;
}

/** A claim's value as text: strings as they are, the rest as JSON; times also as ISO. */
export function claimValue(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && (key === 'exp' || key === 'iat' || key === 'auth_time' || key === 'nbf')) {
    return `${value} (${new Date(value * 1000).toISOString()})`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** Rows for a token header or payload, `cognito:*` first so they stand out. */
export function claimRows(claims: Record<string, unknown>): ClaimRow[] {
  const rows = Object.entries(claims).map(([key, value]) => ({ key, value: claimValue(key, value), cognito: key.startsWith('cognito:') }));
  return [...rows.filter((r) => r.cognito), ...rows.filter((r) => !r.cognito)];
}

/**
 * A statement as every output names it (the engine's statementRef, src/core/iam/explain.ts; a unit
 * test keeps the two equal): `Statement[1]`, or `statement "ReadBooks" (Statement[1])` with a Sid.
 */
export function statementRef(r: { sid?: string | undefined; index: number }): string {
  return r.sid ? `statement "${r.sid}" (Statement[${r.index}])` : `Statement[${r.index}]`;
}

export const OPERATION_LABELS: Record<string, string> = {
  TransactWriteItems: 'TransactWrite (Put)',
  ConditionCheck: 'ConditionCheck',
};

/** The column title of a probe action (`dynamodb:GetItem` -> `GetItem`). */
export function actionLabel(action: string): string {
  const op = action.replace(/^dynamodb:/, '');
  return OPERATION_LABELS[op] ?? op;
}

export function simulatedLabel(outcome: SimulatedOutcome | null): string {
  if (outcome === null) return 'not simulated';
  return outcome === 'allowed' ? 'allowed' : outcome === 'explicit-deny' ? 'denied (explicit)' : 'denied (implicit)';
}

/** What a cell says in one or two words; live first when there is a live answer. */
export function cellText(cell: Pick<ProbeCellView, 'live' | 'simulated' | 'skipped'>): string {
  if (cell.skipped) return 'skipped';
  if (cell.live) return cell.live;
  if (cell.simulated === null) return '?';
  return cell.simulated === 'allowed' ? 'allowed' : 'denied';
}

/** The class a cell is drawn with: allowed, denied or error (live), or the simulated decision. */
export function cellKind(cell: Pick<ProbeCellView, 'live' | 'simulated' | 'skipped'>): LiveOutcome | 'skipped' | 'unknown' {
  if (cell.skipped) return 'skipped';
  if (cell.live) return cell.live;
  if (cell.simulated === null) return 'unknown';
  return cell.simulated === 'allowed' ? 'allowed' : 'denied';
}

/** A cell's accessible name, e.g. "book-table, own partition, PutItem: live denied, engine denied (implicit)". */
export function cellAriaLabel(rowLabel: string, cell: ProbeCellView): string {
  const parts = [`${rowLabel}, ${actionLabel(cell.action)}:`];
  if (cell.skipped) parts.push('skipped');
  else if (cell.live) parts.push(`live ${cell.live},`);
  parts.push(`engine ${simulatedLabel(cell.simulated)}`);
  if (cell.agree === false) parts.push('(live and engine disagree)');
  return parts.join(' ');
}

export interface ClearCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string | null;
}

/** `export AWS_...=` lines for a POSIX shell (values single-quoted). */
export function credentialsAsEnv(c: ClearCredentials): string {
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  return [
    `export AWS_ACCESS_KEY_ID=${q(c.accessKeyId)}`,
    `export AWS_SECRET_ACCESS_KEY=${q(c.secretAccessKey)}`,
    `export AWS_SESSION_TOKEN=${q(c.sessionToken)}`,
    ...(c.expiration ? [`# expires ${c.expiration}`] : []),
    '',
  ].join('\n');
}

/** A profile name from a user name: letters, digits, `-`, `_` and `.` only. */
export function profileNameFor(username: string): string {
  return `cognito-${username.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'user'}`;
}

/** A section for ~/.aws/credentials. */
export function credentialsAsProfile(c: ClearCredentials, profile: string): string {
  return [
    `[${profile}]`,
    `aws_access_key_id = ${c.accessKeyId}`,
    `aws_secret_access_key = ${c.secretAccessKey}`,
    `aws_session_token = ${c.sessionToken}`,
    ...(c.expiration ? [`# expires ${c.expiration}`] : []),
    '',
  ].join('\n');
}
