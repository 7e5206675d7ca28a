// Terraform expressions over the source model: references to resources become their synthetic
// values (symbols), variables their defaults (or terraform.tfvars, or what the module call
// passes), locals and module outputs what they say; what only plan or apply knows (a data source,
// a function, count.index, an attribute computed at apply) is an Unknown naming it.
import { shown } from './cfnResolver.ts';
import type { Resolver, Value } from './model.ts';
import { Unknown, unknownsIn } from './model.ts';
import type { MapNode, Node } from './source.ts';
import { entry } from './source.ts';

/** What a resource stands for: its synthetic attributes; others come from its own arguments. */
export interface TfResourceValues {
  type: string;
  attributes: Record<string, string>;
  node: MapNode;
}

export interface TfScope {
  /** `` for the root module, `module.auth` for a child. */
  address: string;
  dir: string;
  rootDir: string;
  region: string;
  accountId: string;
  resources: Map<string, TfResourceValues>;
  /** Data sources by `type.name`; `aws_iam_policy_document` ones hold the document node. */
  data: Map<string, Node>;
  /** A variable's value in this module: a module call's argument, terraform.tfvars or the default. */
  variables: Map<string, { node: Node; resolver: Resolver } | undefined>;
  locals: Map<string, Node>;
  modules: Map<string, { resolver: TfResolver; outputs: Map<string, Node> }>;
}

const TRAVERSAL = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*|\.\d+|\[[^\]]*\])*$/;

export class TfResolver implements Resolver {
  readonly scope: string;
  private readonly cache = new Map<Node, Value>();
  private readonly active = new Set<Node>();

  constructor(readonly s: TfScope) {
    this.scope = s.address || 'root';
  }

  resolve(node: Node): Value {
    const cached = this.cache.get(node);
    if (cached !== undefined) return cached;
    if (this.active.has(node)) return new Unknown(node, shown(node), 'it refers to itself');
    this.active.add(node);
    try {
      const value = this.compute(node);
      this.cache.set(node, value);
      return value;
    } finally {
      this.active.delete(node);
    }
  }

  private compute(node: Node): Value {
    switch (node.t) {
      case 'scalar':
        return node.value;
      case 'list':
        return node.items.map((i) => this.resolve(i));
      case 'map': {
        const out = Object.create(null) as Record<string, Value>;
        for (const e of node.entries) Object.defineProperty(out, e.key, { value: this.resolve(e.value), enumerable: true, writable: true, configurable: true });
        return out;
      }
      case 'fn': {
        if (node.name === 'policydocument') return ampersands(this.resolve(node.arg));
        if (node.name === 'jsonencode' || node.name === 'jsonstring' || node.name === 'file') {
          const value = this.resolve(node.arg);
          const unknown = unknownsIn(value)[0];
          return unknown ? new Unknown(node, shown(node), unknown.reason) : JSON.stringify(value);
        }
        return new Unknown(node, shown(node), node.name === '!unknown' ? 'it is computed at plan' : `${node.name}() is evaluated at plan`);
      }
      case 'expr':
        return this.template(node, node.template);
    }
  }

  /** A string with `${...}` interpolations; a string that is one interpolation keeps its value's type. */
  private template(node: Node, template: string): Value {
    const parts = splitTemplate(template);
    if (parts.length === 1 && typeof parts[0] !== 'string') return this.expression(node, parts[0]!.expr);
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      if (part.directive) return new Unknown(node, shown(node), 'a template directive (%{...}) is evaluated at plan');
      const value = this.expression(node, part.expr);
      if (value instanceof Unknown) return new Unknown(node, shown(node), value.reason);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return new Unknown(node, shown(node), `\${${part.expr}} is not a string`);
      out += String(value);
    }
    return out;
  }

  private expression(node: Node, text: string): Value {
    const expr = text.trim();
    if (/^"(?:[^"\\$]|\\.)*"$/.test(expr)) return JSON.parse(expr) as string;
    if (/^-?\d+(\.\d+)?$/.test(expr)) return Number(expr);
    if (expr === 'true' || expr === 'false') return expr === 'true';
    if (expr === 'null') return null;
    if (TRAVERSAL.test(expr)) return this.traversal(node, segments(expr));
    const call = /^([a-z_][a-z0-9_]*)\(\s*([\s\S]*)\)$/.exec(expr);
    if (call?.[1] === 'jsonencode' && TRAVERSAL.test(call[2]!.trim())) {
      const value = this.traversal(node, segments(call[2]!.trim()));
      const unknown = unknownsIn(value)[0];
      return unknown ? new Unknown(node, shown(node), unknown.reason) : JSON.stringify(value);
    }
    if (call) return new Unknown(node, shown(node), `the function ${call[1]}() is evaluated at plan`);
    return new Unknown(node, shown(node), `the expression ${expr.length > 60 ? `${expr.slice(0, 57)}...` : expr} is evaluated at plan`);
  }

  private traversal(node: Node, path: string[]): Value {
    const [head, second, third] = path;
    const fail = (reason: string): Unknown => new Unknown(node, shown(node), reason);
    switch (head) {
      case 'var': {
        if (!this.s.variables.has(second!)) return fail(`variable ${second} is not declared in this module`);
        const variable = this.s.variables.get(second!);
        if (!variable) return fail(`variable ${second} has no default: its value is given at plan`);
        return step(variable.resolver.resolve(variable.node), path.slice(2), fail);
      }
      case 'local': {
        const local = this.s.locals.get(second!);
        return local ? step(this.resolve(local), path.slice(2), fail) : fail(`local.${second} is not defined in this module`);
      }
      case 'module': {
        const module = this.s.modules.get(second!);
        const output = module?.outputs.get(third!);
        if (!module || !output) return fail(`module.${second}.${third} is not an output of a module read here`);
        return step(module.resolver.resolve(output), path.slice(3), fail);
      }
      case 'data':
        return this.dataSource(path, fail);
      case 'count':
      case 'each':
        return fail(`${head}.${second}: count and for_each are read as one symbolic instance`);
      case 'path':
        return second === 'module' ? this.s.dir : second === 'root' || second === 'cwd' ? this.s.rootDir : fail(`path.${second} is not known`);
      case 'terraform':
      case 'self':
        return fail(`${head}.${second} is known only at plan`);
    }
    // A resource: `type.name[index].attribute...` (one symbolic instance of count / for_each).
    const rest = path.slice(2).filter((p, i) => !(i === 0 && p.startsWith('[')));
    const resource = this.s.resources.get(`${head}.${second}`);
    if (!resource) return fail(`${head}.${second} is not a resource of this module`);
    const attribute = rest[0];
    if (attribute === undefined) return fail(`${head}.${second} is a whole resource object`);
    const synthetic = resource.attributes[attribute];
    if (synthetic !== undefined) return step(synthetic, rest.slice(1), fail);
    const argument = entry(resource.node, attribute);
    if (argument) return step(this.resolve(argument), rest.slice(1), fail);
    return fail(`${head}.${second}.${attribute} is known only after apply`);
  }

  private dataSource(path: string[], fail: (reason: string) => Unknown): Value {
    const [, type, name, attribute] = path;
    switch (type) {
      case 'aws_iam_policy_document': {
        const doc = this.s.data.get(`${type}.${name}`);
        if (!doc) return fail(`data.${type}.${name} is not defined in this module`);
        if (attribute !== 'json' && attribute !== 'minified_json') return fail(`data.${type}.${name}.${attribute} is not read`);
        const value = this.resolve(doc);
        const unknown = unknownsIn(value)[0];
        return unknown ? fail(unknown.reason) : JSON.stringify(value);
      }
      case 'aws_caller_identity':
        return attribute === 'account_id' ? this.s.accountId : fail(`data.${type}.${name}.${attribute} is read at plan`);
      case 'aws_region':
        return attribute === 'name' || attribute === 'region' || attribute === 'id' ? this.s.region : fail(`data.${type}.${name}.${attribute} is read at plan`);
      case 'aws_partition':
        return attribute === 'partition' ? 'aws' : attribute === 'dns_suffix' ? 'amazonaws.com' : fail(`data.${type}.${name}.${attribute} is read at plan`);
      default:
        return fail(`data source data.${type}.${name} is read at plan`);
    }
  }
}

/** `aws_x.y[0].z["k"]` -> ['aws_x', 'y', '[0]', 'z', '["k"]']: names, and index segments with their brackets. */
function segments(expr: string): string[] {
  const out: string[] = [];
  for (const match of expr.matchAll(/([A-Za-z_*][\w-]*|\d+)|\[([^\]]*)\]/g)) {
    if (match[1] !== undefined) out.push(match[1]);
    else out.push(`[${match[2]!.trim()}]`);
  }
  return out;
}

function step(value: Value, rest: string[], fail: (reason: string) => Unknown): Value {
  let current = value;
  for (const part of rest) {
    if (current instanceof Unknown) return current;
    if (part === '[*]' || part === '*') continue;
    const key = part.startsWith('[') ? part.slice(1, -1).replace(/^"(.*)"$/, '$1') : part;
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)] ?? fail(`index ${key} is out of range`);
    else if (current !== null && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, key)) current = (current as Record<string, Value>)[key]!;
    else return fail(`${key} is not known`);
  }
  return current;
}

type TemplatePart = string | { expr: string; directive: boolean };

/** hcl2json's string: literal text and `${...}` / `%{...}` parts; `$${` and `%%{` are literal. */
export function splitTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if ((c === '$' || c === '%') && template[i + 1] === c && template[i + 2] === '{') {
      text += `${c}{`;
      i += 3;
    } else if ((c === '$' || c === '%') && template[i + 1] === '{') {
      const end = closing(template, i + 2);
      if (text) parts.push(text);
      text = '';
      parts.push({ expr: template.slice(i + 2, end), directive: c === '%' });
      i = end + 1;
    } else {
      text += c;
      i++;
    }
  }
  if (text || parts.length === 0) parts.push(text);
  return parts;
}

function closing(text: string, start: number): number {
  let depth = 1;
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return text.length;
}

/** aws_iam_policy_document writes IAM policy variables as `&{...}` (so Terraform leaves them alone). */
function ampersands(value: Value): Value {
  if (typeof value === 'string') return value.replace(/&\{/g, '${');
  if (Array.isArray(value)) return value.map(ampersands);
  if (value !== null && typeof value === 'object' && !(value instanceof Unknown)) {
    const out = Object.create(null) as Record<string, Value>;
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: ampersands(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
