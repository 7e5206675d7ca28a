// Text output of the live commands, for people. No secrets ever reach here.
import type { ProbeResult } from '../../aws/probe.ts';
import type { ScanResult } from '../../aws/scanner.ts';
import type { Session } from '../../pipeline/session.ts';

export function testUserJson(session: Session): Record<string, unknown> {
  const { comparison } = session;
  return {
    claims: session.claims,
    signature: session.signature,
    ...(session.signatureReason ? { signatureReason: session.signatureReason } : {}),
    identityPoolId: session.identityPoolId,
    signIn: session.signIn,
    predicted: comparison.predicted,
    live: comparison.live,
    agree: comparison.agree,
    notes: comparison.notes,
    findings: comparison.findings,
    sessionTags: comparison.sessionTags,
    trigger: comparison.trigger,
    provider: session.provider,
    flow: session.flow,
  };
}

export function formatTestUserText(session: Session): string {
  const { comparison: c } = session;
  const lines = [
    `Signed in (${session.signIn.flow}${session.signIn.challenges.length ? `, challenges: ${session.signIn.challenges.join(', ')}` : ''}); ID token signature: ${session.signature}${session.signatureReason ? ` (${session.signatureReason})` : ''}`,
    `Token: groups [${session.claims['cognito:groups'].join(', ')}], roles [${session.claims['cognito:roles'].join(', ')}], preferred role ${session.claims['cognito:preferred_role'] ?? '(none)'}`,
    `Identity pool ${session.identityPoolId}${session.provider ? `, through provider ${session.provider}` : ''}${session.flow === 'basic' ? `, basic (classic) flow as ${session.basicFlowRole}` : ''}`,
    `  predicted: ${c.predicted.outcome === 'credentials' ? `${c.predicted.roleArn} (${c.predicted.source})` : `${c.predicted.error?.code}: ${c.predicted.error?.message}`}`,
    `  live:      ${c.live.outcome === 'credentials' ? `${c.live.roleArn} as ${c.live.callerArn}, identity ${c.live.identityId}, until ${c.live.expiration}` : `${c.live.error?.code}: ${c.live.error?.message}`}`,
    `  ${c.agree ? 'AGREE' : 'DISAGREE'}`,
    ...c.predicted.steps.map((s) => `    - ${s}`),
    ...(c.sessionTags.predicted ? [`  session tags (predicted): ${formatTagList(c.sessionTags.predicted)}${c.sessionTags.live ? `; live: ${formatTagList(c.sessionTags.live)}` : ''}`] : []),
    ...c.predicted.notes.map((n) => `  note: ${n}`),
    ...c.notes.map((n) => `  ${n}`),
    ...c.findings.map((f) => `  [${f.severity}] ${f.code}: ${f.message}\n      fix: ${f.fix}`),
  ];
  return `${lines.join('\n')}\n`;
}

function formatTagList(tags: Record<string, string>): string {
  const entries = Object.entries(tags);
  return entries.length ? entries.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ') : '(none)';
}

export function formatProbeText(results: ProbeResult[]): string {
  const rows = results.map((r) => {
    const flag = r.agree ? 'agree' : r.undecided ? 'undecided' : 'DISAGREE';
    const count = r.count !== undefined ? ` (${r.count} item${r.count === 1 ? '' : 's'})` : '';
    return `${r.table.padEnd(20)} ${r.action.padEnd(29)} ${(r.tag ? `${r.tag.key}=${r.tag.value}` : (r.partition ?? '-')).padEnd(6)} ${(r.live + count).padEnd(18)} ${(r.simulated ?? '?').padEnd(14)} ${flag}`;
  });
  const header = `${'table'.padEnd(20)} ${'action'.padEnd(29)} ${'part.'.padEnd(6)} ${'live'.padEnd(18)} ${'engine'.padEnd(14)}`;
  const details = results
    .filter((r) => !r.agree || r.live === 'error')
    .map((r) => `- ${r.table} ${r.action} ${r.partition ?? ''}: ${r.undecided ? `undecided: ${r.undecided}` : r.awsMessage}${r.explanation && 'summary' in r.explanation ? `\n    engine: ${r.explanation.summary}` : ''}`);
  return `${[header, ...rows, ...(details.length ? ['', ...details] : [])].join('\n')}\n`;
}

export function formatScanSummary(result: ScanResult, file: string): string {
  const s = result.snapshot;
  const groups = s.userPools.reduce((n, p) => n + p.Groups.length, 0);
  const odd = s.roles.filter((r) => r.Missing || r.Unreadable).map((r) => `  ${r.Arn}: ${r.Missing ? 'does not exist' : `unreadable (${r.Unreadable})`}`);
  return [
    `Wrote ${file}: ${s.userPools.length} user pool(s), ${groups} group(s), ${s.identityPools.length} identity pool(s), ${s.roles.length} role(s), ${s.tables.length} table(s) in ${s.region} of ${s.accountId}.`,
    ...odd,
    ...result.warnings.map((w) => `  warning: ${w}`),
    '',
  ].join('\n');
}
