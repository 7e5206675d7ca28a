// simulate beyond the article: the basic (classic) flow, the pre token generation trigger and its
// simulated overrides, session tags in the resolution, and the snapshot fields they read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate, SimulationInputError, simulateFromToken } from '../../src/core/simulate.ts';
import { SnapshotError, validateSnapshot } from '../../src/core/snapshot.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { IDENTITY_POOL_ID, identityPool, PROVIDER, role, roleArn, snapshot, trustDocument, userPool } from './fixtures.ts';

const TRIGGER = 'arn:aws:lambda:eu-central-1:123456789012:function:token';

describe('basic (classic) flow', () => {
  const classic = (extra: Partial<Parameters<typeof identityPool>[0]> = {}): Snapshot => snapshot({ identityPools: [identityPool({ AllowClassicFlow: true, ...extra })] });

  it('disabled: InvalidParameterException "Basic (classic) flow is not enabled, please use enhanced flow."', () => {
    const r = simulate(snapshot(), { groups: ['BooksRead'], basicFlow: true, roleArn: roleArn('BooksReadAccess') });
    assert.deepEqual(r.resolution.error, { code: 'InvalidParameterException', message: 'Basic (classic) flow is not enabled, please use enhanced flow.' });
    assert.equal(r.flow, 'basic');
  });

  it('enabled: any role whose trust admits the pool, whatever the mappings say', () => {
    const r = simulate(classic(), { groups: [], basicFlow: true, roleArn: roleArn('BooksReadAccess') });
    assert.equal(r.resolution.outcome, 'credentials');
    assert.equal(r.resolution.source, 'basic-flow');
    assert.equal(r.resolution.roleArn, roleArn('BooksReadAccess'));
    assert.match(r.resolution.steps.join(' '), /role mappings, rules and group precedence do not apply/);
    assert.match(r.resolution.steps.at(-1)!, /no Cognito session policy/);
  });

  it('a trust that refuses: STS answers the client AccessDenied, explained by the trust finding', () => {
    const s = snapshot({ identityPools: [identityPool({ AllowClassicFlow: true })], roles: [role('BooksReadAccess', { AssumeRolePolicyDocument: trustDocument({ aud: 'eu-central-1_BOOKS1234' }) }), role('BooksDefaultAuth')] });
    const r = simulate(s, { groups: ['BooksRead'], basicFlow: true, roleArn: roleArn('BooksReadAccess') });
    assert.equal(r.resolution.error?.code, 'AccessDenied');
    assert.deepEqual(r.resolution.findings, ['TRUST_AUD_IS_USER_POOL_ID']);
  });

  it('guests: only when the pool allows them; no Cognito session policy', () => {
    assert.equal(simulate(classic(), { guest: true, basicFlow: true, roleArn: roleArn('Guest') }).resolution.error?.message, 'Unauthenticated access is not supported for this identity pool.');
    const s = snapshot({
      identityPools: [identityPool({ AllowClassicFlow: true, AllowUnauthenticatedIdentities: true })],
      roles: [role('BooksReadAccess'), role('BooksDefaultAuth'), role('Guest', { AssumeRolePolicyDocument: trustDocument({ amr: 'unauthenticated' }) })],
    });
    const r = simulate(s, { guest: true, basicFlow: true, roleArn: roleArn('Guest') });
    assert.equal(r.resolution.source, 'basic-flow');
    assert.equal(r.identityKind, 'unauthenticated');
  });

  it('--basic-flow needs --role, and --role needs --basic-flow', () => {
    assert.throws(() => simulate(snapshot(), { groups: [], basicFlow: true }), SimulationInputError);
    assert.throws(() => simulate(snapshot(), { groups: [], roleArn: roleArn('X') }), /--role goes with --basic-flow/);
  });
});

describe('pre token generation trigger', () => {
  const withTrigger = (): Snapshot => snapshot({ userPools: [userPool({ LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: TRIGGER, LambdaVersion: 'V2_0' } } })] });

  it('the prediction holds unless the trigger overrides it: a step and a note', () => {
    const r = simulate(withTrigger(), { groups: ['BooksRead'] });
    assert.equal(r.resolution.roleArn, roleArn('BooksReadAccess'));
    assert.match(r.resolution.steps.join(' '), /pre token generation trigger .*function:token \(V2_0\).*groupConfiguration/);
    assert.match(r.resolution.notes[0]!, /holds unless the pre token generation trigger/);
    assert.equal(r.trigger?.lambdaArn, TRIGGER);
    assert.equal(r.trigger?.version, 'V2_0');
    assert.equal(r.trigger?.override, null);
  });

  it('overrides replace cognito:groups, cognito:roles and cognito:preferred_role after the group prediction', () => {
    const r = simulate(withTrigger(), { groups: ['BooksRead'], overrideGroups: ['Admins'], overrideRoles: [roleArn('BooksDefaultAuth')], overridePreferredRole: roleArn('BooksDefaultAuth') });
    assert.deepEqual(r.claims, { 'cognito:groups': ['Admins'], 'cognito:roles': [roleArn('BooksDefaultAuth')], 'cognito:preferred_role': roleArn('BooksDefaultAuth') });
    assert.equal(r.trigger?.predictedClaims['cognito:preferred_role'], roleArn('BooksReadAccess'));
    assert.equal(r.resolution.roleArn, roleArn('BooksDefaultAuth'));
    assert.match(r.resolution.steps.join(' '), /The trigger sets cognito:preferred_role to .*BooksDefaultAuth/);
  });

  it('an empty preferred-role override removes the claim: ambiguous', () => {
    const r = simulate(withTrigger(), { groups: ['BooksRead'], overridePreferredRole: '' });
    assert.equal(r.claims?.['cognito:preferred_role'], null);
    assert.equal(r.resolution.source, 'authenticated-role');
  });

  it('an override without a trigger is hypothetical; guests and other providers take none', () => {
    const r = simulate(snapshot(), { groups: ['BooksRead'], overrideGroups: [] });
    assert.match(r.resolution.notes.join(' '), /no pre token generation trigger in the snapshot: the override is hypothetical/);
    assert.throws(() => simulate(snapshot(), { guest: true, overrideGroups: ['A'] }), /guest has no token/);
  });

  it('a trigger in another region is a note, never a crash', () => {
    const s = snapshot({ userPools: [userPool({ LambdaConfig: { PreTokenGeneration: 'arn:aws:lambda:us-west-2:123456789012:function:token' } })] });
    const r = simulate(s, { groups: ['BooksRead'] });
    assert.match(r.resolution.notes.join(' '), /region us-west-2 but the user pool is in eu-central-1/);
  });

  it('a real token from a pool with a trigger: the note says the claims are what the trigger left', () => {
    const r = simulateFromToken(withTrigger(), { identityPoolId: IDENTITY_POOL_ID, idTokenClaims: { iss: `https://${PROVIDER}`, aud: 'webclient0000000000000001', 'cognito:preferred_role': roleArn('BooksReadAccess') } });
    assert.match(r.resolution.notes[0]!, /what the trigger left/);
  });
});

describe('session tags in the resolution', () => {
  it('null when no map applies; the simulated token carries aud and sub for the defaults', () => {
    assert.equal(simulate(snapshot(), { groups: ['BooksRead'] }).resolution.sessionTags, null);
    const s = snapshot({
      identityPools: [identityPool({ PrincipalTagMaps: [{ IdentityProviderName: PROVIDER, UseDefaults: true, PrincipalTags: {} }] })],
      roles: [role('BooksReadAccess', { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ ...(trustDocument().Statement as Record<string, unknown>[])[0], Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] }] } }), role('BooksDefaultAuth')],
    });
    const r = simulate(s, { user: 'testuser1' });
    assert.deepEqual({ ...r.resolution.sessionTags }, { client: 'webclient0000000000000001', username: '00000000-0000-4000-8000-00000000000a' });
    assert.equal(r.resolution.outcome, 'credentials');
    const given = simulate(s, { groups: ['BooksRead'], claims: { sub: 'real-sub' } });
    assert.equal(given.resolution.sessionTags?.['username'], 'real-sub');
  });

  it('a tag map the scan could not read: a note, no guess', () => {
    const s = snapshot({ scanGaps: [{ service: 'cognito-identity', operation: 'GetPrincipalTagAttributeMap', resource: `${IDENTITY_POOL_ID}/${PROVIDER}`, error: 'AccessDeniedException', message: '', permission: 'cognito-identity:GetPrincipalTagAttributeMap' }] });
    const r = simulate(s, { groups: ['BooksRead'] });
    assert.equal(r.resolution.sessionTags, null);
    assert.match(r.resolution.notes.join(' '), /could not read the principal-tag map/);
  });
});

describe('snapshot fields added after v1', () => {
  const base = (): Record<string, unknown> => JSON.parse(JSON.stringify(snapshot())) as Record<string, unknown>;
  const pools = (raw: Record<string, unknown>) => raw['identityPools'] as Record<string, unknown>[];
  const userPools = (raw: Record<string, unknown>) => raw['userPools'] as Record<string, unknown>[];

  it('reads LambdaConfig, the providers, tag maps, schema, sign-up and client settings', () => {
    const raw = base();
    userPools(raw)[0]!['LambdaConfig'] = { PreTokenGeneration: TRIGGER, PreTokenGenerationConfig: { LambdaArn: TRIGGER, LambdaVersion: 'V3_0' }, PostConfirmation: 'ignored' };
    userPools(raw)[0]!['SchemaAttributes'] = [{ Name: 'custom:dept', Mutable: true }];
    userPools(raw)[0]!['AdminCreateUserConfig'] = { AllowAdminCreateUserOnly: false };
    (userPools(raw)[0]!['Clients'] as Record<string, unknown>[])[0]!['WriteAttributes'] = ['email', 'custom:dept'];
    Object.assign(pools(raw)[0]!, {
      SupportedLoginProviders: { 'accounts.google.com': 'g' },
      OpenIdConnectProviderARNs: ['arn:aws:iam::123456789012:oidc-provider/login.example.com'],
      SamlProviderARNs: [],
      DeveloperProviderName: 'login.example.app',
      PrincipalTagMaps: [{ IdentityProviderName: PROVIDER, UseDefaults: false, PrincipalTags: { dept: 'custom:dept' } }],
    });
    const s = validateSnapshot(raw);
    assert.deepEqual(s.userPools[0]!.LambdaConfig, { PreTokenGeneration: TRIGGER, PreTokenGenerationConfig: { LambdaArn: TRIGGER, LambdaVersion: 'V3_0' } });
    assert.deepEqual(s.userPools[0]!.SchemaAttributes, [{ Name: 'custom:dept', Mutable: true }]);
    assert.deepEqual(s.userPools[0]!.AdminCreateUserConfig, { AllowAdminCreateUserOnly: false });
    assert.deepEqual(s.userPools[0]!.Clients[0]!.WriteAttributes, ['email', 'custom:dept']);
    const p = s.identityPools[0]!;
    assert.deepEqual({ ...p.SupportedLoginProviders }, { 'accounts.google.com': 'g' });
    assert.equal(p.DeveloperProviderName, 'login.example.app');
    assert.deepEqual({ ...p.PrincipalTagMaps![0]!.PrincipalTags }, { dept: 'custom:dept' });
  });

  it('wrong types name the JSON path', () => {
    const cases: [(raw: Record<string, unknown>) => void, RegExp][] = [
      [(r) => { userPools(r)[0]!['LambdaConfig'] = { PreTokenGenerationConfig: { LambdaArn: TRIGGER, LambdaVersion: 'V9' } }; }, /userPools\[0\]\.LambdaConfig\.PreTokenGenerationConfig\.LambdaVersion: expected one of V1_0, V2_0, V3_0, found "V9"/],
      [(r) => { userPools(r)[0]!['LambdaConfig'] = { PreTokenGeneration: 42 }; }, /userPools\[0\]\.LambdaConfig\.PreTokenGeneration: expected a string, found a number \(42\)/],
      [(r) => { pools(r)[0]!['SupportedLoginProviders'] = { 'accounts.google.com': 1 }; }, /identityPools\[0\]\.SupportedLoginProviders\["accounts\.google\.com"\]: expected a string/],
      [(r) => { pools(r)[0]!['OpenIdConnectProviderARNs'] = 'arn'; }, /identityPools\[0\]\.OpenIdConnectProviderARNs: expected an array/],
      [(r) => { pools(r)[0]!['DeveloperProviderName'] = true; }, /identityPools\[0\]\.DeveloperProviderName: expected a string/],
      [(r) => { pools(r)[0]!['PrincipalTagMaps'] = [{ UseDefaults: true }]; }, /identityPools\[0\]\.PrincipalTagMaps\[0\]\.IdentityProviderName: required field is missing/],
      [(r) => { pools(r)[0]!['PrincipalTagMaps'] = [{ IdentityProviderName: PROVIDER, UseDefaults: 'yes' }]; }, /identityPools\[0\]\.PrincipalTagMaps\[0\]\.UseDefaults: expected a boolean/],
      [(r) => { pools(r)[0]!['PrincipalTagMaps'] = [{ IdentityProviderName: PROVIDER, PrincipalTags: { dept: ['custom:dept'] } }]; }, /identityPools\[0\]\.PrincipalTagMaps\[0\]\.PrincipalTags\["dept"\]: expected a string, found an array/],
      [(r) => { userPools(r)[0]!['SchemaAttributes'] = [{ Mutable: true }]; }, /userPools\[0\]\.SchemaAttributes\[0\]\.Name: required field is missing/],
    ];
    for (const [mutate, pattern] of cases) {
      const raw = base();
      mutate(raw);
      assert.throws(() => validateSnapshot(raw, 'x.json'), (e: unknown) => e instanceof SnapshotError && pattern.test(e.message), String(pattern));
    }
  });
});

describe('several user pools', () => {
  it('the app client, the identity pool or the user names the pool when --user-pool is not given', () => {
    const other = userPool({ Id: 'eu-central-1_OTHER0000', Clients: [{ ClientId: 'otherclient' }], Users: [{ Username: 'someone', Groups: [] }] });
    const s = snapshot({ userPools: [userPool(), other] });
    assert.equal(simulate(s, { groups: [], clientId: 'otherclient' }).userPoolId, 'eu-central-1_OTHER0000');
    assert.equal(simulate(s, { groups: [], identityPoolId: IDENTITY_POOL_ID }).userPoolId, 'eu-central-1_BOOKS1234');
    assert.equal(simulate(s, { user: 'someone' }).userPoolId, 'eu-central-1_OTHER0000');
    assert.throws(() => simulate(s, { groups: [] }), /several user pools: pass --user-pool/);
  });
});
