// CloudFormation text (YAML with the short-form tags, or JSON) -> the source model with the range
// of every value. One parser for both: JSON is read as YAML 1.2 by the `yaml` package, which keeps
// node ranges; JSON.parse checks it first, so a JSON template gets JSON's own syntax errors.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, ScalarTag, CollectionTag } from 'yaml';
import type { MapEntry, Node, SourceFile, Span } from './source.ts';
import { position, TemplateSyntaxError } from './source.ts';

/** Short-form tags and the intrinsic each stands for. */
const SHORT_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  ...Object.fromEntries(
    ['GetAtt', 'Sub', 'Join', 'If', 'Select', 'Split', 'ImportValue', 'FindInMap', 'Base64', 'Equals', 'And', 'Or', 'Not', 'GetAZs', 'Cidr', 'Transform', 'Length', 'ToJsonString'].map(
      (name) => [`!${name}`, `Fn::${name}`],
    ),
  ),
};

/** Each tag on scalars, sequences and maps; the value stays a node (the tag is read from it). */
export const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = Object.keys(SHORT_TAGS).flatMap((tag) => [
  { tag, resolve: (value: string) => value } as ScalarTag,
  { tag, collection: 'seq', resolve: (value: unknown) => value } as unknown as CollectionTag,
  { tag, collection: 'map', resolve: (value: unknown) => value } as unknown as CollectionTag,
]);

/** True when the text is a JSON document (Amplify writes JSON into `.yml` files). */
export function looksLikeJson(text: string): boolean {
  const first = /\S/.exec(text);
  return first !== null && (first[0] === '{' || first[0] === '[');
}

/** Parses a CloudFormation-style document (template, Serverless file, CDK template) with positions. */
export function parseYamlOrJson(file: SourceFile): Node {
  const json = file.syntax === 'json' || file.syntax === 'plain-json' || file.syntax === 'hcl-string';
  if (json) checkJson(file);
  // A tab is JSON whitespace but not YAML indentation; same length, so offsets stay true.
  const text = json ? file.text.replace(/\t/g, ' ') : file.text;
  const lineCounter = new LineCounter();
  // Duplicate keys are checked while converting (the package's own check is quadratic per map).
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, lineCounter, uniqueKeys: false, prettyErrors: false, strict: false });
  const error = doc.errors[0];
  if (error) {
    const at = position(file, error.pos[0]);
    throw new TemplateSyntaxError(file.path, at.line, at.column, firstLine(error.message));
  }
  if (!doc.contents) throw new TemplateSyntaxError(file.path, 1, 1, 'the file is empty');
  return convert(doc, doc.contents as YamlNode, file);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function checkJson(file: SourceFile): void {
  try {
    JSON.parse(file.text);
  } catch (error) {
    const message = (error as Error).message;
    const match = /at position (\d+)/.exec(message) ?? /line (\d+) column (\d+)/.exec(message);
    let line: number;
    let column: number;
    if (match && match.length === 2) ({ line, column } = position(file, Number(match[1])));
    else if (match) [line, column] = [Number(match[1]), Number(match[2])];
    else ({ line, column } = position(file, file.text.length));
    throw new TemplateSyntaxError(file.path, line, column, `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')}`);
  }
}

function span(file: SourceFile, start: number, end: number): Span {
  return { file, start, end };
}

function convert(doc: Document, node: YamlNode, file: SourceFile): Node {
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (target) return convert(doc, target as YamlNode, file);
    return { t: 'scalar', value: null, span: span(file, node.range![0], node.range![1]), syntax: file.syntax };
  }
  const [start, end] = [node.range![0], node.range![1]];
  const tag = node.tag;
  if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
    // The range starts at the value; the tag is written just before it.
    const tagStart = tagOffset(file.text, start, tag);
    const untagged = plain(doc, node, file, start, end);
    return { t: 'fn', name: SHORT_TAGS[tag] ?? tag, arg: untagged, short: true, span: span(file, tagStart, end), syntax: file.syntax };
  }
  const value = plain(doc, node, file, start, end);
  // `{"Ref": X}` and `{"Fn::Name": X}`: the long form of an intrinsic (CloudFormation only).
  if (value.t === 'map' && value.entries.length === 1 && (file.syntax === 'yaml' || file.syntax === 'json')) {
    const only = value.entries[0]!;
    if (only.key === 'Ref' || only.key.startsWith('Fn::')) return { t: 'fn', name: only.key, arg: only.value, short: false, span: value.span, syntax: file.syntax };
  }
  return value;
}

function plain(doc: Document, node: YamlNode, file: SourceFile, start: number, end: number): Node {
  const at = span(file, start, end);
  if (isMap(node)) {
    const entries: MapEntry[] = [];
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      const keyText = key && isScalar(key) ? String(key.value) : '';
      const keySpan = key?.range ? span(file, key.range[0], key.range[1]) : at;
      // YAML forbids duplicate keys; JSON.parse takes the last one, and so does this reader for JSON.
      if (seen.has(keyText) && file.syntax === 'yaml') {
        const where = position(file, keySpan.start);
        throw new TemplateSyntaxError(file.path, where.line, where.column, `Map keys must be unique (${JSON.stringify(keyText)} appears twice)`);
      }
      seen.add(keyText);
      const value: Node = pair.value
        ? convert(doc, pair.value as YamlNode, file)
        : { t: 'scalar', value: null, span: { ...keySpan, start: keySpan.end }, syntax: file.syntax };
      entries.push({ key: keyText, keySpan, value });
    }
    return { t: 'map', entries, span: at, syntax: file.syntax };
  }
  if (isSeq(node)) {
    return { t: 'list', items: node.items.map((item) => convert(doc, item as YamlNode, file)), span: at, syntax: file.syntax };
  }
  if (isScalar(node)) {
    const v = node.value;
    const value = v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : String(v);
    return { t: 'scalar', value, span: at, syntax: file.syntax };
  }
  return { t: 'scalar', value: null, span: at, syntax: file.syntax };
}

/** Where the tag before a value starts (`!Ref` in `!Ref UserPool`), or the value's start if not found. */
function tagOffset(text: string, valueStart: number, tag: string): number {
  let i = valueStart;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return text.slice(i - tag.length, i) === tag ? i - tag.length : valueStart;
}
