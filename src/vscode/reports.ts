// Markdown reports shown as untitled documents: a diagnosis, a simulated sign-in. Values from AWS
// are escaped; JSON fixes go in code blocks.
import type { Diagnosis } from '../core/diagnose.ts';
import type { SimulationResult } from '../core/simulate.ts';

function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Values from AWS as Markdown text: what could become markup (HTML, links, code, emphasis, table cells) is escaped. */
function text(value: string): string {
  return value.replace(/[\\`*[\]<>|]/g, '\\$&');
}

/** Splits "lead sentence.\n{json}" into the sentence and a JSON code block. */
function fenceJson(fix: string): string[] {
  const start = fix.indexOf('\n{');
  if (start < 0) return [text(fix)];
  return [text(fix.slice(0, start)), '', '```json', fix.slice(start + 1), '```'];
}

export function diagnosisMarkdown(name: string, result: Diagnosis): string {
  const { errors, warnings, infos } = result.summary;
  const lines = [`# Cognito access diagnosis: ${text(name)}`, '', `${errors} errors, ${warnings} warnings, ${infos} infos.`, ''];
  if (result.findings.length === 0) lines.push('No findings: every check passed.', '');
  for (const f of result.findings) {
    const subject = f.subject.kind === 'role' || f.subject.kind === 'table' ? roleName(f.subject.id) : f.subject.id;
    lines.push(`## ${f.severity}: ${f.code} (${f.subject.kind} ${text(subject)})`, '', text(f.message), '');
    if (f.symptom) lines.push(`Symptom: \`${f.symptom}\``, '');
    lines.push('**Fix:**', '', ...fenceJson(f.fix), '');
  }
  return lines.join('\n');
}

export function simulationMarkdown(title: string, result: SimulationResult): string {
  const r = result.resolution;
  const lines = [`# ${text(title)}`, ''];
  lines.push(`User pool \`${result.userPoolId ?? '-'}\`, app client \`${result.clientId ?? '-'}\`, identity pool \`${result.identityPoolId}\`.`, '');
  if (result.claims) {
    lines.push('## Predicted token claims', '', '| claim | value |', '|---|---|');
    lines.push(`| cognito:groups | ${result.claims['cognito:groups'].map(text).join(', ') || '(none)'} |`);
    lines.push(`| cognito:roles | ${result.claims['cognito:roles']?.map(text).join(', ') ?? '(absent)'} |`);
    lines.push(`| cognito:preferred_role | ${result.claims['cognito:preferred_role'] ? text(result.claims['cognito:preferred_role']) : '(absent)'} |`, '');
  }
  lines.push('## Identity pool');
  lines.push('');
  if (r.outcome === 'credentials' && r.roleArn) lines.push(`Credentials for **${text(roleName(r.roleArn))}** (source: ${r.source}).`, '', `\`${r.roleArn}\``);
  else if (r.error) lines.push(`**${r.error.code}**: ${text(r.error.message)}`, '', r.findings.length ? `Explained by ${r.findings.map((c) => `\`${c}\``).join(', ')}.` : '');
  lines.push('', '## Reasoning', '');
  r.steps.forEach((step, i) => lines.push(`${i + 1}. ${text(step)}`));
  for (const f of result.trustFindings) lines.push('', `### ${f.code}`, '', text(f.message), '', ...fenceJson(f.fix));
  return `${lines.join('\n')}\n`;
}
