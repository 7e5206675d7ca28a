// CloudFormation's intrinsic functions over the source model: what each value will be at deploy,
// as far as the template says. A reference to a modelled resource is its synthetic value (a
// symbol); what stays open (a parameter without default, an import from outside, a condition
// that depends on one, a function this reader does not know) is an Unknown naming it.
import type { Resolver, Value } from './model.ts';
import { Unknown } from './model.ts';
import type { FunctionNode, Node } from './source.ts';
import { entry, spanText } from './source.ts';

/** What a template resource stands for: its Ref value and attributes. */
export interface ResourceValues {
  type: string;
  ref?: string;
  attributes: Record<string, string>;
  /** Why its values cannot be known (a type this reader does not model). */
  opaque?: string;
}

/** Where an export of another stack of the same assembly comes from. */
export type ExportLookup = (name: string) => { resolver: CfnResolver; node: Node } | undefined;

/** `AWS::NoValue`: the property is left out. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface CfnResolverOptions {
  scope: string;
  region: string;
  accountId: string;
  stackName: string;
  parameters?: Node;
  mappings?: Node;
  conditions?: Node;
  resources: Map<string, ResourceValues>;
  /** A nested stack's parameters, as its parent passes them. */
  parent?: { resolver: CfnResolver; parameters?: Node };
  exports?: ExportLookup;
  /** Serverless Framework files: `${self:...}`, `${opt:...}` are its variables, resolved at package time. */
  serverless?: boolean;
}

const SERVERLESS_VARIABLE = /\$\{(?:self|opt|sls|env|ssm|cf|s3|file|strToBool|param|aws):/;

export class CfnResolver implements Resolver {
  readonly scope: string;
  private readonly cache = new Map<Node, Value | typeof NO_VALUE>();
  private readonly active = new Set<Node>();
  /** Nested stacks by logical id, for `!GetAtt Nested.Outputs.X`. */
  readonly nested = new Map<string, { resolver: CfnResolver; outputs?: Node }>();

  constructor(readonly options: CfnResolverOptions) {
    this.scope = options.scope;
  }

  resolve(node: Node): Value {
    const value = this.value(node);
    return value === NO_VALUE ? null : value;
  }

  /** Like resolve, but `AWS::NoValue` stays visible (a property set to it is absent). */
  value(node: Node): Value | typeof NO_VALUE {
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

  private compute(node: Node): Value | typeof NO_VALUE {
    switch (node.t) {
      case 'scalar':
        if (this.options.serverless && typeof node.value === 'string' && SERVERLESS_VARIABLE.test(node.value)) {
          return new Unknown(node, node.value, 'a Serverless Framework variable, resolved when the service is packaged');
        }
        return node.value;
      case 'list': {
        const out: Value[] = [];
        for (const item of node.items) {
          const v = this.value(item);
          if (v !== NO_VALUE) out.push(v);
        }
        return out;
      }
      case 'map': {
        const out: Record<string, Value> = Object.create(null) as Record<string, Value>;
        for (const e of node.entries) {
          const v = this.value(e.value);
          if (v !== NO_VALUE) Object.defineProperty(out, e.key, { value: v, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      case 'fn':
        return this.call(node);
      case 'expr':
        return new Unknown(node, node.template, 'not a CloudFormation value');
    }
  }

  private call(node: FunctionNode): Value | typeof NO_VALUE {
    switch (node.name) {
      case 'Ref':
        return this.ref(node, scalarText(this.resolve(node.arg)));
      case 'Fn::GetAtt':
        return this.getAtt(node);
      case 'Fn::Sub':
        return this.sub(node);
      case 'Fn::Join':
        return this.join(node);
      case 'Fn::Select': {
        const [index, list] = this.args(node, 2);
        const i = Number(index);
        if (index instanceof Unknown) return index;
        if (list instanceof Unknown) return list;
        return Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length ? list[i]! : new Unknown(node, shown(node), 'Fn::Select is out of range');
      }
      case 'Fn::Split': {
        const [delimiter, text] = this.args(node, 2);
        if (text instanceof Unknown) return text;
        return typeof delimiter === 'string' && typeof text === 'string' ? text.split(delimiter) : new Unknown(node, shown(node), 'Fn::Split needs a delimiter and a string');
      }
      case 'Fn::If':
        return this.fnIf(node);
      case 'Fn::FindInMap':
        return this.findInMap(node);
      case 'Fn::ImportValue':
        return this.importValue(node);
      case 'Fn::Length': {
        const list = this.resolve(node.arg);
        return Array.isArray(list) ? list.length : list instanceof Unknown ? list : new Unknown(node, shown(node), 'Fn::Length needs a list');
      }
      case 'Fn::ToJsonString': {
        const v = this.resolve(node.arg);
        return containsUnknown(v) ?? JSON.stringify(v);
      }
      case 'Fn::Base64': {
        const v = this.resolve(node.arg);
        return typeof v === 'string' ? Buffer.from(v, 'utf8').toString('base64') : v instanceof Unknown ? v : new Unknown(node, shown(node), 'Fn::Base64 needs a string');
      }
      case 'Fn::Equals': {
        const [a, b] = this.args(node, 2);
        if (a instanceof Unknown) return a;
        if (b instanceof Unknown) return b;
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = this.argList(node);
        const unknown = values.find((v) => v instanceof Unknown);
        if (unknown) return unknown;
        return node.name === 'Fn::And' ? values.every((v) => v === true) : values.some((v) => v === true);
      }
      case 'Fn::Not': {
        const [v] = this.argList(node);
        return v instanceof Unknown ? v : v !== true;
      }
      case 'Condition':
        return this.condition(node, scalarText(this.resolve(node.arg)));
      case 'Fn::GetAZs':
      case 'Fn::Cidr':
        return new Unknown(node, shown(node), `${node.name} is computed at deploy`);
      case 'Fn::Transform':
        return new Unknown(node, shown(node), 'a macro (Fn::Transform) rewrites it at deploy');
      default:
        return new Unknown(node, shown(node), `${node.name} is not a function this reader knows`);
    }
  }

  private args(node: FunctionNode, count: number): Value[] {
    const list = this.argList(node);
    while (list.length < count) list.push(new Unknown(node, shown(node), `${node.name} needs ${count} arguments`));
    return list;
  }

  private argList(node: FunctionNode): Value[] {
    if (node.arg.t !== 'list') return [this.resolve(node.arg)];
    return node.arg.items.map((item) => this.resolve(item));
  }

  /** `Ref` of a parameter, a pseudo parameter or a resource. */
  ref(node: Node, name: string | undefined): Value | typeof NO_VALUE {
    if (name === undefined) return new Unknown(node, shown(node), 'Ref needs a name');
    switch (name) {
      case 'AWS::Region':
        return this.options.region;
      case 'AWS::AccountId':
        return this.options.accountId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.options.stackName;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::StackId':
      case 'AWS::NotificationARNs':
        return new Unknown(node, shown(node), `${name} is known only at deploy`);
    }
    const parameter = entry(this.options.parameters, name);
    if (parameter) return this.parameter(node, name, parameter);
    const resource = this.options.resources.get(name);
    if (!resource) return new Unknown(node, shown(node), `${name} is neither a parameter nor a resource of this template`);
    if (resource.opaque !== undefined || resource.ref === undefined) return new Unknown(node, shown(node), resource.opaque ?? `the Ref of a ${resource.type} is not modelled`);
    return resource.ref;
  }

  private parameter(node: Node, name: string, declaration: Node): Value {
    const passed = entry(this.options.parent?.parameters, name);
    if (passed && this.options.parent) return this.options.parent.resolver.resolve(passed);
    const type = scalarText(this.resolve(entry(declaration, 'Type') ?? nullNode(node)));
    if (type?.startsWith('AWS::SSM::Parameter::Value')) return new Unknown(node, shown(node), `parameter ${name} is read from SSM Parameter Store at deploy`);
    const fallback = entry(declaration, 'Default');
    if (!fallback) return new Unknown(node, shown(node), `parameter ${name} has no default: its value is given at deploy`);
    const value = this.resolve(fallback);
    if (typeof value === 'string' && type && (type === 'CommaDelimitedList' || type.startsWith('List<'))) return value.split(',').map((s) => s.trim());
    return typeof value === 'number' ? String(value) : value;
  }

  private getAtt(node: FunctionNode): Value {
    let target: string | undefined;
    let attribute: string | undefined;
    const arg = this.resolve(node.arg);
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      [target, attribute] = dot > 0 ? [arg.slice(0, dot), arg.slice(dot + 1)] : [arg, undefined];
    } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && typeof arg[1] === 'string') {
      [target, attribute] = [arg[0], arg[1]];
    } else if (arg instanceof Unknown || (Array.isArray(arg) && arg.some((a) => a instanceof Unknown))) {
      return new Unknown(node, shown(node), 'Fn::GetAtt names its attribute with a value known only at deploy');
    }
    if (!target || !attribute) return new Unknown(node, shown(node), 'Fn::GetAtt needs a resource and an attribute');
    return this.attribute(node, target, attribute);
  }

  attribute(node: Node, target: string, attribute: string): Value {
    const nested = this.nested.get(target);
    if (nested && attribute.startsWith('Outputs.')) {
      const output = entry(entry(nested.outputs, attribute.slice('Outputs.'.length)), 'Value');
      return output ? nested.resolver.resolve(output) : new Unknown(node, shown(node), `nested stack ${target} has no output ${attribute.slice(8)}`);
    }
    const resource = this.options.resources.get(target);
    if (!resource) return new Unknown(node, shown(node), `${target} is not a resource of this template`);
    if (resource.opaque !== undefined) return new Unknown(node, shown(node), resource.opaque);
    const value = resource.attributes[attribute];
    return value ?? new Unknown(node, shown(node), `${attribute} of a ${resource.type} is known only after deploy`);
  }

  private sub(node: FunctionNode): Value {
    let template: Value;
    let variables: Node | undefined;
    if (node.arg.t === 'list') {
      template = this.resolve(node.arg.items[0] ?? node.arg);
      variables = node.arg.items[1];
    } else template = this.resolve(node.arg);
    if (template instanceof Unknown) return template;
    if (typeof template !== 'string') return new Unknown(node, shown(node), 'Fn::Sub needs a string');
    let out = '';
    let last = 0;
    const pattern = /\$\{([^}]*)\}/g;
    for (let match = pattern.exec(template); match; match = pattern.exec(template)) {
      out += template.slice(last, match.index);
      last = match.index + match[0].length;
      const name = match[1]!.trim();
      if (name.startsWith('!')) {
        out += `\${${name.slice(1)}}`;
        continue;
      }
      const variable = entry(variables, name);
      let value: Value | typeof NO_VALUE;
      if (variable) value = this.resolve(variable);
      else if (name.includes('.') && !name.startsWith('AWS::')) value = this.attribute(node, name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1));
      else value = this.ref(node, name);
      if (value instanceof Unknown) return new Unknown(node, shown(node), value.reason);
      if (value === NO_VALUE || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) {
        return new Unknown(node, shown(node), `\${${name}} is not a string`);
      }
      out += String(value);
    }
    return out + template.slice(last);
  }

  private join(node: FunctionNode): Value {
    const [delimiter, list] = this.args(node, 2);
    if (list instanceof Unknown) return new Unknown(node, shown(node), list.reason);
    if (typeof delimiter !== 'string' || !Array.isArray(list)) return new Unknown(node, shown(node), 'Fn::Join needs a delimiter and a list');
    const parts: string[] = [];
    for (const part of list) {
      if (part instanceof Unknown) return new Unknown(node, shown(node), part.reason);
      if (typeof part !== 'string' && typeof part !== 'number' && typeof part !== 'boolean') return new Unknown(node, shown(node), 'Fn::Join needs strings');
      parts.push(String(part));
    }
    return parts.join(delimiter);
  }

  private fnIf(node: FunctionNode): Value | typeof NO_VALUE {
    if (node.arg.t !== 'list' || node.arg.items.length !== 3) return new Unknown(node, shown(node), 'Fn::If needs a condition and two values');
    const name = scalarText(this.resolve(node.arg.items[0]!));
    const holds = this.condition(node, name);
    if (holds instanceof Unknown) return new Unknown(node, shown(node), `it depends on condition ${name ?? '?'} (${holds.reason})`);
    return this.value(node.arg.items[holds === true ? 1 : 2]!);
  }

  /** A condition of the Conditions section: true, false, or Unknown when it depends on deploy-time values. */
  condition(node: Node, name: string | undefined): Value {
    const declaration = name === undefined ? undefined : entry(this.options.conditions, name);
    if (!declaration) return new Unknown(node, shown(node), `condition ${name ?? '?'} is not declared`);
    return this.resolve(declaration);
  }

  private findInMap(node: FunctionNode): Value {
    const [map, top, second] = this.args(node, 3);
    for (const key of [map, top, second]) if (key instanceof Unknown) return new Unknown(node, shown(node), key.reason);
    const found = entry(entry(entry(this.options.mappings, String(map)), String(top)), String(second));
    if (found) return this.resolve(found);
    const fallback = node.arg.t === 'list' ? entry(node.arg.items[3], 'DefaultValue') : undefined;
    return fallback ? this.resolve(fallback) : new Unknown(node, shown(node), `mapping ${String(map)} has no ${String(top)}.${String(second)}`);
  }

  private importValue(node: FunctionNode): Value {
    const name = this.resolve(node.arg);
    if (typeof name !== 'string') return new Unknown(node, shown(node), 'an import whose name is known only at deploy');
    const found = this.options.exports?.(name);
    if (found) return found.resolver.resolve(found.node);
    return new Unknown(node, shown(node), `an export of another stack (${name}), not in this definition`);
  }
}

function containsUnknown(value: Value): Unknown | undefined {
  if (value instanceof Unknown) return value;
  if (Array.isArray(value)) for (const v of value) { const u = containsUnknown(v); if (u) return u; }
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) { const u = containsUnknown(v); if (u) return u; }
  return undefined;
}

/** A resolved value as text, when it is a string or a number. */
export function scalarText(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function nullNode(near: Node): Node {
  return { t: 'scalar', value: null, span: near.span, syntax: near.syntax };
}

/** How the file writes a node, on one line (for messages). */
export function shown(node: Node): string {
  const text = spanText(node.span).replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
