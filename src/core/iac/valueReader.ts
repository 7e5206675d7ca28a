// Reading resolved values into the types the snapshot needs (text, numbers, flags, lists,
// records, policy documents), recording each value that is not known before deploy with what it
// leaves unjudged (a TEMPLATE_VALUE_UNKNOWN finding each).
import type { DocumentSource, Resolver, Unknown, Value } from './model.ts';
import { unknownsIn } from './model.ts';
import type { Node } from './source.ts';
import type { DefinedResource } from './symbols.ts';

/** A value the checks needed and could not have, with what that leaves unjudged. */
export interface UnknownUse {
  unknown: Unknown;
  resource: DefinedResource;
  /** "the trust policy of ReadRole" */
  what: string;
  /** "its trust is not checked" */
  consequence: string;
}

/** Reads resolved values of the types the snapshot needs, recording what is unknown. */
export class Reader {
  constructor(private readonly unknowns: UnknownUse[]) {}

  private note(value: Value, resource: DefinedResource, what?: string, consequence?: string): boolean {
    const unknowns = unknownsIn(value);
    if (unknowns.length === 0) return false;
    if (what) for (const unknown of unknowns) this.unknowns.push({ unknown, resource, what, consequence: consequence ?? 'it is not checked' });
    return true;
  }

  text(node: Node | undefined, resource: DefinedResource, ctx: Resolver, what?: string, consequence?: string): string | undefined {
    if (!node) return undefined;
    const value = ctx.resolve(node);
    if (this.note(value, resource, what, consequence)) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return undefined;
  }

  number(node: Node, resource: DefinedResource, ctx: Resolver, what?: string, consequence?: string): number | null | undefined {
    const value = ctx.resolve(node);
    if (this.note(value, resource, what, consequence)) return undefined;
    if (value === null) return null;
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : undefined;
  }

  bool(node: Node | undefined, resource: DefinedResource, ctx: Resolver, what?: string, consequence?: string): boolean | undefined {
    if (!node) return undefined;
    const value = ctx.resolve(node);
    if (this.note(value, resource, what, consequence)) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return undefined;
  }

  list(node: Node | undefined, resource: DefinedResource, ctx: Resolver, what?: string, consequence?: string): string[] | undefined {
    if (!node) return undefined;
    const value = ctx.resolve(node);
    if (this.note(value, resource, what, consequence)) return undefined;
    const values = Array.isArray(value) ? value : [value];
    return values.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
  }

  record(node: Node | undefined, resource: DefinedResource, ctx: Resolver, what?: string, consequence?: string): Record<string, string> | undefined {
    const out = Object.create(null) as Record<string, string>;
    if (!node) return out;
    const value = ctx.resolve(node);
    if (this.note(value, resource, what, consequence)) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string' || typeof v === 'number') Object.defineProperty(out, k, { value: String(v), enumerable: true, writable: true, configurable: true });
    return out;
  }

  /** A policy document for the snapshot: an object, or the JSON text as written (the engine parses it). */
  document(source: DocumentSource, resource: DefinedResource, ctx: Resolver, what: string, consequence: string): Record<string, unknown> | string | undefined {
    if ('unknown' in source) {
      this.unknowns.push({ unknown: source.unknown, resource, what, consequence });
      return undefined;
    }
    const value = ctx.resolve(source.node);
    if (this.note(value, resource, what, consequence)) return undefined;
    if (typeof value === 'string') return value;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return undefined;
  }
}
