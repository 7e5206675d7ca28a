import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/core/diagnose.ts';
import { parseSnapshot } from '../../src/core/snapshot.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import {
  CLIENT_ID, group, IDENTITY_POOL_ID, identityPool, MAPPING_KEY, PROVIDER, role, roleArn, snapshot, trustDocument, USER_POOL_ID, userPool, withRole,
} from './fixtures.ts';

const sample = (name: string): Snapshot => parseSnapshot(readFileSync(new URL(`../../media/samples/${name}`, import.meta.url), 'utf8'), name);
const find = (s: Snapshot, code: string) => diagnose(s).findings.filter((f) => f.code === code);

describe('diagnose: the shared examples (shared/spec/examples/README.md)', () => {
  it('seed-healthy.json has no error-level finding', () => {
    const result = diagnose(sample('seed-healthy.json'));
    assert.equal(result.summary.errors, 0, JSON.stringify(result.findings, null, 2));
  });
  it('seed-trust-aud-is-user-pool-id.json: TRUST_AUD_IS_USER_POOL_ID on BooksReadAccess, GROUP_ROLE_NOT_ASSUMABLE on BooksRead', () => {
    const result = diagnose(sample('seed-trust-aud-is-user-pool-id.json'));
    const trust = result.findings.find((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID');
    assert.deepEqual(trust?.subject, { kind: 'role', id: 'arn:aws:iam::123456789012:role/BooksReadAccess' });
    const group = result.findings.find((f) => f.code === 'GROUP_ROLE_NOT_ASSUMABLE');
    assert.deepEqual(group?.subject, { kind: 'group', id: 'eu-central-1_BOOKS1234/BooksRead' });
    assert.ok(result.summary.errors >= 2);
  });
});

describe('diagnose: user pool groups', () => {
  it('a healthy snapshot has no findings at all', () => {
    assert.deepEqual(diagnose(snapshot()).findings, []);
  });

  it('GROUP_ROLE_MISSING', () => {
    const s = withRole(snapshot(), { RoleName: 'BooksReadAccess', Arn: roleArn('BooksReadAccess'), Missing: true });
    const [f] = find(s, 'GROUP_ROLE_MISSING');
    assert.equal(f?.subject.id, `${USER_POOL_ID}/BooksRead`);
    assert.match(f!.message, /BooksReadAccess/);
  });

  it('GROUP_PRECEDENCE_TIE: same precedence, different roles; not for the same role', () => {
    const tie = snapshot({
      userPools: [userPool({ Groups: [group('Editors', 5, 'BooksReadAccess'), group('Reviewers', 5, 'BooksDefaultAuth')] })],
    });
    const [f] = find(tie, 'GROUP_PRECEDENCE_TIE');
    assert.match(f!.message, /Editors, Reviewers .* precedence 5/);
    const same = snapshot({ userPools: [userPool({ Groups: [group('Editors', 5, 'BooksReadAccess'), group('Reviewers', 5, 'BooksReadAccess')] })] });
    assert.equal(find(same, 'GROUP_PRECEDENCE_TIE').length, 0);
    const nulls = snapshot({ userPools: [userPool({ Groups: [group('A', null, 'BooksReadAccess'), group('B', null, 'BooksDefaultAuth')] })] });
    assert.equal(find(nulls, 'GROUP_PRECEDENCE_TIE').length, 1, 'null counts as a value');
  });

  it('GROUP_ROLE_WITHOUT_PRECEDENCE', () => {
    const s = snapshot({ userPools: [userPool({ Groups: [group('BooksRead', null, 'BooksReadAccess')] })] });
    assert.equal(find(s, 'GROUP_ROLE_WITHOUT_PRECEDENCE')[0]?.subject.id, `${USER_POOL_ID}/BooksRead`);
  });

  it('GROUP_ROLES_IGNORED: a Rules mapping or no mapping for a pool whose groups carry roles', () => {
    const none = snapshot({ identityPools: [identityPool({ RoleMappings: {} })] });
    const [f] = find(none, 'GROUP_ROLES_IGNORED');
    assert.equal(f?.subject.kind, 'userPool');
    assert.match(f!.message, /no role mapping for its app client/);
    const rules = snapshot({
      identityPools: [identityPool({ RoleMappings: { [MAPPING_KEY]: { Type: 'Rules', AmbiguousRoleResolution: 'AuthenticatedRole', RulesConfiguration: { Rules: [] } } } })],
    });
    assert.equal(find(rules, 'GROUP_ROLES_IGNORED').length, 1);
    assert.equal(find(snapshot(), 'GROUP_ROLES_IGNORED').length, 0);
  });

  it('GROUP_ROLE_NOT_ASSUMABLE names the trust findings behind it', () => {
    const s = withRole(snapshot(), role('BooksReadAccess', { AssumeRolePolicyDocument: trustDocument({ action: 'sts:AssumeRole' }) }));
    const [f] = find(s, 'GROUP_ROLE_NOT_ASSUMABLE');
    assert.match(f!.message, /TRUST_WRONG_ACTION/);
    assert.deepEqual(f!.related?.map((r) => r.kind), ['role', 'identityPool']);
  });
});

describe('diagnose: one verdict per role, every group that carries it', () => {
  it('groups sharing a role the pool cannot assume each get GROUP_ROLE_NOT_ASSUMABLE; the trust fault is reported once; a healthy group none', () => {
    const groups = [group('BooksRead', 1, 'BooksReadAccess'), group('Archive', 2, 'BooksReadAccess'), group('Writers', 3, 'BooksWriteAccess'), group('NoRole', 4, null)];
    const s = snapshot({
      userPools: [userPool({ Groups: groups })],
      roles: [role('BooksReadAccess', { AssumeRolePolicyDocument: trustDocument({ aud: USER_POOL_ID }) }), role('BooksWriteAccess'), role('BooksDefaultAuth', { AttachedPolicies: [] })],
    });
    const notAssumable = find(s, 'GROUP_ROLE_NOT_ASSUMABLE');
    assert.deepEqual(notAssumable.map((f) => f.subject.id).sort(), [`${USER_POOL_ID}/Archive`, `${USER_POOL_ID}/BooksRead`]);
    assert.ok(notAssumable.every((f) => /TRUST_AUD_IS_USER_POOL_ID/.test(f.message)));
    assert.equal(find(s, 'TRUST_AUD_IS_USER_POOL_ID').length, 1);
    // Two app clients mapping the same user pool: the same group findings, once each (duplicates dropped).
    const twoClients = snapshot({
      userPools: [userPool({ Groups: groups, Clients: [...userPool().Clients, { ClientId: 'second000000000000000000001', ClientName: 'second', HasSecret: false }] })],
      identityPools: [identityPool({
        CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: CLIENT_ID }, { ProviderName: PROVIDER, ClientId: 'second000000000000000000001' }],
        RoleMappings: { [MAPPING_KEY]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' }, [`${PROVIDER}:second000000000000000000001`]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } },
      })],
      roles: s.roles,
    });
    assert.deepEqual(find(twoClients, 'GROUP_ROLE_NOT_ASSUMABLE').map((f) => f.subject.id).sort(), [`${USER_POOL_ID}/Archive`, `${USER_POOL_ID}/BooksRead`]);
  });
});

describe('diagnose: identity pools', () => {
  it('POOL_NO_AUTHENTICATED_ROLE when a path falls back to it', () => {
    const s = snapshot({ identityPools: [identityPool({ Roles: {} })] });
    assert.match(find(s, 'POOL_NO_AUTHENTICATED_ROLE')[0]!.message, /resolves ambiguity with AuthenticatedRole/);
    const deny = snapshot({ identityPools: [identityPool({ Roles: {}, RoleMappings: { [MAPPING_KEY]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } } })] });
    assert.equal(find(deny, 'POOL_NO_AUTHENTICATED_ROLE').length, 0);
  });

  it('POOL_UNAUTH_NO_ROLE', () => {
    assert.equal(find(snapshot({ identityPools: [identityPool({ AllowUnauthenticatedIdentities: true })] }), 'POOL_UNAUTH_NO_ROLE').length, 1);
  });

  it('POOL_AMBIGUOUS_DENY names the cases that are refused', () => {
    const s = snapshot({
      userPools: [userPool({ Groups: [group('E', 5, 'BooksReadAccess'), group('R', 5, 'BooksDefaultAuth')], Users: [{ Username: 'nogroup', Groups: [] }] })],
      identityPools: [identityPool({ RoleMappings: { [MAPPING_KEY]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } } })],
    });
    const [f] = find(s, 'POOL_AMBIGUOUS_DENY');
    assert.match(f!.message, /groups tied at precedence 5/);
    assert.match(f!.message, /users in no group \(nogroup\)/);
    assert.equal(f!.symptom, 'NotAuthorizedException');
  });

  it('POOL_NO_PROVIDERS', () => {
    const s = snapshot({ identityPools: [identityPool({ CognitoIdentityProviders: [], RoleMappings: {} })] });
    assert.equal(find(s, 'POOL_NO_PROVIDERS')[0]?.severity, 'info');
  });

  it('POOL_ROLE_MISSING and MAPPING_UNKNOWN_PROVIDER (codes added by this project)', () => {
    const missing = withRole(snapshot(), { RoleName: 'BooksDefaultAuth', Arn: roleArn('BooksDefaultAuth'), Missing: true });
    assert.equal(find(missing, 'POOL_ROLE_MISSING').length, 1);
    const stray = snapshot({ identityPools: [identityPool({ RoleMappings: { [MAPPING_KEY]: { Type: 'Token' }, [`${PROVIDER}:other`]: { Type: 'Token' } } })] });
    assert.equal(find(stray, 'MAPPING_UNKNOWN_PROVIDER').length, 1);
  });
});

describe('diagnose: trust, coverage and users', () => {
  it('trust findings are checked for rule roles and unauthenticated roles too', () => {
    const s = snapshot({
      identityPools: [
        identityPool({
          AllowUnauthenticatedIdentities: true,
          Roles: { authenticated: roleArn('BooksDefaultAuth'), unauthenticated: roleArn('Guest') },
          RoleMappings: { [MAPPING_KEY]: { Type: 'Rules', RulesConfiguration: { Rules: [{ Claim: 'custom:x', MatchType: 'Equals', Value: 'y', RoleARN: roleArn('RuleRole') }] } } },
        }),
      ],
      roles: [
        role('BooksReadAccess'),
        role('BooksDefaultAuth'),
        role('Guest', { AssumeRolePolicyDocument: trustDocument({ amr: 'authenticated' }) }),
        role('RuleRole', { AssumeRolePolicyDocument: trustDocument({ aud: USER_POOL_ID }) }),
      ],
    });
    const result = diagnose(s).findings;
    assert.ok(result.some((f) => f.code === 'TRUST_AMR_MISMATCH' && f.subject.id === roleArn('Guest')));
    assert.ok(result.some((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID' && f.subject.id === roleArn('RuleRole')));
  });

  it('a role shared by two identity pools gets a corrected aud listing both', () => {
    const second = identityPool({ IdentityPoolId: 'eu-central-1:cccccccc-1111-2222-3333-444444444444', IdentityPoolName: 'second' });
    const s = withRole(snapshot({ identityPools: [identityPool(), second] }), role('BooksReadAccess', { AssumeRolePolicyDocument: trustDocument({ aud: USER_POOL_ID }) }));
    const f = find(s, 'TRUST_AUD_IS_USER_POOL_ID')[0]!;
    const fixed = JSON.parse(f.fix.slice(f.fix.indexOf('{')));
    assert.deepEqual(new Set(fixed.Condition.StringEquals['cognito-identity.amazonaws.com:aud']), new Set([IDENTITY_POOL_ID, second.IdentityPoolId]));
  });

  it('ROLE_NOT_CAPTURED, once per role', () => {
    const s = snapshot({ roles: [role('BooksDefaultAuth')] });
    const found = find(s, 'ROLE_NOT_CAPTURED');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.subject.id, roleArn('BooksReadAccess'));
  });

  it('ROLE_UNREADABLE', () => {
    const s = withRole(snapshot(), { RoleName: 'BooksReadAccess', Arn: roleArn('BooksReadAccess'), Unreadable: 'AccessDenied: not allowed' });
    assert.match(find(s, 'ROLE_UNREADABLE')[0]!.message, /AccessDenied: not allowed/);
  });

  it('USER_NO_PREFERRED_ROLE and USER_SIGN_IN_FAILS for a tied user under Deny', () => {
    const s = snapshot({
      userPools: [userPool({ Groups: [group('E', 5, 'BooksReadAccess'), group('R', 5, 'BooksDefaultAuth')], Users: [{ Username: 'tied', Groups: ['E', 'R'] }] })],
      identityPools: [identityPool({ RoleMappings: { [MAPPING_KEY]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } } })],
    });
    assert.equal(find(s, 'USER_NO_PREFERRED_ROLE')[0]?.subject.id, `${USER_POOL_ID}/tied`);
    const fails = find(s, 'USER_SIGN_IN_FAILS')[0]!;
    assert.equal(fails.symptom, 'NotAuthorizedException');
    assert.match(fails.message, /POOL_AMBIGUOUS_DENY/);
  });

  it('USER_SIGN_IN_FAILS with InvalidIdentityPoolConfiguration for a broken trust', () => {
    const s = sample('seed-trust-aud-is-user-pool-id.json');
    const f = find(s, 'USER_SIGN_IN_FAILS')[0]!;
    assert.equal(f.symptom, 'InvalidIdentityPoolConfigurationException');
    assert.match(f.message, /testuser1.*TRUST_AUD_IS_USER_POOL_ID/);
  });

  it('orders errors first and counts the summary', () => {
    const s = withRole(snapshot({ identityPools: [identityPool({ CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: CLIENT_ID }], Roles: {} })] }), role('BooksReadAccess', { AssumeRolePolicyDocument: trustDocument({ aud: null }) }));
    const result = diagnose(s);
    const severities = result.findings.map((f) => f.severity);
    assert.deepEqual(severities, [...severities].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
    assert.equal(result.summary.errors + result.summary.warnings + result.summary.infos, result.findings.length);
    assert.equal(IDENTITY_POOL_ID, s.identityPools[0]!.IdentityPoolId);
  });
});
