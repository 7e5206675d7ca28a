// Markdown for the tree's tooltips, which show values from AWS and from snapshot files (names,
// ARNs, descriptions, policy text): each renders as the literal text it is. Pure (no vscode
// import), so test/unit/treeMarkdown.test.ts covers it.
//
// The tooltips are untrusted MarkdownStrings with theme icons on (node.ts tooltipMarkdown), and
// VS Code's renderer turns `$(name)` into an icon anywhere in the rendered HTML, code included.
// - Text: `$(` becomes `\$(` first (VS Code's own escapeIcons), then every ASCII punctuation
//   character is backslash-escaped (CommonMark allows that for all of them), so no emphasis, link,
//   image, HTML, entity, heading, list, table cell or autolink can start; line breaks become
//   spaces (a value stays on its line, and in its table cell).
// - Code: backslashes are literal there, so a span's fence is longer than any backtick run inside
//   it, and `$(` gets a zero-width space between its characters.

const ZERO_WIDTH_SPACE = '\u200B';

const oneLine = (value: string): string => value.replace(/\r\n|\r|\n/g, ' ');
const noIcons = (value: string): string => value.replace(/\$\(/g, `$${ZERO_WIDTH_SPACE}(`);

/** A value as Markdown text that renders literally. */
export function markdownText(value: string): string {
  return oneLine(value).replace(/\$\(/g, '\\$(').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A value as an inline code span. In a table cell, a value with `|` is escaped text instead. */
export function markdownCode(value: string, options: { inTable?: boolean } = {}): string {
  const text = noIcons(oneLine(value));
  if (text.trim() === '' || (options.inTable && text.includes('|'))) return markdownText(value);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space on each side when both are there; a backtick at an edge needs one.
  const pad = /^[`]|[`]$/.test(text) || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced code block (e.g. a policy document), closed only by its own fence. */
export function markdownCodeBlock(code: string, language = ''): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `\n${fence}${language.replace(/[^\w-]/g, '')}\n${noIcons(code)}\n${fence}\n`;
}
