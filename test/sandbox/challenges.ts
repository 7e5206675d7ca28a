// Helpers for tests of the sign-in challenges against the sandbox (the users of seedCognito.ts
// with a `challenge`): the current TOTP code of a secret, the SMS code cognito-local last sent,
// and putting a user back into FORCE_CHANGE_PASSWORD. The last two are the Sandbox's
// smsCode() and requireNewPassword(), bound to its data dir and endpoint in index.ts.
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { userByName } from './seed.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = BASE32.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/**
 * The TOTP code of a base32 secret at a time (RFC 6238 over RFC 4226's HOTP: HMAC-SHA1, 30 s
 * steps from the Unix epoch, dynamic truncation), as authenticator apps and Cognito compute it.
 * Written here with node:crypto rather than taken from cognito-local's otplib (not a dependency
 * of ours), so the sandbox's check is a second implementation; challenges.test.ts runs the RFC's
 * test vectors.
 */
export function totpCode(secret: string, at: Date = new Date(), digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * The SMS_MFA code cognito-local last sent to `username`: its InitiateAuth saves the code as the
 * user's MFACode in its pool file `<dataDir>/.cognito/db/<poolId>.json` (awaited before it
 * answers) and clears it once the code was accepted. The code is also printed in its log
 * ("Confirmation Code Delivery"), but the file needs no log capture. Rejects when no code is
 * pending (none sent yet, or already used).
 */
export async function readSmsCode(dataDir: string, userPoolId: string, username: string): Promise<string> {
  const file = join(dataDir, '.cognito', 'db', `${userPoolId}.json`);
  for (let attempt = 0; ; attempt++) {
    let data: { Users?: Record<string, { MFACode?: string }> };
    try {
      data = JSON.parse(await readFile(file, 'utf8')) as typeof data;
    } catch (e) {
      // A concurrent save may have left the file half written for a moment.
      if (e instanceof SyntaxError && attempt < 5) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      throw e;
    }
    const user = data.Users?.[username];
    if (!user) throw new Error(`no user ${username} in ${file}`);
    if (!user.MFACode) throw new Error(`no SMS code pending for ${username} (InitiateAuth sends one; an accepted code is cleared)`);
    return user.MFACode;
  }
}

/**
 * Puts a seed user back into FORCE_CHANGE_PASSWORD with its seed (temporary) password, so the
 * NEW_PASSWORD_REQUIRED challenge can be run again: AdminSetUserPassword with Permanent false,
 * through the gateway with the admin keys (cognito-local sets UserStatus FORCE_CHANGE_PASSWORD).
 */
export async function setTemporaryPassword(o: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; userPoolId: string }, username: string): Promise<void> {
  const idp = new CognitoIdentityProviderClient({ endpoint: o.endpoint, region: o.region, credentials: o.credentials });
  try {
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: o.userPoolId, Username: username, Password: userByName(username).password, Permanent: false }));
  } finally {
    idp.destroy();
  }
}
