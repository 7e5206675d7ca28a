// Other identity providers of an identity pool (cognito-semantics.md section 6): the Logins key,
// role mappings keyed by provider name, Rules on their claims, Token mappings (user pools, OIDC,
// SAML; none for social or developer providers), amr, and a provider the pool does not list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseRole, SAML_ROLE_ATTRIBUTE } from '../../src/core/identityPool.ts';
import { DEVELOPER_LOGINS_KEY, findProvider, mappingKeysOf, oidcProviderName, providersOf, supportsTokenMapping } from '../../src/core/providers.ts';
import type { IdentityPool, RoleMapping } from '../../src/core/snapshot.ts';
import { simulate } from '../../src/core/simulate.ts';
import { amrFor } from '../../src/core/trust.ts';
import { identityPool, role, roleArn, snapshot, trustDocument } from './fixtures.ts';

const OIDC_ARN = 'arn:aws:iam::123456789012:oidc-provider/login.example.com/realms/x';
const SAML_ARN = 'arn:aws:iam::123456789012:saml-provider/Corp';

function pool(mappings: Record<string, RoleMapping> = {}): IdentityPool {
  return identityPool({
    SupportedLoginProviders: { 'accounts.google.com': 'google-app', 'graph.facebook.com': 'fb-app', 'www.amazon.com': 'amzn-app', 'appleid.apple.com': 'apple-app' },
    OpenIdConnectProviderARNs: [OIDC_ARN],
    SamlProviderARNs: [SAML_ARN],
    DeveloperProviderName: 'login.example.app',
    RoleMappings: mappings,
  });
}

const login = (providerName: string, claims: Record<string, unknown> = {}) => ({ providerName, clientId: '', claims });

describe('providers of an identity pool', () => {
  it('lists every provider with its Logins name and kind', () => {
    const kinds = providersOf(pool()).map((p) => `${p.kind} ${p.name}`);
    assert.deepEqual(kinds, [
      'user-pool cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234',
      'google accounts.google.com', 'facebook graph.facebook.com', 'amazon www.amazon.com', 'apple appleid.apple.com',
      'oidc login.example.com/realms/x', `saml ${SAML_ARN}`, 'developer login.example.app',
    ]);
  });

  it('an OIDC provider goes by its ARN\'s host and path; also found by ARN or issuer URL', () => {
    assert.equal(oidcProviderName(OIDC_ARN), 'login.example.com/realms/x');
    const p = pool();
    for (const name of [OIDC_ARN, 'login.example.com/realms/x', 'https://login.example.com/realms/x']) assert.equal(findProvider(p, name)?.kind, 'oidc', name);
    assert.equal(findProvider(p, DEVELOPER_LOGINS_KEY)?.kind, 'developer');
    assert.equal(findProvider(p, 'login.other.com'), undefined);
  });

  it('mapping keys: <ProviderName>:<ClientId> for user pools, the name for others', () => {
    const [userPool, google] = providersOf(pool());
    assert.deepEqual(mappingKeysOf(userPool!), ['cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234:webclient0000000000000001']);
    assert.deepEqual(mappingKeysOf(google!), ['accounts.google.com']);
  });

  it('Token mappings work for user pools, OIDC and SAML only', () => {
    assert.deepEqual((['user-pool', 'oidc', 'saml', 'google', 'facebook', 'amazon', 'apple', 'developer'] as const).map(supportsTokenMapping), [true, true, true, false, false, false, false, false]);
  });

  it('amr of another provider: authenticated and the provider name', () => {
    assert.deepEqual(amrFor({ identityPoolId: 'x', kind: 'authenticated', provider: 'accounts.google.com' }), ['authenticated', 'accounts.google.com']);
  });
});

describe('role choice for other providers', () => {
  it('no mapping: the authenticated role', () => {
    const choice = chooseRole(pool(), login('accounts.google.com', { sub: '1' }));
    assert.equal(choice.source, 'authenticated-role');
    assert.equal(choice.provider?.kind, 'google');
    assert.equal(choice.mappingKey, 'accounts.google.com');
  });

  it('a provider the pool does not list: NotAuthorizedException, naming the providers it has', () => {
    const choice = chooseRole(pool(), login('login.unknown.com'));
    assert.deepEqual(choice.error, { code: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' });
    assert.match(choice.steps.join(' '), /does not list login\.unknown\.com.*accounts\.google\.com/);
    const none = chooseRole(identityPool(), login('accounts.google.com'));
    assert.equal(none.error?.code, 'NotAuthorizedException');
  });

  it('Rules on a Google token\'s claims, keyed by the provider name', () => {
    const mappings = { 'accounts.google.com': { Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: [{ Claim: 'hd', MatchType: 'Equals', Value: 'example.com', RoleARN: roleArn('Staff') }] } } } satisfies Record<string, RoleMapping>;
    assert.equal(chooseRole(pool(mappings), login('accounts.google.com', { hd: 'example.com' })).roleArn, roleArn('Staff'));
    assert.equal(chooseRole(pool(mappings), login('accounts.google.com', { hd: 'gmail.com' })).error?.message, 'The ambiguous role mapping rules for: accounts.google.com denied this request.');
  });

  it('Token mapping on a social or developer provider: no role claims, so ambiguous', () => {
    for (const name of ['graph.facebook.com', 'login.example.app']) {
      const choice = chooseRole(pool({ [name]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } }), login(name, { 'cognito:preferred_role': roleArn('X') }));
      assert.equal(choice.source, 'authenticated-role', name);
      assert.match(choice.steps.join(' '), /carry no role claims/);
    }
  });

  it('the developer provider also answers to cognito-identity.amazonaws.com', () => {
    const choice = chooseRole(pool({ 'login.example.app': { Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: [{ Claim: 'tier', MatchType: 'Equals', Value: 'gold', RoleARN: roleArn('Gold') }] } } }), login(DEVELOPER_LOGINS_KEY, { tier: 'gold' }));
    assert.equal(choice.roleArn, roleArn('Gold'));
    assert.equal(choice.provider?.kind, 'developer');
  });

  it('OIDC Token mapping: preferred_role (or cognito:preferred_role), marked inferred', () => {
    const key = 'login.example.com/realms/x';
    const p = pool({ [key]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } });
    const plain = chooseRole(p, login(OIDC_ARN, { roles: [roleArn('A'), roleArn('B')], preferred_role: roleArn('B') }));
    assert.equal(plain.roleArn, roleArn('B'));
    assert.equal(plain.inferred, true);
    assert.equal(chooseRole(p, login(key, { 'cognito:preferred_role': roleArn('C') })).roleArn, roleArn('C'));
    assert.equal(chooseRole(p, login(key, { roles: [roleArn('A')] }), roleArn('A')).source, 'custom-role-arn');
    assert.equal(chooseRole(p, login(key, {})).error?.code, 'NotAuthorizedException');
  });

  it('SAML Token mapping: the Role attribute\'s role ARNs; one role is taken, several need a CustomRoleArn', () => {
    const p = pool({ [SAML_ARN]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } });
    const one = chooseRole(p, login(SAML_ARN, { [SAML_ROLE_ATTRIBUTE]: `${roleArn('Saml1')},${SAML_ARN}` }));
    assert.equal(one.roleArn, roleArn('Saml1'));
    const two = { [SAML_ROLE_ATTRIBUTE]: [`${roleArn('Saml1')},${SAML_ARN}`, `${SAML_ARN},${roleArn('Saml2')}`] };
    assert.equal(chooseRole(p, login(SAML_ARN, two)).error?.code, 'NotAuthorizedException', 'ambiguous, Deny');
    assert.equal(chooseRole(p, login(SAML_ARN, two), roleArn('Saml2')).roleArn, roleArn('Saml2'));
    assert.match(chooseRole(p, login(SAML_ARN, two), roleArn('Other')).error!.message, /Attributes\/Role/);
  });
});

describe('simulate --provider', () => {
  const trustFor = (amr: string) => trustDocument({ amr });
  it('a Google login gets the authenticated role if the trust admits it; amr holds the provider name', () => {
    const s = snapshot({ identityPools: [pool()], roles: [role('BooksDefaultAuth', { AssumeRolePolicyDocument: trustFor('accounts.google.com') })] });
    const r = simulate(s, { provider: 'accounts.google.com', claims: { sub: '1' } });
    assert.equal(r.resolution.outcome, 'credentials', r.resolution.steps.join('\n'));
    assert.deepEqual(r.provider, { name: 'accounts.google.com', kind: 'google' });
    assert.equal(r.claims, null);
    assert.equal(r.clientId, null);
    // The same role for a Facebook login: its amr holds graph.facebook.com, not accounts.google.com.
    const fb = simulate(s, { provider: 'graph.facebook.com' });
    assert.equal(fb.resolution.error?.code, 'InvalidIdentityPoolConfigurationException');
    assert.deepEqual(fb.resolution.findings, ['TRUST_AMR_MISMATCH']);
  });

  it('an amr condition naming a provider the pool never has: TRUST_AMR_PROVIDER_MISMATCH', () => {
    const s = snapshot({ identityPools: [pool()], roles: [role('BooksDefaultAuth', { AssumeRolePolicyDocument: trustFor('accounts.gogle.com') })] });
    const r = simulate(s, { provider: 'accounts.google.com' });
    assert.deepEqual(r.resolution.findings, ['TRUST_AMR_PROVIDER_MISMATCH']);
  });

  it('a provider no identity pool lists: a clear usage error, or the pool\'s NotAuthorizedException when named', () => {
    assert.throws(() => simulate(snapshot({ identityPools: [pool(), identityPool({ IdentityPoolId: 'eu-central-1:other', IdentityPoolName: 'other' })] }), { provider: 'login.nowhere.com' }), /no identity pool in the snapshot lists provider "login.nowhere.com"/);
    const r = simulate(snapshot(), { provider: 'login.nowhere.com' });
    assert.equal(r.resolution.error?.message, 'Token is not from a supported provider of this identity pool.');
    assert.deepEqual(r.provider, { name: 'login.nowhere.com', kind: 'oidc' });
  });
});
