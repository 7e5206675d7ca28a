// "Explain with Cognito Access" and "Who Can Access..." by hand, in a real VS Code (code-server)
// in headless Chromium at 1,400 px, against the sandbox: the live probe's table fits beside the
// side bar; the probe's own AccessDenied, printed in the terminal, selected and explained from the
// terminal's context menu, names the statement and the fix and reveals the role in the tree; Test
// as User refuses an empty user name in its box; the access matrix explains a cell. Screenshots
// are kept in test-artifacts/screenshots/.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { userByName } from '../sandbox/seed.ts';
import { buildExtension, stopAllOnSignals } from '../vscode/codeServer.ts';
import { answer, assertNothingLeaked, chooseUser, connectProfile, dumpTables, openActivity, openSandboxWorkbench, panelFrame, pick, pickUserPoolIfAsked, runCommand, screenshot, treeRow, type SandboxWorkbench } from './workbench.ts';

stopAllOnSignals();

/** "Test as User..." up to the user name: the user pool when asked (the sandbox may hold several), the client, the identity pool. */
async function startTestUser(page: Page, sandbox: Sandbox): Promise<void> {
  await runCommand(page, 'Cognito: Test as User...');
  await pickUserPoolIfAsked(page);
  await pick(page, 'web');
  await pick(page, sandbox.identityPools.books);
}

/** Where the probe grid's columns end, against what the page can show without scrolling. */
function gridFit(frame: Frame) {
  return frame.evaluate(() => {
    const wrap = document.querySelector('.grid-wrap') as HTMLElement;
    const heads = Array.from(document.querySelectorAll('table.grid thead th')) as HTMLElement[];
    const transact = heads.find((h) => (h.textContent ?? '').startsWith('TransactWrite'))!;
    return {
      viewport: document.documentElement.clientWidth,
      pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      wrapRight: wrap.getBoundingClientRect().right,
      transactRight: transact.getBoundingClientRect().right,
      lastRight: heads.at(-1)!.getBoundingClientRect().right,
    };
  });
}

describe('explain and who can do what, in the workbench, with the sandbox', { timeout: 420_000 }, () => {
  let sandbox: Sandbox;
  let wb: SandboxWorkbench;
  let page: Page;
  let tablesBefore: string;
  let awsMessage = '';
  const workspace = mkdtempSync(join(tmpdir(), 'cognito-access-explain-'));

  before(async () => {
    buildExtension();
    sandbox = await startSandbox();
    tablesBefore = await dumpTables(sandbox);
    // The DOM renderer draws the terminal's rows as text the test can find and click.
    wb = await openSandboxWorkbench(sandbox, { workspace, clipboard: true, settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
    page = wb.page;
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  after(async () => {
    await wb?.close();
    await sandbox?.stop();
  });

  it('the live probe of testuser1 fits 1,400 px beside the side bar: TransactWrite shows, the page does not scroll', async () => {
    await openActivity(page, 'Cognito Access');
    await connectProfile(page, sandbox.profile, sandbox.region);
    await treeRow(page, `${sandbox.profile} · ${sandbox.region}`).waitFor();
    await startTestUser(page, sandbox);
    await chooseUser(page, 'testuser1');
    await answer(page, userByName('testuser1').password);
    const result = await panelFrame(page, 'testUser', 'Agree', 60_000);
    await result.locator('#probe').click();
    const probe = await panelFrame(page, 'probe', 'testuser1 as BooksReadAccess', 60_000);
    await probe.locator('td[data-cell$="|dynamodb:Query"]', { hasText: 'allowed' }).first().waitFor();
    const fit = await gridFit(probe);
    assert.equal(fit.pageScrolls, false, `the panel does not scroll sideways (${JSON.stringify(fit)})`);
    assert.ok(fit.transactRight <= fit.viewport && fit.lastRight <= fit.wrapRight + 1, `every column is in view (${JSON.stringify(fit)})`);
    // Narrower than the grid, the grid scrolls and its first column (the table) stays in view.
    await probe.evaluate(() => {
      (document.querySelector('.grid-wrap') as HTMLElement).style.width = '420px';
      (document.querySelector('.grid-wrap') as HTMLElement).scrollLeft = 10_000;
    });
    const sticky = await probe.evaluate(() => {
      const wrap = (document.querySelector('.grid-wrap') as HTMLElement).getBoundingClientRect();
      const name = (document.querySelector('table.grid tbody th') as HTMLElement).getBoundingClientRect();
      return { wrapLeft: wrap.left, nameLeft: name.left, scrolled: (document.querySelector('.grid-wrap') as HTMLElement).scrollLeft };
    });
    assert.ok(sticky.scrolled > 0 && Math.abs(sticky.nameLeft - sticky.wrapLeft) < 2, `the table name stays at the left edge (${JSON.stringify(sticky)})`);
    await probe.evaluate(() => {
      (document.querySelector('.grid-wrap') as HTMLElement).style.width = '';
    });
    await probe.locator('td[data-cell$="|dynamodb:PutItem"]').first().click();
    awsMessage = ((await probe.locator('#detail pre.aws-message').textContent()) ?? '').trim();
    assert.match(awsMessage, /assumed-role\/BooksReadAccess\/CognitoIdentityCredentials is not authorized to perform: dynamodb:PutItem/);
    await screenshot(page, 'explain-1-probe-fits-1400');
  });

  it('Test as User with an empty user name: the box says so and stays open', async () => {
    await startTestUser(page, sandbox);
    await pick(page, 'Another user name');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-message', { hasText: 'Enter the user name' }).waitFor();
    await screenshot(page, 'explain-2-empty-user-name');
    await page.keyboard.press('Escape');
  });

  it('the probe\'s AccessDenied, selected in the terminal and explained: the statement, the fix, the role revealed', async () => {
    const file = join(workspace, 'denied.txt');
    writeFileSync(file, `${awsMessage}\n`);
    await runCommand(page, 'Terminal: Create New Terminal');
    const rows = page.locator('.terminal-wrapper .xterm-rows');
    // Type once the shell's prompt (it names the workspace folder) is there, into the focused terminal.
    await rows.locator('div', { hasText: 'cognito-access-explain-' }).first().waitFor();
    await page.locator('.terminal-wrapper .xterm').first().click();
    await page.keyboard.type(`cat ${file}`);
    await page.keyboard.press('Enter');
    const line = rows.locator('div', { hasText: 'is not authorized to perform' }).first();
    await line.waitFor();
    // Select the printed error: a drag from its first character to the end of the last row it wraps to.
    const first = rows.locator('div', { hasText: /^User: arn/ }).first();
    const last = rows.locator('div', { hasText: /PutItem action\s*$/ }).first();
    const a = (await first.boundingBox())!;
    const b = (await last.boundingBox())!;
    const lastText = ((await last.textContent()) ?? '').trimEnd();
    const charWidth = b.width / Math.max(((await last.textContent()) ?? '').length, 1);
    // xterm draws a selection as boxes in .xterm-selection; a drag lost on a loaded machine is made again.
    const selection = page.locator('.terminal-wrapper .xterm-selection div');
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(a.x + 1, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move(b.x + lastText.length * charWidth - 1, b.y + b.height / 2, { steps: 8 });
      await page.mouse.up();
      if (await selection.first().waitFor({ timeout: 3_000 }).then(() => true, () => false)) break;
      if (attempt === 2) throw new Error('the terminal shows no selection after the drag');
    }
    // The terminal's widget layer lies over the rows: right-click where the selection is, by position.
    await page.mouse.click(b.x + Math.min(20, b.width / 2), b.y + b.height / 2, { button: 'right' });
    const entry = page.locator('.monaco-menu .action-label', { hasText: 'Explain with Cognito Access' });
    await entry.waitFor({ timeout: 5_000 });
    // The workbench menu ignores a click that comes right after it opened (the right button's
    // release): point at the entry first, then click; a menu still open takes Enter on the entry.
    await entry.hover();
    await page.waitForTimeout(300);
    await entry.click();
    if (!(await entry.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false))) {
      await entry.hover();
      await page.keyboard.press('Enter');
    }
    const frame = await panelFrame(page, 'explain', 'BooksReadAccess', 60_000);
    const text = (await frame.locator('#app').textContent()) ?? '';
    assert.match(text, /AccessDenied: BooksReadAccess may not dynamodb:PutItem on book-table/);
    assert.match(text, /Closest statement: Statement\[0\] of BooksRead/);
    assert.match(text, /add "dynamodb:PutItem" to its Action/);
    await screenshot(page, 'explain-3-terminal-access-denied');
    await frame.locator('#reveal-role').click();
    await page.locator('.part.sidebar .monaco-list-row.selected', { hasText: 'BooksReadAccess' }).waitFor();
    await screenshot(page, 'explain-4-role-revealed');
  });

  it('Who Can Access user-notes: the matrix, and a cell explained as the probe does', async () => {
    await runCommand(page, 'Cognito: Who Can Access...');
    await pick(page, 'user-notes');
    const frame = await panelFrame(page, 'accessMatrix', 'Who can access user-notes', 60_000);
    const cell = frame.locator('td[data-cell*="|group|"][data-cell*="/NotesOwn|user-notes|dynamodb:GetItem"]').first();
    assert.equal(((await cell.textContent()) ?? '').trim(), 'own partition');
    await cell.click();
    await frame.locator('#detail h3', { hasText: 'Another\'s partition' }).waitFor();
    const detail = (await frame.locator('#detail').textContent()) ?? '';
    assert.match(detail, /own partition/);
    assert.match(detail, /dynamodb:LeadingKeys/);
    assert.equal(await cell.getAttribute('aria-selected'), 'true');
    assert.equal(await frame.locator('td[aria-selected="true"]').count(), 1);
    await screenshot(page, 'explain-5-who-can-access');
    // The keyboard moves to the next action and Enter explains it: the selection moves (one cell
    // selected, the old one cleared) and the detail follows, the rest of the grid untouched.
    const id = (await cell.getAttribute('data-cell'))!;
    await cell.press('ArrowRight');
    const next = frame.locator('td[data-cell]:focus');
    const nextId = (await next.getAttribute('data-cell'))!;
    assert.notEqual(nextId, id);
    await next.press('Enter');
    await frame.locator('#detail h2', { hasText: 'BatchGetItem' }).waitFor();
    assert.equal(await frame.locator('td[aria-selected="true"]').count(), 1);
    assert.equal(await frame.locator('td.selected[aria-selected="true"]').getAttribute('data-cell'), nextId);
    assert.equal(await cell.getAttribute('aria-selected'), 'false');
    assert.equal(await cell.evaluate((node) => node.classList.contains('selected')), false);
  });

  it('left no secret behind and changed no data', async () => {
    await assertNothingLeaked(wb, sandbox, [], tablesBefore);
  });
});
