// Conditions on Cognito's keys decided before iam-simulate (cognitoConditions.ts): amr is
// multivalued, so a trust may admit a provider name that is not amr's first value.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trustAllows } from './authorize.ts';
import { cognitoKeyValues, resolveCognitoConditions } from './cognitoConditions.ts';
import { IamStore } from './iamStore.ts';
import { ACCOUNT_ID, type PolicyDocument } from './seed.ts';

const AMR = ['authenticated', 'login.sandbox.test', 'login.sandbox.test:alice'];
const values = cognitoKeyValues('eu-central-1:identity', 'eu-central-1:pool', AMR);
const stmt = (Condition: Record<string, unknown>): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition }] });
const applies = (Condition: Record<string, unknown>): boolean => {
  const out = resolveCognitoConditions(stmt(Condition), values).Statement[0];
  return out?.NotAction !== '*';
};

describe('conditions on cognito-identity.amazonaws.com keys', () => {
  it('amr is a set: ForAnyValue finds any value, ForAllValues needs every value, a plain negated operator none', () => {
    assert.equal(applies({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'login.sandbox.test' } }), true);
    assert.equal(applies({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' } }), false);
    assert.equal(applies({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': ['x', 'login.*'] } }), true);
    assert.equal(applies({ 'ForAllValues:StringLike': { 'cognito-identity.amazonaws.com:amr': ['authenticated', 'login.sandbox.test*'] } }), true);
    assert.equal(applies({ 'ForAllValues:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }), false);
    assert.equal(applies({ StringNotLike: { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' } }), true);
    assert.equal(applies({ 'ForAnyValue:StringNotEquals': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }), true);
    assert.equal(applies({ StringEqualsIgnoreCase: { 'Cognito-Identity.amazonaws.com:AUD': 'EU-CENTRAL-1:POOL' } }), true);
    assert.equal(applies({ StringEquals: { 'cognito-identity.amazonaws.com:aud': 'eu-central-1_BOOKS1234' } }), false);
    assert.equal(applies({ Null: { 'cognito-identity.amazonaws.com:sub': 'false' } }), true);
  });

  it('other keys and operators are left for iam-simulate; decided ones are removed', () => {
    const out = resolveCognitoConditions(stmt({
      StringEquals: { 'cognito-identity.amazonaws.com:aud': 'eu-central-1:pool', 'aws:PrincipalTag/dept': 'books' },
      'cognito-identity.amazonaws.com:misspelled': {},
      StringLike: { 'cognito-identity.amazon.com:aud': 'x' },
    }), values).Statement[0];
    assert.deepEqual(out?.Condition, { StringEquals: { 'aws:PrincipalTag/dept': 'books' }, StringLike: { 'cognito-identity.amazon.com:aud': 'x' } });
  });

  it('a trust that admits a provider name in amr (not its first value) lets Cognito assume the role', async () => {
    const trust = (amr: string): PolicyDocument => ({ Version: '2012-10-17', Statement: [{
      Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'eu-central-1:pool' }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr } },
    }] });
    const allowed = async (amr: string): Promise<boolean> => {
      const role = new IamStore([{ RoleName: 'R', Description: '', AssumeRolePolicyDocument: trust(amr), Attached: [], Inline: {} }], [], []).role('R');
      assert.ok(role);
      return trustAllows(role, ACCOUNT_ID, 'eu-central-1:identity', 'eu-central-1:pool', AMR);
    };
    assert.equal(await allowed('login.sandbox.test'), true);
    assert.equal(await allowed('authenticated'), true);
    assert.equal(await allowed('accounts.google.com'), false);
  });
});
