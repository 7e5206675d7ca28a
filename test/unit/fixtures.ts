// Snapshot builders for the engine's unit tests: the article's scenario, with overrides.
import type { Group, IdentityPool, Role, Snapshot, UserPool } from '../../src/core/snapshot.ts';

export const REGION = 'eu-central-1';
export const ACCOUNT = '123456789012';
export const USER_POOL_ID = 'eu-central-1_BOOKS1234';
export const CLIENT_ID = 'webclient0000000000000001';
export const IDENTITY_POOL_ID = 'eu-central-1:aaaaaaaa-1111-2222-3333-444444444444';
export const OTHER_IDENTITY_POOL_ID = 'eu-central-1:bbbbbbbb-1111-2222-3333-444444444444';
export const PROVIDER = `cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;
export const MAPPING_KEY = `${PROVIDER}:${CLIENT_ID}`;

export const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const tableArn = (name: string): string => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;

export function trustDocument(options: {
  aud?: string | string[] | null;
  amr?: string | null;
  amrOperator?: string;
  action?: string;
  principal?: Record<string, unknown> | '*';
  extra?: Record<string, unknown>[];
} = {}): Record<string, unknown> {
  const condition: Record<string, Record<string, unknown>> = {};
  const aud = options.aud === undefined ? IDENTITY_POOL_ID : options.aud;
  if (aud !== null) condition['StringEquals'] = { 'cognito-identity.amazonaws.com:aud': aud };
  const amr = options.amr === undefined ? 'authenticated' : options.amr;
  if (amr !== null) condition[options.amrOperator ?? 'ForAnyValue:StringLike'] = { 'cognito-identity.amazonaws.com:amr': amr };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: options.principal ?? { Federated: 'cognito-identity.amazonaws.com' },
        Action: options.action ?? 'sts:AssumeRoleWithWebIdentity',
        ...(Object.keys(condition).length ? { Condition: condition } : {}),
      },
      ...(options.extra ?? []),
    ],
  };
}

export function readPolicy(table = 'book-table', actions = ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan']): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: tableArn(table) }] };
}

export function role(name: string, overrides: Partial<Role> = {}): Role {
  return {
    RoleName: name,
    Arn: roleArn(name),
    AssumeRolePolicyDocument: trustDocument(),
    AttachedPolicies: [{ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/${name}-p0`, PolicyName: `${name}-p0`, Document: readPolicy() }],
    InlinePolicies: [],
    ...overrides,
  };
}

export function group(name: string, precedence: number | null, roleName: string | null): Group {
  return { GroupName: name, Precedence: precedence, RoleArn: roleName ? roleArn(roleName) : null, Description: null };
}

export function userPool(overrides: Partial<UserPool> = {}): UserPool {
  return {
    Id: USER_POOL_ID,
    Name: 'books',
    Clients: [{ ClientId: CLIENT_ID, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'], HasSecret: false }],
    Groups: [group('BooksRead', 1, 'BooksReadAccess')],
    Users: [{ Username: 'testuser1', Groups: ['BooksRead'] }],
    ...overrides,
  };
}

export function identityPool(overrides: Partial<IdentityPool> = {}): IdentityPool {
  return {
    IdentityPoolId: IDENTITY_POOL_ID,
    IdentityPoolName: 'books',
    AllowUnauthenticatedIdentities: false,
    AllowClassicFlow: false,
    CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: CLIENT_ID, ServerSideTokenCheck: false }],
    Roles: { authenticated: roleArn('BooksDefaultAuth') },
    RoleMappings: { [MAPPING_KEY]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } },
    ...overrides,
  };
}

/** The healthy article scenario; pass overrides for the case under test. */
export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    format: 'cognito-access-snapshot/v1',
    region: REGION,
    accountId: ACCOUNT,
    userPools: [userPool()],
    identityPools: [identityPool()],
    roles: [role('BooksReadAccess'), role('BooksDefaultAuth', { AttachedPolicies: [] })],
    tables: [
      {
        TableName: 'book-table',
        TableArn: tableArn('book-table'),
        KeySchema: [
          { AttributeName: 'author', KeyType: 'HASH' },
          { AttributeName: 'title', KeyType: 'RANGE' },
        ],
        ResourcePolicy: null,
      },
    ],
    ...overrides,
  };
}

/** Replaces one role of a snapshot (by name). */
export function withRole(s: Snapshot, replacement: Role): Snapshot {
  return { ...s, roles: [...s.roles.filter((r) => r.RoleName !== replacement.RoleName), replacement] };
}

export function codes(findings: { code: string }[]): string[] {
  return findings.map((f) => f.code).sort();
}
