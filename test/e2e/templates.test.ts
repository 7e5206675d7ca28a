// Diagnose before deploy, as a person sees it: the article's template (aud = the user pool id) in
// a real VS Code (code-server) in headless Chromium shows a squiggle on the aud value and a Problems
// entry; the lightbulb's quick fix replaces it with the identity pool and the Problems panel empties.
// Screenshots go to test-artifacts/screenshots/.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { buildExtension, REPO_ROOT, stopAllOnSignals } from '../vscode/codeServer.ts';
import { openWorkbench, screenshot, type Workbench } from './workbench.ts';

stopAllOnSignals();
before(() => buildExtension());

describe('template diagnostics in the editor', { timeout: 180_000 }, () => {
  let wb: Workbench;
  let workspace: string;
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'cognito-template-e2e-'));
    copyFileSync(join(REPO_ROOT, 'test/fixtures/iac/cloudformation/books-broken.yaml'), join(workspace, 'books-broken.yaml'));
    wb = await openWorkbench({ workspace });
  });
  after(async () => wb?.close());
  afterEach(async (t) => {
    // What the page showed when a step timed out.
    if (wb && (t as { passed?: boolean }).passed === false) await screenshot(wb.page, 'template-failure').catch(() => undefined);
  });

  it('squiggles the aud value, fixes it from the lightbulb, and the Problems panel empties', async () => {
    const { page } = wb;
    // Quick Open the template, as a person would.
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('books-broken.yaml');
    await page.locator('.quick-input-list .monaco-list-row[data-index="0"]', { hasText: 'books-broken.yaml' }).waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    // The Problems panel lists the aud fault with its code; opening it reveals the value, squiggled.
    await page.keyboard.press('Control+Shift+M');
    // (GROUP_ROLE_NOT_ASSUMABLE names the code too: the aud row is the one about the aud value.)
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'is !Ref UserPool: that is a user pool id' }).first();
    await problem.waitFor({ timeout: 60_000 });
    await problem.getByText('TRUST_AUD_IS_USER_POOL_ID').first().waitFor();
    await screenshot(page, 'template-1-problems');
    await page.mouse.move(640, 10); // no hover over the row
    await page.keyboard.press('Escape');
    await problem.dblclick();
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'template-2-squiggle');

    // The lightbulb shows at the cursor; Ctrl+. opens its menu (a click can land on the error's hover).
    await editor.locator('.lightBulbWidget').first().waitFor({ timeout: 15_000 });
    await page.mouse.move(640, 10);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Replace with !Ref IdentityPool' }).first();
    await fix.waitFor({ timeout: 15_000 });
    await screenshot(page, 'template-3-lightbulb');
    await fix.click();
    await editor.locator('.view-lines', { hasText: '!Ref IdentityPool' }).first().waitFor();

    // Saved, the file is clean: no squiggle, and the Problems panel has nothing for it.
    await page.keyboard.press('Control+S');
    await editor.locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'TRUST_AUD_IS_USER_POOL_ID' }).first().waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('.markers-panel', { hasText: 'No problems have been detected in the workspace.' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'template-4-fixed');
    const saved = readFileSync(join(workspace, 'books-broken.yaml'), 'utf8');
    assert.match(saved.split('\n')[54]!, /cognito-identity\.amazonaws\.com:aud: !Ref IdentityPool$/);
    assert.equal(/:aud: !Ref UserPool/.test(saved), false);
  });
});
