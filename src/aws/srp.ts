// Cognito's Secure Remote Password (SRP-6a variant) for USER_SRP_AUTH, on node:crypto and bigint.
//
// Cognito documents the flow (InitiateAuth with SRP_A, then RespondToAuthChallenge
// PASSWORD_VERIFIER with PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK and TIMESTAMP;
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html)
// but not the arithmetic. That is defined by AWS's reference client, amazon-cognito-identity-js
// (src/AuthenticationHelper.js, CognitoUser.authenticateUserDefaultAuth), which our tests use as
// the oracle:
//   N, g  = the 3072-bit MODP group of RFC 3526, g = 2
//   k     = H(pad(N) | pad(g))                      H = SHA-256 over the bytes of the hex strings
//   A     = g^a mod N                               a = 128 random bytes
//   u     = H(pad(A) | pad(B))
//   x     = H(pad(salt) | H(poolName | userId | ":" | password))   poolName = pool id after "_"
//   S     = (B - k * g^x)^(a + u * x) mod N
//   key   = HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key", 16 bytes)
//   claim = base64(HMAC-SHA256(key, poolName | userId | base64decode(SECRET_BLOCK) | timestamp))
// pad(): hex of even length, with "00" prepended when the first nibble is 8-f (a positive
// two's-complement integer). The timestamp is "EEE MMM d HH:mm:ss UTC yyyy" in UTC, day unpadded.
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;

/** Hex of a non-negative integer, even length, "00"-prefixed when the high bit is set. */
export function padHex(value: bigint): string {
  if (value < 0n) throw new RangeError('padHex: negative value');
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** H over the bytes a hex string stands for, as a hex string. */
function hexHash(hex: string): string {
  return sha256(Buffer.from(hex, 'hex')).toString('hex');
}

function fromHex(hex: string): bigint {
  if (!/^[0-9a-f]+$/i.test(hex)) throw new Error('SRP: expected a hex string from Cognito');
  return BigInt(`0x${hex}`);
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

export const k = fromHex(hexHash(padHex(N) + padHex(g)));

export interface SrpClientState {
  /** The secret ephemeral a; never leaves the process. */
  a: bigint;
  A: bigint;
  /** What goes into AuthParameters.SRP_A (plain hex, as the reference client sends it). */
  srpA: string;
}

/** Starts an SRP exchange. `random` is 128 bytes; pass fixed bytes only in tests. */
export function srpStart(random: Buffer = randomBytes(128)): SrpClientState {
  const a = fromHex(random.toString('hex'));
  const A = modPow(g, a, N);
  if (A % N === 0n) throw new Error('SRP: A mod N is 0');
  return { a, A, srpA: A.toString(16) };
}

/** The pool name that enters the hashes: the part of the pool id after the underscore. */
export function srpPoolName(userPoolId: string): string {
  const name = userPoolId.split('_')[1];
  if (!name) throw new Error(`SRP: "${userPoolId}" is not a user pool id (region_name)`);
  return name;
}

export interface PasswordKeyInput {
  userPoolId: string;
  /** ChallengeParameters.USER_ID_FOR_SRP (the internal user name, not always what the user typed). */
  userIdForSrp: string;
  password: string;
  state: SrpClientState;
  /** ChallengeParameters.SRP_B and SALT, hex. */
  srpB: string;
  salt: string;
}

/** The 16-byte key that signs the password claim. */
export function passwordAuthenticationKey(input: PasswordKeyInput): Buffer {
  const B = fromHex(input.srpB);
  if (B % N === 0n) throw new Error('SRP: B mod N is 0');
  const u = fromHex(hexHash(padHex(input.state.A) + padHex(B)));
  if (u === 0n) throw new Error('SRP: u is 0');
  const identityHash = sha256(`${srpPoolName(input.userPoolId)}${input.userIdForSrp}:${input.password}`).toString('hex');
  const x = fromHex(hexHash(padHex(fromHex(input.salt)) + identityHash));
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  const S = modPow(base, input.state.a + u * x, N);
  const key = hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), Buffer.from('Caldera Derived Key', 'utf8'), 16);
  return Buffer.from(key);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "EEE MMM d HH:mm:ss UTC yyyy", e.g. "Tue Mar 3 09:05:07 UTC 2026" (day of month not padded). */
export function cognitoTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

export interface PasswordVerifierInput extends PasswordKeyInput {
  /** ChallengeParameters.SECRET_BLOCK, base64. */
  secretBlock: string;
  /** Fixed only in tests. */
  now?: Date;
}

/** The PASSWORD_VERIFIER challenge responses, without USERNAME and SECRET_HASH (the caller adds them). */
export function passwordVerifierResponses(input: PasswordVerifierInput): {
  PASSWORD_CLAIM_SIGNATURE: string;
  PASSWORD_CLAIM_SECRET_BLOCK: string;
  TIMESTAMP: string;
} {
  const key = passwordAuthenticationKey(input);
  const timestamp = cognitoTimestamp(input.now ?? new Date());
  const message = Buffer.concat([
    Buffer.from(srpPoolName(input.userPoolId), 'utf8'),
    Buffer.from(input.userIdForSrp, 'utf8'),
    Buffer.from(input.secretBlock, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  return {
    PASSWORD_CLAIM_SIGNATURE: createHmac('sha256', key).update(message).digest('base64'),
    PASSWORD_CLAIM_SECRET_BLOCK: input.secretBlock,
    TIMESTAMP: timestamp,
  };
}
