// The sandbox's fixed ids and ARN helpers: shared by seed.ts and seedIam.ts (kept apart so
// neither imports the other). Import them through seed.ts.

export const REGION = 'eu-central-1';
export const ACCOUNT_ID = '123456789012';
export const USER_POOL_ID = `${REGION}_BOOKS1234`;
export const USER_POOL_NAME = 'books';
export const PROVIDER_NAME = `cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;

/** The second user pool, whose pre token generation trigger the gateway emulates (userPoolTokens.ts). */
export const TRIGGER_USER_POOL_ID = `${REGION}_TRIGGER12`;
export const TRIGGER_USER_POOL_NAME = 'books-trigger';
export const TRIGGER_PROVIDER_NAME = `cognito-idp.${REGION}.amazonaws.com/${TRIGGER_USER_POOL_ID}`;

/**
 * The sandbox's own OpenID Connect provider: tokens say `iss` https://login.sandbox.test (the
 * gateway serves its discovery document and JWKS under /login.sandbox.test/.well-known/), the
 * Logins key is the host, IAM knows it as an OIDC provider whose only audience is OIDC_CLIENT_ID.
 */
export const OIDC_HOST = 'login.sandbox.test';
export const OIDC_ISSUER = `https://${OIDC_HOST}`;
export const OIDC_CLIENT_ID = 'books-oidc-client';
/** The issuer of GetOpenIdToken's tokens (basic flow), as Cognito's. */
export const COGNITO_IDENTITY_ISSUER = 'https://cognito-identity.amazonaws.com';

/** Admin keys of the sandbox (the profile `cognito-sandbox`); sandbox-only, never valid at AWS. */
export const ADMIN_CREDENTIALS = {
  accessKeyId: 'AKIASANDBOXADMIN0000',
  secretAccessKey: 'sandbox-admin-secret-not-valid-at-aws-0000',
};
export const ADMIN_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/sandbox-admin`;
export const ADMIN_USER_ID = 'AIDASANDBOXADMIN0000';

/**
 * Keys of the read-only IAM user (the profile `cognito-sandbox-readonly`): its requests are
 * authorized against the scanner's least-privilege policy only (access.ts, READONLY_ACTIONS).
 */
export const READONLY_CREDENTIALS = {
  accessKeyId: 'AKIASANDBOXREADONLY0',
  secretAccessKey: 'sandbox-readonly-secret-not-valid-at-aws-0000',
};
export const READONLY_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/inspector-readonly`;
export const READONLY_USER_ID = 'AIDASANDBOXREADONLY0';

export const IDENTITY_POOL_IDS = {
  books: `${REGION}:aaaaaaaa-1111-2222-3333-444444444444`,
  'books-broken': `${REGION}:bbbbbbbb-1111-2222-3333-444444444444`,
  'books-strict': `${REGION}:cccccccc-1111-2222-3333-444444444444`,
  /** Allows guests (unauthenticated identities), whose role BooksGuest reads book-table. */
  'books-guest': `${REGION}:dddddddd-1111-2222-3333-444444444444`,
  /** Principal tags: tag `dept` from `custom:dept` of the books pool's tokens; its role's trust allows sts:TagSession. */
  'books-abac': `${REGION}:eeeeeeee-1111-2222-3333-444444444444`,
  /** The same tag map, but its role's trust lacks sts:TagSession: InvalidIdentityPoolConfigurationException. */
  'books-abac-broken': `${REGION}:ffffffff-1111-2222-3333-444444444444`,
  /** Trusts the second user pool (books-trigger, with a pre token generation trigger), Token mapping. */
  'books-trigger': `${REGION}:a1a1a1a1-1111-2222-3333-444444444444`,
  /** Trusts the sandbox's own OIDC provider login.sandbox.test, Rules mapping on its claims. */
  'books-oidc': `${REGION}:b2b2b2b2-1111-2222-3333-444444444444`,
  /** Basic (classic) flow allowed: GetOpenIdToken, then STS AssumeRoleWithWebIdentity. */
  'books-classic': `${REGION}:c3c3c3c3-1111-2222-3333-444444444444`,
  /**
   * Trusts app client selfservice, Rules mapping on custom:role, which users write themselves
   * (selfservice's WriteAttributes, self sign-up open): MAPPING_RULE_ON_WRITABLE_CLAIM, live.
   */
  'books-rules-writable': `${REGION}:d4d4d4d4-1111-2222-3333-444444444444`,
};
export type IdentityPoolKey = keyof typeof IDENTITY_POOL_IDS;

export const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
export const policyArn = (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`;
export const tableArn = (name: string): string => `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${name}`;
export const OIDC_PROVIDER_ARN = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${OIDC_HOST}`;
/** The pre token generation trigger's function (only named: the gateway emulates what it returns). */
export const TRIGGER_LAMBDA_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:books-pre-token-generation`;


/** Identity ids in pool `books` that exist before anyone signs in, so seeded notes can be owned by them. */
export const SEED_IDENTITY_IDS = {
  noteuser: `${REGION}:0e0e0001-0000-4000-8000-000000000006`,
  testuser1: `${REGION}:0e0e0001-0000-4000-8000-000000000001`,
};
