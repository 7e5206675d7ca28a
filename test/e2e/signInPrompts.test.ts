// Test as user's questions by hand, in a real VS Code (code-server) in headless Chromium against
// the sandbox: the NEW_PASSWORD_REQUIRED, authenticator-app (TOTP) and SMS challenges typed into
// VS Code's inputs, the client-secret prompt of an app client with a secret, "remember" (the
// toggle in the password box; a remembered secret is not asked again, a refused one is forgotten
// and asked again), Forget Remembered Secrets, and cancelling (Escape at a prompt, Cancel on the
// progress while a call is slow). Afterwards no password, token or secret key is in the user
// data, the screenshots or the sandbox's tables.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Frame, Page } from 'playwright-core';
import { totpCode } from '../sandbox/challenges.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { TOTP_SECRET, userByName } from '../sandbox/seed.ts';
import { buildExtension, stopAllOnSignals } from '../vscode/codeServer.ts';
import { answer, assertNothingLeaked, chooseUser, connectProfile, contextMenu, dumpTables, openActivity, openSandboxWorkbench, panelFrame, pick, pickUserPoolIfAsked, runCommand, screenshot, testUserByHand, type SandboxWorkbench } from './workbench.ts';

stopAllOnSignals();

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/** Waits for the open input box to ask something matching `prompt`; returns its prompt text. */
async function asked(page: Page, prompt: RegExp): Promise<string> {
  const message = quickInput(page).locator('.quick-input-message');
  await page.waitForFunction((source) => {
    const widget = document.querySelector('.quick-input-widget') as HTMLElement | null;
    const text = widget?.querySelector('.quick-input-message')?.textContent ?? '';
    return Boolean(widget) && widget!.style.display !== 'none' && new RegExp(source).test(text);
  }, prompt.source, { timeout: 30_000 });
  return (await message.textContent()) ?? '';
}

/** Clicks the "remember" toggle of the password / client-secret box. */
async function toggleRemember(page: Page): Promise<void> {
  await quickInput(page).locator('.action-label[aria-label^="Remember in VS Code secret storage"], .action-label[title^="Remember in VS Code secret storage"]').first().click();
  await asked(page, /remembered in secret storage after a successful sign-in/);
}

/** Whether a quick input opens within `ms` (a prompt nobody should see). */
async function promptOpens(page: Page, ms: number): Promise<boolean> {
  return page.waitForFunction(() => {
    const widget = document.querySelector('.quick-input-widget') as HTMLElement | null;
    return Boolean(widget) && widget!.style.display !== 'none';
  }, undefined, { timeout: ms }).then(() => true, () => false);
}

const tabs = (page: Page, title: string) => page.locator('.tabs-container .tab', { hasText: title });

/** Waits until the panel shows a sign-in later than `before` (its data-at, ISO time). */
async function signedInAfter(frame: Frame, before: string): Promise<void> {
  await frame.waitForFunction((b) => (document.getElementById('signed-in-at')?.dataset.at ?? '') > b, before, { timeout: 60_000 });
}

const signedInAt = async (frame: Frame): Promise<string> => (await frame.locator('#signed-in-at').getAttribute('data-at')) ?? '';

const toast = (page: Page, text: string | RegExp) => page.locator('.notifications-toasts .notification-toast', { hasText: text });

/** Closes every notification toast, so the next test finds only its own. */
async function clearToasts(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

describe('Test as user: challenges, client secret, remember and cancel, with the sandbox', { timeout: 600_000 }, () => {
  let sandbox: Sandbox;
  let wb: SandboxWorkbench;
  let tablesBefore: string;
  const seen: string[] = [];
  const NEW_PASSWORD = 'Sandbox-newuser-chosen-1!';
  const WRITER_NEW_PASSWORD = 'Sandbox-writer-changed-2!';

  before(async () => {
    buildExtension();
    // GetId is slow (4 s) so that a person can press Cancel on the progress while it runs.
    sandbox = await startSandbox({ latencyMs: { 'cognito-identity:GetId': 4_000 } });
    tablesBefore = await dumpTables(sandbox);
    wb = await openSandboxWorkbench(sandbox, { settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
    seen.push(NEW_PASSWORD, WRITER_NEW_PASSWORD);
    await openActivity(wb.page, 'Cognito Access');
    await connectProfile(wb.page, sandbox.profile, sandbox.region);
  });

  after(async () => {
    await wb?.close();
    await sandbox?.stop();
  });

  it('answers NEW_PASSWORD_REQUIRED: the new password is asked hidden, twice', async () => {
    const { page } = wb;
    await testUserByHand(page, { client: 'web', identityPool: sandbox.identityPools.books, username: 'newuser', password: userByName('newuser').password });
    await asked(page, /Cognito requires a new password/);
    assert.equal(await quickInput(page).locator('input').getAttribute('type'), 'password', 'hidden while typed');
    await answer(page, NEW_PASSWORD);
    await asked(page, /The new password again/);
    await quickInput(page).locator('input').fill('Sandbox-typo-1!');
    await quickInput(page).locator('.quick-input-message', { hasText: 'Not the same as the first entry' }).waitFor();
    await answer(page, NEW_PASSWORD);
    const frame = await panelFrame(page, 'testUser', 'Agree', 60_000);
    assert.equal(await frame.locator('h1').textContent(), 'Test as user: newuser');
    assert.match((await frame.locator('header').textContent()) ?? '', /challenges: NEW_PASSWORD_REQUIRED/);
    assert.match((await frame.locator('.verdict').textContent()) ?? '', /role BooksReadAccess, and Cognito handed out role BooksReadAccess/);
    await screenshot(page, 'signin-1-new-password');
  });

  it('asks for the authenticator code (six digits) and signs in with it', async () => {
    const { page } = wb;
    await testUserByHand(page, { client: 'web', identityPool: sandbox.identityPools.books, username: 'totpuser', password: userByName('totpuser').password });
    await asked(page, /Code from the authenticator app/);
    await quickInput(page).locator('input').fill('12345');
    await quickInput(page).locator('.quick-input-message', { hasText: 'The code has 6 digits' }).waitFor();
    await screenshot(page, 'signin-2-totp-prompt');
    await answer(page, totpCode(TOTP_SECRET));
    const frame = await panelFrame(page, 'testUser', 'Test as user: totpuser', 60_000);
    await frame.locator('.verdict', { hasText: 'Agree' }).waitFor();
    assert.match((await frame.locator('header').textContent()) ?? '', /challenges: SOFTWARE_TOKEN_MFA/);
    assert.match((await frame.locator('.verdict').textContent()) ?? '', /BooksWriteAccess/);
  });

  it('asks for the code sent by SMS, naming where it went', async () => {
    const { page } = wb;
    await testUserByHand(page, { client: 'web', identityPool: sandbox.identityPools.books, username: 'smsuser', password: userByName('smsuser').password });
    const prompt = await asked(page, /Code sent by SMS/);
    assert.match(prompt, /\+15555550123/);
    await answer(page, await sandbox.smsCode('smsuser'));
    const frame = await panelFrame(page, 'testUser', 'Test as user: smsuser', 60_000);
    await frame.locator('.verdict', { hasText: 'Agree' }).waitFor();
    assert.match((await frame.locator('header').textContent()) ?? '', /challenges: SMS_MFA/);
    await screenshot(page, 'signin-3-sms');
  });

  it('cancels at a prompt (Escape): no panel, nothing remembered', async () => {
    const { page } = wb;
    await clearToasts(page);
    await testUserByHand(page, { client: 'web', identityPool: sandbox.identityPools.books, username: 'totpuser', password: userByName('totpuser').password });
    await asked(page, /Code from the authenticator app/);
    await page.keyboard.press('Escape');
    await toast(page, 'Test as user: totpuser: cancelled').waitFor();
    assert.equal(await toast(page, /error|failed/i).count(), 0, 'a cancel is not an error');
  });

  it('asks for the client secret of an app client that has one, and remembers it when ticked', async () => {
    const { page } = wb;
    await testUserByHand(page, { client: 'mobile', username: 'testuser1', password: userByName('testuser1').password });
    const prompt = await asked(page, /Client secret of app client mobile/);
    assert.match(prompt, /not remembered/);
    assert.equal(await quickInput(page).locator('input').getAttribute('type'), 'password');
    await toggleRemember(page);
    await screenshot(page, 'signin-4-client-secret-remember');
    await answer(page, sandbox.mobileClientSecret);
    const frame = await panelFrame(page, 'testUser', `client ${sandbox.clients.mobile}`, 60_000);
    await frame.locator('.verdict', { hasText: 'Agree' }).waitFor();
    assert.match((await frame.locator('.verdict').textContent()) ?? '', /BooksReadAccess/);

    // Again: the password is asked (not ticked), the client secret is not; the same panel updates.
    const open = await tabs(page, 'Test as user: testuser1').count();
    const first = await signedInAt(frame);
    await testUserByHand(page, { client: 'mobile', username: 'testuser1', password: userByName('testuser1').password });
    assert.equal(await promptOpens(page, 2_000), false, 'no client-secret prompt the second time');
    await signedInAfter(frame, first);
    assert.equal(await tabs(page, 'Test as user: testuser1').count(), open, 'the same target reuses its panel');
  });

  it('remembers a password when ticked; a refused remembered password is forgotten and asked again', async () => {
    const { page } = wb;
    await testUserByHand(page, { client: 'web', identityPool: sandbox.identityPools.books, username: 'writer' });
    await asked(page, /Password for writer/);
    await toggleRemember(page);
    await answer(page, userByName('writer').password);
    const frame = await panelFrame(page, 'testUser', 'Test as user: writer', 60_000);
    await frame.locator('.verdict', { hasText: 'Agree' }).waitFor();

    // Sign in again from the panel: the remembered password is used, nothing is asked, and the
    // panel shows the new sign-in.
    const first = await signedInAt(frame);
    await frame.locator('#sign-in-again').click();
    assert.equal(await promptOpens(page, 3_000), false, 'no password prompt with a remembered password');
    await signedInAfter(frame, first);
    assert.equal(await tabs(page, 'Test as user: writer').count(), 1, 'one panel for one target');

    // The password changes behind our back: Cognito refuses the remembered one.
    const idp = new CognitoIdentityProviderClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: sandbox.userPoolId, Username: 'writer', Password: WRITER_NEW_PASSWORD, Permanent: true }));
    idp.destroy();
    await clearToasts(page);
    await testUserByHand(page, { client: 'web', identityPool: sandbox.identityPools.books, username: 'writer' });
    await toast(page, /refused the remembered password of writer .*it was forgotten/).waitFor({ timeout: 30_000 });
    await asked(page, /Password for writer/);
    await screenshot(page, 'signin-5-remembered-password-refused');
    const second = await signedInAt(frame);
    await answer(page, WRITER_NEW_PASSWORD);
    await signedInAfter(frame, second);
  });

  it('forgets remembered secrets on request: the client secret is asked again', async () => {
    const { page } = wb;
    await runCommand(page, 'Cognito: Forget Remembered Secrets...');
    const list = quickInput(page).locator('.quick-input-list');
    await list.locator('.monaco-list-row', { hasText: `client secret of ${sandbox.clients.mobile}` }).waitFor();
    assert.equal(await list.locator('.monaco-list-row', { hasText: 'password of writer' }).count(), 0, 'the refused password was already forgotten');
    const text = (await list.textContent()) ?? '';
    assert.ok(!text.includes(sandbox.mobileClientSecret), 'the list names entries, never values');
    await page.keyboard.press('Enter');
    await toast(page, /Forgot client secret of/).waitFor();
    await testUserByHand(page, { client: 'mobile', username: 'testuser1', password: userByName('testuser1').password });
    await asked(page, /Client secret of app client mobile/);
    await page.keyboard.press('Escape');
  });

  it('shows each step on the progress while it runs, and Cancel stops it: no panel', async () => {
    const { page } = wb;
    await clearToasts(page);
    const panelsBefore = await tabs(page, 'Test as user: nogroup').count();
    await testUserByHand(page, { client: 'web', identityPool: sandbox.identityPools.books, username: 'nogroup', password: userByName('nogroup').password });
    const progress = toast(page, 'Test as user: nogroup');
    await progress.filter({ hasText: 'GetId' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'signin-6-progress');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await toast(page, 'Test as user: nogroup: cancelled').waitFor();
    await page.waitForTimeout(5_000);
    assert.equal(await tabs(page, 'Test as user: nogroup').count(), panelsBefore, 'no panel for a cancelled run');
  });

  it('picks the user from the recent names the next time', async () => {
    const { page } = wb;
    await runCommand(page, 'Cognito: Test as User...');
    await pickUserPoolIfAsked(page);
    await pick(page, 'web');
    await pick(page, sandbox.identityPools.books);
    await quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: 'newuser' }).waitFor();
    await chooseUser(page, 'testuser1');
    await asked(page, /Password for testuser1/);
    await page.keyboard.press('Escape');
  });

  it('starts from a user node (no user question) and from a group node (its members offered first)', async () => {
    const { page } = wb;
    const sidebarRow = (text: RegExp) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();
    // Room for the users: the Findings view folded, the groups too (the tree draws visible rows only).
    await page.locator('.part.sidebar .pane-header', { hasText: /^Findings/i }).click();
    await sidebarRow(/^Groups/).click();
    await sidebarRow(/^Users/).click();
    await sidebarRow(/Load users/).click();
    const user = sidebarRow(/^noteuser/);
    await user.waitFor({ timeout: 30_000 });
    await contextMenu(page, user, 'Test as User...');
    await pick(page, 'web');
    await pick(page, sandbox.identityPools.books);
    await asked(page, /Password for noteuser/);
    await answer(page, userByName('noteuser').password);
    const frame = await panelFrame(page, 'testUser', 'Test as user: noteuser', 60_000);
    await frame.locator('.verdict', { hasText: 'Agree' }).waitFor();
    assert.match((await frame.locator('.verdict').textContent()) ?? '', /NotesOwnPartition/);

    await sidebarRow(/^Groups/).click();
    await contextMenu(page, sidebarRow(/^BooksWrite/), 'Test as User...');
    await pick(page, 'web');
    await pick(page, sandbox.identityPools.books);
    const members = quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: 'member of BooksWrite' });
    await members.first().waitFor();
    const offered = (await members.allTextContents()).map((t) => t.split('member of')[0]!.trim()).sort();
    assert.deepEqual(offered, ['totpuser', 'writer'], 'the members of BooksWrite, first');
    assert.match((await quickInput(page).locator('.quick-input-list .monaco-list-row').first().textContent()) ?? '', /member of BooksWrite/);
    await screenshot(page, 'signin-7-group-members');
    await page.keyboard.press('Escape');
  });

  it('left no secret in the user data or the screenshots, and no data changed', async () => {
    await assertNothingLeaked(wb, sandbox, seen, tablesBefore);
  });
});
