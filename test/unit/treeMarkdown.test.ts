// Tree tooltips (src/vscode/tree/markdown.ts): values from AWS or a snapshot file render as the
// literal text they are. Rendered with markdown-it (CommonMark, GFM tables, autolinks; present
// through @vscode/vsce), wrapped in what VS Code's renderer does for a MarkdownString with theme
// icons (src/vs/base/browser/markdownRenderer.ts): escaped icons protected before parsing, and
// `$(name)` turned into an icon anywhere in the rendered HTML afterwards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error markdown-it ships no types here; only render() is used.
import MarkdownIt from 'markdown-it';
import { markdownCode, markdownCodeBlock, markdownText } from '../../src/vscode/tree/markdown.ts';

const parser = new MarkdownIt({ html: true, linkify: true }) as { render(src: string): string };

function render(markdown: string): string {
  const protectedIcons = markdown.replace(/\\\$\([a-z0-9-]+?(?:~[a-z0-9-]*?)?\)/gi, (m) => `\\${m}`);
  return parser.render(protectedIcons).replace(/(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g, (_m, escaped: string | undefined, name: string) => (escaped ? `$(${name})` : `<icon-${name}>`));
}

function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\u200B/g, '');
}

const MARKUP = /<(?!\/?(p|code|pre|table|thead|tbody|tr|th|td)\b)[a-z-]+/i;

const HOSTILE = [
  '**x** [link](command:cognitoAccess.forgetSecrets?%5B%5D)',
  '[x](https://evil.example) ![img](https://evil.example/p.png) <https://evil.example>',
  'https://evil.example/path www.evil.example someone@evil.example',
  '<img src=x onerror=alert(1)> <b>bold</b> &amp; &lt;script&gt;',
  '`one` ``two`` ```three```',
  '$(zap) \\$(zap) $(sync~spin) $notanicon',
  '# heading',
  '- item',
  '1. ordered',
  '> quote',
  'a | b | c',
  'line one\nline two\n===',
  '_under_ ~~strike~~ *em* \\*escaped\\*',
  '[ref]: https://evil.example',
  'ends with a backslash \\',
  'arn:aws:iam::123456789012:role/path/Role_Name-1+x=,.@y',
];

describe('tree tooltip markdown', () => {
  for (const value of HOSTILE) {
    it(`renders literally: ${JSON.stringify(value)}`, () => {
      const oneLine = value.replace(/\n/g, ' ');

      const text = render(`Description: ${markdownText(value)}`);
      assert.doesNotMatch(text, MARKUP, text);
      assert.doesNotMatch(text, /<code|<icon/, text);
      assert.equal(textOf(text).trim(), `Description: ${oneLine}`);

      const code = render(`Role ${markdownCode(value)}`);
      assert.doesNotMatch(code, MARKUP, code);
      assert.doesNotMatch(code, /<icon/, code);
      assert.equal((code.match(/<code>/g) ?? []).length, 1, code);
      assert.equal(textOf(code).trim(), `Role ${oneLine}`);

      const table = render(`| | |\n|---|---|\n| Description | ${markdownText(value)} |\n| Role | ${markdownCode(value, { inTable: true })} |\n`);
      assert.doesNotMatch(table, MARKUP, table);
      assert.doesNotMatch(table, /<icon/, table);
      assert.equal((table.match(/<td>/g) ?? []).length, 4, `two rows of two cells: ${table}`);
      for (const cell of table.match(/<td>.*?<\/td>/g)!.filter((_c, i) => i % 2 === 1)) assert.equal(textOf(cell), oneLine);

      const block = render(`Policy${markdownCodeBlock(value, 'json')}after`);
      assert.doesNotMatch(block, /<icon/, block);
      assert.equal((block.match(/<pre>/g) ?? []).length, 1, block);
      assert.ok(textOf(block).includes(value), block);
      assert.match(block, /<p>after<\/p>/, 'the block is closed by its own fence');
    });
  }

  it('keeps the icons the extension itself writes', () => {
    assert.match(render(`$(warning) ${markdownText('x')}`), /<icon-warning>/);
  });

  it('a code span fence outgrows the backticks inside', () => {
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('`x`'), '`` `x` ``');
    assert.equal(markdownCodeBlock('```\nx', 'json'), '\n````json\n```\nx\n````\n');
  });
});
