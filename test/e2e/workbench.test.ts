// The extension as a person sees it, in a real VS Code (code-server) in headless Chromium, in
// the light and the dark theme, and connected to the local AWS sandbox. Screenshots go to
// test-artifacts/screenshots/.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildExtension, readManifest, stopAllOnSignals } from '../vscode/codeServer.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { openActivity, openWorkbench, pickQuickInput, runCommand, sandboxEnv, screenshot, treeRow, type Workbench } from './workbench.ts';

const manifest = readManifest();
const container = manifest.contributes.viewsContainers?.activitybar?.[0];
/** The explorer's welcome view as package.json words it: its first paragraph and its buttons (links alone on a line). */
const welcomeText = (() => {
  const contents = manifest.contributes.viewsWelcome?.find((w) => w.view === 'cognitoAccess.explorer')?.contents ?? '';
  const lines = contents.split('\n');
  return {
    lead: lines[0].slice(0, 60),
    buttons: lines.map((l) => /^\[([^\]]+)\]\(command:[^)]+\)$/.exec(l)?.[1]).filter((b): b is string => Boolean(b)),
    /** The label of the button that runs `command`. */
    button: (command: string): string => new RegExp(`^\\[([^\\]]+)\\]\\(command:${command.replace(/\./g, '\\.')}\\)$`, 'm').exec(contents)?.[1] ?? command,
  };
})();
const themes = [
  { name: 'light', colorTheme: 'Default Light Modern', themeClass: 'vs' },
  { name: 'dark', colorTheme: 'Default Dark Modern', themeClass: 'vs-dark' },
];

stopAllOnSignals();
before(() => buildExtension());

for (const theme of themes) {
  describe(`workbench, ${theme.name} theme`, { timeout: 180_000 }, () => {
    let wb: Workbench;
    before(async () => {
      wb = await openWorkbench({ settings: { 'workbench.colorTheme': theme.colorTheme } });
    });
    after(async () => wb?.close());

    it(`uses ${theme.colorTheme}`, async () => {
      // The first paint may use the cached default theme; the user setting follows.
      await wb.page.locator(`.monaco-workbench.${theme.themeClass}`).waitFor({ timeout: 10_000 });
    });

    it('opens the Cognito Access container from the activity bar and shows the welcome view', async () => {
      assert.ok(container, 'package.json contributes an activity-bar container');
      await openActivity(wb.page, container.title);
      const welcome = wb.page.locator('.welcome-view-content').first();
      await welcome.getByText(welcomeText.lead).waitFor();
      for (const button of welcomeText.buttons) {
        assert.equal(await welcome.getByRole('button', { name: button, exact: true }).isVisible(), true, `button ${button}`);
      }
      await screenshot(wb.page, `${theme.name}-1-welcome`);
    });

    it('opens the sample account from the welcome button', async () => {
      await wb.page.getByRole('button', { name: welcomeText.button('cognitoAccess.openSample'), exact: true }).click();
      await treeRow(wb.page, 'Sample account').waitFor();
      await treeRow(wb.page, 'User pools').waitFor();
      await treeRow(wb.page, 'TRUST_AUD_IS_USER_POOL_ID').waitFor();
      await screenshot(wb.page, `${theme.name}-2-sample-account`);
    });

    it('runs "Cognito: Diagnose" from the command palette into a Markdown report', async () => {
      await runCommand(wb.page, 'Cognito: Diagnose');
      const tab = wb.page.locator('.tabs-container .tab', { hasText: 'Diagnosis Sample account' });
      await tab.waitFor();
      await wb.page.locator('.editor-instance .view-lines', { hasText: 'TRUST_AUD_IS_USER_POOL_ID' }).waitFor();
      await screenshot(wb.page, `${theme.name}-3-diagnosis`);
    });
  });
}

describe('Connect to AWS, against the local sandbox', { timeout: 180_000 }, () => {
  let sandbox: Sandbox;
  let wb: Workbench;
  before(async () => {
    sandbox = await startSandbox();
    // The extension host gets the sandbox's profile the way a user's shell would hand it over.
    wb = await openWorkbench({
      settings: { 'workbench.colorTheme': 'Default Light Modern' },
      env: sandboxEnv(sandbox),
    });
  });
  after(async () => {
    await wb?.close();
    await sandbox?.stop();
  });

  it('picks the profile and region, scans the account and shows its tree', async () => {
    assert.ok(container);
    await openActivity(wb.page, container.title);
    await wb.page.locator('.welcome-view-content').getByRole('button', { name: welcomeText.button('cognitoAccess.connect'), exact: true }).click();
    await pickQuickInput(wb.page, sandbox.profile);
    await pickQuickInput(wb.page, sandbox.region);
    await treeRow(wb.page, `${sandbox.profile} · ${sandbox.region}`).waitFor({ timeout: 60_000 });
    await treeRow(wb.page, sandbox.userPoolId).waitFor({ timeout: 60_000 });
    await screenshot(wb.page, 'light-4-sandbox-connection');
  });

  it('remembers the connection across a window reload (no credentials stored: it scans again)', async () => {
    // Reload Window goes through VS Code's shutdown, which flushes the state storage first.
    await runCommand(wb.page, 'Developer: Reload Window');
    await wb.page.waitForLoadState('load');
    await wb.page.locator('.monaco-workbench').waitFor();
    // VS Code restores the open view container itself; clicking its icon then would close it.
    const open = wb.page.locator('.part.sidebar .composite.title', { hasText: container!.title.toUpperCase() });
    if (!(await open.waitFor({ timeout: 5_000 }).then(() => true, () => false))) await openActivity(wb.page, container!.title);
    await treeRow(wb.page, `${sandbox.profile} · ${sandbox.region}`).waitFor({ timeout: 60_000 });
    await treeRow(wb.page, 'precedence 1 · BooksReadAccess').waitFor({ timeout: 60_000 });
  });
});
