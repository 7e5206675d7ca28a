// The definition model -> the engine's snapshot (format v1), with synthetic ids standing for what
// only deploy knows. What cannot be known is left out as "not captured" (the engine's own rule:
// never a guess), through the same scan gaps a partial live scan records, and each such value is
// kept for a TEMPLATE_VALUE_UNKNOWN finding (valueReader.ts). The trace maps every snapshot element back to its
// definition, for locating findings.
import type { AppClient, Group, IdentityPool, MappingRule, PrincipalTagMap, Role, RoleMapping, ScanGap, Snapshot, Table, UserPool } from '../snapshot.ts';
import { SNAPSHOT_FORMAT } from '../snapshot.ts';
import type { Definition, DocumentSource, GroupDef, IdentityPoolDef, ManagedPolicyDef, PrincipalTagDef, Resolver, RoleAttachmentDef, RoleDef, RoleMappingDef, TableDef, UserDef, UserPoolDef, Value } from './model.ts';
import { Unknown } from './model.ts';
import type { UnknownUse } from './valueReader.ts';
import { Reader } from './valueReader.ts';
import type { Node } from './source.ts';
import type { DefinedResource } from './symbols.ts';

/** A policy document of a role as the snapshot holds it, with where it is written. */
export interface TracedPolicy {
  name: string;
  kind: 'inline' | 'managed' | 'boundary';
  source: { node: Node };
  ctx: Resolver;
  resource: DefinedResource;
}

export interface Trace {
  roles: Map<string, RoleDef>;
  rolePolicies: Map<string, TracedPolicy[]>;
  /** Roles whose permissions are not all known (an AWS managed policy, an unknown document). */
  incompletePermissions: Map<string, string>;
  /** Roles left out of the snapshot because their trust policy is not known. */
  excludedRoles: Set<string>;
  userPools: Map<string, UserPoolDef>;
  groups: Map<string, GroupDef>;
  identityPools: Map<string, IdentityPoolDef>;
  attachments: Map<string, RoleAttachmentDef[]>;
  mappings: Map<string, { mapping: RoleMappingDef; attachment: RoleAttachmentDef }>;
  tables: Map<string, TableDef>;
  /** `<userPoolId>/<Username>` -> the user's definition. */
  users: Map<string, UserDef>;
  /** Identity pool id -> its principal tag maps' definitions. */
  principalTags: Map<string, PrincipalTagDef[]>;
  unknowns: UnknownUse[];
}

const STANDARD_ATTRIBUTES = new Set([
  'sub', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email',
  'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address', 'updated_at',
]);

export function buildSnapshot(d: Definition): { snapshot: Snapshot; trace: Trace } {
  const trace: Trace = {
    roles: new Map(), rolePolicies: new Map(), incompletePermissions: new Map(), excludedRoles: new Set(), userPools: new Map(), groups: new Map(),
    identityPools: new Map(), attachments: new Map(), mappings: new Map(), tables: new Map(), users: new Map(), principalTags: new Map(), unknowns: [],
  };
  const gaps: ScanGap[] = [];
  const gap = (service: string, operation: string, resource: string): void => {
    if (!gaps.some((g) => g.operation === operation && g.resource === resource)) gaps.push({ service, operation, resource, error: 'NotKnownBeforeDeploy', message: 'not known before deploy', permission: `${service}:${operation}` });
  };
  const read = new Reader(trace.unknowns);

  // User pools, their clients and groups.
  const userPools = new Map<string, UserPool>();
  for (const def of d.userPools) {
    const pool: UserPool = { Id: def.id, Name: def.resource.name, Clients: [], Groups: [] };
    const schema = def.schema.map((s) => ({ name: read.text(s.name, def.resource, def.ctx, 'an attribute name of the user pool schema', 'declared attributes are not known'), mutable: s.mutable ? read.bool(s.mutable, def.resource, def.ctx, 'an attribute of the schema') : undefined }));
    if (schema.length) pool.SchemaAttributes = schema.filter((s) => s.name !== undefined).map((s) => ({ Name: STANDARD_ATTRIBUTES.has(s.name!) || s.name!.startsWith('custom:') ? s.name! : `custom:${s.name}`, ...(s.mutable === undefined ? {} : { Mutable: s.mutable }) }));
    if (def.allowAdminCreateUserOnly) {
      const only = read.bool(def.allowAdminCreateUserOnly, def.resource, def.ctx, 'AllowAdminCreateUserOnly');
      if (only !== undefined) pool.AdminCreateUserConfig = { AllowAdminCreateUserOnly: only };
    }
    const trigger = triggerArn(def, d);
    if (trigger) pool.LambdaConfig = trigger;
    userPools.set(def.id, pool);
    trace.userPools.set(def.id, def);
  }
  for (const def of d.clients) {
    const poolId = read.text(def.userPoolId, def.resource, def.ctx, `the user pool of app client ${def.resource.name}`, 'the client is not checked');
    const pool = poolId === undefined ? undefined : userPools.get(poolId);
    if (!pool) continue;
    const client: AppClient = { ClientId: def.id, ClientName: read.text(def.name, def.resource, def.ctx) ?? def.resource.name };
    const flows = read.list(def.explicitAuthFlows, def.resource, def.ctx, 'ExplicitAuthFlows');
    if (flows) client.ExplicitAuthFlows = flows;
    client.HasSecret = read.bool(def.generateSecret, def.resource, def.ctx, 'GenerateSecret') ?? false;
    for (const [key, node] of [['WriteAttributes', def.writeAttributes], ['ReadAttributes', def.readAttributes], ['AllowedOAuthFlows', def.allowedOAuthFlows]] as const) {
      const list = read.list(node, def.resource, def.ctx, key);
      if (list) client[key] = list;
    }
    pool.Clients.push(client);
  }
  for (const def of d.groups) {
    const poolId = read.text(def.userPoolId, def.resource, def.ctx, `the user pool of group ${def.resource.name}`, 'the group is not checked');
    const pool = poolId === undefined ? undefined : userPools.get(poolId);
    if (!pool) continue;
    const name = def.groupName ? read.text(def.groupName, def.resource, def.ctx, 'the group name', 'the group is not checked') : def.defaultName;
    const precedence = def.precedence ? read.number(def.precedence, def.resource, def.ctx, `the precedence of group ${def.resource.name}`, 'precedence ties are not judged') : null;
    const roleArn = def.roleArn ? read.text(def.roleArn, def.resource, def.ctx, `the role of group ${def.resource.name}`, 'the group\'s role is not checked') : null;
    if (name === undefined || precedence === undefined || roleArn === undefined) {
      gap('cognito-idp', 'ListGroups', pool.Id);
      continue;
    }
    const group: Group = { GroupName: name, Precedence: precedence, RoleArn: roleArn };
    pool.Groups.push(group);
    trace.groups.set(`${pool.Id}/${name}`, def);
  }
  addUsers(d, userPools, read, trace);

  // Identity pools, their role attachments and principal tag maps.
  const identityPools = new Map<string, IdentityPool>();
  for (const def of d.identityPools) {
    const pool = identityPool(def, read);
    if (!pool) continue;
    identityPools.set(def.id, pool);
    trace.identityPools.set(def.id, def);
  }
  let unplacedAttachment = false;
  for (const def of d.roleAttachments) {
    const id = read.text(def.identityPoolId, def.resource, def.ctx, `the identity pool of ${def.resource.name}`, 'identity pools without a known role attachment are not judged on roles');
    if (id === undefined) {
      unplacedAttachment = true;
      continue;
    }
    const pool = identityPools.get(id);
    if (!pool) continue;
    const list = trace.attachments.get(id) ?? [];
    list.push(def);
    trace.attachments.set(id, list);
    // The last attachment applied wins (POOL_DUPLICATE_ROLE_ATTACHMENT says so): file order stands in.
    const roles = attachmentRoles(def, read);
    if (!roles) {
      gap('cognito-identity', 'GetIdentityPoolRoles', id);
      continue;
    }
    pool.Roles = roles.roles;
    pool.RoleMappings = roles.mappings;
    for (const [key, mapping] of roles.traced) trace.mappings.set(`${id}/${key}`, { mapping, attachment: def });
  }
  if (unplacedAttachment) for (const id of identityPools.keys()) if (!trace.attachments.has(id)) gap('cognito-identity', 'GetIdentityPoolRoles', id);
  for (const def of d.principalTags) {
    const id = read.text(def.identityPoolId, def.resource, def.ctx, `the identity pool of ${def.resource.name}`, 'its principal tags are not judged');
    const provider = read.text(def.providerName, def.resource, def.ctx, `the provider of ${def.resource.name}`, 'its principal tags are not judged');
    const pool = id === undefined ? undefined : identityPools.get(id);
    if (!pool || provider === undefined) continue;
    const tags = read.record(def.principalTags, def.resource, def.ctx, 'the principal tags', 'its principal tags are not judged');
    const useDefaults = def.useDefaults ? read.bool(def.useDefaults, def.resource, def.ctx, 'UseDefaults') : false;
    if (tags === undefined || useDefaults === undefined) {
      gap('cognito-identity', 'GetPrincipalTagAttributeMap', `${id}/${provider}`);
      continue;
    }
    const map: PrincipalTagMap = { IdentityProviderName: provider, UseDefaults: useDefaults, PrincipalTags: tags };
    (pool.PrincipalTagMaps ??= []).push(map);
    trace.principalTags.set(id!, [...(trace.principalTags.get(id!) ?? []), def]);
  }
  for (const def of d.outside) {
    for (const id of outsidePools(def.identityPools, def.ctx, identityPools)) {
      if (!trace.attachments.has(id) || scriptSetsRoles(def.identityPools, def.ctx)) gap('cognito-identity', 'GetIdentityPoolRoles', id);
    }
  }

  const roles = buildRoles(d, read, trace);
  const tables: Table[] = d.tables.map((def) => {
    trace.tables.set(def.arn, def);
    const table: Table = { TableName: def.name, TableArn: def.arn, KeySchema: [] };
    for (const k of def.keySchema) {
      const name = read.text(k.name, def.resource, def.ctx, `a key of table ${def.resource.name}`);
      const type = read.text(k.type, def.resource, def.ctx);
      if (name !== undefined && (type === 'HASH' || type === 'RANGE')) table.KeySchema.push({ AttributeName: name, KeyType: type });
    }
    if (def.resourcePolicy) {
      const doc = read.document(def.resourcePolicy, def.resource, def.ctx, `the resource policy of table ${def.resource.name}`, 'decisions on this table assume no resource policy');
      if (doc !== undefined) table.ResourcePolicy = doc;
    }
    return table;
  });

  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT, region: d.region, accountId: d.accountId,
    userPools: [...userPools.values()], identityPools: [...identityPools.values()], roles, tables,
  };
  if (gaps.length) snapshot.scanGaps = gaps;
  return { snapshot, trace };
}

function triggerArn(def: UserPoolDef, d: Definition): UserPool['LambdaConfig'] | undefined {
  // Only its presence and version matter: a function defined here is known only after deploy.
  const arnOf = (node: Node): string => {
    const v = def.ctx.resolve(node);
    return typeof v === 'string' ? v : `arn:aws:lambda:${d.region}:${d.accountId}:function:${def.resource.name}-trigger`;
  };
  const config: NonNullable<UserPool['LambdaConfig']> = {};
  if (def.preTokenGeneration) config.PreTokenGeneration = arnOf(def.preTokenGeneration);
  const versioned = def.preTokenGenerationConfig;
  if (versioned?.lambdaArn) {
    const version = def.ctx.resolve(versioned.lambdaVersion ?? versioned.lambdaArn);
    config.PreTokenGenerationConfig = { LambdaArn: arnOf(versioned.lambdaArn), LambdaVersion: version === 'V2_0' || version === 'V3_0' ? version : 'V1_0' };
  }
  return config.PreTokenGeneration || config.PreTokenGenerationConfig ? config : undefined;
}

function addUsers(d: Definition, userPools: Map<string, UserPool>, read: Reader, trace: Trace): void {
  for (const def of d.users) {
    const pool = userPools.get(read.text(def.userPoolId, def.resource, def.ctx) ?? '');
    const name = read.text(def.username, def.resource, def.ctx, `the name of user ${def.resource.name}`, 'the user is not simulated');
    if (!pool || name === undefined) continue;
    (pool.Users ??= []).push({ Username: name, Groups: [] });
    trace.users.set(`${pool.Id}/${name}`, def);
  }
  for (const def of d.userGroups) {
    const pool = userPools.get(read.text(def.userPoolId, def.resource, def.ctx) ?? '');
    const name = read.text(def.username, def.resource, def.ctx, 'the user of a group membership', 'the membership is not counted');
    const group = read.text(def.groupName, def.resource, def.ctx, 'the group of a membership', 'the membership is not counted');
    const user = pool?.Users?.find((u) => u.Username === name);
    if (user && group !== undefined && !user.Groups.includes(group)) user.Groups.push(group);
  }
}

function identityPool(def: IdentityPoolDef, read: Reader): IdentityPool | undefined {
  const r = def.resource;
  const unauth = def.allowUnauthenticated ? read.bool(def.allowUnauthenticated, r, def.ctx, 'AllowUnauthenticatedIdentities', 'the identity pool is not checked') : false;
  const classic = def.allowClassicFlow ? read.bool(def.allowClassicFlow, r, def.ctx, 'AllowClassicFlow', 'the identity pool is not checked') : false;
  const providers = def.providers.map((p) => ({
    ProviderName: read.text(p.providerName, r, def.ctx, `a provider of identity pool ${r.name}`, 'the identity pool is not checked'),
    ClientId: read.text(p.clientId, r, def.ctx, `a client of identity pool ${r.name}`, 'the identity pool is not checked'),
    ServerSideTokenCheck: p.serverSideTokenCheck ? read.bool(p.serverSideTokenCheck, r, def.ctx) ?? false : false,
  }));
  if (unauth === undefined || classic === undefined || providers.some((p) => p.ProviderName === undefined || p.ClientId === undefined)) return undefined;
  const pool: IdentityPool = {
    IdentityPoolId: def.id, IdentityPoolName: r.name, AllowUnauthenticatedIdentities: unauth, AllowClassicFlow: classic,
    CognitoIdentityProviders: providers as IdentityPool['CognitoIdentityProviders'], Roles: {}, RoleMappings: Object.create(null) as Record<string, RoleMapping>,
  };
  const social = def.supportedLoginProviders ? read.record(def.supportedLoginProviders, r, def.ctx, 'SupportedLoginProviders', 'the identity pool is not checked') : {};
  const oidc = def.openIdConnectProviderArns ? read.list(def.openIdConnectProviderArns, r, def.ctx, 'OpenIdConnectProviderARNs', 'the identity pool is not checked') : [];
  const saml = def.samlProviderArns ? read.list(def.samlProviderArns, r, def.ctx, 'SamlProviderARNs', 'the identity pool is not checked') : [];
  const developer = def.developerProviderName ? read.text(def.developerProviderName, r, def.ctx, 'DeveloperProviderName', 'the identity pool is not checked') : '';
  if (social === undefined || oidc === undefined || saml === undefined || developer === undefined) return undefined;
  if (Object.keys(social).length) pool.SupportedLoginProviders = social;
  if (oidc.length) pool.OpenIdConnectProviderARNs = oidc;
  if (saml.length) pool.SamlProviderARNs = saml;
  if (developer) pool.DeveloperProviderName = developer;
  return pool;
}

function attachmentRoles(def: RoleAttachmentDef, read: Reader): { roles: IdentityPool['Roles']; mappings: Record<string, RoleMapping>; traced: [string, RoleMappingDef][] } | undefined {
  const r = def.resource;
  const consequence = 'the role choice of this identity pool is not judged';
  const roles: IdentityPool['Roles'] = {};
  let complete = true;
  for (const kind of ['authenticated', 'unauthenticated'] as const) {
    const node = def[kind];
    if (!node) continue;
    const arn = read.text(node, r, def.ctx, `the ${kind} role of ${r.name}`, consequence);
    if (arn === undefined) complete = false;
    else roles[kind] = arn;
  }
  const mappings = Object.create(null) as Record<string, RoleMapping>;
  const traced: [string, RoleMappingDef][] = [];
  for (const m of def.mappings) {
    const key = read.text(m.identityProvider, r, def.ctx, `the IdentityProvider of a role mapping of ${r.name}`, consequence);
    const type = read.text(m.type, r, def.ctx, 'the Type of a role mapping', consequence);
    const ambiguous = m.ambiguousRoleResolution ? read.text(m.ambiguousRoleResolution, r, def.ctx, 'AmbiguousRoleResolution', consequence) : 'AuthenticatedRole';
    const rules: MappingRule[] = [];
    for (const rule of m.rules) {
      const fields = [rule.claim, rule.matchType, rule.value, rule.roleArn].map((n) => read.text(n, r, def.ctx, 'a field of a role-mapping rule', consequence));
      if (fields.some((f) => f === undefined)) complete = false;
      else rules.push({ Claim: fields[0]!, MatchType: fields[1] as MappingRule['MatchType'], Value: fields[2]!, RoleARN: fields[3]! });
    }
    if (key === undefined || type === undefined || ambiguous === undefined) {
      complete = false;
      continue;
    }
    const mapping: RoleMapping = { Type: type === 'Rules' ? 'Rules' : 'Token', AmbiguousRoleResolution: ambiguous === 'Deny' ? 'Deny' : 'AuthenticatedRole' };
    if (mapping.Type === 'Rules') mapping.RulesConfiguration = { Rules: rules };
    Object.defineProperty(mappings, key, { value: mapping, enumerable: true, writable: true, configurable: true });
    traced.push([key, m]);
  }
  return complete ? { roles, mappings, traced } : undefined;
}

function outsidePools(nodes: Node[], ctx: Resolver, pools: Map<string, IdentityPool>): string[] {
  const found = new Set<string>();
  const visit = (v: Value): void => {
    if (typeof v === 'string') {
      for (const id of pools.keys()) if (v.includes(id)) found.add(id);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object' && !(v instanceof Unknown)) Object.values(v).forEach(visit);
  };
  for (const node of nodes) visit(ctx.resolve(node));
  return [...found];
}

/** A script or SDK call in the definition that sets an identity pool's roles. */
export function scriptSetsRoles(nodes: Node[], ctx: Resolver): boolean {
  return nodes.some((n) => /set-?identity-?pool-?roles/i.test(JSON.stringify(ctx.resolve(n)) ?? ''));
}

function buildRoles(d: Definition, read: Reader, trace: Trace): Role[] {
  const byName = new Map<string, RoleDef>();
  for (const def of d.roles) byName.set(def.name, def);
  const managedByArn = new Map<string, ManagedPolicyDef>(d.managedPolicies.map((m) => [m.arn, m]));
  const extra = new Map<string, { name: string; document: DocumentSource; kind: 'inline' | 'managed'; ctx: Resolver; resource: DefinedResource; arn?: string }[]>();
  const give = (roleNode: Node, ctx: Resolver, resource: DefinedResource, policy: { name: string; document: DocumentSource; kind: 'inline' | 'managed'; arn?: string }): void => {
    const value = read.text(roleNode, resource, ctx, `a role of ${resource.name}`, 'the policy is not counted for that role');
    const role = value === undefined ? undefined : byName.get(value) ?? d.roles.find((r) => r.arn === value);
    if (!role) return;
    const list = extra.get(role.arn) ?? [];
    list.push({ ...policy, ctx, resource });
    extra.set(role.arn, list);
  };
  for (const p of d.rolePolicies) for (const r of p.roles) give(r, p.ctx, p.resource, { name: p.name, document: p.document, kind: 'inline' });
  for (const m of d.managedPolicies) for (const r of m.roles) give(r, m.ctx, m.resource, { name: m.name, document: m.document, kind: 'managed', arn: m.arn });
  for (const a of d.policyAttachments) {
    const arn = read.text(a.policyArn, a.resource, a.ctx, `the policy of ${a.resource.name}`, 'the policy is not counted');
    const managed = arn === undefined ? undefined : managedByArn.get(arn);
    for (const r of a.roles) {
      if (managed) give(r, a.ctx, a.resource, { name: managed.name, document: managed.document, kind: 'managed', arn: managed.arn });
      else if (arn !== undefined) {
        const roleName = read.text(r, a.resource, a.ctx);
        const role = roleName === undefined ? undefined : byName.get(roleName);
        if (role) trace.incompletePermissions.set(role.arn, `policy ${arn} is not defined here: what it allows is not counted`);
      }
    }
  }

  const roles: Role[] = [];
  for (const def of d.roles) {
    trace.roles.set(def.arn, def);
    const trust = def.trust ? read.document(def.trust, def.resource, def.ctx, `the trust policy of ${def.resource.name}`, 'its trust is not checked') : undefined;
    const literal = trust === undefined || d.identityPools.length === 0 ? undefined : literalPoolId(def.trust!, def.ctx, d);
    if (literal) {
      // An identity pool id written out: it may be the id a pool defined here got at an earlier
      // deploy, or another pool's. Which one cannot be told, so the trust is not judged.
      trace.unknowns.push({
        unknown: new Unknown(literal.node, JSON.stringify(literal.id), 'an identity pool id written out, while the identity pools defined here get their ids at deploy'),
        resource: def.resource, what: `the trust policy of ${def.resource.name}`, consequence: 'its trust is not checked',
      });
    }
    if (trust === undefined || literal) {
      trace.excludedRoles.add(def.arn);
      continue;
    }
    const role: Role = { RoleName: def.name, Arn: def.arn, AssumeRolePolicyDocument: trust, AttachedPolicies: [], InlinePolicies: [] };
    const traced: TracedPolicy[] = [];
    const incomplete = (why: string): void => {
      if (!trace.incompletePermissions.has(def.arn)) trace.incompletePermissions.set(def.arn, why);
    };
    const add = (p: { name: string; document: DocumentSource; kind: 'inline' | 'managed'; ctx: Resolver; resource: DefinedResource; arn?: string }): void => {
      const doc = read.document(p.document, p.resource, p.ctx, `policy ${p.name}`, 'what it allows is not counted');
      if (doc === undefined || !('node' in p.document)) return incomplete(`policy ${p.name} is not known before deploy`);
      if (p.kind === 'inline') role.InlinePolicies!.push({ PolicyName: p.name, PolicyDocument: doc });
      else role.AttachedPolicies!.push({ PolicyArn: p.arn!, PolicyName: p.name, Document: doc });
      traced.push({ name: p.name, kind: p.kind, source: p.document, ctx: p.ctx, resource: p.resource });
    };
    for (const inline of def.inline) add({ name: inline.name, document: inline.document, kind: 'inline', ctx: def.ctx, resource: def.resource });
    for (const node of def.managedPolicyArns) {
      const arn = read.text(node, def.resource, def.ctx, `a managed policy of ${def.resource.name}`, 'what it allows is not counted');
      const managed = arn === undefined ? undefined : managedByArn.get(arn);
      if (managed) add({ name: managed.name, document: managed.document, kind: 'managed', ctx: managed.ctx, resource: managed.resource, arn: managed.arn });
      else incomplete(arn === undefined ? 'a managed policy is not known before deploy' : `managed policy ${arn} is not defined here: what it allows is not counted`);
    }
    for (const p of extra.get(def.arn) ?? []) add(p);
    if (def.boundaryArn) {
      const arn = read.text(def.boundaryArn, def.resource, def.ctx, `the permissions boundary of ${def.resource.name}`, 'the boundary is not counted');
      const managed = arn === undefined ? undefined : managedByArn.get(arn);
      const doc = managed ? read.document(managed.document, managed.resource, managed.ctx, `policy ${managed.name}`, 'the boundary is not counted') : undefined;
      if (managed && doc !== undefined && 'node' in managed.document) {
        role.PermissionsBoundary = { PermissionsBoundaryArn: managed.arn, Document: doc };
        traced.push({ name: managed.name, kind: 'boundary', source: managed.document, ctx: managed.ctx, resource: managed.resource });
      } else incomplete(`the permissions boundary ${arn ?? ''} is not defined here`.replace('  ', ' '));
    }
    trace.rolePolicies.set(def.arn, traced);
    roles.push(role);
  }
  return roles;
}

const IDENTITY_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f-]{36}$/;

/** The first identity pool id in a policy written as text rather than as a reference to a pool defined here. */
function literalPoolId(source: DocumentSource, ctx: Resolver, d: Definition): { node: Node; id: string } | undefined {
  if (!('node' in source)) return undefined;
  const visit = (node: Node): { node: Node; id: string } | undefined => {
    if (node.t === 'map') {
      for (const e of node.entries) {
        const found = visit(e.value);
        if (found) return found;
      }
      return undefined;
    }
    if (node.t === 'list') {
      for (const item of node.items) {
        const found = visit(item);
        if (found) return found;
      }
      return undefined;
    }
    if (node.t === 'fn' && ['policydocument', 'jsonencode', 'jsonstring', 'file'].includes(node.name)) return visit(node.arg);
    const value = ctx.resolve(node);
    const ids = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && IDENTITY_POOL_ID.test(v));
    const id = ids.find((v) => !d.symbols.get(v));
    return id ? { node, id } : undefined;
  };
  return visit(source.node);
}
