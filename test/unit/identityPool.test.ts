import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseRole, matchRule } from '../../src/core/identityPool.ts';
import type { Login } from '../../src/core/identityPool.ts';
import type { MappingRule } from '../../src/core/snapshot.ts';
import { CLIENT_ID, identityPool, MAPPING_KEY, PROVIDER, roleArn } from './fixtures.ts';

const login = (claims: Record<string, unknown> = {}, overrides: Partial<Login> = {}): Login => ({ providerName: PROVIDER, clientId: CLIENT_ID, claims, ...overrides });
const tokenClaims = (preferred: string | null, roles: string[] = preferred ? [preferred] : []) => ({
  'cognito:roles': roles,
  ...(preferred ? { 'cognito:preferred_role': preferred } : {}),
});
const rules = (list: MappingRule[], ambiguous: 'AuthenticatedRole' | 'Deny' = 'AuthenticatedRole') =>
  identityPool({ RoleMappings: { [MAPPING_KEY]: { Type: 'Rules', AmbiguousRoleResolution: ambiguous, RulesConfiguration: { Rules: list } } } });

describe('identity pool role choice (cognito-semantics.md section 2)', () => {
  it('refuses a token from a provider or client the pool does not list', () => {
    const other = chooseRole(identityPool(), login({}, { providerName: 'cognito-idp.eu-central-1.amazonaws.com/eu-central-1_OTHER' }));
    assert.deepEqual(other.error, { code: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' });
    const client = chooseRole(identityPool(), login({}, { clientId: 'another-client' }));
    assert.equal(client.error?.code, 'NotAuthorizedException');
    assert.match(client.steps.join(' '), /only for app client webclient0000000000000001, not another-client/);
  });

  it('no mapping: the authenticated role', () => {
    const r = chooseRole(identityPool({ RoleMappings: {} }), login(tokenClaims(roleArn('X'))));
    assert.equal(r.roleArn, roleArn('BooksDefaultAuth'));
    assert.equal(r.source, 'authenticated-role');
  });

  it('no mapping and no authenticated role: InvalidIdentityPoolConfiguration', () => {
    const r = chooseRole(identityPool({ RoleMappings: {}, Roles: {} }), login());
    assert.equal(r.error?.code, 'InvalidIdentityPoolConfigurationException');
    assert.equal(r.error?.message, 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
  });

  it('Token: the preferred role', () => {
    const r = chooseRole(identityPool(), login(tokenClaims(roleArn('BooksReadAccess'))));
    assert.equal(r.roleArn, roleArn('BooksReadAccess'));
    assert.equal(r.source, 'preferred-role');
  });

  it('Token: a CustomRoleArn listed in cognito:roles wins over the preferred role', () => {
    const r = chooseRole(identityPool(), login(tokenClaims(roleArn('A'), [roleArn('A'), roleArn('B')])), roleArn('B'));
    assert.equal(r.roleArn, roleArn('B'));
    assert.equal(r.source, 'custom-role-arn');
  });

  it('Token: a CustomRoleArn the token does not list is denied (inferred text)', () => {
    const r = chooseRole(identityPool(), login(tokenClaims(roleArn('A'))), roleArn('Z'));
    assert.equal(r.error?.code, 'NotAuthorizedException');
    assert.equal(r.inferred, true);
  });

  it('Token: no preferred role falls back per AmbiguousRoleResolution', () => {
    const tie = login(tokenClaims(null, [roleArn('A'), roleArn('B')]));
    const fallback = chooseRole(identityPool(), tie);
    assert.equal(fallback.source, 'authenticated-role');
    const deny = chooseRole(identityPool({ RoleMappings: { [MAPPING_KEY]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } } }), tie);
    assert.deepEqual(deny.error, { code: 'NotAuthorizedException', message: `The ambiguous role mapping rules for: ${PROVIDER} denied this request.` });
  });

  it('Rules: first match wins, in order', () => {
    const pool = rules([
      { Claim: 'custom:dept', MatchType: 'Equals', Value: 'books', RoleARN: roleArn('Books') },
      { Claim: 'custom:dept', MatchType: 'StartsWith', Value: 'bo', RoleARN: roleArn('Bo') },
    ]);
    const r = chooseRole(pool, login({ 'custom:dept': 'books' }));
    assert.equal(r.roleArn, roleArn('Books'));
    assert.equal(r.rule?.index, 0);
    assert.equal(chooseRole(pool, login({ 'custom:dept': 'boats' })).roleArn, roleArn('Bo'));
  });

  it('Rules: the four match types', () => {
    const rule = (MatchType: MappingRule['MatchType'], Value: string): MappingRule => ({ Claim: 'c', MatchType, Value, RoleARN: roleArn('R') });
    assert.equal(matchRule(rule('Equals', 'abc'), 'abc').matched, true);
    assert.equal(matchRule(rule('Equals', 'abc'), 'abcd').matched, false);
    assert.equal(matchRule(rule('Contains', 'bc'), 'abcd').matched, true);
    assert.equal(matchRule(rule('Contains', 'x'), 'abcd').matched, false);
    assert.equal(matchRule(rule('StartsWith', 'ab'), 'abcd').matched, true);
    assert.equal(matchRule(rule('StartsWith', 'bc'), 'abcd').matched, false);
    assert.equal(matchRule(rule('NotEqual', 'abc'), 'abd').matched, true);
    assert.equal(matchRule(rule('NotEqual', 'abc'), 'abc').matched, false);
  });

  it('Rules: NotEqual on a missing claim does not match', () => {
    const pool = rules([{ Claim: 'custom:dept', MatchType: 'NotEqual', Value: 'x', RoleARN: roleArn('Other') }], 'Deny');
    const r = chooseRole(pool, login({}));
    assert.equal(r.error?.code, 'NotAuthorizedException');
    assert.match(r.steps.join(' '), /the token has no custom:dept claim/);
  });

  it('Rules: cognito:groups is matched element by element (inferred)', () => {
    const pool = rules([{ Claim: 'cognito:groups', MatchType: 'Contains', Value: 'Admins', RoleARN: roleArn('Admin') }]);
    const r = chooseRole(pool, login({ 'cognito:groups': ['BooksRead', 'Admins'] }));
    assert.equal(r.roleArn, roleArn('Admin'));
    assert.equal(r.inferred, true);
  });

  it('Rules: no match falls back to the authenticated role', () => {
    const pool = rules([{ Claim: 'custom:dept', MatchType: 'Equals', Value: 'books', RoleARN: roleArn('Books') }]);
    const r = chooseRole(pool, login({ 'custom:dept': 'films' }));
    assert.equal(r.source, 'authenticated-role');
  });

  it('guests: refused unless allowed; the unauthenticated role otherwise', () => {
    assert.deepEqual(chooseRole(identityPool(), null).error, { code: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' });
    const allowed = chooseRole(identityPool({ AllowUnauthenticatedIdentities: true, Roles: { unauthenticated: roleArn('Guest') } }), null);
    assert.equal(allowed.roleArn, roleArn('Guest'));
    assert.equal(allowed.source, 'unauthenticated-role');
    assert.equal(allowed.identityKind, 'unauthenticated');
    const noRole = chooseRole(identityPool({ AllowUnauthenticatedIdentities: true, Roles: {} }), null);
    assert.equal(noRole.error?.code, 'InvalidIdentityPoolConfigurationException');
  });
});
