// The server half of Cognito's SRP, for tests: it holds the verifier v = g^x and checks a
// PASSWORD_VERIFIER claim with the server-side equation S = (A * v^u)^b mod N. Agreement with the
// client-side S = (B - k g^x)^(a + u x) shows the client math is SRP-6a, not just equal to the oracle.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { g, k, modPow, N, padHex, srpPoolName } from '../../src/aws/srp.ts';

const hex = (h: string) => BigInt(`0x${h}`);
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface SrpServer {
  /** The challenge parameters for a client's SRP_A (hex). */
  challenge(srpA: string): { srpB: string; salt: string; secretBlock: string };
  /** Checks the client's PASSWORD_VERIFIER responses against the last challenge. */
  verify(responses: { PASSWORD_CLAIM_SIGNATURE: string; PASSWORD_CLAIM_SECRET_BLOCK: string; TIMESTAMP: string }): boolean;
}

export function srpServerChallenge(o: { userPoolId: string; userIdForSrp: string; password: string }): SrpServer {
  const poolName = srpPoolName(o.userPoolId);
  const salt = randomBytes(16).toString('hex');
  const x = hex(sha(Buffer.from(padHex(hex(salt)) + sha(`${poolName}${o.userIdForSrp}:${o.password}`), 'hex')));
  const v = modPow(g, x, N);
  let last: { A: bigint; b: bigint; B: bigint; secretBlock: string } | undefined;
  return {
    challenge(srpA) {
      const A = hex(srpA);
      const b = hex(randomBytes(32).toString('hex'));
      const B = (k * v + modPow(g, b, N)) % N;
      last = { A, b, B, secretBlock: randomBytes(48).toString('base64') };
      return { srpB: B.toString(16), salt, secretBlock: last.secretBlock };
    },
    verify(responses) {
      if (!last || responses.PASSWORD_CLAIM_SECRET_BLOCK !== last.secretBlock) return false;
      const u = hex(sha(Buffer.from(padHex(last.A) + padHex(last.B), 'hex')));
      const S = modPow(last.A * modPow(v, u, N), last.b, N);
      const key = Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), 'Caldera Derived Key', 16));
      const message = Buffer.concat([
        Buffer.from(poolName), Buffer.from(o.userIdForSrp), Buffer.from(last.secretBlock, 'base64'), Buffer.from(responses.TIMESTAMP),
      ]);
      const expected = createHmac('sha256', key).update(message).digest();
      const given = Buffer.from(responses.PASSWORD_CLAIM_SIGNATURE, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
