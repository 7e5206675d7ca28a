// Both panels in the light, dark and the two high-contrast themes, in a
// real VS Code (code-server) in headless Chromium with the sandbox. The panels use VS Code's theme
// variables only, so what is checked is what a person sees: the page follows the theme (its body
// class and colours are the theme's), text keeps a readable contrast, and the things that carry
// meaning (the highlighted cognito:* claims, the selected cell, the keyboard focus, allowed and
// denied) stay distinguishable in every theme. Screenshots go to test-artifacts/screenshots/.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { userByName } from '../sandbox/seed.ts';
import { buildExtension, stopAllOnSignals } from '../vscode/codeServer.ts';
import { connectProfile, openActivity, openSandboxWorkbench, panelFrame, screenshot, testUserByHand, type SandboxWorkbench } from './workbench.ts';

const THEMES = [
  { name: 'light', colorTheme: 'Default Light Modern', bodyClass: 'vscode-light', dark: false },
  { name: 'dark', colorTheme: 'Default Dark Modern', bodyClass: 'vscode-dark', dark: true },
  { name: 'high-contrast', colorTheme: 'Default High Contrast', bodyClass: 'vscode-high-contrast', dark: true },
  { name: 'high-contrast-light', colorTheme: 'Default High Contrast Light', bodyClass: 'vscode-high-contrast-light', dark: false },
];

/** What the page computes, for the checks below (all colours as [r, g, b, a], alpha 0-1). */
interface Look {
  bodyClass: string;
  background: number[];
  themeBackground: number[];
  foreground: number[];
  themeForeground: number[];
  /** selector -> text colour, for the selectors that exist on the page. */
  text: Record<string, number[]>;
  /** selector -> the opaque colour behind its text (its own and its ancestors' backgrounds). */
  fill: Record<string, number[]>;
}

// In-page code as text: tsx would wrap named inner functions of a passed function in a helper
// (`__name`) that does not exist in the page.
const IN_PAGE = `
  var rgba = function (css) {
    var m = /rgba?\\(([^)]+)\\)/.exec(css);
    if (!m) return [0, 0, 0, 0];
    var p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0] || 0, p[1] || 0, p[2] || 0, p.length > 3 ? p[3] : 1];
  };
  var resolve = function (variable) {
    var probe = document.createElement('span');
    probe.style.color = 'var(' + variable + ')';
    document.body.append(probe);
    var value = rgba(getComputedStyle(probe).color);
    probe.remove();
    return value;
  };
  var visible = function (color) { return rgba(color)[3] > 0; };
  // What is really behind a node: the backgrounds of it and its ancestors, laid over white.
  var behind = function (node) {
    var layers = [];
    for (var n = node; n && n.nodeType === 1; n = n.parentElement) layers.push(rgba(getComputedStyle(n).backgroundColor));
    var out = [255, 255, 255];
    for (var i = layers.length - 1; i >= 0; i--) {
      var a = layers[i][3];
      out = [0, 1, 2].map(function (k) { return layers[i][k] * a + out[k] * (1 - a); });
    }
    return out.concat([1]);
  };
`;

/** Reads colours in the page: computed styles, and the theme's variables resolved through a probe element. */
async function look(frame: Frame, selectors: string[]): Promise<Look> {
  return frame.evaluate(`(function (sels) {${IN_PAGE}
    var body = getComputedStyle(document.body);
    var text = {}, fill = {};
    sels.forEach(function (s) {
      var node = document.querySelector(s);
      if (node) { text[s] = rgba(getComputedStyle(node).color); fill[s] = behind(node); }
    });
    return { bodyClass: document.body.className, background: rgba(body.backgroundColor), themeBackground: resolve('--vscode-editor-background'),
      foreground: rgba(body.color), themeForeground: resolve('--vscode-foreground'), text: text, fill: fill };
  })(${JSON.stringify(selectors)})`);
}

/** A colour with alpha laid over an opaque background. */
function over(top: number[], bottom: number[]): number[] {
  const a = top[3] ?? 1;
  return [0, 1, 2].map((i) => top[i]! * a + bottom[i]! * (1 - a));
}

/** WCAG 2 contrast ratio of two opaque colours. */
function contrast(a: number[], b: number[]): number {
  const lum = (c: number[]) => {
    const [r, g, bl] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/**
 * Whether an element stands out from the page: a background of its own, or an outline or border
 * that is drawn (not none, not transparent).
 */
async function standsOut(frame: Frame, selector: string): Promise<{ background: boolean; outline: boolean; border: boolean }> {
  await frame.locator(selector).first().waitFor();
  return frame.evaluate(`(function (sel) {${IN_PAGE}
    var style = getComputedStyle(document.querySelector(sel));
    var page = getComputedStyle(document.body).backgroundColor;
    return {
      background: visible(style.backgroundColor) && style.backgroundColor !== page,
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && visible(style.outlineColor),
      border: ['Top', 'Bottom', 'Left', 'Right'].some(function (side) {
        return style['border' + side + 'Style'] !== 'none' && parseFloat(style['border' + side + 'Width']) > 0 && visible(style['border' + side + 'Color']);
      }),
    };
  })(${JSON.stringify(selector)})`);
}

/** The contrast of a selector's text against what is behind it. */
function readable(seen: Look, selector: string): number {
  const back = seen.fill[selector]!;
  return contrast(over(seen.text[selector]!, back), back);
}

const anyOf = (s: { background: boolean; outline: boolean; border: boolean }) => s.background || s.outline || s.border;

stopAllOnSignals();

describe('panels in the light, dark and high-contrast themes', { timeout: 600_000 }, () => {
  let sandbox: Sandbox;
  before(async () => {
    buildExtension();
    sandbox = await startSandbox();
  });
  after(async () => sandbox?.stop());

  for (const theme of THEMES) {
    describe(theme.colorTheme, () => {
      let wb: SandboxWorkbench;
      before(async () => {
        wb = await openSandboxWorkbench(sandbox, { settings: { 'workbench.colorTheme': theme.colorTheme } });
      });
      after(async () => wb?.close());

      it('draws the Test-as-user panel in the theme, readable, with the cognito:* claims marked', async () => {
        const { page } = wb;
        await openActivity(page, 'Cognito Access');
        await connectProfile(page, sandbox.profile, sandbox.region);
        await testUserByHand(page, { client: 'web', identityPool: sandbox.identityPools.books, username: 'testuser1', password: userByName('testuser1').password });
        const frame = await panelFrame(page, 'testUser', 'Agree');
        const seen = await look(frame, ['h1', '.verdict', '.muted', 'table.kv th', 'tr.cognito td code', '.badge', 'button']);
        assert.match(seen.bodyClass, new RegExp(`\\b${theme.bodyClass}\\b`), 'the page follows the workbench theme');
        assert.deepEqual(seen.background, seen.themeBackground, "the page's background is the theme's editor background");
        assert.deepEqual(seen.foreground, seen.themeForeground, "the page's text is the theme's foreground");
        const bg = over(seen.background, [255, 255, 255, 1]);
        const lum = bg.reduce((a, b) => a + b, 0) / 3;
        assert.equal(lum < 128, theme.dark, `a ${theme.dark ? 'dark' : 'light'} background (${bg.join(',')})`);
        for (const selector of ['h1', '.verdict', '.muted', 'table.kv th', 'tr.cognito td code', '.badge', 'button']) {
          assert.ok(seen.text[selector], `${selector} is on the page`);
          assert.ok(readable(seen, selector) >= 4.5, `${selector}: contrast ${readable(seen, selector).toFixed(2)} >= 4.5`);
        }
        assert.ok(anyOf(await standsOut(frame, 'tr.cognito td')), 'the cognito:* claim rows stand out from the other claims');
        assert.ok(anyOf(await standsOut(frame, 'button#sign-in-again')), 'buttons are visible as buttons');
        await frame.locator('button#sign-in-again').focus();
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Tab');
        const focus = await standsOut(frame, 'button#sign-in-again');
        assert.ok(focus.outline, 'the keyboard focus is drawn');
        await screenshot(page, `theme-${theme.name}-1-test-user`);
      });

      it('draws the probe in the theme: allowed, denied and the selected cell are distinguishable', async () => {
        const { page } = wb;
        const frame = await panelFrame(page, 'testUser', 'Agree');
        await frame.locator('#probe').click();
        const probe = await panelFrame(page, 'probe', 'testuser1 as BooksReadAccess');
        await probe.locator('td[data-cell$="|dynamodb:Query"]', { hasText: 'allowed' }).first().waitFor();
        const allowedCell = 'td.cell-allowed';
        const deniedCell = 'td.cell-denied';
        const seen = await look(probe, [allowedCell, deniedCell, '.badge', 'h1']);
        for (const selector of [allowedCell, deniedCell, '.badge']) {
          assert.ok(seen.text[selector], `${selector} is on the page`);
          assert.ok(readable(seen, selector) >= 4.5, `${selector}: contrast ${readable(seen, selector).toFixed(2)} >= 4.5`);
        }
        assert.notDeepEqual(seen.text[allowedCell], seen.text[deniedCell], 'allowed and denied differ in colour');
        // Besides colour, each cell says what it is in words.
        assert.match((await probe.locator(allowedCell).first().textContent()) ?? '', /allowed/);
        assert.match((await probe.locator(deniedCell).first().textContent()) ?? '', /denied/);
        await probe.locator('td[data-cell$="|dynamodb:PutItem"]').first().click();
        await probe.locator('#detail h2', { hasText: 'PutItem' }).waitFor();
        assert.ok(anyOf(await standsOut(probe, 'td.cell.selected')), 'the selected cell stands out');
        const selected = await look(probe, ['td.cell.selected']);
        assert.ok(readable(selected, 'td.cell.selected') >= 4.5, `the selected cell's text: contrast ${readable(selected, 'td.cell.selected').toFixed(2)} >= 4.5`);
        await screenshot(page, `theme-${theme.name}-2-probe`);
      });
    });
  }
});
