// Text output of the offline commands, for people in a terminal.
import type { Diagnosis } from '../core/diagnose.ts';
import { formatDecisionText } from '../core/iam/index.ts';
import type { Decision } from '../core/iam/types.ts';
import { formatTags } from '../core/sessionTags.ts';
import { roleNameFromArn } from '../core/snapshot.ts';
import type { SimulationResult } from '../core/simulate.ts';

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

export function formatDiagnosisText(result: Diagnosis): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    lines.push(`${f.severity.toUpperCase().padEnd(7)} ${f.code}  ${f.subject.kind} ${f.subject.kind === 'role' ? roleNameFromArn(f.subject.id) : f.subject.id}`);
    lines.push(indent(f.message, '        '));
    if (f.symptom) lines.push(`        symptom: ${f.symptom}`);
    lines.push(indent(`fix: ${f.fix}`, '        '));
    lines.push('');
  }
  const { errors, warnings, infos } = result.summary;
  if (result.findings.length === 0) lines.push('No findings.');
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info${infos === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

export function formatSimulationText(result: SimulationResult, access: Decision | null, askedForAccess: boolean): string {
  const lines: string[] = [];
  const otherProvider = result.provider && result.provider.kind !== 'user-pool' ? result.provider : null;
  const pools = [
    result.userPoolId && `user pool ${result.userPoolId}`, result.clientId && `client ${result.clientId}`, otherProvider && `provider ${otherProvider.name} (${otherProvider.kind})`,
    `identity pool ${result.identityPoolId}`,
  ].filter(Boolean);
  lines.push(`Sign-in through ${pools.join(', ')}${result.flow === 'basic' ? ', basic (classic) flow' : ''}`);
  if (result.claims) {
    const c = result.claims;
    lines.push('', `Token claims (predicted${result.trigger?.override ? ', after the simulated trigger override' : ''})`);
    lines.push(`  cognito:groups          ${c['cognito:groups'].length ? c['cognito:groups'].join(', ') : '(none)'}`);
    lines.push(`  cognito:roles           ${c['cognito:roles'] ? c['cognito:roles'].join(', ') : '(absent)'}`);
    lines.push(`  cognito:preferred_role  ${c['cognito:preferred_role'] ?? '(absent)'}`);
  } else if (otherProvider) {
    lines.push('', `Token of ${otherProvider.name}: the claims given with --claim.`);
  } else {
    lines.push('', 'Guest: no token.');
  }
  if (result.trigger && result.trigger.lambdaArn) lines.push('', `Pre token generation trigger  ${result.trigger.lambdaArn} (${result.trigger.version})`);
  lines.push('', `Session tags  ${formatTags(result.resolution.sessionTags)}`);
  const r = result.resolution;
  lines.push('');
  if (r.outcome === 'credentials' && r.roleArn) {
    lines.push(`Credentials for role ${roleNameFromArn(r.roleArn)} (${r.source})`, `  ${r.roleArn}`);
  } else if (r.error) {
    lines.push(`Error: ${r.error.code}`, `  ${r.error.message}`);
    if (r.findings.length) lines.push(`  explained by ${r.findings.join(', ')}`);
  }
  lines.push('', 'Reasoning');
  r.steps.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
  if (r.notes.length > 0) {
    lines.push('', 'Notes');
    for (const note of r.notes) lines.push(`  - ${note}`);
  }
  if (askedForAccess) {
    lines.push('');
    if (access) lines.push(...formatDecisionText(access));
    else lines.push('Access: not simulated, because the sign-in gives no credentials.');
  }
  return `${lines.join('\n')}\n`;
}
