// Property tests: random snapshots never crash the engine. Each either works or gives a clear error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diagnose } from '../../src/core/diagnose.ts';
import { FINDING_CODES } from '../../src/core/findings.ts';
import { SnapshotError, validateSnapshot } from '../../src/core/snapshot.ts';
import { simulate, SimulationInputError } from '../../src/core/simulate.ts';
import { ACCOUNT, CLIENT_ID, IDENTITY_POOL_ID, PROVIDER, REGION, roleArn, USER_POOL_ID } from './fixtures.ts';

const ROLE_NAMES = ['A', 'B', 'C', 'D'];
const roleRef = fc.constantFrom(...ROLE_NAMES.map(roleArn), 'arn:aws:iam::999999999999:role/Elsewhere');
const conditionKey = fc.constantFrom(
  'cognito-identity.amazonaws.com:aud', 'cognito-identity.amazonaws.com:amr', 'cognito-identity.amazonaws.com:sub',
  'cognito-identity.amazon.com:aud', 'dynamodb:LeadingKeys', 'aws:SourceIp', 'aws:CurrentTime', 'aws:SecureTransport',
);
const operator = fc.constantFrom(
  'StringEquals', 'StringLike', 'ForAnyValue:StringLike', 'ForAllValues:StringEquals', 'StringNotEqualsIfExists', 'NumericLessThan',
  'DateGreaterThan', 'Bool', 'IpAddress', 'ArnLike', 'Null', 'BinaryEquals', 'NoSuchOperator', 'ForAnyValue:StringEqualsIgnoreCase',
);
const conditionValue = fc.oneof(
  fc.constantFrom(IDENTITY_POOL_ID, USER_POOL_ID, 'authenticated', 'unauthenticated', '${cognito-identity.amazonaws.com:sub}', '10.0.0.0/8', 'true', '2020-01-01T00:00:00Z', '*'),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
);
const condition = fc.dictionary(operator, fc.dictionary(conditionKey, fc.oneof(conditionValue, fc.array(conditionValue, { maxLength: 3 })), { maxKeys: 2 }), { maxKeys: 3 });
const principal = fc.oneof(
  fc.constant('*'),
  fc.record({ Federated: fc.constantFrom('cognito-identity.amazonaws.com', 'accounts.google.com') }),
  fc.record({ Service: fc.constantFrom('lambda.amazonaws.com', ['ec2.amazonaws.com']) }),
  fc.record({ AWS: fc.constantFrom(ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, '*') }),
);
const statement = fc.record(
  {
    Sid: fc.string({ maxLength: 5 }),
    Effect: fc.constantFrom('Allow', 'Deny', 'allow', 'Maybe'),
    Principal: principal,
    Action: fc.oneof(fc.constantFrom('sts:AssumeRoleWithWebIdentity', 'sts:AssumeRole', 'sts:*', '*', 'dynamodb:Query', 'dynamodb:*'), fc.array(fc.constantFrom('dynamodb:GetItem', 'dynamodb:Put?tem', 'sts:Assume*'), { maxLength: 3 })),
    NotAction: fc.constantFrom('dynamodb:DeleteItem', ['s3:*']),
    Resource: fc.oneof(fc.constantFrom('*', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/book-table`, `arn:aws:dynamodb:*:*:table/\${aws:username}`), fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 })),
    Condition: condition,
  },
  { requiredKeys: ['Effect'] },
);
const policyDocument = fc.oneof(
  fc.record({ Version: fc.constantFrom('2012-10-17', '2008-10-17'), Statement: fc.oneof(statement, fc.array(statement, { maxLength: 3 })) }, { requiredKeys: ['Statement'] }),
  fc.jsonValue().filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
);
const encoded = policyDocument.chain((doc) => fc.constantFrom<unknown>(doc, JSON.stringify(doc), encodeURIComponent(JSON.stringify(doc))));

const randomSnapshot = fc.record({
  groups: fc.array(fc.record({ GroupName: fc.constantFrom('G1', 'G2', 'G3', 'G4', 'G5'), Precedence: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), RoleArn: fc.option(roleRef, { nil: null }) }), { maxLength: 5 }),
  users: fc.array(fc.record({ Username: fc.constantFrom('u1', 'u2', 'u3'), Groups: fc.array(fc.constantFrom('G1', 'G2', 'G3', 'G9'), { maxLength: 3 }) }), { maxLength: 3 }),
  mapping: fc.option(
    fc.record({
      Type: fc.constantFrom('Token', 'Rules'),
      AmbiguousRoleResolution: fc.constantFrom('AuthenticatedRole', 'Deny'),
      RulesConfiguration: fc.record({ Rules: fc.array(fc.record({ Claim: fc.constantFrom('cognito:groups', 'custom:dept'), MatchType: fc.constantFrom('Equals', 'Contains', 'StartsWith', 'NotEqual'), Value: fc.constantFrom('G1', 'books', ''), RoleARN: roleRef }), { maxLength: 3 }) }),
    }),
    { nil: null },
  ),
  authenticated: fc.option(roleRef, { nil: undefined }),
  unauthenticated: fc.option(roleRef, { nil: undefined }),
  guests: fc.boolean(),
  roles: fc.array(
    fc.record({
      name: fc.constantFrom(...ROLE_NAMES),
      trust: encoded,
      policies: fc.array(encoded, { maxLength: 2 }),
      boundary: fc.option(encoded, { nil: undefined }),
      state: fc.constantFrom('ok', 'ok', 'missing', 'unreadable'),
    }),
    { maxLength: 4 },
  ),
  tablePolicy: fc.option(encoded, { nil: null }),
});

type RandomSnapshot = typeof randomSnapshot extends fc.Arbitrary<infer T> ? T : never;

function build(r: RandomSnapshot): unknown {
  return {
    format: 'cognito-access-snapshot/v1',
    region: REGION,
    accountId: ACCOUNT,
    userPools: [{ Id: USER_POOL_ID, Clients: [{ ClientId: CLIENT_ID }], Groups: r.groups, Users: r.users }],
    identityPools: [
      {
        IdentityPoolId: IDENTITY_POOL_ID,
        AllowUnauthenticatedIdentities: r.guests,
        CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: CLIENT_ID }],
        Roles: { authenticated: r.authenticated, unauthenticated: r.unauthenticated },
        RoleMappings: r.mapping ? { [`${PROVIDER}:${CLIENT_ID}`]: r.mapping } : {},
      },
    ],
    roles: r.roles.map((x) => ({
      RoleName: x.name,
      Arn: roleArn(x.name),
      Missing: x.state === 'missing',
      Unreadable: x.state === 'unreadable' ? 'AccessDenied: test' : null,
      AssumeRolePolicyDocument: x.trust,
      AttachedPolicies: x.policies.map((d, i) => ({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p${i}`, PolicyName: `p${i}`, Document: d })),
      ...(x.boundary !== undefined ? { PermissionsBoundary: { PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/b`, Document: x.boundary } } : {}),
    })),
    tables: [{ TableName: 'book-table', TableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/book-table`, KeySchema: [{ AttributeName: 'author', KeyType: 'HASH' }], ResourcePolicy: r.tablePolicy }],
  };
}

describe('engine properties', () => {
  it('random snapshots: diagnose and simulate work or give a clear error, never a crash', () => {
    let diagnosed = 0;
    fc.assert(
      fc.property(randomSnapshot, (r) => {
        let snapshot;
        try {
          snapshot = validateSnapshot(build(r));
        } catch (error) {
          assert.ok(error instanceof SnapshotError, String(error));
          return;
        }
        const result = diagnose(snapshot);
        diagnosed++;
        for (const f of result.findings) {
          assert.ok(f.code in FINDING_CODES, f.code);
          assert.ok(f.message.length > 0 && f.fix.length > 0);
        }
        for (const who of [...r.users.map((u) => ({ user: u.Username })), { groups: ['G1', 'G2'] }, { guest: true }]) {
          try {
            const sim = simulate(snapshot, who);
            assert.ok(sim.resolution.outcome === 'credentials' ? sim.resolution.roleArn : sim.resolution.error);
          } catch (error) {
            assert.ok(error instanceof SimulationInputError, String(error));
          }
        }
      }),
      { numRuns: 400, seed: 2026 },
    );
    assert.ok(diagnosed > 100, `only ${diagnosed} random snapshots were valid: the generator is too wild`);
  });
});
