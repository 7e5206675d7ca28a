// Account snapshot, format v1 (shared/spec/snapshot.md): types, policy decoding and look-ups.
// Reading and validating a file is in snapshotReader.ts (re-exported here).

export const SNAPSHOT_FORMAT = 'cognito-access-snapshot/v1';

export interface AppClient {
  ClientId: string;
  ClientName?: string;
  ExplicitAuthFlows?: string[];
  /** Inspector's own: true when the client has a secret. The secret itself is never stored. */
  HasSecret?: boolean;
  /** DescribeUserPoolClient: the attributes the client may write (UpdateUserAttributes, sign-up). */
  WriteAttributes?: string[];
  ReadAttributes?: string[];
  AllowedOAuthFlows?: string[];
}

export interface Group {
  GroupName: string;
  /** Absent or null: no precedence (loses to any number). */
  Precedence?: number | null;
  RoleArn?: string | null;
  Description?: string | null;
}

export interface PoolUser {
  Username: string;
  Groups: string[];
}

export type PreTokenGenerationVersion = 'V1_0' | 'V2_0' | 'V3_0';

/** DescribeUserPool.UserPool.LambdaConfig, the part that changes tokens (snapshot.md, fields added after v1). */
export interface LambdaConfig {
  /** The legacy field: the pre token generation trigger's ARN (a V1_0 trigger). */
  PreTokenGeneration?: string;
  PreTokenGenerationConfig?: { LambdaArn: string; LambdaVersion: PreTokenGenerationVersion };
}

export interface SchemaAttribute {
  Name: string;
  Mutable?: boolean;
}

export interface UserPool {
  Id: string;
  Name?: string;
  Clients: AppClient[];
  Groups: Group[];
  Users?: PoolUser[];
  LambdaConfig?: LambdaConfig;
  SchemaAttributes?: SchemaAttribute[];
  AdminCreateUserConfig?: { AllowAdminCreateUserOnly?: boolean };
}

export interface CognitoIdentityProvider {
  ProviderName: string;
  ClientId: string;
  ServerSideTokenCheck?: boolean;
}

export type MatchType = 'Equals' | 'Contains' | 'StartsWith' | 'NotEqual';

export interface MappingRule {
  Claim: string;
  MatchType: MatchType;
  Value: string;
  RoleARN: string;
}

export interface RoleMapping {
  Type: 'Token' | 'Rules';
  AmbiguousRoleResolution?: 'AuthenticatedRole' | 'Deny';
  RulesConfiguration?: { Rules: MappingRule[] };
}

/**
 * GetPrincipalTagAttributeMap for one provider of an identity pool: which claims become session
 * tags ("attributes for access control"). `PrincipalTags` is tag key -> claim name; both are data
 * from input (a null-prototype record, so `__proto__` is an ordinary key).
 */
export interface PrincipalTagMap {
  /** The provider: `cognito-idp.<region>.amazonaws.com/<UserPoolId>`, `accounts.google.com`, an OIDC host, a SAML provider ARN. */
  IdentityProviderName: string;
  UseDefaults: boolean;
  PrincipalTags: Record<string, string>;
}

export interface IdentityPool {
  IdentityPoolId: string;
  IdentityPoolName?: string;
  AllowUnauthenticatedIdentities: boolean;
  AllowClassicFlow?: boolean;
  CognitoIdentityProviders: CognitoIdentityProvider[];
  Roles: { authenticated?: string; unauthenticated?: string };
  RoleMappings: Record<string, RoleMapping>;
  /** Social providers: `accounts.google.com`, `graph.facebook.com`, `www.amazon.com`, `appleid.apple.com` -> the app id. */
  SupportedLoginProviders?: Record<string, string>;
  /** IAM OIDC provider ARNs; the Logins key is the ARN's host and path. */
  OpenIdConnectProviderARNs?: string[];
  SamlProviderARNs?: string[];
  /** The developer provider ("domain") of developer-authenticated identities. */
  DeveloperProviderName?: string;
  /** One map per provider that has one (a provider without one maps no tags). */
  PrincipalTagMaps?: PrincipalTagMap[];
}

/** A policy document as stored: URL-encoded string, JSON string or object. */
export type RawPolicyDocument = string | Record<string, unknown>;

export interface AttachedPolicy {
  PolicyArn: string;
  PolicyName?: string;
  Document?: RawPolicyDocument | null;
}

export interface InlinePolicy {
  PolicyName: string;
  PolicyDocument: RawPolicyDocument;
}

export interface Role {
  RoleName: string;
  Arn: string;
  AssumeRolePolicyDocument?: RawPolicyDocument | null;
  PermissionsBoundary?: { PermissionsBoundaryArn: string; Document?: RawPolicyDocument | null } | null;
  AttachedPolicies?: AttachedPolicy[];
  InlinePolicies?: InlinePolicy[];
  Missing?: boolean;
  Unreadable?: string | null;
}

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface Table {
  TableName: string;
  TableArn: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions?: { AttributeName: string; AttributeType: string }[];
  ResourcePolicy?: RawPolicyDocument | null;
}

/**
 * Something the scanner could not read (shared/spec/snapshot.md, `scanGaps`). Everything else the
 * scan read is still in the snapshot; what a gap covers is "not captured" (src/core/gaps.ts).
 */
export interface ScanGap {
  /** The service's signing name: cognito-idp, cognito-identity, iam, dynamodb, sts. */
  service: string;
  /** The API operation, e.g. GetIdentityPoolRoles. */
  operation: string;
  /** What it was reading (an id or ARN), or null for a list call. */
  resource: string | null;
  /** The AWS error code, or Timeout / NotAnAwsResponse / NetworkError. */
  error: string;
  /** One line, no secrets. */
  message: string;
  /** The IAM action that would let the scanner read it, e.g. cognito-identity:GetIdentityPoolRoles. */
  permission: string;
}

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  capturedAt?: string;
  region: string;
  accountId: string;
  userPools: UserPool[];
  identityPools: IdentityPool[];
  roles: Role[];
  tables: Table[];
  /** What the scan could not read; absent or empty when it read everything. */
  scanGaps?: ScanGap[];
}

/** A snapshot that breaks the format. `path` is a JSON path such as `userPools[0].Groups[3].Precedence`. */
export class SnapshotError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path ? `${path}: ` : ''}${problem}`);
    this.name = 'SnapshotError';
  }
}

// ---------------------------------------------------------------------------------------------
// Policy documents

/** Thrown when a policy document is neither an object, a JSON string nor a URL-encoded JSON string. */
export class PolicyDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyDocumentError';
  }
}

/**
 * Decodes a policy document as IAM returns it: URL-encoded JSON (GetRole, GetRolePolicy,
 * GetPolicyVersion), a plain JSON string, or an already parsed object.
 */
export function decodePolicyDocument(raw: RawPolicyDocument): Record<string, unknown> {
  if (typeof raw !== 'string') return raw;
  const text = raw.trim();
  let json = text;
  if (!text.startsWith('{')) {
    try {
      // RFC 3986 percent-encoding, as IAM returns it; '+' stays '+' (role names may contain it), like the AWS CLI's unquote.
      json = decodeURIComponent(text);
    } catch {
      throw new PolicyDocumentError('not valid URL-encoding');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new PolicyDocumentError(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PolicyDocumentError('a policy document must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}


// ---------------------------------------------------------------------------------------------
// Look-ups used across the engine.

export function roleNameFromArn(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn;
}

/** `cognito-idp.<region>.amazonaws.com/<UserPoolId>`: the Logins key and ProviderName of a user pool. */
export function providerNameFor(region: string, userPoolId: string): string {
  return `cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/** The region and pool id in a provider name, or undefined when it is not a Cognito user pool. */
export function parseProviderName(providerName: string): { region: string; userPoolId: string } | undefined {
  const match = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/(.+)$/.exec(providerName);
  return match ? { region: match[1]!, userPoolId: match[2]! } : undefined;
}

/** Indexes of a snapshot, built once per engine call. */
export class SnapshotIndex {
  readonly rolesByArn = new Map<string, Role>();
  readonly tablesByName = new Map<string, Table>();
  readonly userPoolsById = new Map<string, UserPool>();

  constructor(readonly snapshot: Snapshot) {
    for (const role of snapshot.roles) this.rolesByArn.set(role.Arn, role);
    for (const table of snapshot.tables) this.tablesByName.set(table.TableName, table);
    for (const pool of snapshot.userPools) this.userPoolsById.set(pool.Id, pool);
  }
}

export { parseSnapshot, validateSnapshot } from './snapshotReader.ts';
