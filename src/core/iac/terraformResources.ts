// Terraform resources of one module -> definitions in CloudFormation's / the AWS API's shape:
// argument names translated, nested blocks (cognito_identity_providers, role_mapping with
// mapping_rule, inline_policy, schema) turned into lists, policies written as jsonencode(...), a
// heredoc, file(...) or `data "aws_iam_policy_document"` all read as documents with positions.
import type { Definition, DocumentSource, Resolver } from './model.ts';
import { Unknown } from './model.ts';
import type { ListNode, MapEntry, MapNode, Node, SourceFile, Span } from './source.ts';
import { entry, items, mapEntry } from './source.ts';
import type { DefinedResource } from './symbols.ts';
import type { SyntheticIds } from './syntheticIds.ts';
import type { TfResolver, TfScope } from './tfResolver.ts';
import { shown } from './cfnResolver.ts';

export interface TfResource {
  type: string;
  name: string;
  node: MapNode;
  file: SourceFile;
}

const MODELLED = new Set([
  'aws_cognito_user_pool', 'aws_cognito_user_pool_client', 'aws_cognito_user_group', 'aws_cognito_identity_pool', 'aws_cognito_identity_pool_roles_attachment',
  'aws_cognito_identity_pool_provider_principal_tag', 'aws_cognito_user', 'aws_cognito_user_in_group', 'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_policy',
  'aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_dynamodb_table', 'aws_dynamodb_resource_policy',
]);
const IRRELEVANT = /^aws_(cognito_(user_pool_domain|user_pool_ui_customization|resource_server|risk_configuration|log_delivery_configuration|managed_login_branding|managed_user_pool_client|identity_provider)|iam_(user|group|access_key|instance_profile|service_linked_role|user_policy|group_policy|user_group_membership|group_membership|user_login_profile|user_ssh_key|virtual_mfa_device|account_|server_certificate|signing_certificate|saml_provider|openid_connect_provider|service_specific_credential|security_token_service_preferences|organizations_features)|dynamodb_(table_item|table_replica|contributor_insights|kinesis_streaming_destination|tag|global_table|table_export|resource_policy_placeholder))/;
const OUTSIDE = new Set(['null_resource', 'terraform_data', 'aws_lambda_invocation']);

export function readModuleResources(resources: TfResource[], data: { type: string; name: string; node: MapNode }[], scope: TfScope, resolver: TfResolver, d: Definition, ids: SyntheticIds): void {
  const prefix = scope.address ? `${scope.address}.` : '';
  const defined = new Map<TfResource, DefinedResource>();
  for (const r of resources) {
    const header = headerSpan(r);
    defined.set(r, { name: `${prefix}${r.type}.${r.name}`, type: r.type, span: header, scope: resolver.scope });
    scope.resources.set(`${r.type}.${r.name}`, { type: r.type, attributes: {}, node: r.node });
  }
  for (const doc of data) {
    if (doc.type === 'aws_iam_policy_document') scope.data.set(`${doc.type}.${doc.name}`, policyDocumentNode(doc.node, resolver, d, `data.${doc.type}.${doc.name}`));
  }
  // Ids first (pools, clients), then what may be named after them (roles, policies, tables).
  const order = (r: TfResource): number => (r.type.startsWith('aws_cognito') ? 0 : 1);
  for (const r of [...resources].sort((a, b) => order(a) - order(b))) assignSymbols(r, defined.get(r)!, scope, resolver, d, ids);
  for (const r of resources) readResource(r, defined.get(r)!, resolver, d);
  for (const r of resources.filter((x) => x.type === 'aws_dynamodb_resource_policy')) {
    const arn = resolver.resolve(entry(r.node, 'resource_arn') ?? r.node);
    const table = d.tables.find((t) => t.arn === arn);
    if (table) table.resourcePolicy = documentOf(entry(r.node, 'policy'), scope, resolver, r.node);
  }
}

function headerSpan(r: TfResource): Span {
  return r.node.span.start === 0 && r.node.span.end <= 1 ? r.node.span : { file: r.file, start: r.node.span.start, end: Math.min(r.node.span.end, r.file.text.indexOf('{', r.node.span.start) + 1 || r.node.span.end) };
}

function assignSymbols(r: TfResource, resource: DefinedResource, scope: TfScope, resolver: TfResolver, d: Definition, ids: SyntheticIds): void {
  const values = scope.resources.get(`${r.type}.${r.name}`)!;
  const attrs = values.attributes;
  const symbol = (attribute: string, value: string): string => {
    d.symbols.add({ value, resource, syntax: 'hcl', reference: { kind: 'tf', expression: `${r.type}.${r.name}.${attribute}` } });
    attrs[attribute] = value;
    return value;
  };
  const literal = (key: string): string | undefined => {
    const node = entry(r.node, key);
    const value = node ? resolver.resolve(node) : undefined;
    return typeof value === 'string' && value ? value : undefined;
  };
  switch (r.type) {
    case 'aws_cognito_user_pool': {
      const id = symbol('id', ids.userPoolId());
      symbol('arn', ids.userPoolArn(id));
      symbol('endpoint', ids.providerName(id));
      return;
    }
    case 'aws_cognito_user_pool_client':
      symbol('id', ids.clientId());
      return;
    case 'aws_cognito_identity_pool': {
      const id = symbol('id', ids.identityPoolId());
      symbol('arn', ids.identityPoolArn(id));
      return;
    }
    case 'aws_iam_role': {
      const name = ids.unique(literal('name') ?? resource.name);
      const arn = symbol('arn', ids.roleArn(name, literal('path')));
      attrs['name'] = name;
      attrs['id'] = name;
      attrs['unique_id'] = ids.opaque('AROASYM');
      void arn;
      return;
    }
    case 'aws_iam_policy': {
      const arn = symbol('arn', ids.policyArn(ids.unique(literal('name') ?? resource.name), literal('path')));
      attrs['id'] = arn;
      return;
    }
    case 'aws_dynamodb_table': {
      const name = literal('name') ?? ids.unique(resource.name);
      symbol('arn', ids.tableArn(name));
      attrs['name'] = name;
      attrs['id'] = name;
      return;
    }
  }
}

function readResource(r: TfResource, resource: DefinedResource, ctx: TfResolver, d: Definition): void {
  const node = r.node;
  const a = (key: string): Node | undefined => entry(node, key);
  const block = (key: string): MapNode | undefined => {
    const first = items(a(key))[0];
    return first?.t === 'map' ? first : undefined;
  };
  const base = { resource, ctx };
  const scope = ctx.s;
  if (MODELLED.has(r.type)) {
    const dynamic = mapEntry(node, 'dynamic');
    if (dynamic) d.unsupported.push({ span: dynamic.keySpan, what: `dynamic blocks of ${resource.name}`, reason: 'blocks generated by dynamic are not read' });
  }
  switch (r.type) {
    case 'aws_cognito_user_pool': {
      const lambda = block('lambda_config');
      const config = items(entry(lambda, 'pre_token_generation_config'))[0];
      d.userPools.push({
        ...base, id: scope.resources.get(`${r.type}.${r.name}`)!.attributes['id']!,
        schema: items(a('schema')).map((s) => ({ name: entry(s, 'name'), mutable: entry(s, 'mutable'), span: s.span })),
        allowAdminCreateUserOnly: entry(block('admin_create_user_config'), 'allow_admin_create_user_only'),
        preTokenGeneration: entry(lambda, 'pre_token_generation'),
        preTokenGenerationConfig: config ? { lambdaArn: entry(config, 'lambda_arn'), lambdaVersion: entry(config, 'lambda_version'), span: config.span } : undefined,
      });
      return;
    }
    case 'aws_cognito_user_pool_client':
      d.clients.push({
        ...base, id: scope.resources.get(`${r.type}.${r.name}`)!.attributes['id']!, userPoolId: a('user_pool_id'), name: a('name'), explicitAuthFlows: a('explicit_auth_flows'),
        generateSecret: a('generate_secret'), writeAttributes: a('write_attributes'), readAttributes: a('read_attributes'), allowedOAuthFlows: a('allowed_oauth_flows'),
      });
      return;
    case 'aws_cognito_user_group':
      d.groups.push({ ...base, userPoolId: a('user_pool_id'), groupName: a('name'), defaultName: r.name, precedence: a('precedence'), roleArn: a('role_arn') });
      return;
    case 'aws_cognito_identity_pool':
      d.identityPools.push({
        ...base, id: scope.resources.get(`${r.type}.${r.name}`)!.attributes['id']!, allowUnauthenticated: a('allow_unauthenticated_identities'), allowClassicFlow: a('allow_classic_flow'),
        providers: items(a('cognito_identity_providers')).map((p) => ({ span: p.span, providerName: entry(p, 'provider_name'), clientId: entry(p, 'client_id'), serverSideTokenCheck: entry(p, 'server_side_token_check') })),
        providersNode: a('cognito_identity_providers'), supportedLoginProviders: a('supported_login_providers'), openIdConnectProviderArns: a('openid_connect_provider_arns'),
        samlProviderArns: a('saml_provider_arns'), developerProviderName: a('developer_provider_name'),
      });
      return;
    case 'aws_cognito_identity_pool_roles_attachment': {
      const roles = a('roles');
      d.roleAttachments.push({
        ...base, identityPoolId: a('identity_pool_id'), authenticated: entry(roles, 'authenticated'), unauthenticated: entry(roles, 'unauthenticated'), rolesNode: roles,
        mappings: items(a('role_mapping')).map((m) => ({
          span: m.span, identityProvider: entry(m, 'identity_provider'), type: entry(m, 'type'), ambiguousRoleResolution: entry(m, 'ambiguous_role_resolution'),
          rules: items(entry(m, 'mapping_rule')).map((x) => ({ span: x.span, claim: entry(x, 'claim'), matchType: entry(x, 'match_type'), value: entry(x, 'value'), roleArn: entry(x, 'role_arn') })),
        })),
      });
      return;
    }
    case 'aws_cognito_identity_pool_provider_principal_tag':
      d.principalTags.push({ ...base, identityPoolId: a('identity_pool_id'), providerName: a('identity_provider_name'), principalTags: a('principal_tags'), useDefaults: a('use_defaults') });
      return;
    case 'aws_cognito_user':
      d.users.push({ ...base, userPoolId: a('user_pool_id'), username: a('username') });
      return;
    case 'aws_cognito_user_in_group':
      d.userGroups.push({ ...base, userPoolId: a('user_pool_id'), username: a('username'), groupName: a('group_name') });
      return;
    case 'aws_iam_role': {
      const attrs = scope.resources.get(`${r.type}.${r.name}`)!.attributes;
      d.roles.push({
        ...base, arn: attrs['arn']!, name: attrs['name']!, trust: documentOf(a('assume_role_policy'), scope, ctx, node),
        inline: items(a('inline_policy')).map((p, i) => ({ name: textOf(entry(p, 'name'), ctx) ?? `${resource.name}-inline-${i}`, document: documentOf(entry(p, 'policy'), scope, ctx, p), span: p.span })),
        managedPolicyArns: items(a('managed_policy_arns')), boundaryArn: a('permissions_boundary'),
      });
      return;
    }
    case 'aws_iam_role_policy':
      d.rolePolicies.push({ ...base, name: textOf(a('name'), ctx) ?? resource.name, document: documentOf(a('policy'), scope, ctx, node), roles: a('role') ? [a('role')!] : [] });
      return;
    case 'aws_iam_policy': {
      const arn = scope.resources.get(`${r.type}.${r.name}`)!.attributes['arn']!;
      d.managedPolicies.push({ ...base, arn, name: arn.slice(arn.lastIndexOf('/') + 1), document: documentOf(a('policy'), scope, ctx, node), roles: [] });
      return;
    }
    case 'aws_iam_role_policy_attachment':
      d.policyAttachments.push({ ...base, roles: a('role') ? [a('role')!] : [], policyArn: a('policy_arn') });
      return;
    case 'aws_iam_policy_attachment':
      d.policyAttachments.push({ ...base, roles: items(a('roles')), policyArn: a('policy_arn') });
      return;
    case 'aws_dynamodb_table': {
      const attrs = scope.resources.get(`${r.type}.${r.name}`)!.attributes;
      const key = (k: string, type: 'HASH' | 'RANGE'): { name?: Node; type?: Node } => {
        const n = a(k);
        return { name: n, type: n ? { t: 'scalar', value: type, span: n.span, syntax: 'hcl' } : undefined };
      };
      d.tables.push({ ...base, name: attrs['name']!, arn: attrs['arn']!, keySchema: [key('hash_key', 'HASH'), key('range_key', 'RANGE')].filter((k) => k.name) });
      return;
    }
    case 'aws_dynamodb_resource_policy':
      return;
  }
  if (OUTSIDE.has(r.type)) {
    d.outside.push({ ...base, identityPools: [node], what: `${r.type} ${resource.name}` });
    return;
  }
  if (/^aws_(cognito|iam|dynamodb)_/.test(r.type) && !IRRELEVANT.test(r.type)) {
    d.unsupported.push({ span: resource.span, what: `${r.type} ${resource.name}`, reason: 'this resource type is not read' });
  }
}

function textOf(node: Node | undefined, ctx: Resolver): string | undefined {
  const v = node ? ctx.resolve(node) : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** A policy argument: jsonencode(...), a heredoc or file() of JSON, a data document's .json, a local, or text. */
export function documentOf(node: Node | undefined, scope: TfScope, ctx: Resolver, near: Node, depth = 0): DocumentSource {
  if (!node) return { unknown: new Unknown(near, 'the policy', 'the resource has no policy document') };
  if (node.t === 'fn' && (node.name === 'jsonencode' || node.name === 'jsonstring' || node.name === 'file')) {
    if (node.arg.t === 'map') return { node: node.arg };
    if (depth < 4) return documentOf(node.arg, scope, ctx, near, depth + 1);
  }
  if (node.t === 'expr' && depth < 4) {
    const data = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.(?:minified_)?json\}$/.exec(node.template);
    const doc = data ? scope.data.get(`aws_iam_policy_document.${data[1]}`) : undefined;
    if (doc) return { node: doc };
    const local = /^\$\{local\.([\w-]+)\}$/.exec(node.template);
    const target = local ? scope.locals.get(local[1]!) : undefined;
    if (target) return documentOf(target, scope, ctx, near, depth + 1);
  }
  const value = ctx.resolve(node);
  if (value instanceof Unknown) return { unknown: value };
  if (typeof value === 'string') return { node };
  if (node.t === 'map') return { node };
  return { unknown: new Unknown(node, shown(node), 'the policy is computed') };
}

/** `data "aws_iam_policy_document"` -> a document node in IAM's JSON shape whose parts point at the HCL. */
function policyDocumentNode(data: MapNode, ctx: Resolver, d: Definition, name: string): Node {
  const at = data.span;
  const scalar = (value: string, span: Span): Node => ({ t: 'scalar', value, span, syntax: 'hcl' });
  const entries: MapEntry[] = [];
  const version = mapEntry(data, 'version');
  entries.push({ key: 'Version', keySpan: version?.keySpan ?? at, value: version?.value ?? scalar('2012-10-17', at) });
  const statements = mapEntry(data, 'statement');
  const list: ListNode = { t: 'list', items: items(statements?.value).map((s) => statementNode(s as MapNode, ctx)), span: statements?.value.span ?? at, syntax: 'hcl' };
  entries.push({ key: 'Statement', keySpan: statements?.keySpan ?? at, value: list });
  for (const key of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    const e = mapEntry(data, key);
    if (e) d.unsupported.push({ span: e.keySpan, what: `${key} of ${name}`, reason: 'merged documents are not read; only the statements written here count' });
  }
  return { t: 'fn', name: 'policydocument', arg: { t: 'map', entries, span: at, syntax: 'hcl' }, short: false, span: at, syntax: 'hcl' };
}

const STATEMENT_FIELDS: [string, string][] = [['sid', 'Sid'], ['effect', 'Effect'], ['actions', 'Action'], ['not_actions', 'NotAction'], ['resources', 'Resource'], ['not_resources', 'NotResource']];

function statementNode(st: MapNode, ctx: Resolver): Node {
  const entries: MapEntry[] = [];
  for (const [hcl, iam] of STATEMENT_FIELDS) {
    const e = mapEntry(st, hcl);
    if (e) entries.push({ key: iam, keySpan: e.keySpan, value: e.value });
  }
  if (!entries.some((e) => e.key === 'Effect')) entries.push({ key: 'Effect', keySpan: st.span, value: { t: 'scalar', value: 'Allow', span: st.span, syntax: 'hcl' } });
  for (const [hcl, iam] of [['principals', 'Principal'], ['not_principals', 'NotPrincipal']] as const) {
    const blocks = mapEntry(st, hcl);
    if (!blocks) continue;
    const principal: MapEntry[] = [];
    let star: Node | undefined;
    for (const b of items(blocks.value)) {
      const type = entry(b, 'type');
      const key = type ? ctx.resolve(type) : undefined;
      if (key === '*') star = { t: 'scalar', value: '*', span: b.span, syntax: 'hcl' };
      else principal.push({ key: typeof key === 'string' ? key : '?', keySpan: type?.span ?? b.span, value: entry(b, 'identifiers') ?? b });
    }
    entries.push({ key: iam, keySpan: blocks.keySpan, value: star ?? { t: 'map', entries: principal, span: blocks.value.span, syntax: 'hcl' } });
  }
  const conditions = mapEntry(st, 'condition');
  if (conditions) {
    const byTest: MapEntry[] = [];
    for (const c of items(conditions.value)) {
      const test = entry(c, 'test');
      const variable = entry(c, 'variable');
      const testKey = test ? ctx.resolve(test) : undefined;
      const variableKey = variable ? ctx.resolve(variable) : undefined;
      const values = entry(c, 'values') ?? c;
      const value: Node = typeof testKey === 'string' && typeof variableKey === 'string' ? values : { t: 'fn', name: '!unknown', arg: values, short: false, span: c.span, syntax: 'hcl' };
      const operator = typeof testKey === 'string' ? testKey : '?';
      let group = byTest.find((g) => g.key === operator);
      if (!group) {
        group = { key: operator, keySpan: test?.span ?? c.span, value: { t: 'map', entries: [], span: c.span, syntax: 'hcl' } };
        byTest.push(group);
      }
      (group.value as MapNode).entries.push({ key: typeof variableKey === 'string' ? variableKey : '?', keySpan: variable?.span ?? c.span, value });
    }
    entries.push({ key: 'Condition', keySpan: conditions.keySpan, value: { t: 'map', entries: byTest, span: conditions.value.span, syntax: 'hcl' } });
  }
  return { t: 'map', entries, span: st.span, syntax: 'hcl' };
}
