// `npm run demo` as a newcomer runs it: the script starts the sandbox and code-server and prints a
// URL; opening it shows the Cognito Access sidebar (not the file Explorer) with the sandbox account
// already connected.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { launchChromium, REPO_ROOT } from '../vscode/codeServer.ts';
import type { Page } from 'playwright-core';
import { IDENTITY_POOL_IDS, userByName } from '../sandbox/seed.ts';
import { panelFrame, screenshot, testUserByHand, treeRow } from './workbench.ts';

describe('npm run demo', { timeout: 180_000 }, () => {
  const demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.mjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DEMO_SANDBOX_DIR: mkdtempSync(join(tmpdir(), 'cai-demo-sandbox-')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Open VS Code \(code-server \d+\) in your browser:\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 200);
    demo.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`the demo exited (${code}) before printing its URL:\n${output}`));
    });
  });

  after(async () => {
    if (demo.exitCode === null) {
      const exited = new Promise((resolve) => demo.once('exit', resolve));
      demo.kill('SIGINT');
      await exited;
    }
  });

  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  after(async () => browser?.close());

  it('prints the URL, and the sidebar shows the sandbox account', async () => {
    browser = await launchChromium();
    {
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(await url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // It opens on the Cognito Access view by itself, not on the file Explorer.
      await page.locator('.part.sidebar .composite.title', { hasText: /cognito access/i }).waitFor({ timeout: 60_000 });
      await treeRow(page, 'cognito-sandbox · eu-central-1').waitFor({ timeout: 60_000 });
      // The group row itself (its description), not a finding that mentions the name.
      await treeRow(page, 'precedence 1 · BooksReadAccess').waitFor({ timeout: 60_000 });
      assert.equal(await page.locator('.notifications-toasts .notification-toast', { hasText: 'already registered' }).count(), 0, 'no tree error');
      assert.match(output, /Test users: testuser1 \/ /);
      await screenshot(page, 'demo-sandbox-account');
    }
  });

  // The "done when", in the demo as a newcomer would try it.
  it("tests testuser1: BooksRead, BooksReadAccess from both the prediction and the identity pool", async () => {
    await testUserByHand(page, { client: 'web', identityPool: 'books', username: 'testuser1', password: userByName('testuser1').password });
    const frame = await panelFrame(page, 'testUser', 'Agree', 60_000);
    assert.match((await frame.locator('tr.cognito', { hasText: 'cognito:groups' }).textContent()) ?? '', /BooksRead/);
    assert.match((await frame.locator('.verdict').textContent()) ?? '', /^Agree: the engine predicted role BooksReadAccess, and Cognito handed out role BooksReadAccess/);
    await screenshot(page, 'demo-test-user');
  });

  it('probes: Query allowed, PutItem denied with an explanation that names the statement', async () => {
    const frame = await panelFrame(page, 'testUser', 'Agree');
    await frame.locator('#probe').click();
    const probe = await panelFrame(page, 'probe', 'testuser1 as BooksReadAccess', 60_000);
    await probe.locator('td[data-cell^="book-table"][data-cell$="|dynamodb:Query"]', { hasText: 'allowed' }).first().waitFor();
    await probe.locator('td[data-cell^="book-table"][data-cell$="|dynamodb:PutItem"]', { hasText: 'denied' }).first().click();
    const detail = (await probe.locator('#detail').textContent()) ?? '';
    assert.match(detail, /AWS: denied/);
    assert.match(detail, /Statement\[\d+\] of BooksRead/);
    await screenshot(page, 'demo-probe');
  });

  it('shows the broken pool\'s trust fault and the fix', async () => {
    await testUserByHand(page, { client: 'web', identityPool: 'books-broken', username: 'testuser1', password: userByName('testuser1').password });
    const frame = await panelFrame(page, 'testUser', 'TRUST_AUD_IS_USER_POOL_ID', 60_000);
    const text = (await frame.locator('#section-diagnosis').textContent()) ?? '';
    assert.match(text, /InvalidIdentityPoolConfiguration|BooksReadBroken/);
    assert.match(text, /Corrected trust policy/);
    await screenshot(page, 'demo-broken-pool');
  });

  // Issue 12's "done when": principal tags, in the demo as a newcomer would try them.
  it('Test as User through books-abac-broken shows the error, the fault (TRUST_NO_TAG_SESSION) and the fix (sts:TagSession)', async () => {
    await testUserByHand(page, { client: 'web', identityPool: IDENTITY_POOL_IDS['books-abac-broken'], username: 'testuser1', password: userByName('testuser1').password });
    const frame = await panelFrame(page, 'testUser', 'TRUST_NO_TAG_SESSION', 60_000);
    const live = (await frame.locator('#section-compare').textContent()) ?? '';
    assert.match(live, /InvalidIdentityPoolConfigurationException/);
    const diagnosis = (await frame.locator('#section-diagnosis').textContent()) ?? '';
    assert.match(diagnosis, /BooksAbacDeptBroken/);
    assert.match(diagnosis, /not sts:TagSession/);
    assert.match(diagnosis, /Corrected trust policy/);
    assert.match((await frame.locator('#section-diagnosis pre.policy').textContent()) ?? '', /"sts:AssumeRoleWithWebIdentity",\s*"sts:TagSession"/);
    assert.match((await frame.locator('#section-tags').textContent()) ?? '', /aws:PrincipalTag\/dept\s*books/);
    // The error, the fault and the fix in view: from the diagnosis's heading down.
    await frame.locator('#section-diagnosis').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'demo-abac-broken');
  });

  it('through books-abac the probe shows the own-department item allowed and another denied, naming the tag', async () => {
    await testUserByHand(page, { client: 'web', identityPool: IDENTITY_POOL_IDS['books-abac'], username: 'testuser1', password: userByName('testuser1').password });
    const frame = await panelFrame(page, 'testUser', 'Agree: the engine predicted role BooksAbacDept', 60_000);
    assert.match((await frame.locator('#section-tags').textContent()) ?? '', /aws:PrincipalTag\/dept\s*books/);
    await frame.locator('#probe').click();
    const probe = await panelFrame(page, 'probe', 'testuser1 as BooksAbacDept', 60_000);
    const own = probe.locator('td[data-cell="book-table|tag:dept|dynamodb:GetItem"]');
    await own.filter({ hasText: 'allowed' }).waitFor();
    assert.match((await probe.locator('th[scope="row"]', { hasText: 'principal tag dept' }).textContent()) ?? '', /partition "books" = principal tag dept/);
    await own.click();
    assert.match((await probe.locator('#detail').textContent()) ?? '', /AWS: allowed[\s\S]*aws:PrincipalTag\/dept = "books"/);
    const other = probe.locator('td[data-cell="book-table|other|dynamodb:GetItem"]');
    await other.filter({ hasText: 'denied' }).waitFor();
    await other.click();
    const detail = (await probe.locator('#detail').textContent()) ?? '';
    assert.match(detail, /AWS: denied/);
    assert.match(detail, /aws:PrincipalTag\/dept is "books"/);
    assert.equal(await probe.locator('td.cell.disagree').count(), 0, 'live and the engine agree cell by cell');
    await screenshot(page, 'demo-abac-probe');
    // The selected cell's explanation: the LeadingKeys condition with the tag's value.
    await probe.locator('#detail').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'demo-abac-probe-detail');
  });

  // Issue 15's "done when": the writable-claim escalation, live. The demo had nogroup (in no group)
  // write its own custom:role through app client selfservice before printing the URL.
  it('Test as User through books-rules-writable: nogroup wrote its own custom:role and gets BooksAdmin; the rule and the user-written claim are named; the probe shows what it opens', async () => {
    assert.match(output, /nogroup, in no group, set its own custom:role to "admin" through app client selfservice/);
    // books-rules-writable is the only identity pool that trusts selfservice: no pool question.
    await testUserByHand(page, { client: 'selfservice', username: 'nogroup', password: userByName('nogroup').password });
    const frame = await panelFrame(page, 'testUser', 'MAPPING_RULE_ON_WRITABLE_CLAIM', 60_000);
    assert.ok(((await frame.locator('#app').textContent()) ?? '').includes(IDENTITY_POOL_IDS['books-rules-writable']), 'through books-rules-writable');
    assert.match((await frame.locator('tr.cognito', { hasText: 'custom:role' }).or(frame.locator('tr', { hasText: 'custom:role' })).first().textContent()) ?? '', /admin/);
    assert.match((await frame.locator('.verdict').textContent()) ?? '', /^Agree: the engine predicted role BooksAdmin, and Cognito handed out role BooksAdmin/);
    const compare = (await frame.locator('#section-compare').textContent()) ?? '';
    assert.match(compare, /Rules\[0\] \(custom:role Equals "admin" -> BooksAdmin\) matched on custom:role = "admin"/);
    assert.match(compare, /user-written/);
    await frame.locator('#section-compare').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'demo-writable-claim');
    await frame.locator('#probe').click();
    const probe = await panelFrame(page, 'probe', 'nogroup as BooksAdmin', 60_000);
    const put = probe.locator('td[data-cell^="book-table"][data-cell$="|dynamodb:PutItem"]', { hasText: 'allowed' }).first();
    await put.waitFor();
    assert.equal(await probe.locator('td.cell.disagree').count(), 0, 'live and the engine agree cell by cell');
    await screenshot(page, 'demo-writable-claim-probe');
  });

  it('stops the sandbox and VS Code on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
    demo.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(output, /demo: stopping/);
  });
});
