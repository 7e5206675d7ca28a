// Parsing a policy document into the normalized model of types.ts. Never throws: anything it
// cannot understand becomes a PolicyProblem with a JSON path, and a statement that cannot be
// evaluated safely is left out of `Statement` (IAM itself would refuse to store such a policy).
import { setOwn } from '../records.ts';
import { parseOperator } from './operators.ts';
import type { ConditionBlock, Effect, Policy, PolicyKind, PolicyProblem, PrincipalSpec, Statement } from './types.ts';

/** The only Versions IAM accepts ("IAM JSON policy elements: Version"). */
const KNOWN_VERSIONS = ['2012-10-17', '2008-10-17'];

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** A scalar as IAM reads it: strings as is, numbers and booleans as their text. */
function scalar(value: Json): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

class StatementReader {
  ok = true;
  constructor(
    private readonly problems: PolicyProblem[],
    private readonly path: string,
  ) {}

  fail(field: string, message: string, fatal = true): void {
    this.problems.push({ path: field ? `${this.path}.${field}` : this.path, message });
    if (fatal) this.ok = false;
  }

  /** A string or a list of strings (Action, Resource, ...). */
  stringList(raw: Record<string, Json>, field: string): string[] | undefined {
    const value = raw[field];
    if (value === undefined) return undefined;
    const list = Array.isArray(value) ? value : [value];
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else this.fail(Array.isArray(value) ? `${field}[${i}]` : field, `expected a string, found ${describe(item)}`);
    });
    if (out.length === 0 && this.ok) this.fail(field, 'is empty: it matches nothing', false);
    return out;
  }

  principal(raw: Record<string, Json>, field: 'Principal' | 'NotPrincipal'): PrincipalSpec | undefined {
    const value = raw[field];
    if (value === undefined) return undefined;
    if (value === '*') return '*';
    if (!isObject(value)) {
      this.fail(field, `expected "*" or an object such as {"Federated": "cognito-identity.amazonaws.com"}, found ${describe(value)}`);
      return undefined;
    }
    // Names from input become own keys, `__proto__` included (see records.ts).
    const spec: Record<string, string[]> = {};
    for (const [type, ids] of Object.entries(value)) {
      const list = Array.isArray(ids) ? ids : [ids];
      const out: string[] = [];
      list.forEach((id, i) => {
        if (typeof id === 'string') out.push(id);
        else this.fail(Array.isArray(ids) ? `${field}.${type}[${i}]` : `${field}.${type}`, `expected a string, found ${describe(id)}`);
      });
      setOwn(spec, type, out);
    }
    return spec;
  }

  condition(raw: Record<string, Json>): ConditionBlock | undefined {
    const value = raw.Condition;
    if (value === undefined) return undefined;
    if (!isObject(value)) {
      this.fail('Condition', `expected an object, found ${describe(value)}`);
      return undefined;
    }
    const block: ConditionBlock = {};
    for (const [operator, keys] of Object.entries(value)) {
      const opPath = `Condition.${operator}`;
      if (!isObject(keys)) {
        this.fail(opPath, `expected an object of condition keys, found ${describe(keys)}`);
        continue;
      }
      // An unknown operator stays in the block (the condition then never holds) and is reported.
      if (!parseOperator(operator).base) this.fail(opPath, `unknown condition operator "${operator}": this condition can never hold`, false);
      const entries: Record<string, string[]> = {};
      for (const [key, values] of Object.entries(keys)) {
        const list = Array.isArray(values) ? values : [values];
        const out: string[] = [];
        list.forEach((item, i) => {
          const text = scalar(item);
          if (text === undefined) this.fail(Array.isArray(values) ? `${opPath}.${key}[${i}]` : `${opPath}.${key}`, `expected a string, number or boolean, found ${describe(item)}`);
          else out.push(text);
        });
        setOwn(entries, key, out);
      }
      // An operator or key named `__proto__` stays a condition (a plain assignment would drop it,
      // and the statement would then apply unconditionally).
      setOwn(block, operator, entries);
    }
    return block;
  }
}

function readStatement(raw: Json, index: number, path: string, kind: PolicyKind, problems: PolicyProblem[]): Statement | undefined {
  if (!isObject(raw)) {
    problems.push({ path, message: `expected a statement object, found ${describe(raw)}` });
    return undefined;
  }
  const r = new StatementReader(problems, path);
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') r.fail('Effect', `expected "Allow" or "Deny", found ${effect === undefined ? 'nothing' : describe(effect)}`);
  const statement: Statement = { index, Effect: effect as Effect };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid === 'string' || typeof raw.Sid === 'number') statement.Sid = String(raw.Sid);
    else r.fail('Sid', `expected a string, found ${describe(raw.Sid)}`, false);
  }

  const action = r.stringList(raw, 'Action');
  const notAction = r.stringList(raw, 'NotAction');
  if (action && notAction) r.fail('', 'has both Action and NotAction; use one');
  else if (!action && !notAction) r.fail('', 'has neither Action nor NotAction');
  if (action) statement.Action = action;
  if (notAction) statement.NotAction = notAction;

  const resource = r.stringList(raw, 'Resource');
  const notResource = r.stringList(raw, 'NotResource');
  if (resource && notResource) r.fail('', 'has both Resource and NotResource; use one');
  else if (!resource && !notResource && kind !== 'trust') r.fail('', 'has neither Resource nor NotResource');
  if (resource) statement.Resource = resource;
  if (notResource) statement.NotResource = notResource;

  const principal = r.principal(raw, 'Principal');
  const notPrincipal = r.principal(raw, 'NotPrincipal');
  const needsPrincipal = kind === 'trust' || kind === 'resource';
  if (principal && notPrincipal) r.fail('', 'has both Principal and NotPrincipal; use one');
  else if (needsPrincipal && !principal && !notPrincipal) r.fail('', `a ${kind} policy statement needs a Principal`);
  else if (!needsPrincipal && (principal || notPrincipal)) r.fail(principal ? 'Principal' : 'NotPrincipal', `is not allowed in ${kind === 'boundary' ? 'a permissions boundary' : `an ${kind}`} policy and is ignored`, false);
  if (principal && needsPrincipal) statement.Principal = principal;
  if (notPrincipal && needsPrincipal) statement.NotPrincipal = notPrincipal;

  const condition = r.condition(raw);
  if (condition) statement.Condition = condition;
  return r.ok ? statement : undefined;
}

/** What a document reads as for one kind of policy: shared by every Policy parsed from it. */
interface ParsedDocument {
  Version?: string;
  Statement: readonly Statement[];
  problems: readonly PolicyProblem[];
}

/**
 * Documents read once per kind of policy, by document object: a snapshot's documents are parsed
 * again for every simulation, and the compiled statements (compile.ts) are kept by statement
 * object, so parsing a document again must give the same statements. A document is treated as
 * immutable once parsed.
 */
const parsedDocuments = new WeakMap<object, Partial<Record<PolicyKind, ParsedDocument>>>();

/**
 * Normalizes a decoded policy document. Single values become arrays, numbers and booleans in
 * condition values become strings. Never throws. The Statement list and its statements are frozen
 * and shared by every Policy parsed from the same document object for the same kind (so their
 * compiled form is shared too); the Policy object and its problems are the caller's own.
 */
export function parsePolicy(document: unknown, meta: { name: string; kind: PolicyKind; arn?: string }): Policy {
  let parsed: ParsedDocument;
  if (isObject(document)) {
    let byKind = parsedDocuments.get(document);
    if (!byKind) parsedDocuments.set(document, (byKind = {}));
    parsed = byKind[meta.kind] ??= readDocument(document, meta.kind);
  } else {
    parsed = readDocument(document, meta.kind);
  }
  const policy: Policy = { name: meta.name, kind: meta.kind, Statement: parsed.Statement as Statement[], problems: parsed.problems.map((p) => ({ ...p })) };
  if (meta.arn !== undefined) policy.arn = meta.arn;
  if (parsed.Version !== undefined) policy.Version = parsed.Version;
  return policy;
}

function readDocument(document: unknown, kind: PolicyKind): ParsedDocument {
  const statements: Statement[] = [];
  const problems: PolicyProblem[] = [];
  const parsed: ParsedDocument = { Statement: statements, problems };
  if (!isObject(document)) {
    problems.push({ path: '', message: `a policy document must be a JSON object, found ${describe(document)}` });
    Object.freeze(statements);
    return parsed;
  }
  const version = document.Version;
  if (version !== undefined) {
    if (typeof version !== 'string') problems.push({ path: 'Version', message: `expected a string, found ${describe(version)}` });
    else {
      parsed.Version = version;
      if (!KNOWN_VERSIONS.includes(version)) problems.push({ path: 'Version', message: `unknown Version ${JSON.stringify(version)}; IAM accepts "2012-10-17" (and the old "2008-10-17")` });
    }
  }
  const raw = document.Statement;
  if (raw === undefined) {
    problems.push({ path: 'Statement', message: 'required field is missing' });
    Object.freeze(statements);
    return parsed;
  }
  const list = Array.isArray(raw) ? raw : [raw];
  list.forEach((item, i) => {
    const path = Array.isArray(raw) ? `Statement[${i}]` : 'Statement';
    const statement = readStatement(item, i, path, kind, problems);
    if (statement) statements.push(deepFreeze(statement));
  });
  Object.freeze(statements);
  return parsed;
}

/** Freezes a parsed statement and everything in it: shared statements must not change under a compiled one. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
