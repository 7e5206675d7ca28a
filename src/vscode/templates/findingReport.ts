// The explanation a template diagnostic's code links to: one finding as Markdown (what is wrong,
// the fix, the quick fix's replacement, where). Pure, so node:test covers it.
import type { TemplateFinding } from '../../core/iac/index.ts';

const text = (value: string): string => value.replace(/[\\`*[\]<>|]/g, '\\$&');

/** A fix's lead sentence, and a corrected statement (JSON or YAML after the first line) as a code block. */
function fixLines(fix: string): string[] {
  const start = fix.indexOf('\n');
  if (start < 0) return [text(fix)];
  return [text(fix.slice(0, start)), '', '```', fix.slice(start + 1), '```'];
}

export function templateFindingMarkdown(code: string, finding: TemplateFinding | undefined, where: string): string {
  const lines = [`# ${code}`, ''];
  if (!finding) {
    lines.push('This finding is no longer in the template (it was fixed or the file changed).', '', 'The fault catalog in the README lists every code.');
    return `${lines.join('\n')}\n`;
  }
  const l = finding.location;
  lines.push(`**${finding.severity}** in \`${where}\` line ${l.startLine}, column ${l.startColumn}${finding.resource ? `: ${text(finding.resource.name)} (\`${finding.resource.type}\`)` : ''}.`, '');
  lines.push(text(finding.message), '');
  if (finding.symptom) lines.push(`Symptom: \`${finding.symptom}\``, '');
  lines.push('## Fix', '', ...fixLines(finding.fix), '');
  if (finding.quickFix) {
    lines.push(`## Quick fix: ${text(finding.quickFix.title)}`, '', 'Replaces only the offending text:', '');
    for (const e of finding.quickFix.edits) lines.push(`- line ${e.location.startLine}, column ${e.location.startColumn}: \`${e.newText.replace(/`/g, "'")}\``);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
