import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amrFor, checkTrust } from '../../src/core/trust.ts';
import type { TrustTarget } from '../../src/core/trust.ts';
import { codes, IDENTITY_POOL_ID, OTHER_IDENTITY_POOL_ID, role, trustDocument, USER_POOL_ID } from './fixtures.ts';

const target: TrustTarget = { identityPoolId: IDENTITY_POOL_ID, kind: 'authenticated', userPool: { region: 'eu-central-1', id: USER_POOL_ID } };
const check = (document: Record<string, unknown> | string, t: TrustTarget = target) => checkTrust(role('R', { AssumeRolePolicyDocument: document }), t);

describe('trust-policy checks (cognito-semantics.md section 3)', () => {
  it('the recommended trust policy is assumable and clean', () => {
    const v = check(trustDocument());
    assert.equal(v.assumable, true);
    assert.deepEqual(v.findings, []);
  });

  it('works on URL-encoded trust documents as IAM returns them', () => {
    const v = check(encodeURIComponent(JSON.stringify(trustDocument({ aud: USER_POOL_ID }))));
    assert.equal(v.assumable, false);
    assert.deepEqual(codes(v.findings), ['TRUST_AUD_IS_USER_POOL_ID']);
  });

  it('TRUST_AUD_IS_USER_POOL_ID: names the value found and the one expected, and shows the corrected statement', () => {
    const v = check(trustDocument({ aud: USER_POOL_ID }));
    const f = v.findings[0]!;
    assert.equal(f.code, 'TRUST_AUD_IS_USER_POOL_ID');
    assert.equal(f.severity, 'error');
    assert.equal(f.symptom, 'InvalidIdentityPoolConfigurationException');
    assert.match(f.message, new RegExp(`"${USER_POOL_ID}"`));
    assert.match(f.message, new RegExp(`"${IDENTITY_POOL_ID}"`));
    const fixed = JSON.parse(f.fix.slice(f.fix.indexOf('{')));
    assert.equal(fixed.Condition.StringEquals['cognito-identity.amazonaws.com:aud'], IDENTITY_POOL_ID);
    // The corrected statement really is assumable.
    assert.equal(check({ Version: '2012-10-17', Statement: [fixed] }).assumable, true);
  });

  it('TRUST_AUD_OTHER_POOL', () => {
    const v = check(trustDocument({ aud: OTHER_IDENTITY_POOL_ID }));
    assert.equal(v.assumable, false);
    assert.deepEqual(codes(v.findings), ['TRUST_AUD_OTHER_POOL']);
  });

  it('a list of identity pools that includes this one is fine', () => {
    assert.equal(check(trustDocument({ aud: [OTHER_IDENTITY_POOL_ID, IDENTITY_POOL_ID] })).assumable, true);
  });

  it('TRUST_AUD_MISSING: assumable, but by any identity pool', () => {
    const v = check(trustDocument({ aud: null }));
    assert.equal(v.assumable, true);
    assert.deepEqual(codes(v.findings), ['TRUST_AUD_MISSING']);
    assert.equal(v.findings[0]!.severity, 'warning');
  });

  it('TRUST_NO_COGNITO_PRINCIPAL: a Service or AWS principal', () => {
    const v = check(trustDocument({ principal: { Service: 'lambda.amazonaws.com' } }));
    assert.equal(v.assumable, false);
    assert.deepEqual(codes(v.findings), ['TRUST_NO_COGNITO_PRINCIPAL']);
    assert.match(v.findings[0]!.message, /lambda\.amazonaws\.com/);
    assert.equal(check(trustDocument({ principal: { AWS: 'arn:aws:iam::123456789012:root' } })).findings[0]!.code, 'TRUST_NO_COGNITO_PRINCIPAL');
  });

  it('TRUST_WRONG_ACTION: sts:AssumeRole instead of sts:AssumeRoleWithWebIdentity', () => {
    const v = check(trustDocument({ action: 'sts:AssumeRole' }));
    assert.equal(v.assumable, false);
    assert.deepEqual(codes(v.findings), ['TRUST_WRONG_ACTION']);
    assert.match(v.findings[0]!.message, /sts:AssumeRole,|sts:AssumeRole but|perform sts:AssumeRole/);
  });

  it('a wildcard action covers the web-identity call', () => {
    assert.equal(check(trustDocument({ action: 'sts:AssumeRole*' })).assumable, true);
  });

  it('TRUST_KEY_MISSPELLED: cognito-identity.amazon.com:aud can never hold', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'cognito-identity.amazon.com:aud': IDENTITY_POOL_ID }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
        },
      ],
    };
    const v = check(doc);
    assert.equal(v.assumable, false);
    assert.ok(codes(v.findings).includes('TRUST_KEY_MISSPELLED'));
    assert.match(v.findings.find((f) => f.code === 'TRUST_KEY_MISSPELLED')!.message, /did you mean "cognito-identity\.amazonaws\.com:aud"/);
  });

  it('TRUST_AMR_MISMATCH: an authenticated role that requires unauthenticated, and the reverse', () => {
    const v = check(trustDocument({ amr: 'unauthenticated' }));
    assert.equal(v.assumable, false);
    assert.deepEqual(codes(v.findings), ['TRUST_AMR_MISMATCH']);
    const guest = check(trustDocument({ amr: 'authenticated' }), { identityPoolId: IDENTITY_POOL_ID, kind: 'unauthenticated' });
    assert.equal(guest.assumable, false);
    assert.deepEqual(codes(guest.findings), ['TRUST_AMR_MISMATCH']);
    assert.equal(check(trustDocument({ amr: 'unauthenticated' }), { identityPoolId: IDENTITY_POOL_ID, kind: 'unauthenticated' }).assumable, true);
  });

  it('TRUST_AMR_SINGLE_VALUE_OPERATOR: amr tested with StringEquals', () => {
    const v = check(trustDocument({ amrOperator: 'StringEquals' }));
    assert.ok(codes(v.findings).includes('TRUST_AMR_SINGLE_VALUE_OPERATOR'));
    assert.equal(v.findings.find((f) => f.code === 'TRUST_AMR_SINGLE_VALUE_OPERATOR')!.severity, 'warning');
  });

  it('TRUST_EXPLICIT_DENY: a Deny statement that matches the Cognito request', () => {
    const v = check(trustDocument({ extra: [{ Effect: 'Deny', Principal: '*', Action: 'sts:*' }] }));
    assert.equal(v.assumable, false);
    assert.deepEqual(codes(v.findings), ['TRUST_EXPLICIT_DENY']);
    const narrow = check(trustDocument({ extra: [{ Effect: 'Deny', Principal: '*', Action: 'sts:*', Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': OTHER_IDENTITY_POOL_ID } } }] }));
    assert.equal(narrow.assumable, true);
  });

  it('amr holds authenticated plus the provider entries for signed-in users, unauthenticated for guests', () => {
    assert.deepEqual(amrFor({ identityPoolId: IDENTITY_POOL_ID, kind: 'unauthenticated' }), ['unauthenticated']);
    const amr = amrFor(target);
    assert.equal(amr[0], 'authenticated');
    assert.ok(amr.includes(`cognito-idp.eu-central-1.amazonaws.com/${USER_POOL_ID}`));
    // A trust policy that requires the provider entry (ForAnyValue:StringLike on the pool) is assumable.
    assert.equal(check(trustDocument({ amr: `cognito-idp.eu-central-1.amazonaws.com/${USER_POOL_ID}` })).assumable, true);
  });

  it('a role without a readable trust policy is not assumable and has no trust findings', () => {
    const v = checkTrust(role('R', { AssumeRolePolicyDocument: null }), target);
    assert.equal(v.assumable, false);
    assert.equal(v.policy, null);
  });
});
