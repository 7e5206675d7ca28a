// Our SRP against the reference client amazon-cognito-identity-js, for fixed inputs: the same a,
// salt, B, secret block and timestamp must give the same SRP_A and PASSWORD_CLAIM_SIGNATURE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { cognitoTimestamp, g, k, modPow, N, padHex, passwordVerifierResponses, srpStart } from '../../src/aws/srp.ts';
import { srpServerChallenge } from './srpServer.ts';

const require = createRequire(__filename);
// The oracle (devDependency). Its CommonJS build lets us pin the random a and the clock.
const { CognitoUserPool, CognitoUser, AuthenticationDetails } = require('amazon-cognito-identity-js');
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js').default;
const DateHelper = require('amazon-cognito-identity-js/lib/DateHelper.js').default;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default;

interface OracleRun {
  srpA: string;
  responses: Record<string, string>;
}

/** Runs the reference client's USER_SRP_AUTH against a fake transport that serves a fixed challenge. */
function runOracle(o: { poolId: string; username: string; password: string; aHex: string; challenge: Record<string, string>; timestamp: string }): Promise<OracleRun> {
  const originalRandom = AuthenticationHelper.prototype.generateRandomSmallA;
  const originalNow = DateHelper.prototype.getNowString;
  AuthenticationHelper.prototype.generateRandomSmallA = () => new BigInteger(o.aHex, 16);
  DateHelper.prototype.getNowString = () => o.timestamp;
  const pool = new CognitoUserPool({ UserPoolId: o.poolId, ClientId: 'client0000000000000000000a' });
  let srpA = '';
  return new Promise<OracleRun>((resolve, reject) => {
    pool.client = {
      request(operation: string, params: { AuthParameters?: Record<string, string>; ChallengeResponses?: Record<string, string> }, callback: (err: unknown, data?: unknown) => void) {
        if (operation === 'InitiateAuth') {
          srpA = params.AuthParameters!.SRP_A!;
          callback(null, { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: o.challenge });
        } else {
          resolve({ srpA, responses: params.ChallengeResponses! });
          callback(new Error('oracle stops here'));
        }
      },
    };
    const user = new CognitoUser({ Username: o.username, Pool: pool });
    user.authenticateUser(new AuthenticationDetails({ Username: o.username, Password: o.password }), {
      onSuccess: () => reject(new Error('unexpected success')),
      onFailure: () => undefined,
    });
  }).finally(() => {
    AuthenticationHelper.prototype.generateRandomSmallA = originalRandom;
    DateHelper.prototype.getNowString = originalNow;
  });
}

test('padHex follows the reference client (even length, 00 before a high first nibble)', () => {
  assert.equal(padHex(0x1n), '01');
  assert.equal(padHex(0x7fn), '7f');
  assert.equal(padHex(0x80n), '0080');
  assert.equal(padHex(0xabcn), '0abc');
  assert.equal(padHex(N).slice(0, 4), '00ff');
  assert.equal(k.toString(16).length > 60, true);
});

test('timestamp is "EEE MMM d HH:mm:ss UTC yyyy" with an unpadded day', () => {
  assert.equal(cognitoTimestamp(new Date(Date.UTC(2026, 2, 3, 9, 5, 7))), 'Tue Mar 3 09:05:07 UTC 2026');
  assert.equal(cognitoTimestamp(new Date(Date.UTC(2026, 10, 26, 23, 59, 0))), 'Thu Nov 26 23:59:00 UTC 2026');
});

test('SRP_A and PASSWORD_CLAIM_SIGNATURE equal the reference client for fixed inputs', async () => {
  const aBytes = Buffer.alloc(128, 0);
  aBytes.write('a1b2c3d4e5f60718293a4b5c6d7e8f90', 'hex');
  aBytes[127] = 0x42;
  const salt = 'd2f5a1c3b4e6978812345678abcdef01';
  const srpB = modPow(g, 0x1234567890abcdefn ** 5n, N).toString(16);
  const secretBlock = Buffer.from('a fixed secret block from Cognito, any bytes').toString('base64');
  const timestamp = 'Thu Nov 26 12:00:00 UTC 2026';
  const challenge = { SALT: salt, SRP_B: srpB, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: 'alice-internal-id' };

  const oracle = await runOracle({ poolId: 'eu-central-1_BOOKS1234', username: 'alice', password: 'Pa55word!', aHex: aBytes.toString('hex'), challenge, timestamp });
  const state = srpStart(aBytes);
  assert.equal(state.srpA, oracle.srpA);
  const ours = passwordVerifierResponses({
    userPoolId: 'eu-central-1_BOOKS1234', userIdForSrp: 'alice-internal-id', password: 'Pa55word!', state, srpB, salt, secretBlock,
    now: new Date(Date.UTC(2026, 10, 26, 12, 0, 0)),
  });
  assert.equal(ours.TIMESTAMP, timestamp);
  assert.equal(ours.PASSWORD_CLAIM_SECRET_BLOCK, oracle.responses.PASSWORD_CLAIM_SECRET_BLOCK);
  assert.equal(ours.PASSWORD_CLAIM_SIGNATURE, oracle.responses.PASSWORD_CLAIM_SIGNATURE);
  assert.equal(oracle.responses.USERNAME, 'alice-internal-id');
});

test('property: random a, salt, B and passwords agree with the reference client', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ minLength: 128, maxLength: 128 }),
      fc.uint8Array({ minLength: 1, maxLength: 16 }),
      fc.bigInt({ min: 2n, max: 2n ** 256n }),
      fc.string({ minLength: 1, maxLength: 20 }),
      async (a, saltBytes, b, password) => {
        if (a.every((x) => x === 0)) return;
        const salt = Buffer.from(saltBytes).toString('hex');
        const srpB = modPow(g, b, N).toString(16);
        const secretBlock = Buffer.from(saltBytes).toString('base64') || 'AA==';
        const timestamp = 'Mon Jan 5 01:02:03 UTC 2026';
        const challenge = { SALT: salt, SRP_B: srpB, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: 'u1' };
        const oracle = await runOracle({ poolId: 'us-east-1_Pool', username: 'u1', password, aHex: Buffer.from(a).toString('hex'), challenge, timestamp });
        const ours = passwordVerifierResponses({
          userPoolId: 'us-east-1_Pool', userIdForSrp: 'u1', password, state: srpStart(Buffer.from(a)), srpB, salt, secretBlock,
          now: new Date(Date.UTC(2026, 0, 5, 1, 2, 3)),
        });
        assert.equal(ours.PASSWORD_CLAIM_SIGNATURE, oracle.responses.PASSWORD_CLAIM_SIGNATURE);
      },
    ),
    { numRuns: 12 },
  );
});

test('a verifier-holding server accepts our claim and rejects a wrong password', () => {
  const server = srpServerChallenge({ userPoolId: 'eu-central-1_BOOKS1234', userIdForSrp: 'bob', password: 'right-one' });
  for (const [password, ok] of [['right-one', true], ['wrong-one', false]] as const) {
    const state = srpStart();
    const challenge = server.challenge(state.srpA);
    const responses = passwordVerifierResponses({ userPoolId: 'eu-central-1_BOOKS1234', userIdForSrp: 'bob', password, state, ...challenge });
    assert.equal(server.verify(responses), ok);
  }
});
