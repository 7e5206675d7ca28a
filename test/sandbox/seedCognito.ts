// The scenario's user pool (clients, groups, users) and identity pools (import them through seed.ts).

import {
  IDENTITY_POOL_IDS, OIDC_HOST, OIDC_PROVIDER_ARN, PROVIDER_NAME, SEED_IDENTITY_IDS, TRIGGER_PROVIDER_NAME, roleArn, type IdentityPoolKey,
} from './seedIds.ts';
import { TRIGGER_CLIENT } from './seedTrigger.ts';

export const CLIENTS = {
  web: { ClientId: 'webclient0000000000000001', ClientName: 'web', ClientSecret: undefined as string | undefined,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  backend: { ClientId: 'backendclient000000000001', ClientName: 'backend', ClientSecret: 'sandbox-backend-client-secret-0001' as string | undefined,
    ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  // A public-facing client with a secret, trusted by identity pool `books`: sign-in needs
  // SECRET_HASH, which the gateway checks (cognito-local does not).
  mobile: { ClientId: 'mobileclient0000000000001', ClientName: 'mobile', ClientSecret: 'sandbox-mobile-client-secret-0001' as string | undefined,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  // Self-service profile editing, no secret: users may write custom:role (WriteAttributes) through
  // UpdateUserAttributes with their own access token, and SignUp (the pool's self sign-up is open).
  // Identity pool books-rules-writable maps custom:role Equals admin to BooksAdmin: any user gets it.
  selfservice: { ClientId: 'selfserviceclient00000001', ClientName: 'selfservice', ClientSecret: undefined as string | undefined,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    WriteAttributes: ['email', 'name', 'custom:role'] as string[] | undefined },
};
/** DescribeUserPoolClient's WriteAttributes of a seed client (only selfservice lists them). */
export const writeAttributesOf = (c: { ClientId: string }): string[] | undefined =>
  (c as { WriteAttributes?: string[] }).WriteAttributes;
export type ClientKey = keyof typeof CLIENTS;

export interface SeedGroup { GroupName: string; Precedence?: number; RoleArn?: string; Description?: string }
export const GROUPS: SeedGroup[] = [
  { GroupName: 'Admins', Precedence: 0, RoleArn: roleArn('BooksAdmin'), Description: 'full access' },
  { GroupName: 'BooksRead', Precedence: 1, RoleArn: roleArn('BooksReadAccess'), Description: 'read-only' },
  { GroupName: 'BooksWrite', Precedence: 2, RoleArn: roleArn('BooksWriteAccess'), Description: 'read and write' },
  { GroupName: 'NotesOwn', Precedence: 3, RoleArn: roleArn('NotesOwnPartition'), Description: 'own notes only' },
  { GroupName: 'Editors', Precedence: 5, RoleArn: roleArn('BooksEditor'), Description: 'ties with Reviewers' },
  { GroupName: 'Reviewers', Precedence: 5, RoleArn: roleArn('BooksReviewer'), Description: 'ties with Editors' },
];

/** The challenge a user's USER_PASSWORD_AUTH sign-in gets before any tokens (cognito-local implements them). */
export type SeedChallenge = 'NEW_PASSWORD_REQUIRED' | 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA';
export interface SeedUser {
  Username: string; sub: string; email: string;
  /** The password; for a NEW_PASSWORD_REQUIRED user, the temporary one. */
  password: string;
  groups: string[];
  challenge?: SeedChallenge;
  /** phone_number (verified), where SMS_MFA codes go. */
  phoneNumber?: string;
  /** More attributes (custom ones are `custom:x`, in the ID token as such; see SCHEMA_ATTRIBUTES). */
  attributes?: Record<string, string>;
}

/**
 * totpuser's verified authenticator-app secret (base32 of "sandbox-totpuser-01!"; sandbox-only).
 * challenges.ts totpCode(TOTP_SECRET) gives the current code.
 */
export const TOTP_SECRET = 'ONQW4ZDCN54C25DPORYHK43FOIWTAMJB';

// Passwords are sandbox-only; main.ts prints them at start.
export const USERS: SeedUser[] = [
  // custom:dept: books-abac tags testuser1's sessions with dept=books (principal tags), and its role
  // reads the book-table partition (author) named like the department, not another's ("music").
  { Username: 'testuser1', sub: '7e57a001-0000-4000-8000-000000000001', email: 'testuser1@example.com', password: 'Sandbox-testuser1-1!', groups: ['BooksRead'], attributes: { 'custom:dept': 'books' } },
  { Username: 'writer', sub: '7e57a001-0000-4000-8000-000000000002', email: 'writer@example.com', password: 'Sandbox-writer-1!', groups: ['BooksWrite'] },
  { Username: 'admin', sub: '7e57a001-0000-4000-8000-000000000003', email: 'admin@example.com', password: 'Sandbox-admin-1!', groups: ['Admins', 'BooksRead'] },
  { Username: 'tied', sub: '7e57a001-0000-4000-8000-000000000004', email: 'tied@example.com', password: 'Sandbox-tied-1!', groups: ['Editors', 'Reviewers'] },
  { Username: 'nogroup', sub: '7e57a001-0000-4000-8000-000000000005', email: 'nogroup@example.com', password: 'Sandbox-nogroup-1!', groups: [] },
  { Username: 'noteuser', sub: '7e57a001-0000-4000-8000-000000000006', email: 'noteuser@example.com', password: 'Sandbox-noteuser-1!', groups: ['NotesOwn'] },
  // The sign-in challenges. newuser: FORCE_CHANGE_PASSWORD (password is the temporary one; the
  // sandbox's requireNewPassword() puts it back after a test changed it). totpuser: a verified
  // software token (TOTP_SECRET). smsuser: SMS MFA to phoneNumber (the sandbox's smsCode() reads
  // the code cognito-local sent). The user pool's MfaConfiguration is OPTIONAL.
  { Username: 'newuser', sub: '7e57a001-0000-4000-8000-000000000007', email: 'newuser@example.com', password: 'Sandbox-newuser-temp-1!', groups: ['BooksRead'], challenge: 'NEW_PASSWORD_REQUIRED' },
  { Username: 'totpuser', sub: '7e57a001-0000-4000-8000-000000000008', email: 'totpuser@example.com', password: 'Sandbox-totpuser-1!', groups: ['BooksWrite'], challenge: 'SOFTWARE_TOKEN_MFA' },
  { Username: 'smsuser', sub: '7e57a001-0000-4000-8000-000000000009', email: 'smsuser@example.com', password: 'Sandbox-smsuser-1!', groups: ['BooksRead'], challenge: 'SMS_MFA', phoneNumber: '+15555550123' },
];

const attribute = (Name: string, Mutable: boolean, AttributeDataType: 'String' | 'Boolean' | 'Number' = 'String', Required = false): SchemaAttribute =>
  ({ Name, AttributeDataType, DeveloperOnlyAttribute: false, Mutable, Required,
    ...(AttributeDataType === 'String' ? { StringAttributeConstraints: { MinLength: Name === 'sub' ? '1' : '0', MaxLength: '2048' } } : {}),
    ...(AttributeDataType === 'Number' ? { NumberAttributeConstraints: { MinValue: '0' } } : {}) });
export interface SchemaAttribute {
  Name: string; AttributeDataType: string; DeveloperOnlyAttribute: boolean; Mutable: boolean; Required: boolean;
  StringAttributeConstraints?: { MinLength: string; MaxLength: string }; NumberAttributeConstraints?: { MinValue: string };
}
/**
 * The books pool's DescribeUserPool SchemaAttributes: Cognito's standard attributes (as AWS and
 * cognito-local list them) and `custom:dept`, mutable, which a user may therefore change through
 * UpdateUserAttributes when the app client lists no WriteAttributes (the web client lists none).
 */
export const SCHEMA_ATTRIBUTES: SchemaAttribute[] = [
  attribute('sub', false, 'String', true),
  ...['name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email']
    .map((n) => attribute(n, true)),
  attribute('email_verified', true, 'Boolean'),
  ...['gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number'].map((n) => attribute(n, true)),
  attribute('phone_number_verified', true, 'Boolean'),
  attribute('address', true),
  attribute('updated_at', true, 'Number'),
  { ...attribute('custom:dept', true), StringAttributeConstraints: { MinLength: '0', MaxLength: '256' } },
  // Mutable, and in selfservice's WriteAttributes: books-rules-writable's rule trusts it.
  { ...attribute('custom:role', true), StringAttributeConstraints: { MinLength: '0', MaxLength: '64' } },
];
/** The books pool's AdminCreateUserConfig: self sign-up open (SignUp through a client without a secret). */
export const ADMIN_CREATE_USER_CONFIG = { AllowAdminCreateUserOnly: false };
/** The users whose USER_PASSWORD_AUTH gives tokens at once (no challenge): loops that sign everyone in use these. */
export const PLAIN_USERS: SeedUser[] = USERS.filter((u) => !u.challenge);
export const userByName = (name: string): SeedUser => {
  const user = USERS.find((u) => u.Username === name);
  if (!user) throw new Error(`no seed user ${name}`);
  return user;
};

const webKey = `${PROVIDER_NAME}:${CLIENTS.web.ClientId}`;
const webProvider = { ProviderName: PROVIDER_NAME, ClientId: CLIENTS.web.ClientId, ServerSideTokenCheck: false };
const mobileKey = `${PROVIDER_NAME}:${CLIENTS.mobile.ClientId}`;
const mobileProvider = { ProviderName: PROVIDER_NAME, ClientId: CLIENTS.mobile.ClientId, ServerSideTokenCheck: false };
const selfserviceKey = `${PROVIDER_NAME}:${CLIENTS.selfservice.ClientId}`;
const selfserviceProvider = { ProviderName: PROVIDER_NAME, ClientId: CLIENTS.selfservice.ClientId, ServerSideTokenCheck: false };
const triggerKey = `${TRIGGER_PROVIDER_NAME}:${TRIGGER_CLIENT.ClientId}`;
const triggerProvider = { ProviderName: TRIGGER_PROVIDER_NAME, ClientId: TRIGGER_CLIENT.ClientId, ServerSideTokenCheck: false };
/** books-abac's (and books-abac-broken's) principal tag map for the books pool: tag dept from custom:dept. */
const deptTagMap = { IdentityProviderName: PROVIDER_NAME, UseDefaults: false, PrincipalTags: { dept: 'custom:dept' } };

export interface SeedPrincipalTagMap { IdentityProviderName: string; UseDefaults: boolean; PrincipalTags: Record<string, string> }
/** DescribeIdentityPool + GetIdentityPoolRoles (+ GetPrincipalTagAttributeMap per provider), merged: the snapshot's shape. */
export interface SeedIdentityPool {
  IdentityPoolId: string;
  IdentityPoolName: string;
  AllowUnauthenticatedIdentities: boolean;
  AllowClassicFlow: boolean;
  CognitoIdentityProviders: { ProviderName: string; ClientId: string; ServerSideTokenCheck: boolean }[];
  /** IAM OIDC provider ARNs; the Logins key is the ARN's host (and path). */
  OpenIdConnectProviderARNs?: string[];
  SupportedLoginProviders?: Record<string, string>;
  SamlProviderARNs?: string[];
  DeveloperProviderName?: string;
  Roles: Record<string, string>;
  RoleMappings: Record<string, RoleMapping>;
  /** The maps the identity handler starts with (SetPrincipalTagAttributeMap changes them at run time). */
  PrincipalTagMaps?: SeedPrincipalTagMap[];
}

/** DescribeIdentityPool + GetIdentityPoolRoles, merged (the snapshot's shape). */
export const IDENTITY_POOLS: SeedIdentityPool[] = [
  {
    IdentityPoolId: IDENTITY_POOL_IDS.books, IdentityPoolName: 'books',
    // Trusts web and mobile (the client with a secret), both with a Token mapping.
    AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [webProvider, mobileProvider],
    Roles: { authenticated: roleArn('BooksDefaultAuth') } as Record<string, string>,
    RoleMappings: {
      [webKey]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' },
      [mobileKey]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' },
    } as Record<string, RoleMapping>,
  },
  {
    // Broken on purpose: the only rule's role trusts the *user pool* id as aud, so STS refuses
    // and Cognito answers InvalidIdentityPoolConfigurationException (the article's fault).
    IdentityPoolId: IDENTITY_POOL_IDS['books-broken'], IdentityPoolName: 'books-broken',
    AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [webProvider],
    Roles: { authenticated: roleArn('BooksDefaultAuth') } as Record<string, string>,
    RoleMappings: { [webKey]: { Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: [
      { Claim: 'cognito:groups', MatchType: 'Contains', Value: 'BooksRead', RoleARN: roleArn('BooksReadBroken') },
    ] } } } as Record<string, RoleMapping>,
  },
  {
    IdentityPoolId: IDENTITY_POOL_IDS['books-strict'], IdentityPoolName: 'books-strict',
    AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [webProvider],
    Roles: { authenticated: roleArn('BooksDefaultAuth') } as Record<string, string>,
    RoleMappings: { [webKey]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } } as Record<string, RoleMapping>,
  },
  {
    // Guests: GetId without Logins gives an unauthenticated identity, whose credentials are a
    // session of BooksGuest (trust amr `unauthenticated`) scoped down by Cognito's guest session
    // policy. Signed-in users of this pool get the authenticated role (no role mapping).
    IdentityPoolId: IDENTITY_POOL_IDS['books-guest'], IdentityPoolName: 'books-guest',
    AllowUnauthenticatedIdentities: true, AllowClassicFlow: false, CognitoIdentityProviders: [webProvider],
    Roles: { authenticated: roleArn('BooksDefaultAuth'), unauthenticated: roleArn('BooksGuest') } as Record<string, string>,
    RoleMappings: {} as Record<string, RoleMapping>,
  },
  {
    // Attributes for access control: sessions carry tag dept (from custom:dept); the role's
    // policy allows the book-table partition whose author equals ${aws:PrincipalTag/dept}.
    IdentityPoolId: IDENTITY_POOL_IDS['books-abac'], IdentityPoolName: 'books-abac',
    AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [webProvider],
    Roles: { authenticated: roleArn('BooksAbacDept') }, RoleMappings: {},
    PrincipalTagMaps: [deptTagMap],
  },
  {
    // The same map; the role's trust allows sts:AssumeRoleWithWebIdentity but not sts:TagSession.
    IdentityPoolId: IDENTITY_POOL_IDS['books-abac-broken'], IdentityPoolName: 'books-abac-broken',
    AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [webProvider],
    Roles: { authenticated: roleArn('BooksAbacDeptBroken') }, RoleMappings: {},
    PrincipalTagMaps: [deptTagMap],
  },
  {
    // The second user pool, whose tokens a pre token generation trigger may rewrite: Token mapping.
    IdentityPoolId: IDENTITY_POOL_IDS['books-trigger'], IdentityPoolName: 'books-trigger',
    AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [triggerProvider],
    Roles: { authenticated: roleArn('BooksDefaultAuth') },
    RoleMappings: { [triggerKey]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } },
  },
  {
    // The sandbox's OIDC provider: mapping keyed by the provider name (its host), rules on its claims.
    IdentityPoolId: IDENTITY_POOL_IDS['books-oidc'], IdentityPoolName: 'books-oidc',
    AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [],
    OpenIdConnectProviderARNs: [OIDC_PROVIDER_ARN],
    Roles: { authenticated: roleArn('BooksDefaultAuth') },
    RoleMappings: { [OIDC_HOST]: { Type: 'Rules', AmbiguousRoleResolution: 'AuthenticatedRole', RulesConfiguration: { Rules: [
      { Claim: 'dept', MatchType: 'Equals', Value: 'books', RoleARN: roleArn('BooksOidcReader') },
    ] } } },
  },
  {
    // Basic (classic) flow on: GetOpenIdToken, then STS AssumeRoleWithWebIdentity on any role whose
    // trust admits this pool (BooksClassicAuth, and BooksDefaultAuth, which trusts every pool).
    IdentityPoolId: IDENTITY_POOL_IDS['books-classic'], IdentityPoolName: 'books-classic',
    AllowUnauthenticatedIdentities: false, AllowClassicFlow: true, CognitoIdentityProviders: [webProvider],
    Roles: { authenticated: roleArn('BooksClassicAuth') }, RoleMappings: {},
  },
  {
    // The fault of findings.md's MAPPING_RULE_ON_WRITABLE_CLAIM: the rule tests custom:role, which
    // selfservice lets users write (UpdateUserAttributes, SignUp). Everyone else: the default role.
    IdentityPoolId: IDENTITY_POOL_IDS['books-rules-writable'], IdentityPoolName: 'books-rules-writable',
    AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [selfserviceProvider],
    Roles: { authenticated: roleArn('BooksDefaultAuth') },
    RoleMappings: { [selfserviceKey]: { Type: 'Rules', AmbiguousRoleResolution: 'AuthenticatedRole', RulesConfiguration: { Rules: [
      { Claim: 'custom:role', MatchType: 'Equals', Value: 'admin', RoleARN: roleArn('BooksAdmin') },
    ] } } },
  },
];
export interface RoleMapping {
  Type: 'Token' | 'Rules';
  AmbiguousRoleResolution?: 'AuthenticatedRole' | 'Deny';
  RulesConfiguration?: { Rules: { Claim: string; MatchType: string; Value: string; RoleARN: string }[] };
}

/** Identities that exist before anyone signs in (GetId returns these ids for these users). */
export const SEED_IDENTITIES = [
  { identityPoolId: IDENTITY_POOL_IDS.books, username: 'noteuser', identityId: SEED_IDENTITY_IDS.noteuser },
  { identityPoolId: IDENTITY_POOL_IDS.books, username: 'testuser1', identityId: SEED_IDENTITY_IDS.testuser1 },
];
export const identityIdOf = (pool: IdentityPoolKey, username: string): string => {
  const found = SEED_IDENTITIES.find((i) => i.identityPoolId === IDENTITY_POOL_IDS[pool] && i.username === username);
  if (!found) throw new Error(`no seed identity for ${username} in ${pool}`);
  return found.identityId;
};
