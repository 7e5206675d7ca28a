// diagnoseTemplate: the engine's checks over a definition, before deploy. The engine runs
// unchanged on the model's snapshot; its findings are located (file, line, column of the
// offending value), their synthetic values rewritten into the file's own syntax, and a quick fix
// attached where one replacement fixes it. Definitions add their own findings: two role
// attachments for one identity pool, roles set outside the definition, values not known before
// deploy, and what the reader does not read.
import { diagnose } from '../diagnose.ts';
import type { Finding, FindingCode, FindingSubject, SubjectKind } from '../findings.ts';
import { finding, summarize } from '../findings.ts';
import { locate, type Located } from './locate.ts';
import type { TemplateModel } from './parse.ts';
import { scriptSetsRoles } from './snapshotBuilder.ts';
import type { SourceLocation, Span } from './source.ts';
import { toLocation } from './source.ts';
import type { DefinedResource } from './symbols.ts';
import { Unknown } from './model.ts';

/** One text replacement of a quick fix. */
export interface TextEdit {
  location: SourceLocation;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

/** A finding about a definition: always located; `subject.id` is the definition's own name for the thing. */
export interface TemplateFinding extends Finding {
  location: SourceLocation;
  /** The resource it is about: logical id or Terraform address, type, and for CDK the construct path. */
  resource?: { name: string; type: string; constructPath?: string; createdAt?: string };
  /** What a quick fix writes, in the file's own syntax (`!Ref IdentityPool`, `aws_cognito_identity_pool.main.id`). */
  quickFix?: QuickFix;
}

export interface TemplateDiagnosis {
  kind: TemplateModel['kind'];
  root: string;
  files: string[];
  findings: TemplateFinding[];
  summary: { errors: number; warnings: number; infos: number };
  /** How many Cognito, IAM and DynamoDB resources were read (0: nothing to check). */
  resources: number;
}

/** Checks that judge a role's whole permission set: not claimed when part of it is unknown. */
const WHOLE_SET_CODES = new Set(['FGAC_SCAN_BYPASS', 'ROLE_GRANTS_NOTHING']);

export function diagnoseTemplate(model: TemplateModel): TemplateDiagnosis {
  const t = model.trace;
  const fallback: Span = { file: model.definition.files[0]!, start: 0, end: 0 };
  const out: TemplateFinding[] = [];
  for (const f of diagnose(model.snapshot).findings) {
    if (f.code === 'SCAN_INCOMPLETE') continue; // the reader's own gaps: TEMPLATE_VALUE_UNKNOWN says why
    if (f.code === 'ROLE_NOT_CAPTURED' && t.excludedRoles.has(f.subject.id)) continue;
    if (WHOLE_SET_CODES.has(f.code) && f.subject.kind === 'role' && t.incompletePermissions.has(f.subject.id)) continue;
    const located = locate(f, model) ?? relatedLocation(f, model);
    out.push(present(f, located, fallback, model));
  }
  out.push(...definitionFindings(model));
  const sorted = sortByPlace(out);
  return { kind: model.kind, root: model.root, files: model.files, findings: sorted, summary: summarize(sorted), resources: model.resources.length };
}

function relatedLocation(f: Finding, model: TemplateModel): Located | undefined {
  for (const related of f.related ?? []) {
    const located = locate({ ...f, subject: related, related: [] }, model);
    if (located) return { span: located.span, resource: located.resource };
  }
  return undefined;
}

function present(f: Finding, located: Located | undefined, fallback: Span, model: TemplateModel): TemplateFinding {
  const rewrite = (text: string): string => model.symbols.rewrite(text);
  const out: TemplateFinding = {
    ...f,
    // The definition's own name: a role's logical id / address, a group's, a mapping's attachment.
    subject: { kind: f.subject.kind, id: f.subject.kind === 'roleMapping' ? (located?.resource?.name ?? nameOf(f.subject, model)) : nameOf(f.subject, model) },
    message: rewrite(f.message),
    fix: rewrite(f.fix),
    location: toLocation(located?.span ?? fallback),
  };
  if (f.related) out.related = f.related.map((r) => ({ kind: r.kind, id: nameOf(r, model) }));
  if (f.code === 'ROLE_NOT_CAPTURED') {
    out.message = out.message.replace(/ is not in the snapshot: /, ' is not defined here: ');
    out.fix = 'Define the role in this definition too, or check it after deploy (cognito-access scan, then diagnose --snapshot).';
  }
  if (located?.resource) out.resource = resourceInfo(located.resource);
  if (located?.fix) out.quickFix = { title: located.fix.title, edits: located.fix.edits.map((e) => ({ location: toLocation(e.span), newText: e.text })) };
  return out;
}

function resourceInfo(r: DefinedResource): NonNullable<TemplateFinding['resource']> {
  const info: NonNullable<TemplateFinding['resource']> = { name: r.name, type: r.type };
  if (r.constructPath) info.constructPath = r.constructPath;
  if (r.createdAt) info.createdAt = r.createdAt;
  return info;
}

/** A subject's name in the definition (logical id / address), else its id with synthetic values rewritten. */
function nameOf(subject: FindingSubject, model: TemplateModel): string {
  const t = model.trace;
  const def = t.roles.get(subject.id) ?? t.identityPools.get(subject.id) ?? t.userPools.get(subject.id) ?? t.groups.get(subject.id) ?? t.tables.get(subject.id) ?? t.users.get(subject.id);
  return def?.resource.name ?? model.symbols.rewrite(subject.id);
}

const KIND_BY_TYPE: [RegExp, SubjectKind][] = [
  [/UserPoolGroup|user_group/, 'group'],
  [/UserPoolUser|aws_cognito_user($|_in)/, 'user'],
  [/IdentityPool|identity_pool/, 'identityPool'],
  [/UserPool|user_pool/, 'userPool'],
  [/IAM|aws_iam/, 'role'],
  [/DynamoDB|dynamodb|SimpleTable/, 'table'],
];

function subjectOf(resource: DefinedResource | undefined, model: TemplateModel): FindingSubject {
  if (!resource) return { kind: 'account', id: model.root };
  return { kind: KIND_BY_TYPE.find(([pattern]) => pattern.test(resource.type))?.[1] ?? 'account', id: resource.name };
}

function make(code: FindingCode, span: Span, resource: DefinedResource | undefined, model: TemplateModel, message: string, fix: string, related?: FindingSubject[]): TemplateFinding {
  const f = finding(code, subjectOf(resource, model), message, fix, related ? { related } : {});
  const out: TemplateFinding = { ...f, location: toLocation(span) };
  if (resource) out.resource = resourceInfo(resource);
  return out;
}

function definitionFindings(model: TemplateModel): TemplateFinding[] {
  const t = model.trace;
  const d = model.definition;
  const out: TemplateFinding[] = [];
  for (const [id, attachments] of t.attachments) {
    if (attachments.length < 2) continue;
    const pool = t.identityPools.get(id)!;
    const [first, ...others] = attachments;
    for (const other of others) {
      out.push(make(
        'POOL_DUPLICATE_ROLE_ATTACHMENT', other.identityPoolId?.span ?? other.resource.span, other.resource, model,
        `Role attachments ${attachments.map((a) => a.resource.name).join(' and ')} both set the roles of identity pool ${pool.resource.name}: the one applied last wins, so the pool's roles and mappings depend on deploy order. The checks read ${attachments.at(-1)!.resource.name}.`,
        `Keep one role attachment per identity pool: merge the roles and role mappings of ${others.map((a) => a.resource.name).join(', ')} into ${first!.resource.name} and remove the others.`,
        [{ kind: 'identityPool', id: pool.resource.name }],
      ));
    }
  }
  for (const outside of d.outside) {
    const pools = [...t.identityPools.values()].filter((p) => outside.identityPools.some((n) => JSON.stringify(outside.ctx.resolve(n), (_k, v: unknown) => (v instanceof Unknown ? null : v))?.includes(p.id)));
    const script = scriptSetsRoles(outside.identityPools, outside.ctx);
    for (const pool of pools) {
      if (t.attachments.has(pool.id) && !script) continue;
      out.push(make(
        'MAPPING_SET_OUTSIDE_DEFINITION', outside.resource.span, outside.resource, model,
        `${capitalize(outside.what)} works on identity pool ${pool.resource.name}${t.attachments.has(pool.id) ? ', which also has a role attachment here' : ', which has no role attachment here'}: its roles and role mappings may be set at deploy by code the definition cannot show, so they are not judged.`,
        `Check identity pool ${pool.resource.name} after deploy (cognito-access scan, then diagnose --snapshot), or set its roles with a role attachment (AWS::Cognito::IdentityPoolRoleAttachment / aws_cognito_identity_pool_roles_attachment) so they can be checked before deploy.`,
        [{ kind: 'identityPool', id: pool.resource.name }],
      ));
    }
  }
  const seen = new Set<string>();
  for (const use of t.unknowns) {
    const key = `${use.unknown.node.span.file.path}|${use.unknown.node.span.start}|${use.what}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(make(
      'TEMPLATE_VALUE_UNKNOWN', use.unknown.node.span, use.resource, model,
      `Cannot tell before deploy: ${use.what} is ${use.unknown.shown} (${use.unknown.reason}), so ${use.consequence}.`,
      'Nothing is claimed about it. Check after deploy (cognito-access scan, then diagnose --snapshot), or write the value so the definition shows it (a literal, a parameter default, a reference to a resource defined here).',
    ));
  }
  const groups = new Map<string, typeof d.unsupported>();
  for (const u of d.unsupported) {
    const type = u.reason === 'this resource type is not read' ? u.what.split(' ')[0]! : `${u.what}|${u.reason}`;
    groups.set(type, [...(groups.get(type) ?? []), u]);
  }
  for (const [type, list] of groups) {
    const first = list[0]!;
    const what = list.length > 1 && first.reason === 'this resource type is not read' ? `${list.length} resources of type ${type} (${list.map((u) => u.what.split(' ')[1]).join(', ')})` : first.what;
    out.push(make('TEMPLATE_UNSUPPORTED', first.span, undefined, model, `Not read: ${what}: ${first.reason}.`, 'Nothing is claimed about it; check after deploy (cognito-access scan, then diagnose --snapshot) if it matters for sign-in or access.'));
  }
  return out;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

function sortByPlace(findings: TemplateFinding[]): TemplateFinding[] {
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const key = `${f.code}|${f.location.file}|${f.location.startOffset}|${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity] || a.location.file.localeCompare(b.location.file) || a.location.startOffset - b.location.startOffset);
}
