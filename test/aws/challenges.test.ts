// The product's sign-in (src/aws/signIn.ts) and the CLI's test-user session (runSession, through
// runLiveCommand and directly) against the sandbox's challenge users and its client with a
// secret, over real HTTP: NEW_PASSWORD_REQUIRED (newuser), SOFTWARE_TOKEN_MFA (totpuser),
// SMS_MFA (smsuser), and SECRET_HASH on the mobile client (checked by the sandbox's gateway).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENTS, TOTP_SECRET, roleArn, userByName } from '../sandbox/seed.ts';
import { totpCode } from '../sandbox/challenges.ts';
import { signIn, type ChallengeAnswers, type SignInRequest } from '../../src/aws/signIn.ts';
import { TokenVerifier } from '../../src/aws/tokenVerifier.ts';
import { runSession, type SessionOptions } from '../../src/pipeline/session.ts';
import { runCli, startHarness, type Harness } from './helpers.ts';

const NEW_PASSWORD = 'Sandbox-newuser-chosen-1!';

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected the call to fail');
}

/** Answers that fail the test when Cognito asks for something else. */
const unexpected: ChallengeAnswers = {
  newPassword: () => Promise.reject(new Error('unexpected newPassword')),
  mfaCode: (kind) => Promise.reject(new Error(`unexpected mfaCode ${kind}`)),
};

describe('sign-in challenges and client secrets against the sandbox', () => {
  let h: Harness;
  const verifier = new TokenVerifier();
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  const request = (username: string, extra: Partial<SignInRequest> = {}): SignInRequest => ({
    userPoolId: h.sandbox.userPoolId, clientId: CLIENTS.web.ClientId, username, password: userByName(username).password, flow: 'USER_PASSWORD_AUTH', ...extra,
  });
  const groupsOf = async (idToken: string, clientId: string = CLIENTS.web.ClientId): Promise<unknown> => {
    const check = await verifier.verifyIdToken(idToken, { userPoolId: h.sandbox.userPoolId, region: h.context.region, clientId, endpoint: h.sandbox.endpoint });
    assert.equal(check.signature, 'verified', check.reason);
    return check.claims['cognito:groups'];
  };

  describe('signIn()', () => {
    test('newuser: NEW_PASSWORD_REQUIRED answered by answers.newPassword', async () => {
      await h.sandbox.requireNewPassword('newuser');
      const asked: unknown[] = [];
      const result = await signIn(h.context.clients.cognitoIdp, request('newuser', {
        answers: { ...unexpected, newPassword: async (info) => { asked.push(info); return NEW_PASSWORD; } },
      }));
      assert.deepEqual(asked, [{ requiredAttributes: [] }]);
      assert.deepEqual(result.challenges, ['NEW_PASSWORD_REQUIRED']);
      assert.deepEqual(await groupsOf(result.idToken), ['BooksRead']);
      // The new password is now the password; the challenge is over until the sandbox resets it.
      const plain = await signIn(h.context.clients.cognitoIdp, request('newuser', { password: NEW_PASSWORD, answers: unexpected }));
      assert.deepEqual(plain.challenges, []);
      await h.sandbox.requireNewPassword('newuser');
      const none = await rejection(signIn(h.context.clients.cognitoIdp, request('newuser')));
      assert.deepEqual(none, { name: 'SignInError', message: 'Cognito asks for NEW_PASSWORD_REQUIRED (a new password), and no answer was provided.' });
    });

    test('totpuser: SOFTWARE_TOKEN_MFA answered by answers.mfaCode with the current TOTP code', async () => {
      const asked: unknown[] = [];
      const result = await signIn(h.context.clients.cognitoIdp, request('totpuser', {
        answers: { ...unexpected, mfaCode: async (kind, info) => { asked.push([kind, info]); return totpCode(TOTP_SECRET); } },
      }));
      assert.deepEqual(asked, [['SOFTWARE_TOKEN_MFA', {}]]);
      assert.deepEqual(result.challenges, ['SOFTWARE_TOKEN_MFA']);
      assert.deepEqual(await groupsOf(result.idToken), ['BooksWrite']);
    });

    test('totpuser: a wrong code is refused with CodeMismatchException', async () => {
      const now = Date.now();
      const valid = new Set([-30_000, 0, 30_000].map((d) => totpCode(TOTP_SECRET, new Date(now + d))));
      let wrong = 0;
      while (valid.has(String(wrong).padStart(6, '0'))) wrong++;
      const e = await rejection(signIn(h.context.clients.cognitoIdp, request('totpuser', {
        answers: { ...unexpected, mfaCode: async () => String(wrong).padStart(6, '0') },
      })));
      assert.equal(e.name, 'CodeMismatchException');
    });

    test('smsuser: SMS_MFA answered by answers.mfaCode, told the destination, with the code the sandbox sent', async () => {
      const asked: unknown[] = [];
      const result = await signIn(h.context.clients.cognitoIdp, request('smsuser', {
        answers: { ...unexpected, mfaCode: async (kind, info) => { asked.push([kind, info]); return h.sandbox.smsCode('smsuser'); } },
      }));
      assert.deepEqual(asked, [['SMS_MFA', { destination: '+15555550123' }]]);
      assert.deepEqual(result.challenges, ['SMS_MFA']);
      assert.deepEqual(await groupsOf(result.idToken), ['BooksRead']);
    });

    test('the mobile client: the right clientSecret signs in; a wrong or missing one is NotAuthorized naming the secret hash', async () => {
      const mobile = CLIENTS.mobile.ClientId;
      const ok = await signIn(h.context.clients.cognitoIdp, request('testuser1', { clientId: mobile, clientSecret: h.sandbox.mobileClientSecret }));
      assert.deepEqual(await groupsOf(ok.idToken, mobile), ['BooksRead']);
      assert.deepEqual(await rejection(signIn(h.context.clients.cognitoIdp, request('testuser1', { clientId: mobile, clientSecret: 'not-the-secret' }))),
        { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${mobile}` });
      assert.deepEqual(await rejection(signIn(h.context.clients.cognitoIdp, request('testuser1', { clientId: mobile }))),
        { name: 'NotAuthorizedException', message: `Client ${mobile} is configured with secret but SECRET_HASH was not received` });
    });

    test('the mobile client with a challenge: the hash goes with the challenge response too', async () => {
      const result = await signIn(h.context.clients.cognitoIdp, request('totpuser', {
        clientId: CLIENTS.mobile.ClientId, clientSecret: h.sandbox.mobileClientSecret,
        answers: { ...unexpected, mfaCode: async () => totpCode(TOTP_SECRET) },
      }));
      assert.deepEqual(result.challenges, ['SOFTWARE_TOKEN_MFA']);
    });
  });

  describe('the CLI session (runSession)', () => {
    /** A prompt that answers by question and records what was asked. */
    const prompter = (answers: [RegExp, () => Promise<string> | string][]) => {
      const asked: { question: string; hidden: boolean }[] = [];
      const prompt = async (question: string, hidden: boolean): Promise<string> => {
        asked.push({ question, hidden });
        const found = answers.find(([re]) => re.test(question));
        if (!found) throw new Error(`unexpected prompt: ${question}`);
        return found[1]();
      };
      return { asked, prompt };
    };
    const options = (username: string, clientId: string = CLIENTS.web.ClientId): SessionOptions => ({
      userPoolId: h.sandbox.userPoolId, clientId, username, identityPoolId: h.sandbox.identityPools.books, authFlow: 'auto',
    });

    test('newuser: the new password is asked (hidden), then BooksReadAccess, and live and engine agree', async () => {
      await h.sandbox.requireNewPassword('newuser');
      const { asked, prompt } = prompter([[/^Cognito requires a new password: $/, () => NEW_PASSWORD]]);
      const session = await runSession(h.context, options('newuser'), { ...h.env, COGNITO_ACCESS_PASSWORD: userByName('newuser').password }, prompt);
      assert.deepEqual(asked, [{ question: 'Cognito requires a new password: ', hidden: true }]);
      assert.deepEqual(session.signIn, { flow: 'USER_PASSWORD_AUTH', challenges: ['NEW_PASSWORD_REQUIRED'] });
      assert.equal(session.comparison.live.roleArn, roleArn('BooksReadAccess'));
      assert.ok(session.comparison.agree, session.comparison.notes.join(' '));
      await h.sandbox.requireNewPassword('newuser');
    });

    test('newuser: COGNITO_ACCESS_NEW_PASSWORD answers without a prompt', async () => {
      await h.sandbox.requireNewPassword('newuser');
      const { asked, prompt } = prompter([]);
      const session = await runSession(h.context, options('newuser'), {
        ...h.env, COGNITO_ACCESS_PASSWORD: userByName('newuser').password, COGNITO_ACCESS_NEW_PASSWORD: NEW_PASSWORD,
      }, prompt);
      assert.deepEqual(asked, []);
      assert.deepEqual(session.signIn.challenges, ['NEW_PASSWORD_REQUIRED']);
      await h.sandbox.requireNewPassword('newuser');
    });

    test('totpuser: the authenticator code is asked, then BooksWriteAccess, agree', async () => {
      const { asked, prompt } = prompter([[/^Code from the authenticator app: $/, () => totpCode(TOTP_SECRET)]]);
      const session = await runSession(h.context, options('totpuser'), { ...h.env, COGNITO_ACCESS_PASSWORD: userByName('totpuser').password }, prompt);
      assert.deepEqual(asked, [{ question: 'Code from the authenticator app: ', hidden: false }]);
      assert.deepEqual(session.signIn.challenges, ['SOFTWARE_TOKEN_MFA']);
      assert.equal(session.comparison.live.roleArn, roleArn('BooksWriteAccess'));
      assert.ok(session.comparison.agree, session.comparison.notes.join(' '));
    });

    test('smsuser: the SMS code is asked naming the phone, then BooksReadAccess, agree', async () => {
      const { asked, prompt } = prompter([[/^Code sent by SMS to \+15555550123: $/, () => h.sandbox.smsCode('smsuser')]]);
      const session = await runSession(h.context, options('smsuser'), { ...h.env, COGNITO_ACCESS_PASSWORD: userByName('smsuser').password }, prompt);
      assert.deepEqual(asked, [{ question: 'Code sent by SMS to +15555550123: ', hidden: false }]);
      assert.deepEqual(session.signIn.challenges, ['SMS_MFA']);
      assert.equal(session.comparison.live.roleArn, roleArn('BooksReadAccess'));
      assert.ok(session.comparison.agree, session.comparison.notes.join(' '));
    });

    test('testuser1 through the mobile client: the client secret is asked (hidden), the pool found, BooksReadAccess, agree', async () => {
      const { asked, prompt } = prompter([[/^Client secret of mobileclient0000000000001: $/, () => h.sandbox.mobileClientSecret]]);
      const { identityPoolId: _pool, ...auto } = options('testuser1', CLIENTS.mobile.ClientId);
      const session = await runSession(h.context, auto, { ...h.env, COGNITO_ACCESS_PASSWORD: userByName('testuser1').password }, prompt);
      assert.deepEqual(asked, [{ question: `Client secret of ${CLIENTS.mobile.ClientId}: `, hidden: true }]);
      assert.equal(session.identityPoolId, h.sandbox.identityPools.books, 'books is the only pool that trusts mobile');
      assert.equal(session.comparison.live.roleArn, roleArn('BooksReadAccess'));
      assert.ok(session.comparison.agree, session.comparison.notes.join(' '));
    });

    test('cognito-access test-user --client mobile: JSON agrees on BooksReadAccess, no secret in the output', async () => {
      const run = await runCli('test-user', [
        '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.mobile.ClientId, '--username', 'testuser1', '--format', 'json',
      ], { ...h.env, COGNITO_ACCESS_PASSWORD: userByName('testuser1').password, COGNITO_ACCESS_CLIENT_SECRET: h.sandbox.mobileClientSecret });
      assert.equal(run.code, 0, run.stderr);
      const out = JSON.parse(run.stdout) as { identityPoolId: string; agree: boolean; live: { roleArn: string }; signIn: unknown };
      assert.equal(out.identityPoolId, h.sandbox.identityPools.books);
      assert.equal(out.live.roleArn, roleArn('BooksReadAccess'));
      assert.equal(out.agree, true);
      assert.deepEqual(out.signIn, { flow: 'USER_PASSWORD_AUTH', challenges: [] });
      assert.ok(!run.stdout.includes(h.sandbox.mobileClientSecret) && !run.stderr.includes(h.sandbox.mobileClientSecret), 'the client secret is never printed');
    });

    test('cognito-access test-user --client mobile with a wrong client secret: exit 1, NotAuthorized naming the secret hash', async () => {
      const run = await runCli('test-user', [
        '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.mobile.ClientId, '--username', 'testuser1',
      ], { ...h.env, COGNITO_ACCESS_PASSWORD: userByName('testuser1').password, COGNITO_ACCESS_CLIENT_SECRET: 'not-the-secret' });
      assert.equal(run.code, 1);
      // One line naming the service, operation, endpoint and AWS error code (cli.md, exit status).
      assert.equal(run.stderr, `cognito-access: cognito-idp InitiateAuth at ${h.sandbox.endpoint} failed: NotAuthorizedException: Unable to verify secret hash for client ${CLIENTS.mobile.ClientId}\n`);
      assert.equal(run.stdout, '');
    });

    test('cognito-access test-user for totpuser answers the code prompt and says which challenge it passed', async () => {
      const { prompt } = prompter([[/authenticator/, () => totpCode(TOTP_SECRET)]]);
      const run = await runCli('test-user', [
        '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.web.ClientId, '--username', 'totpuser',
        '--identity-pool', h.sandbox.identityPools.books,
      ], { ...h.env, COGNITO_ACCESS_PASSWORD: userByName('totpuser').password }, prompt);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /challenges: SOFTWARE_TOKEN_MFA/);
      assert.match(run.stdout, /AGREE/);
    });
  });
});
