// Where things are in a Terraform file. hcl2json gives the values but no positions, so this reads
// the text once more for its outline only: blocks (type, labels, range), attributes (name and the
// range of their expression), and inside expressions the parts a finding can point at: object
// constructor items (key and value ranges), tuple items, function-call arguments (jsonencode's
// object) and strings (heredoc contents). Anything else (operators, traversals, for-expressions)
// is one opaque range. A text that does not fit the outline (hcl2json has already rejected real
// syntax errors) degrades to coarser ranges, never to an error.

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclAttribute {
  name: string;
  nameStart: number;
  nameEnd: number;
  expr: HclExpr;
}

export interface HclBlock {
  type: string;
  labels: string[];
  /** From the block type to the closing brace. */
  start: number;
  end: number;
  typeEnd: number;
  /** Where the header ends (the opening brace). */
  headerEnd: number;
  body: HclBody;
}

export type HclExpr =
  | { k: 'object'; start: number; end: number; items: { key: string | undefined; keyStart: number; keyEnd: number; value: HclExpr }[] }
  | { k: 'tuple'; start: number; end: number; items: HclExpr[] }
  | { k: 'call'; name: string; start: number; end: number; args: HclExpr[] }
  | { k: 'string'; start: number; end: number; heredoc?: { contentStart: number; contentEnd: number } }
  | { k: 'other'; start: number; end: number };

interface Token {
  kind: 'ident' | 'number' | 'string' | 'heredoc' | 'punct' | 'newline' | 'eof';
  text: string;
  start: number;
  end: number;
  /** Heredocs: where the content starts and ends. */
  content?: [number, number];
}

const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '&&', '||', '=>']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: c, start: i, end: i + 1 });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === '"') {
      const end = scanString(text, i);
      tokens.push({ kind: 'string', text: text.slice(i, end), start: i, end });
      i = end;
    } else if (c === '<' && text[i + 1] === '<' && /^<<-?[A-Za-z_]/.test(text.slice(i, i + 4))) {
      const heredoc = scanHeredoc(text, i);
      tokens.push(heredoc);
      i = heredoc.end;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w-]/.test(text[j]!)) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (/\d/.test(c)) {
      let j = i + 1;
      while (j < n && /[\d.eE+-]/.test(text[j]!) && !(text[j] === '.' && !/\d/.test(text[j + 1] ?? ''))) j++;
      tokens.push({ kind: 'number', text: text.slice(i, j), start: i, end: j });
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      const op = text.slice(i, i + 3) === '...' ? '...' : TWO_CHAR.has(two) ? two : c;
      tokens.push({ kind: 'punct', text: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n });
  return tokens;
}

/** The end (exclusive) of a quoted string starting at `start`, through nested `${...}` templates. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '\n') return i;
    else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') i = scanTemplate(text, i + 2);
    else i++;
  }
  return i;
}

/** The end of a `${ ... }` interpolation whose content starts at `start`. */
function scanTemplate(text: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < text.length && depth > 0) {
    const c = text[i]!;
    if (c === '"') i = scanString(text, i);
    else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      i++;
    }
  }
  return i;
}

function scanHeredoc(text: string, start: number): Token {
  const header = /^<<(-?)([A-Za-z_][\w-]*)[^\n]*\n?/.exec(text.slice(start))!;
  const marker = header[2]!;
  const contentStart = start + header[0].length;
  let lineStart = contentStart;
  while (lineStart < text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const end = lineEnd < 0 ? text.length : lineEnd;
    if (text.slice(lineStart, end).trim() === marker) {
      return { kind: 'heredoc', text: text.slice(start, end), start, end, content: [contentStart, lineStart] };
    }
    if (lineEnd < 0) break;
    lineStart = lineEnd + 1;
  }
  return { kind: 'heredoc', text: text.slice(start), start, end: text.length, content: [contentStart, text.length] };
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
  }

  body(closing: boolean): HclBody {
    const out: HclBody = { attributes: [], blocks: [] };
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof' || (closing && t.text === '}')) return out;
      if (t.kind !== 'ident') {
        this.skipLine();
        continue;
      }
      this.next();
      if (this.peek().text === '=') {
        this.next();
        out.attributes.push({ name: t.text, nameStart: t.start, nameEnd: t.end, expr: this.expr(true, []) });
        continue;
      }
      const labels: string[] = [];
      while (this.peek().kind === 'string' || this.peek().kind === 'ident') labels.push(unquote(this.next().text));
      if (this.peek().text !== '{') {
        this.skipLine();
        continue;
      }
      const open = this.next();
      const body = this.body(true);
      const close = this.next();
      out.blocks.push({ type: t.text, labels, start: t.start, end: close.end, typeEnd: t.end, headerEnd: open.start, body });
    }
  }

  private skipLine(): void {
    while (this.peek().kind !== 'newline' && this.peek().kind !== 'eof') this.next();
  }

  /** One expression, ending before a newline (when `newlineEnds`) or one of `stops` at depth 0. */
  expr(newlineEnds: boolean, stops: string[]): HclExpr {
    const first = this.peek();
    const startPos = this.pos;
    let primary: HclExpr | undefined;
    if (first.text === '{' && this.peekPast(1) !== 'for') primary = this.object();
    else if (first.text === '[' && this.peek(1).text !== 'for') primary = this.tuple();
    else if (first.kind === 'ident' && this.peek(1).text === '(') primary = this.call();
    else if (first.kind === 'string') {
      this.next();
      primary = { k: 'string', start: first.start, end: first.end };
    } else if (first.kind === 'heredoc') {
      this.next();
      primary = { k: 'string', start: first.start, end: first.end, heredoc: { contentStart: first.content![0], contentEnd: first.content![1] } };
    }
    if (primary && this.ends(newlineEnds, stops)) return primary;
    // Anything more (an operator, a traversal, a conditional): one opaque range.
    this.pos = startPos;
    const start = this.peek().start;
    let end = start;
    let depth = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (depth === 0 && ((newlineEnds && t.kind === 'newline') || stops.includes(t.text))) break;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        if (depth === 0) break;
        depth--;
      }
      end = t.end;
      this.next();
    }
    return { k: 'other', start, end };
  }

  private peekPast(offset: number): string {
    let i = offset;
    while (this.peek(i).kind === 'newline') i++;
    return this.peek(i).text;
  }

  private ends(newlineEnds: boolean, stops: string[]): boolean {
    const t = this.peek();
    return t.kind === 'eof' || (newlineEnds && t.kind === 'newline') || stops.includes(t.text) || t.text === '}' || t.text === ']' || t.text === ')';
  }

  private object(): HclExpr {
    const open = this.next();
    const items: { key: string | undefined; keyStart: number; keyEnd: number; value: HclExpr }[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.peek().text === ',') this.next();
      const t = this.peek();
      if (t.kind === 'eof') return { k: 'object', start: open.start, end: t.start, items };
      if (t.text === '}') {
        this.next();
        return { k: 'object', start: open.start, end: t.end, items };
      }
      let key: string | undefined;
      let keyStart = t.start;
      let keyEnd = t.end;
      if (t.text === '(') {
        const computed = this.expr(false, ['=', ':']);
        keyStart = computed.start;
        keyEnd = computed.end;
      } else {
        this.next();
        key = t.kind === 'string' ? unquote(t.text) : t.text;
      }
      if (this.peek().text !== '=' && this.peek().text !== ':') {
        this.skipTo(['}', ',']);
        continue;
      }
      this.next();
      items.push({ key, keyStart, keyEnd, value: this.expr(true, [',', '}']) });
    }
  }

  private tuple(): HclExpr {
    const open = this.next();
    const items: HclExpr[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.peek().text === ',') this.next();
      const t = this.peek();
      if (t.kind === 'eof') return { k: 'tuple', start: open.start, end: t.start, items };
      if (t.text === ']') {
        this.next();
        return { k: 'tuple', start: open.start, end: t.end, items };
      }
      const before = this.pos;
      items.push(this.expr(false, [',', ']']));
      if (this.pos === before) this.next();
    }
  }

  private call(): HclExpr {
    const name = this.next();
    this.next();
    const args: HclExpr[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.peek().text === ',') this.next();
      const t = this.peek();
      if (t.kind === 'eof') return { k: 'call', name: name.text, start: name.start, end: t.start, args };
      if (t.text === ')') {
        this.next();
        return { k: 'call', name: name.text, start: name.start, end: t.end, args };
      }
      const before = this.pos;
      args.push(this.expr(false, [',', ')']));
      if (this.pos === before) this.next();
    }
  }

  private skipTo(stops: string[]): void {
    let depth = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (depth === 0 && stops.includes(t.text)) return;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        if (depth === 0) return;
        depth--;
      }
      this.next();
    }
  }
}

/** The text of a quoted HCL string without its quotes (escapes decoded where JSON reads them the same). */
export function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  try {
    return JSON.parse(text) as string;
  } catch {
    return text.slice(1, text.endsWith('"') ? -1 : undefined);
  }
}

/** The outline of a whole file. */
export function outlineFile(text: string): HclBody {
  return new Parser(tokenize(text)).body(false);
}

/** The outline of one expression (jsonencode's argument re-read, a `locals { v = ... }` wrapper). */
export function outlineExpression(text: string): HclExpr {
  return new Parser(tokenize(text)).expr(false, []);
}
