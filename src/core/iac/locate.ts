// Where in the definition a finding's offending value is, and what a quick fix would write there
// in the file's own syntax. The engine's findings name snapshot things (a role ARN, a group); the
// trace leads back to their definitions, and each code's locator finds the value itself (the aud
// value, the misspelled key, the operator, the group's RoleArn), falling back to the resource.
import type { Finding } from '../findings.ts';
import type { DocumentSource, Resolver } from './model.ts';
import type { TemplateModel } from './parse.ts';
import type { TracedPolicy } from './snapshotBuilder.ts';
import type { MapEntry, Node, Span } from './source.ts';
import { entry, items, mapEntry, spanText } from './source.ts';
import type { DefinedResource } from './symbols.ts';
import { referenceText } from './symbols.ts';

export interface Edit {
  span: Span;
  text: string;
}

export interface Located {
  span: Span;
  resource?: DefinedResource;
  fix?: { title: string; edits: Edit[] };
}

const COGNITO = 'cognito-identity.amazonaws.com';
const AUD = `${COGNITO}:aud`;
const AMR = `${COGNITO}:amr`;
const VALID_KEYS = [AUD, AMR, `${COGNITO}:sub`];
const USER_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/;

/** The document's root map (through jsonencode / data-document wrappers). */
export function documentRoot(source: DocumentSource | { node: Node } | undefined): Node | undefined {
  if (!source || !('node' in source)) return undefined;
  let node = source.node;
  while (node.t === 'fn' && ['policydocument', 'jsonencode', 'jsonstring', 'file'].includes(node.name)) node = node.arg;
  return node;
}

interface ConditionSite {
  statement: Node;
  operator: MapEntry;
  key: MapEntry;
}

function statements(doc: Node | undefined): Node[] {
  return items(entry(doc, 'Statement'));
}

function conditionSites(statement: Node): ConditionSite[] {
  const condition = entry(statement, 'Condition');
  if (condition?.t !== 'map') return [];
  const out: ConditionSite[] = [];
  for (const operator of condition.entries) {
    if (operator.value.t !== 'map') continue;
    for (const key of operator.value.entries) out.push({ statement, operator, key });
  }
  return out;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function isCognitoStatement(statement: Node, ctx: Resolver): boolean {
  const principal = entry(statement, 'Principal');
  if (!principal) return false;
  const value = ctx.resolve(principal);
  if (value === '*') return true;
  const federated = entry(principal, 'Federated');
  return federated ? strings(ctx.resolve(federated)).some((v) => v === COGNITO || v === '*') : false;
}

/** A literal as the file writes it: quoted like the text it replaces (or as the syntax needs). */
function literal(value: string, at: Node | Span, syntax = 'syntax' in at ? at.syntax : undefined): string {
  const original = spanText('span' in at ? at.span : at);
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (original.startsWith('"') || syntax === 'json' || syntax === 'hcl' || syntax === 'hcl-string' || syntax === 'plain-json') return JSON.stringify(value);
  return /^[\w./:@*-]+$/.test(value) && !/^\d/.test(value) ? value : JSON.stringify(value);
}

/** A key as the file writes it (same quoting as before). */
function keyText(value: string, keySpan: Span): string {
  const original = spanText(keySpan);
  if (original.startsWith('"')) return JSON.stringify(value);
  if (original.startsWith("'")) return `'${value}'`;
  return value;
}

/** One string item to replace: a scalar, or the only item of a list (Terraform's `values = [...]`). */
function single(node: Node): Node | undefined {
  if (node.t === 'list') return node.items.length === 1 ? node.items[0] : undefined;
  return node;
}

export function locate(finding: Finding, model: TemplateModel): Located | undefined {
  const t = model.trace;
  const id = finding.subject.id;
  switch (finding.subject.kind) {
    case 'role': {
      const role = t.roles.get(id);
      if (finding.code === 'ROLE_NOT_CAPTURED') return roleReference(model, id) ?? (role ? { span: role.resource.span, resource: role.resource } : undefined);
      if (!role) break;
      if (finding.code.startsWith('TRUST_')) return trust(finding, model, role.trust, role.ctx, role.resource) ?? { span: role.resource.span, resource: role.resource };
      if (finding.code.startsWith('POLICY_') || finding.code.startsWith('FGAC_') || finding.code === 'PRINCIPAL_TAG_NOT_MAPPED') return policy(finding, t.rolePolicies.get(id) ?? []) ?? { span: role.resource.span, resource: role.resource };
      return { span: role.resource.span, resource: role.resource };
    }
    case 'group': {
      const group = t.groups.get(id);
      if (!group) break;
      const at = (node: Node | undefined): Located => ({ span: node?.span ?? group.resource.span, resource: group.resource });
      if (finding.code === 'GROUP_ROLE_NOT_ASSUMABLE' || finding.code === 'GROUP_ROLE_MISSING') return at(group.roleArn);
      if (finding.code === 'GROUP_PRECEDENCE_TIE') return at(group.precedence);
      return at(undefined);
    }
    case 'identityPool':
      return identityPool(finding, model, id);
    case 'roleMapping': {
      const traced = t.mappings.get(id);
      if (!traced) {
        const pool = t.identityPools.get(id.slice(0, id.indexOf('/')));
        return pool ? { span: pool.resource.span, resource: pool.resource } : undefined;
      }
      const m = traced.mapping;
      const node = finding.code === 'POOL_AMBIGUOUS_DENY' ? m.ambiguousRoleResolution : finding.code === 'MAPPING_UNKNOWN_PROVIDER' ? m.identityProvider : undefined;
      return { span: node?.span ?? m.span, resource: traced.attachment.resource };
    }
    case 'userPool': {
      const pool = t.userPools.get(id);
      if (!pool) break;
      if (finding.code === 'GROUP_ROLES_IGNORED') {
        const mapping = [...t.mappings.entries()].find(([key]) => key.includes(`/${id}:`) || key.includes(`${id}:`))?.[1];
        if (mapping) return { span: mapping.mapping.type?.span ?? mapping.mapping.span, resource: mapping.attachment.resource };
        const related = finding.related?.find((r) => r.kind === 'identityPool');
        const ip = related ? t.identityPools.get(related.id) : undefined;
        const attachment = related ? t.attachments.get(related.id)?.[0] : undefined;
        if (attachment) return { span: attachment.resource.span, resource: attachment.resource };
        if (ip) return { span: ip.resource.span, resource: ip.resource };
      }
      if (finding.code === 'USER_POOL_TOKEN_TRIGGER') return { span: pool.preTokenGenerationConfig?.span ?? pool.preTokenGeneration?.span ?? pool.resource.span, resource: pool.resource };
      return { span: pool.resource.span, resource: pool.resource };
    }
    case 'table': {
      const table = t.tables.get(id);
      return table ? { span: table.resource.span, resource: table.resource } : undefined;
    }
    case 'user': {
      const user = t.users.get(id);
      if (user) return { span: user.resource.span, resource: user.resource };
      const pool = t.userPools.get(id.slice(0, id.indexOf('/')));
      return pool ? { span: pool.resource.span, resource: pool.resource } : undefined;
    }
  }
  return undefined;
}

function identityPool(finding: Finding, model: TemplateModel, id: string): Located | undefined {
  const t = model.trace;
  const pool = t.identityPools.get(id);
  if (!pool) return undefined;
  const attachment = t.attachments.get(id)?.[0];
  const flag = (node: Node | undefined, value: string): Located => {
    if (!node) return { span: pool.resource.span, resource: pool.resource };
    return { span: node.span, resource: pool.resource, fix: { title: `Set it to ${value}`, edits: [{ span: node.span, text: node.syntax === 'yaml' || node.syntax === 'hcl' || node.syntax === 'json' ? value : JSON.stringify(value) }] } };
  };
  switch (finding.code) {
    case 'POOL_UNAUTH_NO_ROLE':
      return flag(pool.allowUnauthenticated, 'false');
    case 'POOL_BASIC_FLOW_ENABLED':
      return flag(pool.allowClassicFlow, 'false');
    case 'POOL_NO_AUTHENTICATED_ROLE':
      if (attachment) return { span: attachment.rolesNode?.span ?? attachment.resource.span, resource: attachment.resource };
      return { span: pool.resource.span, resource: pool.resource };
    case 'POOL_NO_PROVIDERS':
      return { span: pool.providersNode?.span ?? pool.resource.span, resource: pool.resource };
    case 'PRINCIPAL_TAG_VALUE_INVALID': {
      const tags = t.principalTags.get(id)?.[0];
      if (tags) return { span: tags.principalTags?.span ?? tags.resource.span, resource: tags.resource };
    }
  }
  return { span: pool.resource.span, resource: pool.resource };
}

/** The value in a trust policy that a TRUST_* finding is about. */
function trust(finding: Finding, model: TemplateModel, source: DocumentSource | undefined, ctx: Resolver, resource: DefinedResource): Located | undefined {
  const doc = documentRoot(source);
  if (!doc) return undefined;
  const whole: Located = { span: doc.span, resource };
  const cognito = statements(doc).filter((s) => isCognitoStatement(s, ctx));
  const sites = cognito.flatMap((s) => conditionSites(s));
  const target = finding.related?.find((r) => r.kind === 'identityPool')?.id;
  const lower = (site: ConditionSite): string => site.key.key.toLowerCase();
  switch (finding.code) {
    case 'TRUST_AUD_IS_USER_POOL_ID':
    case 'TRUST_AUD_OTHER_POOL': {
      for (const site of sites.filter((s) => lower(s) === AUD)) {
        const values = items(site.key.value);
        const offending = finding.code === 'TRUST_AUD_IS_USER_POOL_ID' ? values.find((v) => strings(ctx.resolve(v)).some((s) => USER_POOL_ID.test(s))) : single(site.key.value);
        const node = offending ?? site.key.value;
        const text = target ? poolReference(model, target, node, ctx) : undefined;
        return { span: node.span, resource, fix: text && offending ? { title: `Replace with ${text}`, edits: [{ span: offending.span, text }] } : undefined };
      }
      return whole;
    }
    case 'TRUST_AUD_MISSING': {
      const statement = cognito[0];
      return statement ? { span: (entry(statement, 'Condition') ?? statement).span, resource } : whole;
    }
    case 'TRUST_KEY_MISSPELLED': {
      const site = sites.find((s) => lower(s).includes('cognito') && !lower(s).startsWith('aws:') && !VALID_KEYS.includes(lower(s)));
      if (!site) return whole;
      const suffix = lower(site).slice(lower(site).lastIndexOf(':') + 1);
      const meant = VALID_KEYS.find((k) => k.endsWith(`:${suffix}`)) ?? AUD;
      return { span: site.key.keySpan, resource, fix: fixOf(`Rename the key to ${meant}`, site.key.keySpan, keyText(meant, site.key.keySpan)) };
    }
    case 'TRUST_AMR_SINGLE_VALUE_OPERATOR': {
      const site = sites.find((s) => lower(s) === AMR && !/^for(any|all)values?:/i.test(s.operator.key));
      if (!site) return whole;
      const alone = site.operator.value.t === 'map' && site.operator.value.entries.length === 1;
      const operator = `ForAnyValue:${site.operator.key}`;
      return { span: site.operator.keySpan, resource, fix: alone ? fixOf(`Use ${operator}`, site.operator.keySpan, keyText(operator, site.operator.keySpan)) : undefined };
    }
    case 'TRUST_AMR_MISMATCH':
    case 'TRUST_AMR_PROVIDER_MISMATCH': {
      const site = sites.find((s) => lower(s) === AMR);
      if (!site) return whole;
      const wanted = /handed out to (authenticated|unauthenticated) identities/.exec(finding.message)?.[1];
      const item = single(site.key.value);
      return { span: site.key.value.span, resource, fix: wanted && item && finding.code === 'TRUST_AMR_MISMATCH' ? fixOf(`Require amr "${wanted}"`, item.span, literal(wanted, item)) : undefined };
    }
    case 'TRUST_WRONG_ACTION': {
      const statement = cognito[0];
      const action = statement ? entry(statement, 'Action') : undefined;
      if (!action) return whole;
      const item = single(action);
      return { span: action.span, resource, fix: item ? fixOf('Use sts:AssumeRoleWithWebIdentity', item.span, literal('sts:AssumeRoleWithWebIdentity', item)) : undefined };
    }
    case 'TRUST_EXPLICIT_DENY': {
      const deny = statements(doc).find((s) => ctx.resolve(entry(s, 'Effect') ?? s) === 'Deny');
      return deny ? { span: deny.span, resource } : whole;
    }
    case 'TRUST_NO_TAG_SESSION': {
      const action = cognito[0] ? entry(cognito[0], 'Action') : undefined;
      return action ? { span: action.span, resource } : whole;
    }
  }
  return whole;
}

function fixOf(title: string, span: Span, text: string): Located['fix'] {
  return { title, edits: [{ span, text }] };
}

/** How the file at `at` refers to an identity pool: its reference when it is defined in the same scope, else its id. */
function poolReference(model: TemplateModel, poolId: string, at: Node, ctx: Resolver): string | undefined {
  const symbol = model.symbols.get(poolId);
  if (!symbol) return at.syntax === 'plain-json' || at.syntax === 'json' || at.syntax === 'hcl' || at.syntax === 'hcl-string' ? JSON.stringify(poolId) : poolId;
  if (symbol.resource.scope !== ctx.scope) return undefined;
  const text = referenceText(symbol.reference, at.syntax);
  if (text === undefined) return undefined;
  return at.syntax === 'hcl-string' ? JSON.stringify(text) : text;
}

/** The value in a permissions policy that a POLICY_* / FGAC_* finding is about. */
function policy(finding: Finding, policies: TracedPolicy[]): Located | undefined {
  const named = policies.find((p) => finding.message.includes(`"${p.name}"`)) ?? policies.find((p) => finding.message.includes(p.name)) ?? policies[0];
  if (!named) return undefined;
  const doc = documentRoot(named.source);
  if (!doc) return undefined;
  const whole: Located = { span: doc.span, resource: named.resource };
  const ctx = named.ctx;
  const leadingKeys = statements(doc).flatMap((s) => conditionSites(s)).filter((s) => s.key.key.toLowerCase() === 'dynamodb:leadingkeys');
  switch (finding.code) {
    case 'POLICY_VARIABLES_WITHOUT_VERSION': {
      const version = mapEntry(doc, 'Version');
      if (!version) return whole;
      return { span: version.value.span, resource: named.resource, fix: fixOf('Set the Version to 2012-10-17', version.value.span, version.value.syntax === 'yaml' ? "'2012-10-17'" : literal('2012-10-17', version.value)) };
    }
    case 'FGAC_WRONG_VARIABLE': {
      for (const site of leadingKeys) {
        for (const item of items(site.key.value)) {
          const raw = ctx.resolve(item);
          // A policy document data source writes IAM variables as &{...}.
          const value = typeof raw === 'string' ? raw.replace(/&\{/g, '${') : raw;
          if (typeof value !== 'string' || !/\$\{(?!cognito-identity\.amazonaws\.com:sub\}|aws:PrincipalTag\/)[^}]+\}/i.test(value)) continue;
          const corrected = value.replace(/\$\{(?!cognito-identity\.amazonaws\.com:sub\}|aws:PrincipalTag\/)[^}]+\}/gi, '${cognito-identity.amazonaws.com:sub}');
          return { span: item.span, resource: named.resource, fix: item.t === 'fn' ? undefined : fixOf('Compare with ${cognito-identity.amazonaws.com:sub}', item.span, variableLiteral(corrected, item)) };
        }
      }
      return whole;
    }
    case 'FGAC_LEADINGKEYS_NOT_FORALLVALUES': {
      const site = leadingKeys.find((s) => !/^forallvalues:/i.test(s.operator.key));
      if (!site) return whole;
      const base = site.operator.key.replace(/^for(any|all)values?:/i, '');
      const alone = site.operator.value.t === 'map' && site.operator.value.entries.length === 1;
      return { span: site.operator.keySpan, resource: named.resource, fix: alone ? fixOf(`Use ForAllValues:${base}`, site.operator.keySpan, keyText(`ForAllValues:${base}`, site.operator.keySpan)) : undefined };
    }
    case 'PRINCIPAL_TAG_NOT_MAPPED': {
      const tag = /aws:PrincipalTag\/([^\s,)"'}]+)/i.exec(finding.message)?.[0]?.toLowerCase();
      for (const statement of tag ? statements(doc) : []) {
        const site = conditionSites(statement).find((s) => s.key.key.toLowerCase() === tag || strings(ctx.resolve(s.key.value)).some((v) => v.toLowerCase().includes(tag!)));
        if (site) return { span: site.key.key.toLowerCase() === tag ? site.key.keySpan : site.key.value.span, resource: named.resource };
        const resource = items(entry(statement, 'Resource')).find((r) => strings(ctx.resolve(r)).some((v) => v.toLowerCase().includes(tag!)));
        if (resource) return { span: resource.span, resource: named.resource };
      }
      return whole;
    }
    case 'FGAC_SCAN_BYPASS': {
      for (const statement of statements(doc)) {
        const action = entry(statement, 'Action');
        const scan = items(action).find((a) => strings(ctx.resolve(a)).some((s) => s.toLowerCase() === 'dynamodb:scan'));
        if (scan) return { span: scan.span, resource: named.resource };
      }
      return whole;
    }
  }
  return whole;
}

/** A policy string holding `${...}` as this syntax writes it (Terraform escapes it: `$${...}`, or `&{...}` in a policy document data source). */
function variableLiteral(value: string, at: Node): string {
  const original = spanText(at.span);
  if (at.syntax === 'hcl' && original.includes('&{')) return JSON.stringify(value.replace(/\$\{/g, '&{'));
  if (at.syntax === 'hcl' || at.syntax === 'hcl-string') return JSON.stringify(value.replace(/\$\{/g, '$${'));
  return literal(value, at);
}

/** A place that names this role: an identity pool's roles, a rule, a group. */
function roleReference(model: TemplateModel, arn: string): Located | undefined {
  const t = model.trace;
  const check = (node: Node | undefined, ctx: Resolver, resource: DefinedResource): Located | undefined => {
    if (!node) return undefined;
    const v = ctx.resolve(node);
    return v === arn ? { span: node.span, resource } : undefined;
  };
  for (const list of t.attachments.values()) {
    for (const a of list) {
      const found = check(a.authenticated, a.ctx, a.resource) ?? check(a.unauthenticated, a.ctx, a.resource);
      if (found) return found;
      for (const m of a.mappings) for (const r of m.rules) {
        const rule = check(r.roleArn, a.ctx, a.resource);
        if (rule) return rule;
      }
    }
  }
  for (const g of t.groups.values()) {
    const found = check(g.roleArn, g.ctx, g.resource);
    if (found) return found;
  }
  return undefined;
}
