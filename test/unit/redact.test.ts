import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mask, redact } from '../../src/core/redact.ts';

describe('redaction', () => {
  it('hides JWTs, keys and secrets, keeps the rest', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const text = `[signIn] token ${jwt} for testuser1; key ASIAABCDEFGHIJKL1234 secretAccessKey=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY "SessionToken": "IQoJb3JpZ2luX2VjEJr" password: hunter2`;
    const out = redact(text);
    assert.doesNotMatch(out, /eyJhbGci/);
    assert.doesNotMatch(out, /wJalrXUtnFEMI/);
    assert.doesNotMatch(out, /IQoJb3JpZ2lu/);
    assert.doesNotMatch(out, /hunter2/);
    assert.match(out, /ASIA\*{12}1234/);
    assert.match(out, /\[signIn\] token \[redacted token\] for testuser1/);
  });
  it('hides long base64 blobs', () => {
    assert.equal(redact(`x ${'A'.repeat(200)} y`), 'x [redacted] y');
  });
  it('masks for display', () => {
    assert.equal(mask('ASIAABCDEFGHIJKL1234'), 'ASIA••••••••••••1234');
    assert.equal(mask('abc'), '•••');
  });
});
