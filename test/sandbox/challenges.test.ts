// The sign-in challenges and SECRET_HASH with the raw SDK: InitiateAuth USER_PASSWORD_AUTH, the
// challenge, RespondToAuthChallenge, tokens; wrong codes; the mobile client's secret hash
// (right, missing, wrong); and the helpers of challenges.ts (TOTP with RFC 6238's vectors).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { base32Decode, totpCode } from './challenges.ts';
import { startSandbox, type Sandbox } from './index.ts';
import { ACCOUNT_ID, CLIENTS, PLAIN_USERS, TOTP_SECRET, USERS, userByName } from './seed.ts';
import { secretHashOf } from './secretHash.ts';
import { credentialsForToken, rejection, signIn } from './testFlow.ts';

const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('totpCode (RFC 6238)', () => {
  // RFC 6238 appendix B, SHA-1: the seed is the ASCII "12345678901234567890", 8 digits.
  const seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const vectors: [number, string][] = [
    [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'],
    [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130'],
  ];
  it('base32 decodes the RFC seed', () => {
    assert.equal(base32Decode(seed).toString(), '12345678901234567890');
    assert.throws(() => base32Decode('A1'), /not base32/);
  });
  it('gives the RFC test vectors (8 digits) and their last six digits (6 digits, as Cognito)', () => {
    for (const [seconds, code] of vectors) {
      assert.equal(totpCode(seed, new Date(seconds * 1000), 8), code, `T=${seconds}`);
      assert.equal(totpCode(seed, new Date(seconds * 1000)), code.slice(2), `T=${seconds}`);
    }
  });
  it('changes every 30 seconds', () => {
    assert.equal(totpCode(TOTP_SECRET, new Date(30_000)), totpCode(TOTP_SECRET, new Date(59_999)));
    assert.notEqual(totpCode(TOTP_SECRET, new Date(59_999)), totpCode(TOTP_SECRET, new Date(60_000)));
  });
});

describe('the seed', () => {
  it('has one user per challenge, each outside PLAIN_USERS', () => {
    assert.deepEqual(USERS.filter((u) => u.challenge).map((u) => [u.Username, u.challenge]),
      [['newuser', 'NEW_PASSWORD_REQUIRED'], ['totpuser', 'SOFTWARE_TOKEN_MFA'], ['smsuser', 'SMS_MFA']]);
    assert.deepEqual(PLAIN_USERS.map((u) => u.Username), ['testuser1', 'writer', 'admin', 'tied', 'nogroup', 'noteuser']);
  });
});

describe('challenges through the gateway', () => {
  let sandbox: Sandbox;
  let idp: CognitoIdentityProviderClient;
  before(async () => {
    sandbox = await startSandbox();
    idp = new CognitoIdentityProviderClient({ endpoint: sandbox.endpoint, region: sandbox.region });
  });
  after(async () => {
    idp.destroy();
    await sandbox.stop();
  });

  const initiate = (username: string, password = userByName(username).password, clientId = sandbox.clients.web, extra: Record<string, string> = {}): Promise<InitiateAuthCommandOutput> =>
    idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: password, ...extra } }));
  const respond = (started: InitiateAuthCommandOutput, responses: Record<string, string>, clientId = sandbox.clients.web) =>
    idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: started.ChallengeName, Session: started.Session, ChallengeResponses: responses }));
  /** A six-digit code that is not `code`. */
  const otherThan = (...codes: string[]): string => {
    for (let n = 0; ; n++) {
      const candidate = String((Number(codes[0]) + 1 + n) % 1_000_000).padStart(6, '0');
      if (!codes.includes(candidate)) return candidate;
    }
  };

  describe('NEW_PASSWORD_REQUIRED (newuser)', () => {
    it('the temporary password gets the challenge, a new password gets tokens, and then signs in without one', async () => {
      const started = await initiate('newuser');
      assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      assert.ok(started.Session);
      assert.equal(started.AuthenticationResult, undefined);
      assert.equal(started.ChallengeParameters?.USER_ID_FOR_SRP, 'newuser');
      assert.deepEqual(JSON.parse(started.ChallengeParameters?.requiredAttributes ?? 'null'), []);
      const done = await respond(started, { USERNAME: 'newuser', NEW_PASSWORD: 'Sandbox-newuser-chosen-1!' });
      assert.ok(done.AuthenticationResult?.IdToken);
      assert.deepEqual(claims(done.AuthenticationResult.IdToken)['cognito:groups'], ['BooksRead']);
      const again = await initiate('newuser', 'Sandbox-newuser-chosen-1!');
      assert.equal(again.ChallengeName, undefined);
      assert.ok(again.AuthenticationResult?.IdToken);
      // As Cognito (the gateway rewrites cognito-local's InvalidPasswordException at sign-in).
      assert.deepEqual(await rejection(initiate('newuser')), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' }, 'the temporary password is gone');
    });

    it('requireNewPassword() brings the challenge back with the seed password', async () => {
      await sandbox.requireNewPassword('newuser');
      const started = await initiate('newuser');
      assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      await sandbox.requireNewPassword('newuser');
      assert.equal((await initiate('newuser')).ChallengeName, 'NEW_PASSWORD_REQUIRED', 'and again');
    });
  });

  describe('SOFTWARE_TOKEN_MFA (totpuser)', () => {
    it('the password gets the challenge; a wrong code is CodeMismatchException; the current code gets tokens', async () => {
      const started = await initiate('totpuser');
      assert.equal(started.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      assert.equal(started.ChallengeParameters?.USER_ID_FOR_SRP, 'totpuser');
      const now = Date.now();
      // cognito-local accepts one 30 s step either side: the wrong code is none of those.
      const valid = [-30_000, 0, 30_000].map((d) => totpCode(TOTP_SECRET, new Date(now + d)));
      const wrong = await rejection(respond(started, { USERNAME: 'totpuser', SOFTWARE_TOKEN_MFA_CODE: otherThan(...valid) }));
      assert.equal(wrong.name, 'CodeMismatchException');
      const done = await respond(started, { USERNAME: 'totpuser', SOFTWARE_TOKEN_MFA_CODE: totpCode(TOTP_SECRET) });
      assert.ok(done.AuthenticationResult?.IdToken);
      assert.deepEqual(claims(done.AuthenticationResult.IdToken)['cognito:groups'], ['BooksWrite']);
    });

    it('a wrong password gets no challenge', async () => {
      assert.match((await rejection(initiate('totpuser', 'wrong'))).name, /^(NotAuthorized|InvalidPassword)Exception$/);
    });
  });

  describe('SMS_MFA (smsuser)', () => {
    it('the password sends a code to the phone; a wrong code is CodeMismatchException; the sent code gets tokens once', async () => {
      const started = await initiate('smsuser');
      assert.equal(started.ChallengeName, 'SMS_MFA');
      // cognito-local names the whole number (Cognito masks it, e.g. +*******0123).
      assert.deepEqual(started.ChallengeParameters, {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+15555550123', USER_ID_FOR_SRP: 'smsuser',
      });
      const code = await sandbox.smsCode('smsuser');
      assert.match(code, /^\d{6}$/);
      const wrong = await rejection(respond(started, { USERNAME: 'smsuser', SMS_MFA_CODE: otherThan(code) }));
      assert.equal(wrong.name, 'CodeMismatchException');
      const done = await respond(started, { USERNAME: 'smsuser', SMS_MFA_CODE: code });
      assert.ok(done.AuthenticationResult?.IdToken);
      assert.deepEqual(claims(done.AuthenticationResult.IdToken)['cognito:groups'], ['BooksRead']);
      await assert.rejects(sandbox.smsCode('smsuser'), /no SMS code pending/);
      assert.equal((await rejection(respond(started, { USERNAME: 'smsuser', SMS_MFA_CODE: code }))).name, 'CodeMismatchException', 'a used code is gone');
    });

    it('each sign-in sends a new code', async () => {
      await initiate('smsuser');
      const first = await sandbox.smsCode('smsuser');
      const second = await initiate('smsuser');
      const code = await sandbox.smsCode('smsuser');
      // The earlier code is replaced (unless the random draw repeated it).
      if (first !== code) assert.equal((await rejection(respond(second, { USERNAME: 'smsuser', SMS_MFA_CODE: first }))).name, 'CodeMismatchException');
      assert.ok((await respond(second, { USERNAME: 'smsuser', SMS_MFA_CODE: code })).AuthenticationResult?.IdToken);
    });

    it('smsCode() of a user who was sent nothing rejects', async () => {
      await assert.rejects(sandbox.smsCode('testuser1'), /no SMS code pending for testuser1/);
      await assert.rejects(sandbox.smsCode('nobody'), /no user nobody/);
    });
  });

  describe('SECRET_HASH on the mobile client', () => {
    const mobile = CLIENTS.mobile.ClientId;
    const hash = (username: string, secret = CLIENTS.mobile.ClientSecret!): string => secretHashOf(username, mobile, secret);

    it('the right SECRET_HASH gets tokens whose aud is the mobile client', async () => {
      assert.equal(sandbox.clients.mobile, mobile);
      assert.equal(sandbox.mobileClientSecret, CLIENTS.mobile.ClientSecret);
      const out = await initiate('testuser1', undefined, mobile, { SECRET_HASH: hash('testuser1') });
      assert.ok(out.AuthenticationResult?.IdToken);
      assert.equal(claims(out.AuthenticationResult.IdToken).aud, mobile);
    });

    it('a missing SECRET_HASH: NotAuthorizedException, as Cognito words it', async () => {
      assert.deepEqual(await rejection(initiate('testuser1', undefined, mobile)),
        { name: 'NotAuthorizedException', message: `Client ${mobile} is configured with secret but SECRET_HASH was not received` });
    });

    it('a wrong SECRET_HASH (other secret, other user, or garbage): NotAuthorizedException', async () => {
      const expected = { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${mobile}` };
      assert.deepEqual(await rejection(initiate('testuser1', undefined, mobile, { SECRET_HASH: hash('testuser1', 'not-the-secret') })), expected);
      assert.deepEqual(await rejection(initiate('testuser1', undefined, mobile, { SECRET_HASH: hash('writer') })), expected);
      assert.deepEqual(await rejection(initiate('testuser1', undefined, mobile, { SECRET_HASH: 'x' })), expected);
    });

    it('the secret hash is checked before the password (a wrong password with a wrong hash names the hash)', async () => {
      const e = await rejection(initiate('testuser1', 'wrong', mobile, { SECRET_HASH: 'x' }));
      assert.equal(e.message, `Unable to verify secret hash for client ${mobile}`);
    });

    it('RespondToAuthChallenge is checked too: totpuser through the mobile client', async () => {
      const started = await initiate('totpuser', undefined, mobile, { SECRET_HASH: hash('totpuser') });
      assert.equal(started.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      const missing = await rejection(respond(started, { USERNAME: 'totpuser', SOFTWARE_TOKEN_MFA_CODE: totpCode(TOTP_SECRET) }, mobile));
      assert.equal(missing.message, `Client ${mobile} is configured with secret but SECRET_HASH was not received`);
      const wrong = await rejection(respond(started, { USERNAME: 'totpuser', SOFTWARE_TOKEN_MFA_CODE: totpCode(TOTP_SECRET), SECRET_HASH: hash('smsuser') }, mobile));
      assert.equal(wrong.message, `Unable to verify secret hash for client ${mobile}`);
      const done = await respond(started, { USERNAME: 'totpuser', SOFTWARE_TOKEN_MFA_CODE: totpCode(TOTP_SECRET), SECRET_HASH: hash('totpuser') }, mobile);
      assert.ok(done.AuthenticationResult?.IdToken);
    });

    it('REFRESH_TOKEN_AUTH is not checked (its hash would use the sub)', async () => {
      const out = await initiate('testuser1', undefined, mobile, { SECRET_HASH: hash('testuser1') });
      const refreshed = await idp.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: mobile, AuthParameters: { REFRESH_TOKEN: out.AuthenticationResult!.RefreshToken! } }));
      assert.ok(refreshed.AuthenticationResult?.IdToken);
    });

    it('the web client has no secret: no SECRET_HASH needed', async () => {
      assert.ok((await initiate('testuser1')).AuthenticationResult?.IdToken);
    });

    it('AdminInitiateAuth on the backend client (admin keys) is checked the same way', async () => {
      const admin = new CognitoIdentityProviderClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
      const backend = CLIENTS.backend.ClientId;
      const call = (extra: Record<string, string>) => admin.send(new AdminInitiateAuthCommand({
        UserPoolId: sandbox.userPoolId, ClientId: backend, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'writer', PASSWORD: userByName('writer').password, ...extra },
      }));
      try {
        assert.equal((await rejection(call({}))).message, `Client ${backend} is configured with secret but SECRET_HASH was not received`);
        assert.equal((await rejection(call({ SECRET_HASH: hash('writer') }))).message, `Unable to verify secret hash for client ${backend}`);
        const ok = await call({ SECRET_HASH: secretHashOf('writer', backend, sandbox.backendClientSecret) });
        assert.ok(ok.AuthenticationResult?.IdToken);
      } finally {
        admin.destroy();
      }
    });

    it('a mobile sign-in gets credentials from identity pool books: testuser1 as BooksReadAccess', async () => {
      const { idToken } = await signIn(sandbox, 'testuser1', 'mobile');
      const { credentials } = await credentialsForToken(sandbox, 'books', idToken);
      const sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
      const me = await sts.send(new GetCallerIdentityCommand({}));
      sts.destroy();
      assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksReadAccess/CognitoIdentityCredentials`);
      // books-strict trusts only web: the mobile token is not a login of that pool.
      assert.equal((await rejection(credentialsForToken(sandbox, 'books-strict', idToken))).name, 'NotAuthorizedException');
    });
  });

  it('testFlow.signIn() refuses a challenge user instead of hanging on the challenge', async () => {
    await assert.rejects(signIn(sandbox, 'totpuser'), /totpuser gets the SOFTWARE_TOKEN_MFA challenge/);
  });
});
