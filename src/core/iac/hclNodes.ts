// hcl2json's JSON of a Terraform file + the file's outline -> the source model. Values come from
// hcl2json (HashiCorp's parser); ranges from the outline, matched by block type and labels,
// attribute name, object key and list index. `jsonencode(...)` is re-read (its inner text wrapped
// as `locals { v = <inner> }`), a heredoc or file() holding JSON is read as JSON, so a policy
// written any of these ways is a tree of values with their own ranges.
import { parseHcl } from './hclParser.ts';
import type { HclBlock, HclBody, HclExpr } from './hclOutline.ts';
import type { ListNode, MapEntry, MapNode, Node, SourceFile, Span, Syntax } from './source.ts';
import { parseYamlOrJson } from './yamlSource.ts';

export interface ConvertContext {
  file: SourceFile;
  /** The module's folder (`path.module`) and the root module's (`path.root`). */
  moduleDir: string;
  rootDir: string;
  /** Reads a JSON file that file("...") names; undefined when it cannot be read. */
  readJson(path: string): Promise<SourceFile | undefined>;
}

const span = (file: SourceFile, start: number, end: number): Span => ({ file, start, end });
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A block's body (resource, data, module, ...) as a map node. */
export async function blockNode(json: Record<string, unknown>, block: HclBlock | undefined, fallback: Span, ctx: ConvertContext): Promise<MapNode> {
  const at = block ? span(ctx.file, block.start, block.end) : fallback;
  return bodyNode(json, block?.body, at, ctx);
}

async function bodyNode(json: Record<string, unknown>, body: HclBody | undefined, at: Span, ctx: ConvertContext): Promise<MapNode> {
  const entries: MapEntry[] = [];
  for (const [key, value] of Object.entries(json)) {
    const attribute = body?.attributes.find((a) => a.name === key);
    if (attribute) {
      entries.push({ key, keySpan: span(ctx.file, attribute.nameStart, attribute.nameEnd), value: await exprNode(value, attribute.expr, at, ctx) });
      continue;
    }
    const blocks = body?.blocks.filter((b) => b.type === key) ?? [];
    if (Array.isArray(value) && value.every(isObject)) {
      const items: Node[] = [];
      for (const [i, item] of value.entries()) {
        const b = blocks[i];
        items.push(await bodyNode(item, b?.body, b ? span(ctx.file, b.start, b.end) : at, ctx));
      }
      const list: ListNode = { t: 'list', items, span: blocks.length ? span(ctx.file, blocks[0]!.start, blocks.at(-1)!.end) : at, syntax: 'hcl' };
      entries.push({ key, keySpan: blocks[0] ? span(ctx.file, blocks[0].start, blocks[0].typeEnd) : at, value: list });
      continue;
    }
    entries.push({ key, keySpan: at, value: await exprNode(value, undefined, at, ctx) });
  }
  return { t: 'map', entries, span: at, syntax: 'hcl' };
}

/** One value with the range of its expression (or the nearest enclosing one). */
export async function exprNode(value: unknown, expr: HclExpr | undefined, fallback: Span, ctx: ConvertContext): Promise<Node> {
  const at = expr ? span(ctx.file, expr.start, expr.end) : fallback;
  if (typeof value === 'string') return stringNode(value, expr, at, ctx);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return { t: 'scalar', value, span: at, syntax: 'hcl' };
  if (Array.isArray(value)) {
    const items: Node[] = [];
    for (const [i, item] of value.entries()) items.push(await exprNode(item, expr?.k === 'tuple' ? expr.items[i] : undefined, at, ctx));
    return { t: 'list', items, span: at, syntax: 'hcl' };
  }
  if (isObject(value)) {
    const entries: MapEntry[] = [];
    for (const [key, v] of Object.entries(value)) {
      const item = expr?.k === 'object' ? expr.items.find((x) => x.key === key) : undefined;
      entries.push({ key, keySpan: item ? span(ctx.file, item.keyStart, item.keyEnd) : at, value: await exprNode(v, item?.value, at, ctx) });
    }
    return { t: 'map', entries, span: at, syntax: 'hcl' };
  }
  return { t: 'scalar', value: null, span: at, syntax: 'hcl' };
}

async function stringNode(value: string, expr: HclExpr | undefined, at: Span, ctx: ConvertContext): Promise<Node> {
  const call = /^\$\{(jsonencode|file)\(([\s\S]*)\)\}$/.exec(value);
  if (call?.[1] === 'jsonencode') {
    try {
      const parsed = await parseHcl('jsonencode.tf', `locals {\n  v = ${call[2]}\n}\n`);
      const locals = parsed['locals'];
      const inner = Array.isArray(locals) && isObject(locals[0]) ? locals[0]['v'] : undefined;
      const arg = await exprNode(inner, expr?.k === 'call' && expr.name === 'jsonencode' ? expr.args[0] : undefined, at, ctx);
      return { t: 'fn', name: 'jsonencode', arg, short: false, span: at, syntax: 'hcl' };
    } catch {
      return { t: 'expr', template: value, span: at, syntax: 'hcl' };
    }
  }
  if (call?.[1] === 'file') {
    const document = await fileNode(call[2]!, ctx);
    if (document) return { t: 'fn', name: 'file', arg: document, short: false, span: at, syntax: 'hcl' };
  }
  if (expr?.k === 'string' && expr.heredoc) {
    const json = heredocJson(ctx.file, expr.heredoc.contentStart, expr.heredoc.contentEnd);
    if (json) return { t: 'fn', name: 'jsonstring', arg: json, short: false, span: at, syntax: 'hcl' };
  }
  if (value.includes('${') || value.includes('%{')) return { t: 'expr', template: value, span: at, syntax: 'hcl' };
  return { t: 'scalar', value, span: at, syntax: 'hcl' };
}

/** file("...") of a JSON file: the path literal, or under path.module / path.root. */
async function fileNode(argument: string, ctx: ConvertContext): Promise<Node | undefined> {
  const literal = /^"([^"]*)"$/.exec(argument.trim());
  if (!literal) return undefined;
  const path = literal[1]!.replace(/\$\{path\.module\}/g, ctx.moduleDir).replace(/\$\{path\.root\}/g, ctx.rootDir);
  if (path.includes('${')) return undefined;
  const absolute = path.startsWith('/') ? path : `${ctx.rootDir}/${path}`;
  const file = await ctx.readJson(absolute);
  if (!file) return undefined;
  try {
    return parseYamlOrJson(file);
  } catch {
    return undefined;
  }
}

/** A heredoc whose content is JSON: read with positions in the .tf file; strings keep Terraform's `${...}`. */
function heredocJson(file: SourceFile, start: number, end: number): Node | undefined {
  const raw = file.text.slice(start, end);
  if (!/^\s*[{[]/.test(raw)) return undefined;
  try {
    JSON.parse(raw);
  } catch {
    return undefined;
  }
  const view: SourceFile = { path: file.path, text: raw, syntax: 'hcl-string' };
  try {
    return relocate(parseYamlOrJson(view), file, start, 'hcl-string');
  } catch {
    return undefined;
  }
}

/** Moves a tree parsed from a slice of `file` to the file's own offsets; strings with `${` become templates. */
function relocate(node: Node, file: SourceFile, delta: number, syntax: Syntax): Node {
  const at = (s: Span): Span => ({ file, start: s.start + delta, end: s.end + delta });
  switch (node.t) {
    case 'scalar':
      if (typeof node.value === 'string' && (node.value.includes('${') || node.value.includes('%{'))) return { t: 'expr', template: node.value, span: at(node.span), syntax };
      return { ...node, span: at(node.span), syntax };
    case 'list':
      return { ...node, items: node.items.map((i) => relocate(i, file, delta, syntax)), span: at(node.span), syntax };
    case 'map':
      return { ...node, entries: node.entries.map((e) => ({ key: e.key, keySpan: at(e.keySpan), value: relocate(e.value, file, delta, syntax) })), span: at(node.span), syntax };
    case 'fn':
      return { ...node, arg: relocate(node.arg, file, delta, syntax), span: at(node.span), syntax };
    case 'expr':
      return { ...node, span: at(node.span), syntax };
  }
}
