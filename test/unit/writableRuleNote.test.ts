// Test as User's note when the rule that gave the role tests a claim users write themselves
// (MAPPING_RULE_ON_WRITABLE_CLAIM): compareWithPrediction names the rule and says the claim may be
// user-written. On the sample account (the sandbox seed): books-rules-writable, client selfservice.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { compareWithPrediction, type LiveResolution } from '../../src/aws/identity.ts';
import { parseSnapshot } from '../../src/core/snapshot.ts';
import { SAMPLE_PATH } from '../sandbox/writeSample.ts';

const snapshot = parseSnapshot(readFileSync(SAMPLE_PATH, 'utf8'), 'sample-account.json');
const POOL = 'eu-central-1:d4d4d4d4-1111-2222-3333-444444444444';
const role = (name: string): string => `arn:aws:iam::123456789012:role/${name}`;
const claims = (extra: Record<string, unknown>, aud = 'selfserviceclient00000001') => ({
  iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234', aud, token_use: 'id', sub: 's', 'cognito:groups': ['BooksWrite'], ...extra,
});
const live = (roleArn: string): LiveResolution => ({
  outcome: 'credentials', identityId: 'eu-central-1:x', roleArn, callerArn: `arn:aws:sts::123456789012:assumed-role/${roleArn.split('/').pop()}/CognitoIdentityCredentials`, expiration: null, error: null,
});

describe('compareWithPrediction: a rule on a user-writable claim', () => {
  it('names the rule that matched and says the claim may be user-written', () => {
    const c = compareWithPrediction(snapshot, { identityPoolId: POOL, idTokenClaims: claims({ 'custom:role': 'admin' }), fillRoleClaims: true }, live(role('BooksAdmin')));
    assert.equal(c.agree, true);
    assert.equal(c.predicted.roleArn, role('BooksAdmin'));
    const note = c.notes.find((n) => n.includes('MAPPING_RULE_ON_WRITABLE_CLAIM'));
    assert.ok(note, c.notes.join(' | '));
    assert.match(note, /^Rules\[0\] \(custom:role Equals "admin" -> BooksAdmin\) matched on custom:role = "admin"/);
    assert.match(note, /user-written/);
    assert.deepEqual(c.findings.map((f) => f.code), ['MAPPING_RULE_ON_WRITABLE_CLAIM']);
  });

  it('says nothing when no rule matched (the default role)', () => {
    const c = compareWithPrediction(snapshot, { identityPoolId: POOL, idTokenClaims: claims({}), fillRoleClaims: true }, live(role('BooksDefaultAuth')));
    assert.equal(c.agree, true);
    assert.ok(!c.notes.some((n) => n.includes('MAPPING_RULE_ON_WRITABLE_CLAIM')), c.notes.join(' | '));
    assert.deepEqual(c.findings, []);
  });

  it('says nothing for a rule on a claim only administrators set (books-broken, cognito:groups)', () => {
    const c = compareWithPrediction(snapshot, {
      identityPoolId: 'eu-central-1:bbbbbbbb-1111-2222-3333-444444444444', idTokenClaims: claims({ 'cognito:groups': ['BooksRead'] }, 'webclient0000000000000001'), fillRoleClaims: true,
    }, live(role('BooksReadBroken')));
    assert.ok(!c.notes.some((n) => n.includes('MAPPING_RULE_ON_WRITABLE_CLAIM')), c.notes.join(' | '));
  });
});
