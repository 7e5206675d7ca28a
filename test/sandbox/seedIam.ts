// The scenario's IAM roles, managed policies and DynamoDB tables (import them through seed.ts).
// Each role exists to show one rule: a shared managed policy with an old version, a permissions
// boundary that removes an action, an explicit deny, a LeadingKeys partition, a trust whose aud
// is the user pool id.

import { IDENTITY_POOL_IDS, OIDC_CLIENT_ID, OIDC_HOST, SEED_IDENTITY_IDS, USER_POOL_ID, tableArn } from './seedIds.ts';

export type PolicyDocument = { Version: string; Statement: Record<string, unknown>[] };

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const BOOKS = tableArn('book-table');
const NOTES = tableArn('user-notes');
const READ = ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'];
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'];

/**
 * The trust every Cognito role needs (cognito-semantics.md section 3); aud may list several pools.
 * `amr` is the value ForAnyValue:StringLike must find (`authenticated`, `unauthenticated`, or a
 * provider name such as login.sandbox.test). `tagSession`: also sts:TagSession, which principal
 * tags need (section 6; "Grant permission to tag users' sessions with the permission-only action
 * sts:TagSession", developer guide, using-afac-with-cognito-identity-pools).
 */
const cognitoTrust = (aud: string | string[], amr = 'authenticated', tagSession = false): PolicyDocument => doc({
  Effect: 'Allow',
  Principal: { Federated: 'cognito-identity.amazonaws.com' },
  Action: tagSession ? ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] : 'sts:AssumeRoleWithWebIdentity',
  Condition: {
    StringEquals: { 'cognito-identity.amazonaws.com:aud': aud },
    'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
  },
});
// Group roles are reached through the Token-mapped pools (books-trigger's groups use them too).
const GROUP_POOLS = [IDENTITY_POOL_IDS.books, IDENTITY_POOL_IDS['books-strict'], IDENTITY_POOL_IDS['books-trigger']];
/** Items of book-table whose partition key (author) equals the session's tag dept: the ABAC roles' rule. */
const ownDepartment = doc({
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
  Resource: BOOKS,
  Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/dept}'] } },
});

export interface SeedManagedPolicy {
  PolicyName: string;
  DefaultVersionId: string;
  Versions: { VersionId: string; Document: PolicyDocument }[];
}
export const MANAGED_POLICIES: SeedManagedPolicy[] = [
  {
    // v1 is an older, narrower version: a scanner must read the *default* version.
    PolicyName: 'BooksRead', DefaultVersionId: 'v2',
    Versions: [
      { VersionId: 'v1', Document: doc({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: BOOKS }) },
      { VersionId: 'v2', Document: doc({ Effect: 'Allow', Action: READ, Resource: BOOKS }) },
    ],
  },
  {
    PolicyName: 'BooksEditorBoundary', DefaultVersionId: 'v1',
    Versions: [{ VersionId: 'v1', Document: doc({ Effect: 'Allow', Action: [...READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: BOOKS }) }],
  },
];

export interface SeedRole {
  RoleName: string;
  Description: string;
  AssumeRolePolicyDocument: PolicyDocument;
  /** Names of MANAGED_POLICIES. */
  Attached: string[];
  Inline: Record<string, PolicyDocument>;
  /** Name of a MANAGED_POLICIES entry used as the permissions boundary. */
  Boundary?: string;
}
export const ROLES: SeedRole[] = [
  {
    RoleName: 'BooksDefaultAuth', Description: 'the identity pools\' authenticated role',
    AssumeRolePolicyDocument: cognitoTrust(Object.values(IDENTITY_POOL_IDS)), Attached: [],
    Inline: { sync: doc({ Effect: 'Allow', Action: ['cognito-sync:ListDatasets'], Resource: '*' }) },
  },
  {
    RoleName: 'BooksReadAccess', Description: 'group BooksRead',
    AssumeRolePolicyDocument: cognitoTrust(GROUP_POOLS), Attached: ['BooksRead'], Inline: {},
  },
  {
    RoleName: 'BooksWriteAccess', Description: 'group BooksWrite',
    AssumeRolePolicyDocument: cognitoTrust(GROUP_POOLS), Attached: ['BooksRead'],
    Inline: { write: doc({ Effect: 'Allow', Action: WRITE, Resource: BOOKS }) },
  },
  {
    // Also books-rules-writable's rule on custom:role (a claim users write: the fault shown live).
    RoleName: 'BooksAdmin', Description: 'group Admins',
    AssumeRolePolicyDocument: cognitoTrust([...GROUP_POOLS, IDENTITY_POOL_IDS['books-rules-writable']]), Attached: [],
    Inline: { all: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: [BOOKS, NOTES] }) },
  },
  {
    // The boundary lacks DeleteItem: "no permissions boundary allows the dynamodb:DeleteItem action".
    RoleName: 'BooksEditor', Description: 'group Editors', Boundary: 'BooksEditorBoundary',
    AssumeRolePolicyDocument: cognitoTrust(GROUP_POOLS), Attached: ['BooksRead'],
    Inline: { edit: doc({ Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], Resource: BOOKS }) },
  },
  {
    // An explicit deny: "with an explicit deny in an identity-based policy".
    RoleName: 'BooksReviewer', Description: 'group Reviewers',
    AssumeRolePolicyDocument: cognitoTrust(GROUP_POOLS), Attached: ['BooksRead'],
    Inline: {
      review: doc({ Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: BOOKS }),
      'no-new-books': doc({ Effect: 'Deny', Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: BOOKS }),
    },
  },
  {
    RoleName: 'NotesOwnPartition', Description: 'group NotesOwn: only the caller\'s own partition of user-notes',
    AssumeRolePolicyDocument: cognitoTrust(GROUP_POOLS), Attached: [],
    Inline: {
      'own-partition': doc({
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem',
          'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        Resource: NOTES,
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] } },
      }),
    },
  },
  {
    // Guests of books-guest. Its read-only policy is cut down by Cognito's guest session policy,
    // which names no DynamoDB action: a guest's reads are denied all the same (guestSessionPolicy.ts).
    RoleName: 'BooksGuest', Description: 'books-guest pool\'s unauthenticated role; read-only on book-table',
    AssumeRolePolicyDocument: cognitoTrust(IDENTITY_POOL_IDS['books-guest'], 'unauthenticated'), Attached: [],
    Inline: { 'read-books': doc({ Effect: 'Allow', Action: READ, Resource: BOOKS }) },
  },
  {
    // The article's fault: aud holds the user pool id, so no identity pool can assume it.
    RoleName: 'BooksReadBroken', Description: 'books-broken pool\'s rule role; trust aud is the user pool id',
    AssumeRolePolicyDocument: cognitoTrust(USER_POOL_ID), Attached: ['BooksRead'], Inline: {},
  },
  {
    // books-abac's role: principal tags need sts:TagSession in the trust, which this one has.
    RoleName: 'BooksAbacDept', Description: 'books-abac pool\'s role: the book-table partition of the session\'s tag dept',
    AssumeRolePolicyDocument: cognitoTrust(IDENTITY_POOL_IDS['books-abac'], 'authenticated', true), Attached: [],
    Inline: { 'own-department': ownDepartment },
  },
  {
    // The same permissions, but the trust lacks sts:TagSession: Cognito's AssumeRoleWithWebIdentity
    // with session tags fails, InvalidIdentityPoolConfigurationException (aws-sdk-js issue 4112).
    RoleName: 'BooksAbacDeptBroken', Description: 'books-abac-broken pool\'s role; trust lacks sts:TagSession',
    AssumeRolePolicyDocument: cognitoTrust(IDENTITY_POOL_IDS['books-abac-broken']), Attached: [],
    Inline: { 'own-department': ownDepartment },
  },
  {
    // books-oidc's rule role (claim dept Equals books): trust tests the provider name in amr.
    RoleName: 'BooksOidcReader', Description: 'books-oidc pool\'s rule role for login.sandbox.test users of dept books',
    AssumeRolePolicyDocument: cognitoTrust(IDENTITY_POOL_IDS['books-oidc'], OIDC_HOST, true), Attached: ['BooksRead'], Inline: {},
  },
  {
    RoleName: 'BooksClassicAuth', Description: 'books-classic pool\'s authenticated role (basic flow allowed)',
    AssumeRolePolicyDocument: cognitoTrust(IDENTITY_POOL_IDS['books-classic']), Attached: [],
    Inline: { read: doc({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: BOOKS }) },
  },
];

/** IAM OpenID Connect providers (GetOpenIDConnectProvider): Url is the issuer without https://. */
export interface SeedOidcProvider { Url: string; ClientIDList: string[]; ThumbprintList: string[] }
export const OIDC_PROVIDERS: SeedOidcProvider[] = [
  // The thumbprint is a placeholder (IAM no longer needs a real one for most providers).
  { Url: OIDC_HOST, ClientIDList: [OIDC_CLIENT_ID], ThumbprintList: ['5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a'] },
];

export type Item = Record<string, { S: string } | { N: string }>;
export interface SeedTable {
  TableName: string;
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' }[];
  /** GetResourcePolicy's Policy; dynalite has none, the gateway answers from here. */
  ResourcePolicy: PolicyDocument | null;
  Items: Item[];
}
const book = (author: string, title: string, year: number): Item => ({ author: { S: author }, title: { S: title }, year: { N: String(year) } });
const note = (ownerId: string, noteId: string, text: string): Item => ({ ownerId: { S: ownerId }, noteId: { S: noteId }, text: { S: text } });
const NOTEUSER_ID = SEED_IDENTITY_IDS.noteuser;
const TESTUSER1_ID = SEED_IDENTITY_IDS.testuser1;

export const TABLES: SeedTable[] = [
  {
    TableName: 'book-table',
    KeySchema: [{ AttributeName: 'author', KeyType: 'HASH' }, { AttributeName: 'title', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'author', AttributeType: 'S' }, { AttributeName: 'title', AttributeType: 'S' }],
    // Harmless to every probe: only forbids deleting the table, so GetResourcePolicy has an answer.
    ResourcePolicy: doc({ Sid: 'KeepTable', Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: BOOKS }),
    Items: [
      book('Douglas Adams', 'The Hitchhiker\'s Guide to the Galaxy', 1979),
      book('Ursula K. Le Guin', 'The Dispossessed', 1974),
      book('Ursula K. Le Guin', 'A Wizard of Earthsea', 1968),
      book('Terry Pratchett', 'Small Gods', 1992),
      // Department items for the ABAC roles: the partition key (author) holds the department.
      book('books', 'Department handbook: books', 2026),
      book('music', 'Department handbook: music', 2026),
    ],
  },
  {
    TableName: 'user-notes',
    KeySchema: [{ AttributeName: 'ownerId', KeyType: 'HASH' }, { AttributeName: 'noteId', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'ownerId', AttributeType: 'S' }, { AttributeName: 'noteId', AttributeType: 'S' }],
    ResourcePolicy: null,
    Items: [
      note(NOTEUSER_ID, 'n1', 'buy milk'),
      note(NOTEUSER_ID, 'n2', 'read Small Gods'),
      note(TESTUSER1_ID, 'n1', 'testuser1\'s private note'),
    ],
  },
];
