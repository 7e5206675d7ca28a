// The Test-as-user panel's secondary actions by hand, and both panels across a window reload, in
// a real VS Code (code-server) in headless Chromium with the sandbox: the access token's claims on
// demand, Copy as environment variables and as a credentials-file profile (read back from the
// clipboard as a person would paste them), and after Developer: Reload Window the panels come back
// from their saved state, without the credentials (those were in memory only). The probe marks
// where AWS and the engine disagree (a role changed after the sign-in's scan).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { CLIENTS, userByName } from '../sandbox/seed.ts';
import { buildExtension, stopAllOnSignals } from '../vscode/codeServer.ts';
import { assertNothingLeaked, connectProfile, dumpTables, openActivity, openSandboxWorkbench, panelFrame, runCommand, screenshot, testUserByHand, type SandboxWorkbench } from './workbench.ts';

stopAllOnSignals();

describe('panel actions and state across a reload, with the sandbox', { timeout: 300_000 }, () => {
  let sandbox: Sandbox;
  let wb: SandboxWorkbench;
  let tablesBefore: string;
  const seen: string[] = [];

  before(async () => {
    buildExtension();
    sandbox = await startSandbox();
    tablesBefore = await dumpTables(sandbox);
    wb = await openSandboxWorkbench(sandbox, { clipboard: true, settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  });

  after(async () => {
    await wb?.close();
    await sandbox?.stop();
  });

  const clipboard = async (): Promise<string> => {
    const text = await wb.page.evaluate(() => navigator.clipboard.readText());
    seen.push(...text.split('\n').map((l) => l.replace(/^.*?=\s*'?|'$/g, '')).filter((v) => v.length >= 16));
    return text;
  };

  it('shows the access token claims only when asked', async () => {
    const { page } = wb;
    await openActivity(page, 'Cognito Access');
    await connectProfile(page, sandbox.profile, sandbox.region);
    await testUserByHand(page, { client: 'web', identityPool: sandbox.identityPools.books, username: 'testuser1', password: userByName('testuser1').password });
    const frame = await panelFrame(page, 'testUser', 'Agree');
    const section = frame.locator('#section-accesstoken');
    assert.equal(await section.getAttribute('open'), null, 'the access token section starts closed');
    assert.equal(await frame.locator('table[aria-label="Access token claims"]').count(), 0, 'no access token claims before asking');
    await section.locator('summary').click();
    await frame.getByRole('button', { name: 'Show access token claims' }).click();
    const table = frame.locator('table[aria-label="Access token claims"]');
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    assert.match(text, /token_use\s*access/);
    assert.match(text, new RegExp(`client_id\\s*${CLIENTS.web.ClientId}`));
    assert.match(text, /username\s*testuser1/);
    assert.match((await section.textContent()) ?? '', /expires in \d+ (h|min|s)|expires in \d+:\d\d/);
    await screenshot(page, 'state-1-access-token-claims');
  });

  it('copies the credentials as environment variables and as a credentials-file profile', async () => {
    const { page } = wb;
    const frame = await panelFrame(page, 'testUser', 'Agree');
    await frame.getByRole('button', { name: 'Reveal Access key id' }).click();
    await frame.locator('#cred-accessKeyId.revealed').waitFor();
    const accessKeyId = (await frame.locator('#cred-accessKeyId').textContent()) ?? '';
    seen.push(accessKeyId);
    assert.match(accessKeyId, /^[A-Z0-9]{16,}$/);

    await frame.getByRole('button', { name: 'Copy as environment variables' }).click();
    await frame.locator('.notice', { hasText: 'Copied the credentials as environment variables' }).waitFor();
    const env = await clipboard();
    const lines = env.split('\n');
    assert.equal(lines[0], `export AWS_ACCESS_KEY_ID='${accessKeyId}'`);
    assert.match(lines[1] ?? '', /^export AWS_SECRET_ACCESS_KEY='[^']{20,}'$/);
    assert.match(lines[2] ?? '', /^export AWS_SESSION_TOKEN='[^']{20,}'$/);
    assert.match(lines[3] ?? '', /^# expires \d{4}-\d\d-\d\dT/);

    await frame.getByRole('button', { name: 'Copy as a credentials-file profile' }).click();
    await frame.locator('.notice', { hasText: 'Copied the credentials as profile cognito-testuser1' }).waitFor();
    const profile = await clipboard();
    const rows = profile.split('\n');
    assert.equal(rows[0], '[cognito-testuser1]');
    assert.equal(rows[1], `aws_access_key_id = ${accessKeyId}`);
    assert.equal(rows[2], `aws_secret_access_key = ${/AWS_SECRET_ACCESS_KEY='([^']+)'/.exec(env)?.[1]}`);
    assert.equal(rows[3], `aws_session_token = ${/AWS_SESSION_TOKEN='([^']+)'/.exec(env)?.[1]}`);
    // The copied keys work: STS knows them as the test user's session of BooksReadAccess.
    const sts = new STSClient({
      endpoint: sandbox.endpoint, region: sandbox.region,
      credentials: { accessKeyId, secretAccessKey: /AWS_SECRET_ACCESS_KEY='([^']+)'/.exec(env)?.[1] ?? '', sessionToken: /AWS_SESSION_TOKEN='([^']+)'/.exec(env)?.[1] ?? '' },
    });
    const caller = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.match(caller.Arn ?? '', /:assumed-role\/BooksReadAccess\//);
    // Put something harmless back, so no secret stays on the clipboard of this browser.
    await page.evaluate(() => navigator.clipboard.writeText('cleared by the test'));
    await screenshot(page, 'state-2-copied');
  });

  it('marks where AWS and the engine disagree: the role was changed after the sign-in', async () => {
    const { page } = wb;
    const frame = await panelFrame(page, 'testUser', 'Agree');
    await frame.locator('#probe').click();
    const probe = await panelFrame(page, 'probe', 'testuser1 as BooksReadAccess');
    await probe.locator('td[data-cell$="|dynamodb:Query"]', { hasText: 'allowed' }).first().waitFor();
    assert.equal(await probe.locator('td.cell.disagree').count(), 0, 'they agree at first');
    // Someone grants PutItem on book-table after our scan: AWS now allows what the snapshot denies.
    const iam = new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'BooksReadAccess', PolicyName: 'late-grant',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: `arn:aws:dynamodb:${sandbox.region}:${sandbox.accountId}:table/book-table` }] }),
    }));
    iam.destroy();
    await probe.locator('#run-live').click();
    const cell = probe.locator('td.cell.disagree[data-cell^="book-table|"][data-cell$="|dynamodb:PutItem"]').first();
    await cell.waitFor({ timeout: 30_000 });
    assert.match((await cell.textContent()) ?? '', /allowed.*≠/);
    assert.match((await cell.getAttribute('aria-label')) ?? '', /live allowed, engine denied.*disagree/);
    await cell.click();
    assert.match((await probe.locator('#detail').textContent()) ?? '', /≠ AWS disagrees/);
    assert.match((await probe.locator('main').textContent()) ?? '', /disagree are marked.*refresh the connection and sign in again/, 'the page says why this may be');
    await screenshot(page, 'state-3-probe-disagrees');
  });

  it('brings both panels back after a window reload, marked ended and without credentials', async () => {
    const { page } = wb;
    // The probe of the test before is open, its PutItem cell selected.
    const probe = await panelFrame(page, 'probe', 'testuser1 as BooksReadAccess');
    await probe.locator('td.cell.selected[data-cell$="|dynamodb:PutItem"]').waitFor();

    await runCommand(page, 'Developer: Reload Window');
    await page.waitForLoadState('load');
    await page.locator('.monaco-workbench').waitFor();
    // Both editors come back (VS Code reopens them and our serializers fill them in).
    const restoredProbe = await panelFrame(page, 'probe', 'Restored after a reload', 60_000);
    assert.match((await restoredProbe.locator('h1').textContent()) ?? '', /testuser1 as BooksReadAccess/);
    assert.ok(await restoredProbe.locator('td[data-cell$="|dynamodb:Query"]', { hasText: 'allowed' }).count() > 0, 'the last results are shown');
    assert.equal(await restoredProbe.locator('td.cell.selected[data-cell$="|dynamodb:PutItem"]').count(), 1, 'the selected cell is kept');
    await screenshot(page, 'state-4-probe-restored');

    await page.locator('.tabs-container .tab', { hasText: 'Test as user: testuser1' }).click();
    const restored = await panelFrame(page, 'testUser', 'restored after a reload', 60_000);
    assert.equal(await restored.locator('h1').textContent(), 'Test as user: testuser1');
    assert.match((await restored.locator('.verdict').textContent()) ?? '', /^Agree/);
    assert.match((await restored.locator('#section-credentials').textContent()) ?? '', /in memory only and ended with the window reload/);
    assert.equal(await restored.locator('#cred-secretAccessKey').count(), 0, 'no credential rows');
    assert.equal(await restored.locator('#probe').isDisabled(), true, 'no live probe without credentials');
    // The access token section stays as the person left it (open).
    assert.equal(await restored.locator('#section-accesstoken').getAttribute('open'), '');
    await screenshot(page, 'state-5-test-user-restored');
  });

  it('left no secret in the user data or the screenshots, and no data changed', async () => {
    await assertNothingLeaked(wb, sandbox, seen, tablesBefore);
  });
});
