// Page helpers for the Chromium tests: a code-server workbench with the extension installed,
// and the few gestures a person makes in it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'node:assert/strict';
import type { Browser, Frame, Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/index.ts';
import { TABLES, USER_POOL_ID } from '../sandbox/seed.ts';
import { tableDump } from '../sandbox/testFlow.ts';
import { findSecrets, sandboxSecrets } from '../vscode/secretScan.ts';
import { launchChromium, REPO_ROOT, startCodeServer, type CodeServer, type CodeServerOptions } from '../vscode/codeServer.ts';

export const SCREENSHOTS = join(REPO_ROOT, 'test-artifacts/screenshots');

export interface Workbench {
  server: CodeServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** code-server with the built extension installed, opened in headless Chromium. */
export async function openWorkbench(options: CodeServerOptions & { clipboard?: boolean } = {}): Promise<Workbench> {
  const { clipboard, ...serverOptions } = options;
  const server = await startCodeServer({ installExtension: true, ...serverOptions });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    // `clipboard`: the page may read what VS Code copied (navigator.clipboard), as a person pastes.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...(clipboard ? { permissions: ['clipboard-read', 'clipboard-write'] } : {}) });
    const page = await context.newPage();
    await page.goto(server.workbenchUrl());
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The activity bar fills in once the extension host has registered the contributions.
    await page.locator('.activitybar').waitFor();
    const opened = browser;
    return {
      server,
      browser: opened,
      page,
      close: async () => {
        await opened.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw error;
  }
}

/** The sandbox's profile files, handed to the extension host the way a user's shell would. */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  return { AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile, AWS_PROFILE: sandbox.profile };
}

/**
 * A workbench whose extension host reaches the sandbox. `dialogs` collects (and dismisses) every
 * alert/confirm a page raises: a script run from a value would show there.
 */
export type SandboxWorkbench = Workbench & { dialogs: string[] };

export async function openSandboxWorkbench(sandbox: Sandbox, options: Parameters<typeof openWorkbench>[0] = {}): Promise<SandboxWorkbench> {
  const wb = await openWorkbench({ ...options, env: { ...sandboxEnv(sandbox), ...options.env } });
  const dialogs: string[] = [];
  wb.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return Object.assign(wb, { dialogs });
}

/** Clicks an activity-bar entry by its title (the aria-label VS Code gives it). */
export async function openActivity(page: Page, title: string): Promise<void> {
  await page.locator(`.activitybar a[aria-label="${title}"]`).click();
}

/** F1, the command's title, Enter: once the palette's first entry is that command. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // A webview that is still loading can swallow the key: then focus the workbench and press again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    if (await input.waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
    if (attempt === 3) throw new Error('F1 did not open the command palette');
    await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } }).catch(() => undefined);
  }
  await input.fill(`>${title}`);
  await pickQuickInput(page, title);
  // The palette is done when the widget closes, or when the command already reused it for its own
  // quick pick (the input no longer holds the ">title" the palette had).
  await page.waitForFunction(() => {
    const widget = document.querySelector('.quick-input-widget') as HTMLElement | null;
    const value = (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value ?? '';
    return !widget || widget.style.display === 'none' || !value.startsWith('>');
  });
}

/** Waits for a quick pick (the command palette or a showQuickPick) to offer `label` first, then takes it. */
export async function pickQuickInput(page: Page, label: string): Promise<void> {
  await page.locator(`.quick-input-list .monaco-list-row[data-index="0"][aria-label^="${label}"]`).waitFor();
  await page.keyboard.press('Enter');
}

/** A tree row of a side-bar view whose text contains `text` (not a quick-pick row). */
export const treeRow = (page: Page, text: string) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

/**
 * Opens a tree row's context menu and clicks `item`. A tree re-renders rows while a connection
 * loads, which can swallow a right-click: the menu is reopened until the item shows (3 tries).
 */
export async function contextMenu(page: Page, row: ReturnType<typeof treeRow>, item: string): Promise<void> {
  const entry = page.locator('.monaco-menu .action-label', { hasText: item });
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    try {
      await entry.waitFor({ timeout: 3_000 });
      await entry.click();
      // VS Code ignores a click that comes too soon after the menu opened; then the item is
      // highlighted but the menu stays: take it with the keyboard instead.
      const menu = page.locator('.monaco-menu');
      if (!(await menu.waitFor({ state: 'hidden', timeout: 1_000 }).then(() => true, () => false))) {
        await entry.hover();
        await page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden', timeout: 3_000 });
      }
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Saves test-artifacts/screenshots/NAME.png, with the mouse out of the way of tooltips. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.mouse.move(900, 700);
  await page.waitForTimeout(300);
  await page.screenshot({ path });
  return path;
}

/** The webview frame whose page is `name` and whose text contains `text`; polls until it exists. */
export async function panelFrame(page: Page, name: 'testUser' | 'probe' | 'explain' | 'accessMatrix', text: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const main = await frame.$(`main[data-page="${name}"]`).catch(() => null);
      if (main && (await main.textContent().catch(() => ''))?.includes(text)) return frame;
    }
    if (Date.now() > deadline) {
      // Say what stood in the way: an open quick input (its title) is the usual reason.
      const quick = page.locator('.quick-input-widget');
      const open = await quick.isVisible().catch(() => false);
      const title = open ? ((await quick.locator('.quick-input-title').textContent().catch(() => '')) ?? '') : '';
      await screenshot(page, `failed-${name}-panel`).catch(() => undefined);
      throw new Error(`no ${name} panel showing ${JSON.stringify(text)}${open ? ` (a quick input is open: ${JSON.stringify(title)})` : ''}`);
    }
    await page.waitForTimeout(250);
  }
}

/** Types into the open quick input and accepts. */
export async function answer(page: Page, value: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  await input.waitFor();
  // The simple file dialog fills its input with the current folder a moment after it opens; typing
  // before that is overwritten. Wait for it, type, check what stands there, then accept.
  if (value.startsWith('/')) await page.waitForFunction(() => (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value.startsWith('/'));
  for (let attempt = 1; ; attempt++) {
    await input.fill(value);
    await page.waitForTimeout(200);
    if ((await input.inputValue()) === value) break;
    if (attempt === 3) throw new Error(`the quick input would not keep ${JSON.stringify(value)}`);
  }
  await page.keyboard.press('Enter');
  // Accepted when the widget closes or moves on to its next step (another value in the input).
  await page.waitForFunction((typed) => {
    const input = document.querySelector('.quick-input-widget input') as HTMLInputElement | null;
    const widget = document.querySelector('.quick-input-widget') as HTMLElement | null;
    return !widget || widget.style.display === 'none' || !input || input.value !== typed;
  }, value);
}

/** Picks the quick-pick row labelled `label` (waits for it to be the first match). */
export async function pick(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
}

export async function dumpTables(sandbox: Sandbox): Promise<string> {
  const parts: string[] = [];
  for (const t of TABLES) parts.push(await tableDump(sandbox, t.TableName));
  return parts.join('\n');
}

/**
 * Test as user's "who signs in" question: a name the list offers is picked; another is typed
 * after "Another user name…" (or straight away when the extension asks with an input box).
 */
export async function chooseUser(page: Page, username: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await page.waitForTimeout(300);
  const isList = await page.locator('.quick-input-list .monaco-list-row').first().isVisible().catch(() => false);
  if (!isList) return answer(page, username);
  await input.fill(username);
  const offered = page.locator('.quick-input-list .monaco-list-row', { hasText: username }).first();
  if (await offered.waitFor({ timeout: 1_000 }).then(() => true, () => false)) {
    await page.keyboard.press('Enter');
    return;
  }
  await pick(page, 'Another user name');
  await answer(page, username);
}

/** "Cognito: Connect to AWS..." with the given profile and region. */
export async function connectProfile(page: Page, profile: string, region: string): Promise<void> {
  await runCommand(page, 'Cognito: Connect to AWS...');
  await pick(page, profile);
  await pick(page, region);
}

/** The first question of Test as User, once the scan is in: the user pool when there are several (its row is clicked), else the app client. */
export async function pickUserPoolIfAsked(page: Page): Promise<void> {
  const poolRow = page.locator('.quick-input-list .monaco-list-row', { hasText: USER_POOL_ID }).first();
  const firstRow = page.locator('.quick-input-list .monaco-list-row').first();
  await poolRow.or(firstRow).first().waitFor({ timeout: 60_000 });
  if (await poolRow.isVisible()) await poolRow.click();
}

/**
 * "Cognito: Test as User..." by hand: the app client, the identity pool when asked, the user and
 * the password (omitted when the extension remembers it).
 */
export async function testUserByHand(page: Page, o: { client: string; identityPool?: string; username: string; password?: string }): Promise<void> {
  await runCommand(page, 'Cognito: Test as User...');
  // With several user pools (the sandbox has more than books) the user pool comes first; its rows
  // are labelled with the pool's name and carry the id as description: click the books pool's row.
  await pickUserPoolIfAsked(page);
  await pick(page, o.client);
  if (o.identityPool) await pick(page, o.identityPool);
  await chooseUser(page, o.username);
  if (o.password !== undefined) await answer(page, o.password);
}

/**
 * The end of every sandbox suite: no password, token or secret key (the seed's, and `seen`: the
 * clear values the test met) in the VS Code user data or the screenshots, the sandbox tables as
 * `tablesBefore`, and no alert raised.
 */
export async function assertNothingLeaked(wb: SandboxWorkbench, sandbox: Sandbox, seen: string[], tablesBefore: string): Promise<void> {
  assert.deepEqual(findSecrets([wb.server.userDataDir, SCREENSHOTS], sandboxSecrets(sandbox, seen)), []);
  assert.equal(await dumpTables(sandbox), tablesBefore, 'the sandbox tables are unchanged');
  assert.deepEqual(wb.dialogs, [], 'no alert fired');
}
