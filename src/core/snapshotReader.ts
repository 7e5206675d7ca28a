// Reading a v1 snapshot: validation whose every problem becomes a SnapshotError naming the file
// and the JSON path (e.g. `userPools[0].Groups[3].Precedence: expected a number`), so the CLI can
// print one clear line and never a stack trace.
import type {
  AppClient, Group, IdentityPool, LambdaConfig, MappingRule, MatchType, PoolUser, PreTokenGenerationVersion, PrincipalTagMap, RawPolicyDocument, Role, RoleMapping,
  ScanGap, SchemaAttribute, Snapshot, Table, UserPool,
} from './snapshot.ts';
import { setOwn } from './records.ts';
import { decodePolicyDocument, SNAPSHOT_FORMAT, SnapshotError } from './snapshot.ts';

// A tiny schema walker keeps every check next to the path it reports.

type Json = unknown;

class Checker {
  constructor(private readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new SnapshotError(this.file, path, problem);
  }

  object(value: Json, path: string): Record<string, Json> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, `expected an object, found ${describe(value)}`);
    return value as Record<string, Json>;
  }

  array(value: Json, path: string): Json[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, found ${describe(value)}`);
    return value;
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, found ${describe(value)}`);
    return value;
  }

  nonEmptyString(value: Json, path: string): string {
    const text = this.string(value, path);
    if (text.length === 0) this.fail(path, 'expected a non-empty string');
    return text;
  }

  boolean(value: Json, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, `expected a boolean, found ${describe(value)}`);
    return value;
  }

  optional<T>(obj: Record<string, Json>, key: string, path: string, read: (v: Json, p: string) => T): T | undefined {
    const value = obj[key];
    return value === undefined || value === null ? undefined : read(value, `${path}.${key}`);
  }

  required<T>(obj: Record<string, Json>, key: string, path: string, read: (v: Json, p: string) => T): T {
    if (!(key in obj) || obj[key] === undefined) this.fail(`${path ? `${path}.` : ''}${key}`, 'required field is missing');
    return read(obj[key], `${path ? `${path}.` : ''}${key}`);
  }

  list<T>(value: Json, path: string, read: (v: Json, p: string) => T): T[] {
    return this.array(value, path).map((item, i) => read(item, `${path}[${i}]`));
  }

  rawDocument(value: Json, path: string): RawPolicyDocument {
    if (typeof value === 'string') {
      decodePolicyDocumentAt(value, this.file, path);
      return value;
    }
    return this.object(value, path);
  }
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${String(value)})`;
}

const ACCOUNT_ID = /^\d{12}$/;

function readClient(c: Checker, value: Json, path: string): AppClient {
  const o = c.object(value, path);
  return {
    ClientId: c.required(o, 'ClientId', path, (v, p) => c.nonEmptyString(v, p)),
    ClientName: c.optional(o, 'ClientName', path, (v, p) => c.string(v, p)),
    ExplicitAuthFlows: c.optional(o, 'ExplicitAuthFlows', path, (v, p) => c.list(v, p, (x, q) => c.string(x, q))),
    HasSecret: c.optional(o, 'HasSecret', path, (v, p) => c.boolean(v, p)),
    ...optionalStringLists(c, o, path, ['WriteAttributes', 'ReadAttributes', 'AllowedOAuthFlows']),
  };
}

/** The listed string-list fields that are present (absent ones stay absent, not undefined). */
function optionalStringLists<K extends string>(c: Checker, o: Record<string, Json>, path: string, keys: K[]): Partial<Record<K, string[]>> {
  const out: Partial<Record<K, string[]>> = {};
  for (const key of keys) {
    const list = c.optional(o, key, path, (v, p) => c.list(v, p, (x, q) => c.string(x, q)));
    if (list) out[key] = list;
  }
  return out;
}

/**
 * A JSON object of names to strings (SupportedLoginProviders, PrincipalTags): a record without a
 * prototype whose keys are data (`__proto__` and `constructor` are ordinary keys, see records.ts).
 */
function stringRecord(c: Checker, value: Json, path: string, nonEmptyValues = false): Record<string, string> {
  const o = c.object(value, path);
  const out = Object.create(null) as Record<string, string>;
  for (const [key, v] of Object.entries(o)) {
    const at = `${path}[${JSON.stringify(key)}]`;
    setOwn(out, key, nonEmptyValues ? c.nonEmptyString(v, at) : c.string(v, at));
  }
  return out;
}

const TOKEN_TRIGGER_VERSIONS: readonly string[] = ['V1_0', 'V2_0', 'V3_0'];

function readLambdaConfig(c: Checker, value: Json, path: string): LambdaConfig {
  const o = c.object(value, path);
  const config: LambdaConfig = {};
  const legacy = c.optional(o, 'PreTokenGeneration', path, (v, p) => c.nonEmptyString(v, p));
  if (legacy) config.PreTokenGeneration = legacy;
  const versioned = c.optional(o, 'PreTokenGenerationConfig', path, (v, p) => {
    const vo = c.object(v, p);
    const version = c.required(vo, 'LambdaVersion', p, (x, q) => c.string(x, q));
    if (!TOKEN_TRIGGER_VERSIONS.includes(version)) c.fail(`${p}.LambdaVersion`, `expected one of ${TOKEN_TRIGGER_VERSIONS.join(', ')}, found ${JSON.stringify(version)}`);
    return { LambdaArn: c.required(vo, 'LambdaArn', p, (x, q) => c.nonEmptyString(x, q)), LambdaVersion: version as PreTokenGenerationVersion };
  });
  if (versioned) config.PreTokenGenerationConfig = versioned;
  return config;
}

function readSchemaAttribute(c: Checker, value: Json, path: string): SchemaAttribute {
  const o = c.object(value, path);
  const attribute: SchemaAttribute = { Name: c.required(o, 'Name', path, (v, p) => c.nonEmptyString(v, p)) };
  const mutable = c.optional(o, 'Mutable', path, (v, p) => c.boolean(v, p));
  if (mutable !== undefined) attribute.Mutable = mutable;
  return attribute;
}

function readPrincipalTagMap(c: Checker, value: Json, path: string): PrincipalTagMap {
  const o = c.object(value, path);
  return {
    IdentityProviderName: c.required(o, 'IdentityProviderName', path, (v, p) => c.nonEmptyString(v, p)),
    UseDefaults: c.optional(o, 'UseDefaults', path, (v, p) => c.boolean(v, p)) ?? false,
    PrincipalTags: c.optional(o, 'PrincipalTags', path, (v, p) => stringRecord(c, v, p)) ?? (Object.create(null) as Record<string, string>),
  };
}

function readGroup(c: Checker, value: Json, path: string): Group {
  const o = c.object(value, path);
  const precedence = c.optional(o, 'Precedence', path, (v, p) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) c.fail(p, `expected a number (a whole number >= 0), found ${describe(v)}`);
    return v;
  });
  return {
    GroupName: c.required(o, 'GroupName', path, (v, p) => c.nonEmptyString(v, p)),
    Precedence: precedence ?? null,
    RoleArn: c.optional(o, 'RoleArn', path, (v, p) => c.nonEmptyString(v, p)) ?? null,
    Description: c.optional(o, 'Description', path, (v, p) => c.string(v, p)) ?? null,
  };
}

function readUser(c: Checker, value: Json, path: string): PoolUser {
  const o = c.object(value, path);
  return {
    Username: c.required(o, 'Username', path, (v, p) => c.nonEmptyString(v, p)),
    Groups: c.optional(o, 'Groups', path, (v, p) => c.list(v, p, (x, q) => c.string(x, q))) ?? [],
  };
}

function readUserPool(c: Checker, value: Json, path: string): UserPool {
  const o = c.object(value, path);
  const pool: UserPool = {
    Id: c.required(o, 'Id', path, (v, p) => c.nonEmptyString(v, p)),
    Name: c.optional(o, 'Name', path, (v, p) => c.string(v, p)),
    Clients: c.optional(o, 'Clients', path, (v, p) => c.list(v, p, (x, q) => readClient(c, x, q))) ?? [],
    Groups: c.optional(o, 'Groups', path, (v, p) => c.list(v, p, (x, q) => readGroup(c, x, q))) ?? [],
  };
  const users = c.optional(o, 'Users', path, (v, p) => c.list(v, p, (x, q) => readUser(c, x, q)));
  if (users) pool.Users = users;
  const lambda = c.optional(o, 'LambdaConfig', path, (v, p) => readLambdaConfig(c, v, p));
  if (lambda) pool.LambdaConfig = lambda;
  const schema = c.optional(o, 'SchemaAttributes', path, (v, p) => c.list(v, p, (x, q) => readSchemaAttribute(c, x, q)));
  if (schema) pool.SchemaAttributes = schema;
  const adminCreate = c.optional(o, 'AdminCreateUserConfig', path, (v, p) => {
    const ao = c.object(v, p);
    const only = c.optional(ao, 'AllowAdminCreateUserOnly', p, (x, q) => c.boolean(x, q));
    return only === undefined ? {} : { AllowAdminCreateUserOnly: only };
  });
  if (adminCreate) pool.AdminCreateUserConfig = adminCreate;
  return pool;
}

const MATCH_TYPES: readonly string[] = ['Equals', 'Contains', 'StartsWith', 'NotEqual'];

function readRule(c: Checker, value: Json, path: string): MappingRule {
  const o = c.object(value, path);
  const matchType = c.required(o, 'MatchType', path, (v, p) => c.string(v, p));
  if (!MATCH_TYPES.includes(matchType)) c.fail(`${path}.MatchType`, `expected one of ${MATCH_TYPES.join(', ')}, found ${JSON.stringify(matchType)}`);
  return {
    Claim: c.required(o, 'Claim', path, (v, p) => c.nonEmptyString(v, p)),
    MatchType: matchType as MatchType,
    Value: c.required(o, 'Value', path, (v, p) => c.string(v, p)),
    RoleARN: c.required(o, 'RoleARN', path, (v, p) => c.nonEmptyString(v, p)),
  };
}

function readRoleMapping(c: Checker, value: Json, path: string): RoleMapping {
  const o = c.object(value, path);
  const type = c.required(o, 'Type', path, (v, p) => c.string(v, p));
  if (type !== 'Token' && type !== 'Rules') c.fail(`${path}.Type`, `expected "Token" or "Rules", found ${JSON.stringify(type)}`);
  const ambiguous = c.optional(o, 'AmbiguousRoleResolution', path, (v, p) => c.string(v, p));
  if (ambiguous !== undefined && ambiguous !== 'AuthenticatedRole' && ambiguous !== 'Deny') {
    c.fail(`${path}.AmbiguousRoleResolution`, `expected "AuthenticatedRole" or "Deny", found ${JSON.stringify(ambiguous)}`);
  }
  const mapping: RoleMapping = { Type: type };
  if (ambiguous) mapping.AmbiguousRoleResolution = ambiguous;
  const rules = c.optional(o, 'RulesConfiguration', path, (v, p) => {
    const rc = c.object(v, p);
    return { Rules: c.optional(rc, 'Rules', p, (x, q) => c.list(x, q, (r, s) => readRule(c, r, s))) ?? [] };
  });
  if (rules) mapping.RulesConfiguration = rules;
  return mapping;
}

function readIdentityPool(c: Checker, value: Json, path: string): IdentityPool {
  const o = c.object(value, path);
  const rolesObj = c.optional(o, 'Roles', path, (v, p) => c.object(v, p)) ?? {};
  const roles: IdentityPool['Roles'] = {};
  for (const kind of ['authenticated', 'unauthenticated'] as const) {
    const arn = c.optional(rolesObj, kind, `${path}.Roles`, (v, p) => c.nonEmptyString(v, p));
    if (arn) roles[kind] = arn;
  }
  const mappingsObj = c.optional(o, 'RoleMappings', path, (v, p) => c.object(v, p)) ?? {};
  // A record without a prototype: `RoleMappings['toString']` is undefined unless the pool has that
  // key, and setOwn keeps a key such as `__proto__` as an ordinary key (an assignment would drop it).
  const mappings = Object.create(null) as Record<string, RoleMapping>;
  for (const [key, mapping] of Object.entries(mappingsObj)) {
    setOwn(mappings, key, readRoleMapping(c, mapping, `${path}.RoleMappings[${JSON.stringify(key)}]`));
  }
  const pool: IdentityPool = {
    IdentityPoolId: c.required(o, 'IdentityPoolId', path, (v, p) => c.nonEmptyString(v, p)),
    IdentityPoolName: c.optional(o, 'IdentityPoolName', path, (v, p) => c.string(v, p)),
    AllowUnauthenticatedIdentities: c.optional(o, 'AllowUnauthenticatedIdentities', path, (v, p) => c.boolean(v, p)) ?? false,
    AllowClassicFlow: c.optional(o, 'AllowClassicFlow', path, (v, p) => c.boolean(v, p)) ?? false,
    CognitoIdentityProviders:
      c.optional(o, 'CognitoIdentityProviders', path, (v, p) =>
        c.list(v, p, (x, q) => {
          const po = c.object(x, q);
          return {
            ProviderName: c.required(po, 'ProviderName', q, (y, r) => c.nonEmptyString(y, r)),
            ClientId: c.required(po, 'ClientId', q, (y, r) => c.nonEmptyString(y, r)),
            ServerSideTokenCheck: c.optional(po, 'ServerSideTokenCheck', q, (y, r) => c.boolean(y, r)) ?? false,
          };
        }),
      ) ?? [],
    Roles: roles,
    RoleMappings: mappings,
  };
  const social = c.optional(o, 'SupportedLoginProviders', path, (v, p) => stringRecord(c, v, p, true));
  if (social) pool.SupportedLoginProviders = social;
  const oidc = c.optional(o, 'OpenIdConnectProviderARNs', path, (v, p) => c.list(v, p, (x, q) => c.nonEmptyString(x, q)));
  if (oidc) pool.OpenIdConnectProviderARNs = oidc;
  const saml = c.optional(o, 'SamlProviderARNs', path, (v, p) => c.list(v, p, (x, q) => c.nonEmptyString(x, q)));
  if (saml) pool.SamlProviderARNs = saml;
  const developer = c.optional(o, 'DeveloperProviderName', path, (v, p) => c.nonEmptyString(v, p));
  if (developer) pool.DeveloperProviderName = developer;
  const tagMaps = c.optional(o, 'PrincipalTagMaps', path, (v, p) => c.list(v, p, (x, q) => readPrincipalTagMap(c, x, q)));
  if (tagMaps) pool.PrincipalTagMaps = tagMaps;
  return pool;
}

function readRole(c: Checker, value: Json, path: string): Role {
  const o = c.object(value, path);
  const role: Role = {
    RoleName: c.required(o, 'RoleName', path, (v, p) => c.nonEmptyString(v, p)),
    Arn: c.required(o, 'Arn', path, (v, p) => c.nonEmptyString(v, p)),
    Missing: c.optional(o, 'Missing', path, (v, p) => c.boolean(v, p)) ?? false,
    Unreadable: c.optional(o, 'Unreadable', path, (v, p) => c.string(v, p)) ?? null,
  };
  const complete = !role.Missing && !role.Unreadable;
  const trust = complete
    ? c.required(o, 'AssumeRolePolicyDocument', path, (v, p) => c.rawDocument(v, p))
    : c.optional(o, 'AssumeRolePolicyDocument', path, (v, p) => c.rawDocument(v, p));
  if (trust !== undefined) role.AssumeRolePolicyDocument = trust;
  const boundary = c.optional(o, 'PermissionsBoundary', path, (v, p) => {
    const bo = c.object(v, p);
    return {
      PermissionsBoundaryArn: c.required(bo, 'PermissionsBoundaryArn', p, (x, q) => c.nonEmptyString(x, q)),
      Document: c.optional(bo, 'Document', p, (x, q) => c.rawDocument(x, q)) ?? null,
    };
  });
  if (boundary) role.PermissionsBoundary = boundary;
  role.AttachedPolicies =
    c.optional(o, 'AttachedPolicies', path, (v, p) =>
      c.list(v, p, (x, q) => {
        const ao = c.object(x, q);
        return {
          PolicyArn: c.required(ao, 'PolicyArn', q, (y, r) => c.nonEmptyString(y, r)),
          PolicyName: c.optional(ao, 'PolicyName', q, (y, r) => c.string(y, r)),
          Document: c.optional(ao, 'Document', q, (y, r) => c.rawDocument(y, r)) ?? null,
        };
      }),
    ) ?? [];
  role.InlinePolicies =
    c.optional(o, 'InlinePolicies', path, (v, p) =>
      c.list(v, p, (x, q) => {
        const io = c.object(x, q);
        return {
          PolicyName: c.required(io, 'PolicyName', q, (y, r) => c.nonEmptyString(y, r)),
          PolicyDocument: c.required(io, 'PolicyDocument', q, (y, r) => c.rawDocument(y, r)),
        };
      }),
    ) ?? [];
  return role;
}

function readTable(c: Checker, value: Json, path: string): Table {
  const o = c.object(value, path);
  return {
    TableName: c.required(o, 'TableName', path, (v, p) => c.nonEmptyString(v, p)),
    TableArn: c.required(o, 'TableArn', path, (v, p) => c.nonEmptyString(v, p)),
    KeySchema: c.required(o, 'KeySchema', path, (v, p) =>
      c.list(v, p, (x, q) => {
        const ko = c.object(x, q);
        const keyType = c.required(ko, 'KeyType', q, (y, r) => c.string(y, r));
        if (keyType !== 'HASH' && keyType !== 'RANGE') c.fail(`${q}.KeyType`, `expected "HASH" or "RANGE", found ${JSON.stringify(keyType)}`);
        return { AttributeName: c.required(ko, 'AttributeName', q, (y, r) => c.nonEmptyString(y, r)), KeyType: keyType };
      }),
    ),
    AttributeDefinitions: c.optional(o, 'AttributeDefinitions', path, (v, p) =>
      c.list(v, p, (x, q) => {
        const ao = c.object(x, q);
        return {
          AttributeName: c.required(ao, 'AttributeName', q, (y, r) => c.string(y, r)),
          AttributeType: c.required(ao, 'AttributeType', q, (y, r) => c.string(y, r)),
        };
      }),
    ),
    ResourcePolicy: c.optional(o, 'ResourcePolicy', path, (v, p) => c.rawDocument(v, p)) ?? null,
  };
}

function readGap(c: Checker, value: Json, path: string): ScanGap {
  const o = c.object(value, path);
  return {
    service: c.required(o, 'service', path, (v, p) => c.nonEmptyString(v, p)),
    operation: c.required(o, 'operation', path, (v, p) => c.nonEmptyString(v, p)),
    resource: c.optional(o, 'resource', path, (v, p) => c.string(v, p)) ?? null,
    error: c.required(o, 'error', path, (v, p) => c.nonEmptyString(v, p)),
    message: c.optional(o, 'message', path, (v, p) => c.string(v, p)) ?? '',
    permission: c.required(o, 'permission', path, (v, p) => c.nonEmptyString(v, p)),
  };
}

/** Validates parsed JSON as a v1 snapshot. Throws SnapshotError naming `file` and the JSON path. */
export function validateSnapshot(value: unknown, file = '<snapshot>'): Snapshot {
  const c = new Checker(file);
  const o = c.object(value, '');
  const format = c.required(o, 'format', '', (v, p) => c.string(v, p));
  if (format !== SNAPSHOT_FORMAT) c.fail('format', `expected ${JSON.stringify(SNAPSHOT_FORMAT)}, found ${JSON.stringify(format)}`);
  const accountId = c.required(o, 'accountId', '', (v, p) => c.string(v, p));
  if (!ACCOUNT_ID.test(accountId)) c.fail('accountId', `expected 12 digits, found ${JSON.stringify(accountId)}`);
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    capturedAt: c.optional(o, 'capturedAt', '', (v, p) => c.string(v, p)),
    region: c.required(o, 'region', '', (v, p) => c.nonEmptyString(v, p)),
    accountId,
    userPools: c.optional(o, 'userPools', '', (v) => c.list(v, 'userPools', (x, q) => readUserPool(c, x, q))) ?? [],
    identityPools: c.optional(o, 'identityPools', '', (v) => c.list(v, 'identityPools', (x, q) => readIdentityPool(c, x, q))) ?? [],
    roles: c.optional(o, 'roles', '', (v) => c.list(v, 'roles', (x, q) => readRole(c, x, q))) ?? [],
    tables: c.optional(o, 'tables', '', (v) => c.list(v, 'tables', (x, q) => readTable(c, x, q))) ?? [],
  };
  const gaps = c.optional(o, 'scanGaps', '', (v) => c.list(v, 'scanGaps', (x, q) => readGap(c, x, q)));
  if (gaps && gaps.length > 0) snapshot.scanGaps = gaps;
  return snapshot;
}

/** Parses JSON text as a v1 snapshot. Throws SnapshotError for invalid JSON or a broken format. */
export function parseSnapshot(text: string, file = '<snapshot>'): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(file, '', `invalid JSON: ${(error as Error).message}`);
  }
  return validateSnapshot(value, file);
}

function decodePolicyDocumentAt(raw: string, file: string, path: string): Record<string, unknown> {
  try {
    return decodePolicyDocument(raw);
  } catch (error) {
    throw new SnapshotError(file, path, `policy document is ${(error as Error).message}`);
  }
}
