// The built-in sample account is the sandbox's seed, so the extension shows offline exactly the
// account that `npm run sandbox` serves; and its diagnosis shows the scenario's faults.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/core/diagnose.ts';
import { parseSnapshot } from '../../src/core/snapshot.ts';
import { simulate } from '../../src/core/simulate.ts';
import { SAMPLE_PATH, sampleText } from '../sandbox/writeSample.ts';

describe('the sample account', () => {
  const text = readFileSync(SAMPLE_PATH, 'utf8');
  it('is the sandbox seed (run `npm run sample:update` after changing the seed)', () => {
    assert.equal(text, sampleText());
  });
  it('shows the broken pool, the strict pool and the tie', () => {
    const snapshot = parseSnapshot(text, 'sample-account.json');
    const codes = new Set<string>(diagnose(snapshot).findings.map((f) => f.code));
    for (const code of ['TRUST_AUD_IS_USER_POOL_ID', 'POOL_AMBIGUOUS_DENY', 'GROUP_PRECEDENCE_TIE', 'USER_NO_PREFERRED_ROLE']) assert.ok(codes.has(code), code);
    const testuser1 = simulate(snapshot, { user: 'testuser1', clientId: 'webclient0000000000000001', identityPoolId: 'books' });
    assert.equal(testuser1.resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksReadAccess');
    const broken = simulate(snapshot, { user: 'testuser1', clientId: 'webclient0000000000000001', identityPoolId: 'books-broken' });
    assert.deepEqual(broken.resolution.findings, ['TRUST_AUD_IS_USER_POOL_ID']);
  });
});

describe('the shared examples', () => {
  it('media/samples holds them as shared/spec/examples has them (when shared/ is beside the repo)', (t) => {
    for (const name of ['seed-healthy.json', 'seed-trust-aud-is-user-pool-id.json', 'seed-abac-no-tagsession.json']) {
      let shared: string;
      try {
        shared = readFileSync(new URL(`../../../shared/spec/examples/${name}`, import.meta.url), 'utf8');
      } catch {
        t.skip('shared/ is not beside this checkout');
        return;
      }
      assert.deepEqual(JSON.parse(readFileSync(new URL(`../../media/samples/${name}`, import.meta.url), 'utf8')), JSON.parse(shared), name);
    }
  });
});
