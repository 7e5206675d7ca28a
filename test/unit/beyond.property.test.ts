// Property test beyond the article: random providers, principal-tag maps (names from input such as
// __proto__ included), triggers, basic flow and overrides never crash diagnose or simulate; every
// finding has a known code, a message and a fix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diagnose } from '../../src/core/diagnose.ts';
import { FINDING_CODES } from '../../src/core/findings.ts';
import { SnapshotError, validateSnapshot } from '../../src/core/snapshot.ts';
import { simulate, SimulationInputError } from '../../src/core/simulate.ts';
import { ACCOUNT, CLIENT_ID, IDENTITY_POOL_ID, PROVIDER, REGION, roleArn, tableArn, USER_POOL_ID } from './fixtures.ts';

const PROVIDERS = [PROVIDER, 'accounts.google.com', 'graph.facebook.com', 'login.example.com', 'arn:aws:iam::123456789012:saml-provider/Corp', 'login.example.app', 'nowhere.example'];
const name = fc.constantFrom('dept', 'client', 'username', '__proto__', 'constructor', 'toString', 'aws:x', 'bad key!', 'x'.repeat(130), 'Dept');
const claim = fc.constantFrom('custom:dept', 'sub', 'aud', 'cognito:groups', 'cognito:preferred_role', '__proto__', 'constructor', 'email');
const tagMap = fc.record({
  IdentityProviderName: fc.constantFrom(...PROVIDERS),
  UseDefaults: fc.boolean(),
  PrincipalTags: fc.dictionary(name, claim, { maxKeys: 4 }),
});
const trustAction = fc.constantFrom<string | string[]>('sts:AssumeRoleWithWebIdentity', ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'], 'sts:*');
const amr = fc.constantFrom('authenticated', PROVIDER, USER_POOL_ID, 'accounts.google.com', 'accounts.gogle.com', `${PROVIDER}:CognitoSignIn:*`);
const policyValue = fc.constantFrom('${aws:PrincipalTag/dept}', "${aws:PrincipalTag/team, 'x'}", '${aws:PrincipalTag/__proto__}', 'books', '${cognito-identity.amazonaws.com:sub}');
const mapping = fc.record({
  Type: fc.constantFrom('Token', 'Rules'),
  AmbiguousRoleResolution: fc.constantFrom('AuthenticatedRole', 'Deny'),
  RulesConfiguration: fc.record({ Rules: fc.array(fc.record({ Claim: claim, MatchType: fc.constantFrom('Equals', 'NotEqual'), Value: fc.constantFrom('books', 'G1'), RoleARN: fc.constantFrom(roleArn('A'), roleArn('B')) }), { maxLength: 2 }) }),
});

const random = fc.record({
  maps: fc.array(tagMap, { maxLength: 3 }),
  mappings: fc.dictionary(fc.constantFrom(`${PROVIDER}:${CLIENT_ID}`, 'accounts.google.com', 'graph.facebook.com', 'login.example.com', 'nowhere.example'), mapping, { maxKeys: 3 }),
  classic: fc.boolean(),
  guests: fc.boolean(),
  trigger: fc.option(fc.constantFrom('arn:aws:lambda:eu-central-1:123456789012:function:t', 'arn:aws:lambda:us-east-1:123456789012:function:t', 'not-an-arn'), { nil: undefined }),
  version: fc.constantFrom('V1_0', 'V2_0', 'V3_0'),
  roles: fc.array(fc.record({ name: fc.constantFrom('A', 'B', 'BooksDefaultAuth'), action: trustAction, amr, values: fc.array(policyValue, { maxLength: 2 }), conditionKey: fc.constantFrom('dynamodb:LeadingKeys', 'aws:PrincipalTag/dept', 'aws:PrincipalTag/__proto__') }), { maxLength: 3 }),
});

function build(r: typeof random extends fc.Arbitrary<infer T> ? T : never): unknown {
  return {
    format: 'cognito-access-snapshot/v1', region: REGION, accountId: ACCOUNT,
    userPools: [{
      Id: USER_POOL_ID, Clients: [{ ClientId: CLIENT_ID }], Groups: [{ GroupName: 'G1', Precedence: 1, RoleArn: roleArn('A') }], Users: [{ Username: 'u1', Groups: ['G1'] }],
      ...(r.trigger ? { LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: r.trigger, LambdaVersion: r.version } } } : {}),
    }],
    identityPools: [{
      IdentityPoolId: IDENTITY_POOL_ID, AllowUnauthenticatedIdentities: r.guests, AllowClassicFlow: r.classic,
      CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: CLIENT_ID }],
      SupportedLoginProviders: { 'accounts.google.com': 'g', 'graph.facebook.com': 'f' },
      OpenIdConnectProviderARNs: ['arn:aws:iam::123456789012:oidc-provider/login.example.com'],
      SamlProviderARNs: ['arn:aws:iam::123456789012:saml-provider/Corp'],
      DeveloperProviderName: 'login.example.app',
      Roles: { authenticated: roleArn('BooksDefaultAuth'), unauthenticated: roleArn('B') },
      RoleMappings: r.mappings,
      PrincipalTagMaps: r.maps,
    }],
    roles: r.roles.map((x) => ({
      RoleName: x.name, Arn: roleArn(x.name),
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: x.action, Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': IDENTITY_POOL_ID }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': x.amr } } }] },
      AttachedPolicies: [{ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p`, PolicyName: 'p', Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn('book-table'), Condition: { 'ForAllValues:StringEquals': { [x.conditionKey]: x.values } } }] } }],
    })),
    tables: [{ TableName: 'book-table', TableArn: tableArn('book-table'), KeySchema: [{ AttributeName: 'author', KeyType: 'HASH' }] }],
  };
}

describe('beyond the article: properties', () => {
  it('random tag maps, providers, triggers and flows: diagnose and simulate work or give a clear error', () => {
    fc.assert(
      fc.property(random, fc.constantFrom(...PROVIDERS.slice(1)), fc.dictionary(claim, fc.constantFrom('books', 'a,b', 'x'.repeat(300), '')), (r, provider, claims) => {
        let snapshot;
        try {
          snapshot = validateSnapshot(JSON.parse(JSON.stringify(build(r))));
        } catch (error) {
          assert.ok(error instanceof SnapshotError, String(error));
          return;
        }
        for (const f of diagnose(snapshot).findings) {
          assert.ok(f.code in FINDING_CODES, f.code);
          assert.ok(f.message.length > 0 && f.fix.length > 0);
        }
        const who = [
          { user: 'u1', claims }, { groups: ['G1'], claims, overrideGroups: ['X'], overridePreferredRole: roleArn('B') }, { provider, claims },
          { guest: true }, { groups: [], basicFlow: true, roleArn: roleArn('A') }, { provider, basicFlow: true, roleArn: roleArn('B') },
        ];
        for (const options of who) {
          try {
            const sim = simulate(snapshot, options);
            assert.ok(sim.resolution.outcome === 'credentials' ? sim.resolution.roleArn : sim.resolution.error);
            if (sim.resolution.sessionTags) assert.equal(Object.getPrototypeOf(sim.resolution.sessionTags), null);
          } catch (error) {
            assert.ok(error instanceof SimulationInputError, String(error));
          }
        }
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});
