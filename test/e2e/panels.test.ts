// Test as user and the probe panel by hand, in a real VS Code (code-server) in headless Chromium:
// the palette, typing, clicking cells, the keyboard; what the panels show; a group named
// `<img src=x onerror=alert(1)>` stays inert text; and afterwards no password, token or secret key
// is in the user data, the screenshots' names or the sandbox's tables changed.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { userByName } from '../sandbox/seed.ts';
import { SAMPLE_PATH } from '../sandbox/writeSample.ts';
import { buildExtension, stopAllOnSignals } from '../vscode/codeServer.ts';
import { answer, assertNothingLeaked, contextMenu, dumpTables, openActivity, openSandboxWorkbench, panelFrame, pick, pickUserPoolIfAsked, runCommand, screenshot, SCREENSHOTS, treeRow, type SandboxWorkbench } from './workbench.ts';

const XSS = '<img src=x onerror=alert(1)>';

stopAllOnSignals();

describe('panels in the workbench, with the sandbox', { timeout: 300_000 }, () => {
  let sandbox: Sandbox;
  let wb: SandboxWorkbench;
  let tablesBefore: string;
  const seen: string[] = [];
  const workspace = mkdtempSync(join(tmpdir(), 'cognito-access-panels-'));
  const snapshotFile = join(workspace, 'xss-snapshot.json');

  before(async () => {
    buildExtension();
    // A snapshot whose group name is a script: the panels must show it as characters. Precedence 0
    // sorts it first among the groups, so its row is rendered without scrolling the tree.
    const sample = JSON.parse(readFileSync(SAMPLE_PATH, 'utf8')) as { userPools: { Groups: Record<string, unknown>[] }[] };
    sample.userPools[0]!.Groups.push({ GroupName: XSS, Precedence: 0, RoleArn: 'arn:aws:iam::123456789012:role/BooksReadAccess', Description: XSS });
    writeFileSync(snapshotFile, JSON.stringify(sample, null, 2));
    sandbox = await startSandbox();
    tablesBefore = await dumpTables(sandbox);
    wb = await openSandboxWorkbench(sandbox, { workspace, settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await wb?.close();
    await sandbox?.stop();
  });

  it('shows a group named like a script as text in the simulated probe, and runs no script', async () => {
    const { page } = wb;
    await openActivity(page, 'Cognito Access');
    await runCommand(page, 'Cognito: Open Snapshot...');
    await answer(page, snapshotFile);
    await treeRow(page, 'xss-snapshot.json').waitFor();
    const row = treeRow(page, XSS);
    await row.waitFor();
    await contextMenu(page, row, 'Probe DynamoDB...');
    const frame = await panelFrame(page, 'probe', XSS);
    assert.equal(await frame.locator('h1').textContent(), `Probe DynamoDB: members of ${XSS} as BooksReadAccess (simulated)`);
    assert.equal(await frame.locator('img').count(), 0, 'no <img> element was created');
    assert.match((await frame.locator('#no-data-change').textContent()) ?? '', /No probe changes data/);
    // Keyboard: focus the first cell, move right to Query, select with Enter.
    await frame.locator('td[data-cell]').first().focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await frame.locator('#detail h2', { hasText: 'Query' }).waitFor();
    assert.match((await frame.locator('#detail').textContent()) ?? '', /Engine: allowed/);
    await frame.locator('td[data-cell$="|dynamodb:PutItem"]').first().click();
    await frame.locator('#detail h2', { hasText: 'PutItem' }).waitFor();
    assert.match((await frame.locator('#detail').textContent()) ?? '', /denied \(implicit\)/);
    await screenshot(page, 'panels-1-probe-simulated-xss-group');
    assert.deepEqual(wb.dialogs, [], 'no alert fired');
  });

  it('tests testuser1 from the palette: agree, masked credentials, reveal on click, live probe', async () => {
    const { page } = wb;
    await runCommand(page, 'Cognito: Connect to AWS...');
    await pick(page, sandbox.profile);
    await pick(page, sandbox.region);
    // The new connection's row may be below the snapshot's long tree; Test as user waits for its scan.
    await runCommand(page, 'Cognito: Test as User...');
    await pickUserPoolIfAsked(page);
    await pick(page, 'web');
    await pick(page, sandbox.identityPools.books);
    await answer(page, 'testuser1');
    await answer(page, userByName('testuser1').password);
    const frame = await panelFrame(page, 'testUser', 'Agree');
    assert.equal(await frame.locator('h1').textContent(), 'Test as user: testuser1');
    assert.match((await frame.locator('.verdict').textContent()) ?? '', /^Agree: the engine predicted role BooksReadAccess, and Cognito handed out role BooksReadAccess/);
    assert.match((await frame.locator('tr.cognito', { hasText: 'cognito:groups' }).textContent()) ?? '', /BooksRead/);
    const secret = frame.locator('#cred-secretAccessKey');
    assert.match((await secret.textContent()) ?? '', /•/, 'masked until revealed');
    await screenshot(page, 'panels-2-test-user-agree');
    await frame.getByRole('button', { name: 'Reveal Secret access key' }).click();
    await frame.locator('#cred-secretAccessKey.revealed').waitFor();
    const clear = (await secret.textContent()) ?? '';
    assert.ok(clear.length >= 20 && !clear.includes('•'));
    seen.push(clear);
    await frame.getByRole('button', { name: 'Hide' }).click();
    assert.match((await frame.locator('#cred-secretAccessKey').textContent()) ?? '', /•/);

    await frame.locator('#probe').click();
    const probe = await panelFrame(page, 'probe', 'testuser1 as BooksReadAccess');
    await probe.locator('td[data-cell$="|dynamodb:Query"]', { hasText: 'allowed' }).first().waitFor();
    await probe.locator('td[data-cell$="|dynamodb:PutItem"]').first().click();
    const detail = (await probe.locator('#detail').textContent()) ?? '';
    assert.match(detail, /AWS: denied/);
    assert.match(detail, /not authorized/);
    assert.match(detail, /statement/);
    await screenshot(page, 'panels-3-probe-live');
  });

  it('tests the broken pool: the diagnosis names the trust condition and copies the corrected policy', async () => {
    const { page } = wb;
    await runCommand(page, 'Cognito: Test as User...');
    await pickUserPoolIfAsked(page);
    await pick(page, 'web');
    await pick(page, sandbox.identityPools['books-broken']);
    await pick(page, 'testuser1');
    await answer(page, userByName('testuser1').password);
    const frame = await panelFrame(page, 'testUser', 'TRUST_AUD_IS_USER_POOL_ID');
    const text = (await frame.locator('#section-diagnosis').textContent()) ?? '';
    assert.match(text, /BooksReadBroken/);
    assert.match(text, new RegExp(sandbox.userPoolId));
    assert.ok(text.includes(sandbox.identityPools['books-broken']), 'what it must hold');
    await frame.locator('#copy-trust').click();
    await frame.locator('.notice', { hasText: 'Copied the corrected trust policy' }).waitFor();
    await screenshot(page, 'panels-4-broken-pool-diagnosis');
  });

  it('left no secret in the user data or the screenshots, and no data changed', async () => {
    await assertNothingLeaked(wb, sandbox, seen, tablesBefore);
  });
});
