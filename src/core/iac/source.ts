// The source model every definition reader produces: a value tree whose every node keeps the
// file and the character range it came from, so a finding can point at the offending value and a
// quick fix can replace exactly that text.
//
// Positions: `start`/`end` are offsets into the file's text (JavaScript string indexes, i.e.
// UTF-16 code units; `end` is exclusive). `toLocation` turns them into 1-based lines and columns
// (columns in UTF-16 code units, `endColumn` one past the last character: SARIF's convention and
// VS Code's once 1 is subtracted).
import type { FindingLocation } from '../findings.ts';

/** How text at a node is written, so a replacement can be written the same way. */
export type Syntax =
  | 'yaml' // a CloudFormation YAML template
  | 'json' // a CloudFormation JSON template (also CDK's synthesized templates)
  | 'hcl' // a Terraform expression
  | 'hcl-string' // text inside a Terraform heredoc or string: references are written `${...}`
  | 'plain-json'; // a JSON file Terraform reads with file(): no references possible

export interface SourceFile {
  /** The path as read (absolute). */
  path: string;
  text: string;
  syntax: Syntax;
  /** Offsets where each line starts (built on first use). */
  lineStarts?: number[];
}

export interface Span {
  file: SourceFile;
  start: number;
  end: number;
}

export type Scalar = string | number | boolean | null;

interface NodeBase {
  span: Span;
  /** How the text at `span` is written (a JSON file inside a Terraform folder, a heredoc, ...). */
  syntax: Syntax;
}

/** A literal (for CloudFormation also a number or boolean written as such). */
export interface ScalarNode extends NodeBase {
  t: 'scalar';
  value: Scalar;
}

export interface MapEntry {
  key: string;
  /** The key as written (with its quotes, if any). */
  keySpan: Span;
  value: Node;
}

export interface MapNode extends NodeBase {
  t: 'map';
  entries: MapEntry[];
}

export interface ListNode extends NodeBase {
  t: 'list';
  items: Node[];
}

/**
 * A CloudFormation intrinsic function (`!Ref X`, `{"Fn::GetAtt": [...]}`), or an unknown tag. The
 * span covers the whole call, tag included.
 */
export interface FunctionNode extends NodeBase {
  t: 'fn';
  /** `Ref`, `Fn::GetAtt`, `Fn::Sub`, ... (the long name, also for short tags); `!Foo` for an unknown tag. */
  name: string;
  arg: Node;
  /** Written as a short YAML tag (`!Ref`) rather than a one-key map. */
  short: boolean;
}

/** A Terraform expression that is not a literal: `aws_cognito_user_pool.main.id`, `"x-${var.y}"`, `format(...)`. */
export interface ExpressionNode extends NodeBase {
  t: 'expr';
  /** hcl2json's form: a string with `${...}` interpolations (`$${` is a literal `${`). */
  template: string;
}

export type Node = ScalarNode | MapNode | ListNode | FunctionNode | ExpressionNode;

/** The value of a map's key, if the node is a map that has it (case-sensitive; the last one wins, as in JSON). */
export function entry(node: Node | undefined, key: string): Node | undefined {
  return mapEntry(node, key)?.value;
}

export function mapEntry(node: Node | undefined, key: string): MapEntry | undefined {
  if (!node || node.t !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key === key) return node.entries[i];
  return undefined;
}

/** A single value or a list of values, as IAM and CloudFormation allow for many fields. */
export function items(node: Node | undefined): Node[] {
  if (!node) return [];
  return node.t === 'list' ? node.items : [node];
}

function lineStarts(file: SourceFile): number[] {
  if (!file.lineStarts) {
    const starts = [0];
    const text = file.text;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    file.lineStarts = starts;
  }
  return file.lineStarts;
}

/** 1-based line and column of an offset. */
export function position(file: SourceFile, offset: number): { line: number; column: number } {
  const starts = lineStarts(file);
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

/** A location with the offsets kept, for editors (`document.positionAt(startOffset)`). */
export interface SourceLocation extends FindingLocation {
  startOffset: number;
  endOffset: number;
}

export function toLocation(span: Span): SourceLocation {
  const start = position(span.file, span.start);
  const end = position(span.file, span.end);
  return {
    file: span.file.path,
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    startOffset: span.start,
    endOffset: span.end,
  };
}

/** The text a span covers. */
export function spanText(span: Span): string {
  return span.file.text.slice(span.start, span.end);
}

/** A definition that cannot be read at all: a syntax error, with where it is. */
export class TemplateSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}`);
    this.name = 'TemplateSyntaxError';
  }
}

/** Bad input that is not a syntax error: a missing file, a folder with nothing to read, a file too large. */
export class TemplateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateInputError';
  }
}
