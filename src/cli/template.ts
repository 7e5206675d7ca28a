// `cognito-access diagnose --template PATH [--format text|json|sarif]`: the engine's checks over a
// CloudFormation/SAM template, a CDK cloud assembly or a Terraform folder, before deploy. Exit
// status as `diagnose --snapshot`: 0 no error-level finding, 1 at least one, 2 bad usage or input
// (a syntax error names file:line:col), 3 internal.
import { relative, sep } from 'node:path';
import type { TemplateDiagnosis, TemplateFinding } from '../core/iac/index.ts';
import { diagnoseTemplate, parseTemplate, TemplateInputError, TemplateSyntaxError } from '../core/iac/index.ts';
import { UsageError } from './offline.ts';
import { toSarif } from './sarif.ts';

interface Io {
  stdout: (text: string) => void;
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const KIND: Record<TemplateDiagnosis['kind'], string> = {
  cloudformation: 'CloudFormation template',
  sam: 'SAM template',
  serverless: 'Serverless Framework resources',
  cdk: 'CDK cloud assembly',
  terraform: 'Terraform configuration',
};

/** A path as people read it: relative to the working folder when inside it. */
function shown(path: string, base: string): string {
  const rel = relative(base, path);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : path;
}

export async function runDiagnoseTemplate(values: Record<string, unknown>, io: Io, cwd = process.cwd()): Promise<number> {
  const format = values['format'] ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not ${JSON.stringify(format)}`);
  if (values['snapshot'] !== undefined) throw new UsageError('diagnose: give --snapshot FILE or --template PATH, not both');
  const path = values['template'];
  if (typeof path !== 'string' || path === '') throw new UsageError('diagnose: --template needs a path (a template file, a cdk.out folder or a Terraform folder)');
  let diagnosis: TemplateDiagnosis;
  try {
    diagnosis = diagnoseTemplate(await parseTemplate(path));
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new UsageError(`${shown(error.file, cwd)}:${error.line}:${error.column}: ${error.problem}`);
    if (error instanceof TemplateInputError) throw new UsageError(error.message);
    throw error;
  }
  if (format === 'sarif') io.stdout(`${JSON.stringify(toSarif(diagnosis, cwd, VERSION), null, 2)}\n`);
  else if (format === 'json') io.stdout(`${JSON.stringify(jsonOutput(diagnosis, cwd), null, 2)}\n`);
  else io.stdout(textOutput(diagnosis, cwd));
  return diagnosis.summary.errors > 0 ? 1 : 0;
}

function relativeFinding(f: TemplateFinding, cwd: string): TemplateFinding {
  const out: TemplateFinding = { ...f, location: { ...f.location, file: shown(f.location.file, cwd) } };
  if (f.subject.kind === 'account') out.subject = { kind: 'account', id: shown(f.subject.id, cwd) };
  if (f.quickFix) out.quickFix = { title: f.quickFix.title, edits: f.quickFix.edits.map((e) => ({ ...e, location: { ...e.location, file: shown(e.location.file, cwd) } })) };
  return out;
}

function jsonOutput(d: TemplateDiagnosis, cwd: string): Record<string, unknown> {
  return { kind: d.kind, root: shown(d.root, cwd), files: d.files.map((f) => shown(f, cwd)), resources: d.resources, findings: d.findings.map((f) => relativeFinding(f, cwd)), summary: d.summary };
}

function indent(text: string, prefix = '        '): string {
  return text.split('\n').map((line) => `${prefix}${line}`).join('\n');
}

function textOutput(d: TemplateDiagnosis, cwd: string): string {
  const lines: string[] = [];
  const files = d.files.length === 1 ? (d.files[0] === d.root ? '' : ` (${shown(d.files[0]!, cwd)})`) : ` (${d.files.length} files)`;
  lines.push(`${KIND[d.kind]} ${shown(d.root, cwd)}${files}: ${d.resources} Cognito, IAM and DynamoDB resource${d.resources === 1 ? '' : 's'} read`, '');
  if (d.resources === 0) lines.push(`No Cognito, IAM or DynamoDB resources in ${shown(d.root, cwd)}: nothing to check.`, '');
  for (const finding of d.findings) {
    const f = relativeFinding(finding, cwd);
    const l = f.location;
    lines.push(`${shown(l.file, cwd)}:${l.startLine}:${l.startColumn}: ${f.severity.toUpperCase()} ${f.code}  ${f.subject.kind} ${f.subject.id}${f.resource?.constructPath ? ` (${f.resource.constructPath})` : ''}`);
    lines.push(indent(f.message));
    if (f.symptom) lines.push(`        symptom: ${f.symptom}`);
    lines.push(indent(`fix: ${f.fix}`));
    if (f.quickFix) for (const e of f.quickFix.edits) lines.push(`        quick fix: at ${e.location.startLine}:${e.location.startColumn} write ${e.newText}`);
    lines.push('');
  }
  const { errors, warnings, infos } = d.summary;
  if (d.findings.length === 0) lines.push('No findings.');
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info${infos === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
