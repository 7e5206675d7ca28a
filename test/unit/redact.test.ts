import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { forgetAllSecrets, forgetSecret, mask, redact, redactError, rememberSecret } from '../../src/core/redact.ts';

describe('redaction', () => {
  afterEach(() => forgetAllSecrets());

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

  describe('by shape', () => {
    it('hides a bare 40-character secret access key', () => {
      assert.equal(redact('key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, then more.'), 'key [redacted], then more.');
      assert.equal(redact('AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), 'AWS_SECRET_ACCESS_KEY=[redacted]');
      assert.equal(redact('(Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0MTIz)'), '([redacted])');
    });
    it('hides a five-part refresh token (JWE) whole, and a JWT at the end of a sentence without its full stop', () => {
      const jwe = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.Gm7k-q3_RSAkey.aXZpdl9pdg.Y2lwaGVy-dGV4dF8.dGFnX3RhZw';
      assert.equal(redact(`refresh ${jwe} kept`), 'refresh [redacted token] kept');
      assert.equal(redact(`"RefreshToken":"${jwe}"`), '"RefreshToken":"[redacted]"');
      assert.equal(redact('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig-nature_1.'), 'token [redacted token].');
    });
    it('hides session tokens URL-encoded, with or without their parameter name', () => {
      const token = 'IQoJb3JpZ2luX2VjEJr%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaDGV1LWNlbnRyYWwtMSJHMEUCIQD%2Bxyz%3D';
      assert.equal(redact(`https://s3/x?X-Amz-Date=20240101&X-Amz-Security-Token=${token}&X-Amz-Signature=abc`),
        'https://s3/x?X-Amz-Date=20240101&X-Amz-Security-Token=[redacted]&X-Amz-Signature=abc');
      assert.equal(redact(`token=${token} next`), 'token=[redacted] next');
      const long = `${'AbCd%2F'.repeat(40)}%3D%3D`;
      assert.equal(redact(`blob ${long} end`), 'blob [redacted] end');
    });
    it('hides passwords with spaces, commas and quotes: the whole JSON string, escapes honoured, or the whole quoted value', () => {
      assert.equal(redact('{"password": "a b, \\"c", "user": "bob"}'), '{"password": "[redacted]", "user": "bob"}');
      assert.equal(redact('{"Password":"x\\\\","user":"bob"}'), '{"Password":"[redacted]","user":"bob"}');
      // JSON inside a JSON string: the value ends at its own escaped quote.
      assert.equal(redact('{"body":"{\\"PASSWORD\\":\\"a b\\\\\\" c\\",\\"USERNAME\\":\\"bob\\"}"}'), '{"body":"{\\"PASSWORD\\":\\"[redacted]\\",\\"USERNAME\\":\\"bob\\"}"}');
      assert.equal(redact("password='it is, \\'secret\\'' user=bob"), "password='[redacted]' user=bob");
      assert.equal(redact('NEW_PASSWORD="new one, 2" next'), 'NEW_PASSWORD="[redacted]" next');
      assert.equal(redact('password=a,b;c&user=bob'), 'password=[redacted]&user=bob');
      assert.equal(redact('{"password":12345678,"user":"bob"}'), '{"password":[redacted],"user":"bob"}');
      assert.equal(redact('{"password":null,"user":"bob"}'), '{"password":null,"user":"bob"}');
      assert.equal(redact('password: "unterminated, to the end of the line\nnext line'), 'password: "[redacted]\nnext line');
    });
    it('hides SECRET_HASH values, client secrets and TOTP secrets', () => {
      const hash = 'zrsj4SW7iVdPdr0jR2Pw13oTozu9jVPWIUZgvPmxG0s=';
      assert.equal(redact(`{"USERNAME":"alice","SECRET_HASH":"${hash}"}`), '{"USERNAME":"alice","SECRET_HASH":"[redacted]"}');
      assert.equal(redact(`hash ${hash} sent`), 'hash [redacted] sent');
      assert.equal(redact('"ClientSecret": "sandbox-mobile-client-secret-0001", "HasSecret": true'), '"ClientSecret": "[redacted]", "HasSecret": true');
      assert.equal(redact('client_secret=abcdef123&grant_type=x'), 'client_secret=[redacted]&grant_type=x');
      assert.equal(redact('secret 1pmgs3etcl3ud8e9spm5ihk7sbd5ojr0gl8ahn0jgna12btmk7g6 of web'), 'secret [redacted] of web');
      assert.equal(redact('{"SecretCode":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","Session":"s"}'), '{"SecretCode":"[redacted]","Session":"s"}');
      assert.equal(redact('otpauth://totp/Books:alice?secret=JBSWY3DPEHPK3PXP&issuer=Books'), 'otpauth://totp/Books:alice?secret=[redacted]&issuer=Books');
      assert.equal(redact('TOTP secret JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP, scan it'), 'TOTP secret [redacted], scan it');
    });
  });

  describe('leaves ordinary text alone', () => {
    const ordinary = [
      'arn:aws:iam::123456789012:role/service-role/CognitoAccessInspectorAuthenticated',
      'arn:aws:iam::123456789012:role/CognitoAuthRoleForBooksApplication12',
      'arn:aws:dynamodb:eu-central-1:123456789012:table/user-notes/index/byOwner',
      'arn:aws:secretsmanager:eu-central-1:123456789012:secret:MySecret-AbCdEf',
      'arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_AbC123',
      'user pool eu-central-1_AbC123, client 1example23456789abcdefghij, account 123456789012',
      'identity eu-central-1:1234abcd-12ab-34cd-56ef-1234567890ab',
      'group VeryLongGroupNameWithoutAnyDigitsInItAtAll and group Editors',
      'commit 0123456789abcdef0123456789abcdef01234567',
      'NotAuthorizedException: Incorrect username or password.',
      'the remembered password of bob was refused; forgotten',
      '"HasSecret": true, "PasswordPolicy": {"MinimumLength": 8}',
      'Probing as arn:aws:sts::123456789012:assumed-role/BooksReader/CognitoIdentityCredentials (identity eu-central-1:00000000-0000-4000-8000-000000000000)',
      'took 123456 ms at 2026-03-03T09:05:07Z',
    ];
    for (const text of ordinary) it(text, () => assert.equal(redact(text), text));
  });

  describe('known secret values', () => {
    it('hides a registered value wherever it appears: clear, URL-encoded, form-encoded, JSON-escaped', () => {
      const password = 'p@ss w0rd, "quoted"';
      rememberSecret(password);
      const text = `a ${password} b ${encodeURIComponent(password)} c ${new URLSearchParams({ p: password }).toString()} d ${JSON.stringify({ note: password })}`;
      const out = redact(text);
      assert.doesNotMatch(out, /w0rd/);
      assert.equal(out, 'a [redacted] b [redacted] c p=[redacted] d {"note":"[redacted]"}');
    });
    it('hides a value inside any text, not only after a name', () => {
      rememberSecret('correct-horse-battery');
      assert.equal(redact('NotAuthorizedException: bad input correct-horse-battery (x)'), 'NotAuthorizedException: bad input [redacted] (x)');
    });
    it('treats regex and replacement characters in a value literally', () => {
      rememberSecret('a.*$&$1(x');
      assert.equal(redact('1 a.*$&$1(x 2 aXYZ$&$1(x'), '1 [redacted] 2 aXYZ$&$1(x');
    });
    it('does not register short values; a numeric code is hidden only as a whole number', () => {
      rememberSecret('abc12');
      assert.equal(redact('abc12 stays'), 'abc12 stays');
      rememberSecret('654321');
      assert.equal(redact('code 654321, account 106543219876, pool eu-central-1_x654321'), 'code [redacted], account 106543219876, pool eu-central-1_x654321');
    });
    it('hides the longer of two overlapping values whole; forgets on request', () => {
      rememberSecret('secret-one');
      rememberSecret('secret-one-and-more');
      assert.equal(redact('x secret-one-and-more y'), 'x [redacted] y');
      forgetSecret('secret-one-and-more');
      forgetSecret('secret-one');
      assert.equal(redact('x secret-one y'), 'x secret-one y');
    });
    it('redacts an error\'s message and stack in place', () => {
      rememberSecret('Sup3r-S3cret!');
      const error = new Error('sign-in failed for Sup3r-S3cret!');
      assert.equal(redactError(error), error);
      assert.equal(error.message, 'sign-in failed for [redacted]');
      assert.doesNotMatch(error.stack ?? '', /Sup3r/);
    });
    it('is one registry per process (the extension and the AWS bundle share it through globalThis)', () => {
      rememberSecret('shared-between-bundles');
      const registry = (globalThis as Record<symbol, Set<string>>)[Symbol.for('cognitoAccess.redact.knownSecrets')];
      assert.ok(registry?.has('shared-between-bundles'));
    });
  });
});
