// An expired AWS SSO session gives one clear message with the command to run, through the SDK's
// real SSO credential provider reading a real (expired) token cache. No network: the provider
// refuses before calling AWS because the cached token has expired.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AwsSetupError, createAwsContext } from '../../src/aws/context.ts';

describe('expired SSO session', () => {
  it('says which profile and which command fixes it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cai-sso-'));
    const config = join(home, 'config');
    writeFileSync(
      config,
      [
        '[profile sso-dev]',
        'sso_session = corp',
        'sso_account_id = 123456789012',
        'sso_role_name = Developer',
        'region = eu-central-1',
        '',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-central-1',
        'sso_registration_scopes = sso:account:access',
        '',
      ].join('\n'),
    );
    // The SDK caches SSO tokens in ~/.aws/sso/cache/<sha1 of the session name>.json.
    const cache = join(home, '.aws', 'sso', 'cache');
    mkdirSync(cache, { recursive: true });
    writeFileSync(
      join(cache, `${createHash('sha1').update('corp').digest('hex')}.json`),
      JSON.stringify({ accessToken: 'expired-token', expiresAt: '2020-01-01T00:00:00Z', region: 'eu-central-1', startUrl: 'https://corp.awsapps.com/start' }),
    );
    const saved = { HOME: process.env.HOME, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE };
    process.env.HOME = home;
    process.env.AWS_CONFIG_FILE = config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
    try {
      const context = await createAwsContext({ profile: 'sso-dev' });
      try {
        await assert.rejects(context.accountId(), (error: unknown) => {
          assert.ok(error instanceof AwsSetupError, String(error));
          assert.equal(error.message, 'The AWS SSO session for profile "sso-dev" has expired or is invalid. Sign in again with: aws sso login --profile sso-dev');
          return true;
        });
      } finally {
        context.destroy();
      }
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
