// `cognito-access explain`: an AWS error text explained against a snapshot (src/core/explainError.ts),
// the same answer as the extension's "Explain an AWS Error...". Exit status (shared/spec/cli.md):
// 0 explained; 1 an error-level finding explains it (a trust fault behind
// InvalidIdentityPoolConfiguration, a policy fault behind AccessDenied); 2 bad usage, or a text that
// is none of the understood forms (stderr lists them).
import { explainError, type ErrorExplanation } from '../core/explainError.ts';
import { formatDecisionText } from '../core/iam/index.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { loadSnapshot, parse, UsageError } from './offline.ts';

export const EXPLAIN_OPTIONS = {
  snapshot: { type: 'string' },
  message: { type: 'string' },
  stdin: { type: 'boolean' },
  'identity-pool': { type: 'string' },
  format: { type: 'string' },
} as const;

export interface ExplainIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The text piped in (tests pass their own); default: process.stdin. */
  stdin?: () => Promise<string>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** An identity pool named by id or by name. */
function poolId(snapshot: Snapshot, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const pool = snapshot.identityPools.find((p) => p.IdentityPoolId === value) ?? snapshot.identityPools.filter((p) => p.IdentityPoolName === value).at(0);
  if (!pool) throw new UsageError(`explain: identity pool ${JSON.stringify(value)} is not in the snapshot (${snapshot.identityPools.map((p) => `${p.IdentityPoolId} ${p.IdentityPoolName ?? ''}`.trim()).join(', ') || 'none'})`);
  return pool.IdentityPoolId;
}

export async function runExplain(argv: string[], io: ExplainIo): Promise<number> {
  const { values } = parse('explain', argv, EXPLAIN_OPTIONS);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`explain: --format must be text or json, not ${JSON.stringify(format)}`);
  const message = values.message as string | undefined;
  if ((message === undefined) === (values.stdin !== true)) throw new UsageError('explain: give the error text with exactly one of --message TEXT or --stdin');
  const snapshot = await loadSnapshot(values.snapshot as string | undefined, 'explain');
  const text = message ?? (await (io.stdin ?? readStdin)());
  if (!text.trim()) throw new UsageError('explain: the error text is empty');
  const result = explainError(snapshot, text, { identityPoolId: poolId(snapshot, values['identity-pool'] as string | undefined) });
  if (!result.understood) {
    io.stderr(`cognito-access: explain: the text is not an AWS error this tool understands. It understands:\n${(result.understoodForms ?? []).map((f) => `  ${f}\n`).join('')}`);
    return 2;
  }
  if (result.needsIdentityPool) throw new UsageError(`explain: ${result.summary.replace(/\.$/, '')}: pass --identity-pool ID`);
  io.stdout(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatExplanationText(result));
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function indent(text: string, prefix: string): string {
  return text.split('\n').map((line) => `${prefix}${line}`).join('\n');
}

/** The explanation for people in a terminal. */
export function formatExplanationText(r: ErrorExplanation): string {
  const lines = [r.title, '', r.summary];
  if (r.access) {
    const a = r.access;
    lines.push('', `Engine: role ${a.roleName}${a.identityPoolId ? `, identity pool ${a.identityPoolId}` : ''}${a.guest ? ' (guest credentials)' : ''}${a.partitions ? `; own partition ${a.partitions.own}, another's ${a.partitions.other}` : ''}`);
    lines.push(...formatDecisionText(a.decision).map((l) => `  ${l}`));
    if (a.handedOutBy.length) lines.push('', `Handed out by: ${a.handedOutBy.join('; ')}`);
  }
  if (r.pool) {
    lines.push('', `Roles identity pool ${r.pool.identityPoolName ?? r.pool.identityPoolId} hands out, most reached first:`);
    r.pool.roles.forEach((role, i) => {
      const state = role.assumable === true ? 'Cognito can assume it' : role.assumable === false ? 'CANNOT BE ASSUMED' : `not checked: ${role.state}`;
      const reached = role.reachedBy.length === 0 ? 'no one in the snapshot' : `${role.reachedBy.length} ${role.reachedAs === 'users' ? 'user' : 'group set'}${role.reachedBy.length === 1 ? '' : 's'}: ${role.reachedBy.join(', ')}`;
      lines.push(`  ${i + 1}. ${role.roleName} (${role.identityKind}): ${state}; reached by ${reached}`, `     via ${role.ways.join('; ')}`);
      if (role.state && role.assumable === false) lines.push(`     ${role.state}`);
      for (const f of role.findings) lines.push(`     ${f.severity.toUpperCase()} ${f.code}: ${f.message}`);
      if (role.failingStatement) lines.push(`     failing: ${role.failingStatement}`);
      if (role.correctedTrustPolicy) lines.push('     corrected trust policy:', indent(role.correctedTrustPolicy, '       '));
    });
  }
  for (const c of r.causes) {
    lines.push('', `Cause: ${c.cause}`);
    for (const v of c.values) lines.push(`  ${v.label}: ${v.value}`);
    lines.push(`Fix: ${c.fix}`);
  }
  const poolFindings = r.pool ? r.findings.filter((f) => !r.pool!.roles.some((role) => role.findings.some((x) => x.code === f.code && x.message === f.message))) : r.findings;
  for (const f of poolFindings) lines.push('', `${f.severity.toUpperCase()} ${f.code}: ${f.message}`, indent(`fix: ${f.fix}`, '  '));
  if (r.notes.length) lines.push('', 'Notes:', ...r.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}
