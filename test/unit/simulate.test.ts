import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSnapshot } from '../../src/core/snapshot.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { simulate, SimulationInputError, simulateFromToken } from '../../src/core/simulate.ts';
import { CLIENT_ID, group, IDENTITY_POOL_ID, identityPool, MAPPING_KEY, role, roleArn, snapshot, trustDocument, userPool, withRole } from './fixtures.ts';

const sample = (name: string): Snapshot => parseSnapshot(readFileSync(new URL(`../../media/samples/${name}`, import.meta.url), 'utf8'), name);

describe('simulate', () => {
  it('seed-healthy, --groups BooksRead: BooksReadAccess from the preferred role', () => {
    const r = simulate(sample('seed-healthy.json'), { groups: ['BooksRead'] });
    assert.deepEqual(r.claims, {
      'cognito:groups': ['BooksRead'],
      'cognito:roles': ['arn:aws:iam::123456789012:role/BooksReadAccess'],
      'cognito:preferred_role': 'arn:aws:iam::123456789012:role/BooksReadAccess',
    });
    assert.equal(r.resolution.outcome, 'credentials');
    assert.equal(r.resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksReadAccess');
    assert.equal(r.resolution.source, 'preferred-role');
    assert.equal(r.resolution.error, null);
    assert.deepEqual(r.resolution.findings, []);
    assert.match(r.resolution.steps.at(-1)!, /assumed-role\/BooksReadAccess\/CognitoIdentityCredentials/);
  });

  it('seed-trust-aud-is-user-pool-id: InvalidIdentityPoolConfiguration explained by TRUST_AUD_IS_USER_POOL_ID', () => {
    const r = simulate(sample('seed-trust-aud-is-user-pool-id.json'), { groups: ['BooksRead'] });
    assert.equal(r.resolution.outcome, 'error');
    assert.equal(r.resolution.roleArn, null);
    assert.equal(r.resolution.source, null);
    assert.deepEqual(r.resolution.error, { code: 'InvalidIdentityPoolConfigurationException', message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.' });
    assert.deepEqual(r.resolution.findings, ['TRUST_AUD_IS_USER_POOL_ID']);
  });

  it('--user takes the groups from the snapshot', () => {
    assert.equal(simulate(sample('seed-healthy.json'), { user: 'testuser1' }).resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksReadAccess');
    assert.throws(() => simulate(sample('seed-healthy.json'), { user: 'nobody' }), /user "nobody" is not in user pool .* lists testuser1/);
  });

  it('a user in no group falls back to the authenticated role', () => {
    const r = simulate(snapshot(), { groups: [] });
    assert.equal(r.resolution.roleArn, roleArn('BooksDefaultAuth'));
    assert.equal(r.resolution.source, 'authenticated-role');
  });

  it('Rules mappings read extra claims', () => {
    const s = snapshot({
      identityPools: [identityPool({ RoleMappings: { [MAPPING_KEY]: { Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: [{ Claim: 'custom:dept', MatchType: 'Equals', Value: 'books', RoleARN: roleArn('BooksReadAccess') }] } } } })],
    });
    assert.equal(simulate(s, { groups: [], claims: { 'custom:dept': 'books' } }).resolution.source, 'rule');
    const denied = simulate(s, { groups: [], claims: { 'custom:dept': 'films' } });
    assert.equal(denied.resolution.error?.code, 'NotAuthorizedException');
    assert.deepEqual(denied.resolution.findings, ['POOL_AMBIGUOUS_DENY']);
  });

  it('a missing group role: InvalidIdentityPoolConfiguration explained by GROUP_ROLE_MISSING', () => {
    const s = withRole(snapshot(), { RoleName: 'BooksReadAccess', Arn: roleArn('BooksReadAccess'), Missing: true });
    assert.deepEqual(simulate(s, { groups: ['BooksRead'] }).resolution.findings, ['GROUP_ROLE_MISSING']);
  });

  it('a role that is not captured is handed out without a trust verdict, and says so', () => {
    const r = simulate(snapshot({ roles: [] }), { groups: ['BooksRead'] });
    assert.equal(r.resolution.outcome, 'credentials');
    assert.match(r.resolution.steps.at(-1)!, /not in the snapshot/);
  });

  it('guests: refused, or the unauthenticated role if its trust allows guests', () => {
    assert.equal(simulate(snapshot(), { guest: true }).resolution.error?.message, 'Unauthenticated access is not supported for this identity pool.');
    const s = snapshot({
      identityPools: [identityPool({ AllowUnauthenticatedIdentities: true, Roles: { authenticated: roleArn('BooksDefaultAuth'), unauthenticated: roleArn('Guest') } })],
      roles: [role('BooksReadAccess'), role('BooksDefaultAuth'), role('Guest', { AssumeRolePolicyDocument: trustDocument({ amr: 'unauthenticated' }) })],
    });
    const r = simulate(s, { guest: true });
    assert.equal(r.claims, null);
    assert.equal(r.resolution.source, 'unauthenticated-role');
    const wrong = withRole(s, role('Guest', { AssumeRolePolicyDocument: trustDocument({ amr: 'authenticated' }) }));
    assert.deepEqual(simulate(wrong, { guest: true }).resolution.findings, ['TRUST_AMR_MISMATCH']);
  });

  it('asks which pool or client when the snapshot has several', () => {
    const two = snapshot({ userPools: [userPool(), userPool({ Id: 'eu-central-1_OTHER0000' })] });
    assert.throws(() => simulate(two, { groups: [] }), (e: unknown) => e instanceof SimulationInputError && /several user pools: pass --user-pool/.test(e.message));
    assert.equal(simulate(two, { groups: ['BooksRead'], userPoolId: 'eu-central-1_BOOKS1234' }).resolution.outcome, 'credentials');
    const clients = snapshot({ userPools: [userPool({ Clients: [{ ClientId: CLIENT_ID }, { ClientId: 'other' }] })] });
    assert.equal(simulate(clients, { groups: [] }).clientId, CLIENT_ID, 'the client an identity pool trusts is the obvious one');
  });

  it('a tie under Token + AuthenticatedRole falls back to the authenticated role', () => {
    const s = snapshot({ userPools: [userPool({ Groups: [group('E', 5, 'BooksReadAccess'), group('R', 5, 'BooksDefaultAuth')] })] });
    const r = simulate(s, { groups: ['E', 'R'] });
    assert.equal(r.claims?.['cognito:preferred_role'], null);
    assert.equal(r.resolution.source, 'authenticated-role');
  });

  it('simulateFromToken uses the real token claims (the live prediction)', () => {
    const r = simulateFromToken(snapshot(), {
      identityPoolId: IDENTITY_POOL_ID,
      idTokenClaims: {
        iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234',
        aud: CLIENT_ID,
        token_use: 'id',
        'cognito:groups': ['BooksRead'],
        'cognito:roles': [roleArn('BooksReadAccess')],
        'cognito:preferred_role': roleArn('BooksReadAccess'),
      },
    });
    assert.equal(r.resolution.roleArn, roleArn('BooksReadAccess'));
    const wrongClient = simulateFromToken(snapshot(), { identityPoolId: IDENTITY_POOL_ID, idTokenClaims: { iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234', aud: 'nope' } });
    assert.equal(wrongClient.resolution.error?.message, 'Token is not from a supported provider of this identity pool.');
  });
});
