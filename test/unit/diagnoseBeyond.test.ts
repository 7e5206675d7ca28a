// diagnose, "Beyond the article" (findings.md): each new code with cases that must and must not
// find it, and the shared example seed-abac-no-tagsession.json (shared/spec/examples/README.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/core/diagnose.ts';
import type { Finding } from '../../src/core/findings.ts';
import type { IdentityPool, PrincipalTagMap, Role, Snapshot } from '../../src/core/snapshot.ts';
import { parseSnapshot } from '../../src/core/snapshot.ts';
import { simulate } from '../../src/core/simulate.ts';
import {
  group, IDENTITY_POOL_ID, identityPool, MAPPING_KEY, OTHER_IDENTITY_POOL_ID, PROVIDER, role, roleArn, snapshot, tableArn, trustDocument, USER_POOL_ID, userPool, withRole,
} from './fixtures.ts';

const sample = (name: string): Snapshot => parseSnapshot(readFileSync(new URL(`../../media/samples/${name}`, import.meta.url), 'utf8'), name);
const find = (s: Snapshot, code: string): Finding[] => diagnose(s).findings.filter((f) => f.code === code);

/** A trust document that also allows sts:TagSession. */
function taggableTrust(options: Parameters<typeof trustDocument>[0] = {}): Record<string, unknown> {
  const doc = trustDocument(options) as { Statement: Record<string, unknown>[] };
  doc.Statement[0]!['Action'] = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];
  return doc;
}

function tagMap(tags: Record<string, string>, useDefaults = false, provider = PROVIDER): PrincipalTagMap {
  return { IdentityProviderName: provider, UseDefaults: useDefaults, PrincipalTags: tags };
}

function abacPolicy(variable = '${aws:PrincipalTag/dept}'): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Dept', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn('book-table'), Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [variable] } } }],
  };
}

function withPolicy(r: Role, document: Record<string, unknown>): Role {
  return { ...r, AttachedPolicies: [{ PolicyArn: `arn:aws:iam::123456789012:policy/${r.RoleName}-abac`, PolicyName: `${r.RoleName}-abac`, Document: document }] };
}

function pool(overrides: Partial<IdentityPool>): IdentityPool {
  return identityPool(overrides);
}

describe('the shared example seed-abac-no-tagsession.json', () => {
  it('diagnose: TRUST_NO_TAG_SESSION on BooksReadAccess, with the corrected trust policy', () => {
    const result = diagnose(sample('seed-abac-no-tagsession.json'));
    const f = result.findings.find((x) => x.code === 'TRUST_NO_TAG_SESSION' && x.subject.id === 'arn:aws:iam::123456789012:role/BooksReadAccess');
    assert.ok(f, JSON.stringify(result.findings.map((x) => x.code)));
    assert.equal(f.severity, 'error');
    assert.equal(f.symptom, 'InvalidIdentityPoolConfigurationException');
    assert.match(f.message, /dept from custom:dept/);
    const corrected = JSON.parse(f.fix.slice(f.fix.indexOf('{'))) as { Statement: { Action: string[] }[] };
    assert.deepEqual(corrected.Statement[0]!.Action, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']);
    assert.ok(result.summary.errors >= 1);
  });

  it('simulate --groups BooksRead --claim custom:dept=books: InvalidIdentityPoolConfiguration explained by TRUST_NO_TAG_SESSION', () => {
    const r = simulate(sample('seed-abac-no-tagsession.json'), { groups: ['BooksRead'], claims: { 'custom:dept': 'books' } });
    assert.equal(r.resolution.error?.code, 'InvalidIdentityPoolConfigurationException');
    assert.deepEqual(r.resolution.findings, ['TRUST_NO_TAG_SESSION']);
    assert.deepEqual({ ...r.resolution.sessionTags }, { dept: 'books' });
  });

  it('with sts:TagSession added the role is handed out with the tag', () => {
    const s = sample('seed-abac-no-tagsession.json');
    for (const r of s.roles) ((r.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }).Statement[0]!)['Action'] = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];
    assert.equal(diagnose(s).summary.errors, 0, JSON.stringify(diagnose(s).findings, null, 1));
    const r = simulate(s, { groups: ['BooksRead'], claims: { 'custom:dept': 'books' } });
    assert.equal(r.resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksReadAccess');
  });
});

describe('TRUST_NO_TAG_SESSION', () => {
  it('custom map or defaults, for every role that provider\'s users can get', () => {
    for (const map of [tagMap({ dept: 'custom:dept' }), tagMap({}, true)]) {
      const found = find(snapshot({ identityPools: [pool({ PrincipalTagMaps: [map] })] }), 'TRUST_NO_TAG_SESSION');
      assert.deepEqual(found.map((f) => f.subject.id).sort(), [roleArn('BooksDefaultAuth'), roleArn('BooksReadAccess')]);
    }
  });

  it('not when the trust allows sts:TagSession (or sts:*), or when no map applies', () => {
    const tagged = snapshot({
      identityPools: [pool({ PrincipalTagMaps: [tagMap({ dept: 'custom:dept' })] })],
      roles: [role('BooksReadAccess', { AssumeRolePolicyDocument: taggableTrust() }), role('BooksDefaultAuth', { AssumeRolePolicyDocument: trustDocument({ action: 'sts:*' }) })],
    });
    assert.deepEqual(find(tagged, 'TRUST_NO_TAG_SESSION'), []);
    assert.deepEqual(find(snapshot({ identityPools: [pool({ PrincipalTagMaps: [tagMap({})] })] }), 'TRUST_NO_TAG_SESSION'), []);
    assert.deepEqual(find(snapshot(), 'TRUST_NO_TAG_SESSION'), []);
  });

  it('a map for Google only: the rule role of Google users and the authenticated role, not the group role of user-pool users', () => {
    const s = snapshot({
      identityPools: [pool({
        SupportedLoginProviders: { 'accounts.google.com': 'google-app' },
        RoleMappings: {
          [MAPPING_KEY]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' },
          'accounts.google.com': { Type: 'Rules', AmbiguousRoleResolution: 'AuthenticatedRole', RulesConfiguration: { Rules: [{ Claim: 'hd', MatchType: 'Equals', Value: 'example.com', RoleARN: roleArn('Staff') }] } },
        },
        PrincipalTagMaps: [tagMap({}, true, 'accounts.google.com')],
      })],
      roles: [role('BooksReadAccess'), role('BooksDefaultAuth', { AssumeRolePolicyDocument: trustDocument({ amr: 'authenticated' }) }), role('Staff')],
    });
    const subjects = find(s, 'TRUST_NO_TAG_SESSION').map((f) => f.subject.id).sort();
    assert.deepEqual(subjects, [roleArn('BooksDefaultAuth'), roleArn('Staff')]);
    assert.match(find(s, 'TRUST_NO_TAG_SESSION')[0]!.message, /accounts\.google\.com \(client from aud, username from sub\)/);
  });

  it('a provider with a tag map needs sts:TagSession even when no tag gets a value (cognito-semantics.md section 6)', () => {
    const s = sample('seed-abac-no-tagsession.json');
    const r = simulate(s, { groups: ['BooksRead'] });
    assert.equal(r.resolution.outcome, 'error');
    assert.equal(r.resolution.error?.code, 'InvalidIdentityPoolConfigurationException');
    assert.deepEqual(r.resolution.findings, ['TRUST_NO_TAG_SESSION']);
    assert.match(r.resolution.steps.join(' '), /must still allow sts:TagSession/);
  });
});

describe('PRINCIPAL_TAG_NOT_MAPPED', () => {
  const abacRole = withPolicy(role('BooksReadAccess', { AssumeRolePolicyDocument: taggableTrust() }), abacPolicy());

  it('a policy needs a tag that no map of the pool sets for the provider', () => {
    const s = withRole(snapshot(), abacRole);
    const [f, ...rest] = find(s, 'PRINCIPAL_TAG_NOT_MAPPED');
    assert.equal(rest.length, 0);
    assert.equal(f?.subject.id, roleArn('BooksReadAccess'));
    assert.equal(f?.severity, 'error');
    assert.match(f!.message, /^Statement "Dept".*aws:PrincipalTag\/dept.*no principal-tag map.*the statement never applies/);
    assert.match(f!.fix, /set-principal-tag-attribute-map --identity-pool-id .* --principal-tags dept=<claim>/);
    const other = withRole(snapshot({ identityPools: [pool({ PrincipalTagMaps: [tagMap({ team: 'custom:team' })] })] }), abacRole);
    assert.match(find(other, 'PRINCIPAL_TAG_NOT_MAPPED')[0]!.message, /sets "team"/);
  });

  it('not when the map sets it (case-insensitive), the variable has a default, or the condition is IfExists', () => {
    const mapped = withRole(snapshot({ identityPools: [pool({ PrincipalTagMaps: [tagMap({ Dept: 'custom:dept' })] })] }), abacRole);
    assert.deepEqual(find(mapped, 'PRINCIPAL_TAG_NOT_MAPPED'), []);
    const defaulted = withRole(snapshot(), withPolicy(abacRole, abacPolicy("${aws:PrincipalTag/dept, 'none'}")));
    assert.deepEqual(find(defaulted, 'PRINCIPAL_TAG_NOT_MAPPED'), []);
    const ifExists = withRole(snapshot(), withPolicy(abacRole, {
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:PrincipalTag/dept': 'books' } } }],
    }));
    assert.deepEqual(find(ifExists, 'PRINCIPAL_TAG_NOT_MAPPED'), []);
  });

  it('a condition key aws:PrincipalTag/<key>; defaults set client and username only', () => {
    const s = withRole(snapshot({ identityPools: [pool({ PrincipalTagMaps: [tagMap({}, true)] })] }), withPolicy(abacRole, {
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a', 'aws:PrincipalTag/username': 'b' } } }],
    }));
    const found = find(s, 'PRINCIPAL_TAG_NOT_MAPPED');
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /aws:PrincipalTag\/team \(condition StringEquals aws:PrincipalTag\/team\)/);
  });

  it('a guest role that needs a tag: guests carry none', () => {
    const s = snapshot({
      identityPools: [pool({ AllowUnauthenticatedIdentities: true, Roles: { authenticated: roleArn('BooksDefaultAuth'), unauthenticated: roleArn('Guest') } })],
      roles: [role('BooksReadAccess'), role('BooksDefaultAuth'), withPolicy(role('Guest', { AssumeRolePolicyDocument: trustDocument({ amr: 'unauthenticated' }) }), abacPolicy())],
    });
    const [f] = find(s, 'PRINCIPAL_TAG_NOT_MAPPED');
    assert.match(f!.message, /guests \(unauthenticated identities\) carry no principal tags/);
  });

  it('a tag map the scan could not read: not captured, no finding', () => {
    const s = withRole(snapshot({ scanGaps: [{ service: 'cognito-identity', operation: 'GetPrincipalTagAttributeMap', resource: `${IDENTITY_POOL_ID}/${PROVIDER}`, error: 'AccessDeniedException', message: '', permission: 'cognito-identity:GetPrincipalTagAttributeMap' }] }), abacRole);
    assert.deepEqual(find(s, 'PRINCIPAL_TAG_NOT_MAPPED'), []);
  });
});

describe('PRINCIPAL_TAG_VALUE_INVALID', () => {
  const withMap = (map: PrincipalTagMap, extra: Partial<Snapshot> = {}) => snapshot({ identityPools: [pool({ PrincipalTagMaps: [map] })], ...extra });

  it('a list claim (cognito:groups), more than 50 tags, a key with characters STS refuses', () => {
    assert.match(find(withMap(tagMap({ groups: 'cognito:groups' })), 'PRINCIPAL_TAG_VALUE_INVALID')[0]!.message, /cognito:groups, a list in every token/);
    const many: Record<string, string> = {};
    for (let i = 0; i < 51; i++) many[`t${i}`] = `custom:a${i}`;
    assert.match(find(withMap(tagMap(many)), 'PRINCIPAL_TAG_VALUE_INVALID')[0]!.message, /sets 51 tags/);
    const [bad] = find(withMap(tagMap({ 'dept!': 'custom:dept', 'aws:x': 'sub' })), 'PRINCIPAL_TAG_VALUE_INVALID');
    assert.equal(bad?.severity, 'warning');
    assert.match(bad!.message, /"dept!".*"!".*"aws:x".*reserved/);
  });

  it('known values: a group role ARN longer than 256 characters for cognito:preferred_role', () => {
    const long = `arn:aws:iam::123456789012:role/${'p/'.repeat(120)}BooksReadAccess`;
    const s = withMap(tagMap({ role: 'cognito:preferred_role' }), { userPools: [userPool({ Groups: [{ GroupName: 'BooksRead', Precedence: 1, RoleArn: long }] })] });
    assert.match(find(s, 'PRINCIPAL_TAG_VALUE_INVALID')[0]!.message, /characters long \(STS allows 0-256\)/);
  });

  it('not for single-valued claims of unknown value, or defaults', () => {
    assert.deepEqual(find(withMap(tagMap({ dept: 'custom:dept', email: 'email' })), 'PRINCIPAL_TAG_VALUE_INVALID'), []);
    assert.deepEqual(find(withMap(tagMap({}, true)), 'PRINCIPAL_TAG_VALUE_INVALID'), []);
  });

  it('simulate: a claim value outside the limits makes the request fail (inferred)', () => {
    const s = snapshot({ identityPools: [pool({ PrincipalTagMaps: [tagMap({ dept: 'custom:dept' })] })], roles: [role('BooksReadAccess', { AssumeRolePolicyDocument: taggableTrust() }), role('BooksDefaultAuth')] });
    const r = simulate(s, { groups: ['BooksRead'], claims: { 'custom:dept': 'books, films' } });
    assert.equal(r.resolution.error?.code, 'InvalidIdentityPoolConfigurationException');
    assert.deepEqual(r.resolution.findings, ['PRINCIPAL_TAG_VALUE_INVALID']);
    assert.match(r.resolution.steps.join(' '), /inferred from the STS limits/);
  });

  it('a map for a provider the pool does not list: MAPPING_UNKNOWN_PROVIDER', () => {
    const [f] = find(withMap(tagMap({ dept: 'custom:dept' }, false, 'accounts.google.com')), 'MAPPING_UNKNOWN_PROVIDER');
    assert.match(f!.message, /principal-tag map for accounts\.google\.com, which is not among its providers/);
  });
});

describe('USER_POOL_TOKEN_TRIGGER', () => {
  const arn = 'arn:aws:lambda:eu-central-1:123456789012:function:token';
  it('names the version; the legacy field alone is V1_0', () => {
    const v2 = find(snapshot({ userPools: [userPool({ LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: arn, LambdaVersion: 'V2_0' } } })] }), 'USER_POOL_TOKEN_TRIGGER');
    assert.equal(v2[0]?.severity, 'info');
    assert.equal(v2[0]?.subject.id, USER_POOL_ID);
    assert.match(v2[0]!.message, /function:token \(V2_0\).*cognito:preferred_role/);
    const v1 = find(snapshot({ userPools: [userPool({ LambdaConfig: { PreTokenGeneration: arn } })] }), 'USER_POOL_TOKEN_TRIGGER');
    assert.match(v1[0]!.message, /\(V1_0\)/);
  });

  it('a function in another region, or not a Lambda ARN: said plainly', () => {
    const far = find(snapshot({ userPools: [userPool({ LambdaConfig: { PreTokenGeneration: 'arn:aws:lambda:us-east-1:123456789012:function:token' } })] }), 'USER_POOL_TOKEN_TRIGGER');
    assert.match(far[0]!.message, /region us-east-1 but the user pool is in eu-central-1/);
    const odd = find(snapshot({ userPools: [userPool({ LambdaConfig: { PreTokenGeneration: 'token-fn' } })] }), 'USER_POOL_TOKEN_TRIGGER');
    assert.match(odd[0]!.message, /"token-fn" is not a Lambda function ARN/);
  });

  it('none without a trigger', () => {
    assert.deepEqual(find(snapshot({ userPools: [userPool({ LambdaConfig: {} })] }), 'USER_POOL_TOKEN_TRIGGER'), []);
  });
});

describe('POOL_BASIC_FLOW_ENABLED', () => {
  it('lists the roles whose trust admits the pool, not the others', () => {
    const s = snapshot({
      identityPools: [pool({ AllowClassicFlow: true })],
      roles: [role('BooksReadAccess'), role('BooksDefaultAuth'), role('Elsewhere', { AssumeRolePolicyDocument: trustDocument({ aud: OTHER_IDENTITY_POOL_ID }) }), role('Anyone', { AssumeRolePolicyDocument: trustDocument({ aud: null }) })],
    });
    const [f] = find(s, 'POOL_BASIC_FLOW_ENABLED');
    assert.equal(f?.severity, 'warning');
    assert.match(f!.message, /Roles whose trust admits it: BooksReadAccess \(signed-in users\), BooksDefaultAuth \(signed-in users\), Anyone \(signed-in users\)\./);
    assert.doesNotMatch(f!.message, /Elsewhere/);
  });
  it('none when the basic flow is off', () => {
    assert.deepEqual(find(snapshot(), 'POOL_BASIC_FLOW_ENABLED'), []);
  });
});

describe('TRUST_AMR_PROVIDER_MISMATCH', () => {
  it('a user pool id where the provider name is meant, or a misspelled provider', () => {
    for (const amr of [USER_POOL_ID, 'cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS9999']) {
      const s = withRole(snapshot(), role('BooksReadAccess', { AssumeRolePolicyDocument: trustDocument({ amr }) }));
      const [f] = find(s, 'TRUST_AMR_PROVIDER_MISMATCH');
      assert.equal(f?.subject.id, roleArn('BooksReadAccess'), amr);
      assert.match(f!.fix, new RegExp(PROVIDER.replace(/[.*/]/g, '\\$&')));
      assert.deepEqual(find(s, 'TRUST_AMR_MISMATCH'), [], 'not also the generic mismatch');
    }
    const [id] = find(withRole(snapshot(), role('BooksReadAccess', { AssumeRolePolicyDocument: trustDocument({ amr: USER_POOL_ID }) })), 'TRUST_AMR_PROVIDER_MISMATCH');
    assert.match(id!.message, /is a user pool id; amr carries the provider name/);
  });

  it('not for the provider name, its CognitoSignIn entries, or another provider of the pool', () => {
    const ok = [PROVIDER, `${PROVIDER}:CognitoSignIn:*`, 'authenticated'];
    for (const amr of ok) assert.deepEqual(find(withRole(snapshot(), role('BooksReadAccess', { AssumeRolePolicyDocument: trustDocument({ amr }) })), 'TRUST_AMR_PROVIDER_MISMATCH'), [], amr);
    const google = snapshot({ identityPools: [pool({ SupportedLoginProviders: { 'accounts.google.com': 'g' } })], roles: [role('BooksReadAccess'), role('BooksDefaultAuth', { AssumeRolePolicyDocument: trustDocument({ amr: 'accounts.google.com' }) })] });
    assert.deepEqual(find(google, 'TRUST_AMR_PROVIDER_MISMATCH'), []);
  });
});

describe('MAPPING_TOKEN_UNSUPPORTED_PROVIDER', () => {
  it('a Token mapping for Facebook: every user falls to AmbiguousRoleResolution', () => {
    const s = snapshot({ identityPools: [pool({ SupportedLoginProviders: { 'graph.facebook.com': 'fb' }, RoleMappings: { [MAPPING_KEY]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' }, 'graph.facebook.com': { Type: 'Token', AmbiguousRoleResolution: 'Deny' } } })] });
    const [f] = find(s, 'MAPPING_TOKEN_UNSUPPORTED_PROVIDER');
    assert.equal(f?.subject.id, `${IDENTITY_POOL_ID}/graph.facebook.com`);
    assert.match(f!.message, /Facebook \(graph\.facebook\.com\).*Deny and gets NotAuthorizedException/);
    assert.deepEqual(find(s, 'MAPPING_UNKNOWN_PROVIDER'), [], 'a provider of the pool');
  });
  it('not for user pools, OIDC or SAML', () => {
    const oidc = 'arn:aws:iam::123456789012:oidc-provider/login.example.com';
    const s = snapshot({ identityPools: [pool({ OpenIdConnectProviderARNs: [oidc], RoleMappings: { [MAPPING_KEY]: { Type: 'Token' }, 'login.example.com': { Type: 'Token' } } })] });
    assert.deepEqual(find(s, 'MAPPING_TOKEN_UNSUPPORTED_PROVIDER'), []);
    assert.deepEqual(find(s, 'MAPPING_UNKNOWN_PROVIDER'), []);
  });
});

describe('groups with the trigger in the simulation', () => {
  it('the healthy scenario with a group tie keeps its own findings', () => {
    const s = snapshot({ userPools: [userPool({ Groups: [group('A', 1, 'BooksReadAccess'), group('B', 1, 'BooksDefaultAuth')] })] });
    assert.equal(find(s, 'GROUP_PRECEDENCE_TIE').length, 1);
  });
});
