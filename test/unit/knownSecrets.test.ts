// Where the session learns a secret, it registers it (src/core/redact.ts rememberSecret), and the
// log and the CLI's error output then hide it whatever carries it there: sign-in (password,
// client secret, SECRET_HASH, challenge answers, tokens), the CLI's environment and prompts,
// VS Code's SecretStorage.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { forgetAllSecrets, redact } from '../../src/core/redact.ts';
import { secretHash, signIn, useIdToken } from '../../src/aws/signIn.ts';
import { secretFrom } from '../../src/pipeline/prompt.ts';
import { Log } from '../../src/vscode/log.ts';
import { Secrets } from '../../src/vscode/secrets.ts';

const PASSWORD = 'horse battery, "staple"';
const CLIENT_SECRET = 'client-secret-of-mobile-0001';
const TOKENS = {
  IdToken: 'id-token-value-123',
  AccessToken: 'access-token-value-456',
  RefreshToken: 'refresh-token-value-789',
};

/** A user pool that asks for a TOTP code, then signs the user in. */
function fakeCognito() {
  let step = 0;
  return {
    async send() {
      step++;
      if (step === 1) return { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's1', ChallengeParameters: { USERNAME: 'alice' } };
      return { AuthenticationResult: TOKENS };
    },
  } as never;
}

describe('known secrets', () => {
  afterEach(() => forgetAllSecrets());

  it('sign-in registers the password, client secret, SECRET_HASH, the TOTP code and every token', async () => {
    await signIn(fakeCognito(), {
      userPoolId: 'eu-central-1_POOL', clientId: 'client1', username: 'alice', password: PASSWORD, clientSecret: CLIENT_SECRET,
      flow: 'USER_PASSWORD_AUTH', answers: { newPassword: async () => 'unused', mfaCode: async () => '482913' },
    });
    const hash = secretHash('alice', 'client1', CLIENT_SECRET);
    const line = `request ${JSON.stringify({ PASSWORD, SECRET_HASH: hash, note: CLIENT_SECRET, code: '482913' })} got ${Object.values(TOKENS).join(' ')} ${encodeURIComponent(PASSWORD)}`;
    const out = redact(line);
    for (const secret of [PASSWORD, 'battery', CLIENT_SECRET, hash, '482913', ...Object.values(TOKENS), encodeURIComponent(PASSWORD)]) {
      assert.ok(!out.includes(secret), `${secret} in ${out}`);
    }
    assert.match(out, /^request \{"PASSWORD":"\[redacted\]"/);
  });

  it('a pasted ID token is registered', () => {
    useIdToken('  pasted.id.token-value \n');
    assert.equal(redact('token pasted.id.token-value!'), 'token [redacted]!');
  });

  it('the CLI registers what it reads from the environment or a prompt', async () => {
    await secretFrom({ COGNITO_ACCESS_PASSWORD: 'from-the-environment' }, 'COGNITO_ACCESS_PASSWORD', async () => 'unused', 'Password: ');
    await secretFrom({}, 'COGNITO_ACCESS_CLIENT_SECRET', async () => 'typed at the prompt', 'Client secret: ');
    assert.equal(redact('x from-the-environment y typed at the prompt z'), 'x [redacted] y [redacted] z');
  });

  it('the log hides a remembered secret read from SecretStorage', async () => {
    const stored = new Map([['cognitoAccess.password/eu-central-1_P/web/bob', 'remembered pass']]);
    const storage = { get: async (k: string) => stored.get(k), store: async () => undefined, delete: async () => undefined };
    const memento = { get: <T>(_k: string, fallback: T) => fallback, update: async () => undefined };
    const secrets = new Secrets(storage as unknown as vscode.SecretStorage, memento as unknown as vscode.Memento);
    await secrets.get({ kind: 'password', userPoolId: 'eu-central-1_P', clientId: 'web', username: 'bob' });
    const lines: string[] = [];
    const channel = { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l), error: (l: string) => lines.push(l), debug: (l: string) => lines.push(l) };
    const log = new Log(channel as unknown as vscode.LogOutputChannel, 'test-user');
    log.error(new Error('Cognito said: remembered pass is wrong'));
    log.info(`body ${JSON.stringify({ p: 'remembered pass' })}`);
    assert.deepEqual(lines, ['[test-user] Cognito said: [redacted] is wrong', '[test-user] body {"p":"[redacted]"}']);
  });
});
