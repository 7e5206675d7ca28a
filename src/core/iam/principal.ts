// Principal matching for trust and resource-based policies.
// IAM User Guide, reference_policies_elements_principal.html:
// - "AWS": an account id or `arn:aws:iam::ACCT:root` stands for the account (any principal in it
//   that its own policies allow); a role ARN matches the role's sessions ("when you specify a role
//   as principal ... the role session"); an assumed-role ARN matches that one session; `*` is anyone.
// - "Federated" (e.g. cognito-identity.amazonaws.com) and "Service" name the identity provider
//   or service exactly.
// Wildcards are not supported inside principal values other than "*" alone.
import type { PrincipalSpec, RequestContext } from './types.ts';

export type PrincipalMatch = 'session' | 'role' | 'account' | 'any' | 'exact';

interface ParsedCaller {
  account?: string;
  roleName?: string;
  roleArn?: string;
  sessionArn?: string;
}

const ASSUMED_ROLE = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const IAM_ARN = /^arn:[^:]+:iam::(\d{12}):(.+)$/;

function parseCaller(principal: NonNullable<RequestContext['principal']>): ParsedCaller {
  const caller: ParsedCaller = {};
  const session = ASSUMED_ROLE.exec(principal.id);
  if (session) {
    caller.account = session[1];
    caller.roleName = session[2];
    caller.sessionArn = principal.id;
  } else {
    const iam = IAM_ARN.exec(principal.id);
    if (iam) {
      caller.account = iam[1];
      if (iam[2]!.startsWith('role/')) {
        caller.roleArn = principal.id;
        caller.roleName = iam[2]!.slice(iam[2]!.lastIndexOf('/') + 1);
      }
    } else if (/^\d{12}$/.test(principal.id)) caller.account = principal.id;
  }
  if (principal.sessionOf) {
    caller.roleArn = principal.sessionOf;
    const iam = IAM_ARN.exec(principal.sessionOf);
    if (iam) caller.account ??= iam[1];
  }
  return caller;
}

/** The last caller parsed: a request's principal is matched against many statements in a row. */
let lastPrincipal: NonNullable<RequestContext['principal']> | undefined;
let lastId: string | undefined;
let lastSessionOf: string | undefined;
let lastCaller: ParsedCaller | undefined;

function callerOf(principal: NonNullable<RequestContext['principal']>): ParsedCaller {
  if (principal !== lastPrincipal || principal.id !== lastId || principal.sessionOf !== lastSessionOf) {
    lastCaller = parseCaller(principal);
    lastPrincipal = principal;
    lastId = principal.id;
    lastSessionOf = principal.sessionOf;
  }
  return lastCaller!;
}

function matchAws(value: string, principal: NonNullable<RequestContext['principal']>): PrincipalMatch | null {
  if (value === '*') return 'any';
  const caller = callerOf(principal);
  if (/^\d{12}$/.test(value)) return caller.account === value ? 'account' : null;
  const iam = IAM_ARN.exec(value);
  if (iam) {
    const [, account, rest] = iam;
    if (rest === 'root') return caller.account === account ? 'account' : null;
    if (rest!.startsWith('role/')) {
      if (caller.roleArn === value) return 'role';
      // An assumed-role ARN carries the role name but not its path.
      const name = rest!.slice(rest!.lastIndexOf('/') + 1);
      if (!principal.sessionOf && caller.account === account && caller.roleName === name) return 'role';
      return null;
    }
  }
  if (caller.sessionArn && value === caller.sessionArn) return 'session';
  return value === principal.id ? 'exact' : null;
}

/** How (and whether) the request's principal is one of the spec's principals. */
export function matchPrincipal(spec: PrincipalSpec, principal: RequestContext['principal']): PrincipalMatch | null {
  if (spec === '*') return 'any';
  if (!principal) return null;
  let best: PrincipalMatch | null = null;
  for (const [type, values] of Object.entries(spec)) {
    if (type.toLowerCase() !== principal.type.toLowerCase()) continue;
    for (const value of values) {
      const match = principal.type === 'AWS' ? matchAws(value, principal) : value === '*' ? 'any' : value.toLowerCase() === principal.id.toLowerCase() ? 'exact' : null;
      // Prefer the most specific match: it decides whether a permissions boundary limits a grant.
      if (match === 'session') return match;
      if (match && (best === null || rank(match) < rank(best))) best = match;
    }
  }
  return best;
}

const RANKS: readonly PrincipalMatch[] = ['session', 'exact', 'role', 'account', 'any'];

function rank(match: PrincipalMatch): number {
  return RANKS.indexOf(match);
}

/** A Principal / NotPrincipal prepared once: its types and values lower-cased. */
export interface CompiledPrincipal {
  any: boolean;
  entries: { type: string; values: string[]; lowerValues: string[] }[];
}

export function compilePrincipal(spec: PrincipalSpec): CompiledPrincipal {
  if (spec === '*') return { any: true, entries: [] };
  return { any: false, entries: Object.entries(spec).map(([type, values]) => ({ type: type.toLowerCase(), values, lowerValues: values.map((v) => v.toLowerCase()) })) };
}

/** matchPrincipal over a compiled spec: the same answers, without lower-casing anything but the caller's id (once). */
export function matchCompiledPrincipal(spec: CompiledPrincipal, principal: RequestContext['principal']): PrincipalMatch | null {
  if (spec.any) return 'any';
  if (!principal) return null;
  const type = principal.type === 'AWS' ? 'aws' : principal.type === 'Federated' ? 'federated' : principal.type.toLowerCase();
  let id: string | undefined;
  let best: PrincipalMatch | null = null;
  for (const entry of spec.entries) {
    if (entry.type !== type) continue;
    for (let i = 0; i < entry.values.length; i++) {
      const value = entry.values[i]!;
      let match: PrincipalMatch | null;
      if (principal.type === 'AWS') match = matchAws(value, principal);
      else if (value === '*') match = 'any';
      else match = entry.lowerValues[i] === (id ??= principal.id.toLowerCase()) ? 'exact' : null;
      if (match === 'session') return match;
      if (match && (best === null || rank(match) < rank(best))) best = match;
    }
  }
  return best;
}
