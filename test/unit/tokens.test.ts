import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { decodeToken, secondsUntilExpiry, TokenError, userPoolFromIssuer, verifyTokenSignature } from '../../src/core/tokens.ts';

const ISSUER = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234';
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let privateKey: PrivateKey;
let jwks: JSONWebKeySet;
let otherJwks: JSONWebKeySet;

async function sign(claims: Record<string, unknown>, kid = 'key-1', key: PrivateKey = privateKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(ISSUER).setIssuedAt().setExpirationTime('1h').sign(key);
}

before(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
  const other = await generateKeyPair('RS256', { extractable: true });
  otherJwks = { keys: [{ ...(await exportJWK(other.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
});

describe('token decoding', () => {
  it('reads an ID token: header, cognito claims as arrays, client and pool', async () => {
    const token = await sign({
      token_use: 'id',
      aud: 'client123',
      'cognito:groups': ['BooksRead'],
      'cognito:roles': ['arn:aws:iam::123456789012:role/BooksReadAccess'],
      'cognito:preferred_role': 'arn:aws:iam::123456789012:role/BooksReadAccess',
    });
    const t = decodeToken(token);
    assert.equal(t.header.kid, 'key-1');
    assert.equal(t.tokenUse, 'id');
    assert.deepEqual(t.groups, ['BooksRead']);
    assert.deepEqual(t.roles, ['arn:aws:iam::123456789012:role/BooksReadAccess']);
    assert.equal(t.preferredRole, 'arn:aws:iam::123456789012:role/BooksReadAccess');
    assert.equal(t.clientId, 'client123');
    assert.equal(t.userPoolId, 'eu-central-1_BOOKS1234');
    assert.equal(t.region, 'eu-central-1');
    const left = secondsUntilExpiry(t)!;
    assert.ok(left > 3500 && left <= 3600, String(left));
  });

  it('reads cognito:roles as a comma-separated string, as the docs show it', async () => {
    const t = decodeToken(await sign({ token_use: 'id', 'cognito:roles': 'arn:a, arn:b' }));
    assert.deepEqual(t.roles, ['arn:a', 'arn:b']);
    assert.equal(t.preferredRole, null);
  });

  it('reads an access token: client_id, not aud', async () => {
    const t = decodeToken(await sign({ token_use: 'access', client_id: 'client123', 'cognito:groups': ['A'] }));
    assert.equal(t.tokenUse, 'access');
    assert.equal(t.clientId, 'client123');
  });

  it('understands a local stand-in issuer', () => {
    assert.deepEqual(userPoolFromIssuer('http://127.0.0.1:9229/local_abc'), { region: null, userPoolId: 'local_abc' });
    assert.deepEqual(userPoolFromIssuer('http://localhost:1/eu-west-1_X'), { region: 'eu-west-1', userPoolId: 'eu-west-1_X' });
    assert.equal(userPoolFromIssuer('not a url'), null);
  });

  it('gives a clear error for malformed tokens', () => {
    assert.throws(() => decodeToken(''), { name: 'TokenError', message: 'The token is empty.' });
    assert.throws(() => decodeToken('abc'), /expected three dot-separated parts, found 1/);
    assert.throws(() => decodeToken('a.b'), /found 2/);
    assert.throws(() => decodeToken('a!.b.c'), /base64url/);
    assert.throws(() => decodeToken('e30.bm90IGpzb24.c2ln'), /payload is not valid/);
    assert.throws(() => decodeToken('bm9wZQ.e30.c2ln'), /header is not valid/);
  });

  it('property: random strings decode or give a TokenError, never anything else', () => {
    const part = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_=.!'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.tuple(part, part, part).map((p) => p.join('.'))), (text) => {
        try {
          decodeToken(text);
        } catch (error) {
          assert.ok(error instanceof TokenError, String(error));
        }
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});

describe('token signatures', () => {
  it('verifies a token signed by the pool key', async () => {
    assert.deepEqual(await verifyTokenSignature(await sign({ token_use: 'id' }), jwks), { status: 'verified' });
  });
  it('fails a token signed by another key, or with an unknown kid', async () => {
    const token = await sign({ token_use: 'id' });
    const wrong = await verifyTokenSignature(token, otherJwks);
    assert.equal(wrong.status, 'failed');
    assert.match(wrong.reason!, /signature does not match/);
    const unknown = await verifyTokenSignature(await sign({ token_use: 'id' }, 'key-2'), jwks);
    assert.match(unknown.reason!, /No key in the pool's JWKS matches/);
  });
  it('fails a tampered payload', async () => {
    const [h, , s] = (await sign({ token_use: 'id', 'cognito:groups': ['A'] })).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ token_use: 'id', 'cognito:groups': ['Admins'] })).toString('base64url')}.${s}`;
    assert.equal((await verifyTokenSignature(forged, jwks)).status, 'failed');
  });
  it('still verifies an expired but genuine token (expiry is shown separately)', async () => {
    const token = await new SignJWT({ token_use: 'id' }).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(privateKey);
    assert.equal((await verifyTokenSignature(token, jwks)).status, 'verified');
    assert.ok(secondsUntilExpiry(decodeToken(token))! < 0);
  });
});
