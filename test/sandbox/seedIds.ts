// The sandbox's fixed ids and ARN helpers: shared by seed.ts and seedIam.ts (kept apart so
// neither imports the other). Import them through seed.ts.

export const REGION = 'eu-central-1';
export const ACCOUNT_ID = '123456789012';
export const USER_POOL_ID = `${REGION}_BOOKS1234`;
export const USER_POOL_NAME = 'books';
export const PROVIDER_NAME = `cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;

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
};
export type IdentityPoolKey = keyof typeof IDENTITY_POOL_IDS;

export const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
export const policyArn = (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`;
export const tableArn = (name: string): string => `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${name}`;


/** Identity ids in pool `books` that exist before anyone signs in, so seeded notes can be owned by them. */
export const SEED_IDENTITY_IDS = {
  noteuser: `${REGION}:0e0e0001-0000-4000-8000-000000000006`,
  testuser1: `${REGION}:0e0e0001-0000-4000-8000-000000000001`,
};
