// How a probe's answer reads: allowed, denied (with AWS's message taken apart) or error; and
// whether it agrees with the engine's decision. Pure: works on error names and messages.
import { parseAccessDenied } from '../core/iam/index.ts';
import type { DecisionKind } from '../core/iam/types.ts';
import { isWrite, type ProbeOperation } from './probePlan.ts';

export type LiveOutcome = 'allowed' | 'denied' | 'error';

/**
 * AWS's AccessDeniedException text taken apart (by the core's parseAccessDenied), in the shape
 * the probe JSON has always carried: kind `explicit` ("with an explicit deny in a(n) X policy"),
 * `implicit` ("because no X policy allows ..."), null for the older form without a reason.
 */
export interface ParsedDenial {
  principal?: string;
  action?: string;
  resource?: string;
  kind: 'explicit' | 'implicit' | null;
  /** identity-based, session, permissions boundary, resource-based, service control, VPC endpoint. */
  policyType?: string;
  /** Newer explicit-deny messages name the denying policy. */
  policyArn?: string;
}

/** The core's parseAccessDenied, in the ParsedDenial shape (no parser of its own here). */
function denialOf(message: string): ParsedDenial {
  const parsed = parseAccessDenied(message);
  if (!parsed) return { kind: null };
  const denial: ParsedDenial = {
    principal: parsed.principal, action: parsed.action, resource: parsed.resource,
    kind: parsed.denial === 'unknown' ? null : parsed.denial,
  };
  if (parsed.policyType !== null) denial.policyType = parsed.policyType;
  if (parsed.policyArn) denial.policyArn = parsed.policyArn;
  return denial;
}

export interface Classified {
  live: LiveOutcome;
  /** AWS's own message (the error's), or what the call returned in words. */
  awsMessage: string;
  /** Items a read returned (counted, never shown). */
  count?: number;
  denial?: ParsedDenial;
}

interface Failure {
  name: string;
  message: string;
  CancellationReasons?: { Code?: string }[];
}

/** Reads an SDK answer: `error` is the thrown error, else `output` the response. */
export function classifyProbe(operation: ProbeOperation, table: string, error: Failure | undefined, output?: Record<string, unknown>): Classified {
  if (error) {
    const name = error.name;
    if (name === 'AccessDeniedException' || name === 'AccessDenied') {
      return { live: 'denied', awsMessage: error.message, denial: denialOf(error.message) };
    }
    if (isWrite(operation) && name === 'ConditionalCheckFailedException') {
      return { live: 'allowed', awsMessage: `${name}: ${error.message} (authorized; the impossible condition kept the item unchanged)` };
    }
    if (isWrite(operation) && name === 'TransactionCanceledException') {
      const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (codes.length > 0 && codes.every((c) => c === 'ConditionalCheckFailed')) {
        return { live: 'allowed', awsMessage: `${name}: reasons [${codes.join(', ')}] (authorized; nothing written)` };
      }
      // Older endpoints and local stand-ins put the reasons only into the message.
      if (codes.length === 0 && /ConditionalCheckFailed/.test(error.message) && !/AccessDenied/.test(error.message)) {
        return { live: 'allowed', awsMessage: `${name}: ${error.message} (authorized; nothing written)` };
      }
      if (/AccessDenied/.test(error.message)) return { live: 'denied', awsMessage: error.message, denial: denialOf(error.message) };
    }
    return { live: 'error', awsMessage: `${name}: ${error.message}` };
  }
  const out = output ?? {};
  switch (operation) {
    case 'GetItem':
      return { live: 'allowed', awsMessage: 'returned', count: out.Item ? 1 : 0 };
    case 'Query':
    case 'Scan':
      return { live: 'allowed', awsMessage: 'returned', count: typeof out.Count === 'number' ? out.Count : Array.isArray(out.Items) ? out.Items.length : 0 };
    case 'BatchGetItem': {
      const items = (out.Responses as Record<string, unknown[]> | undefined)?.[table];
      return { live: 'allowed', awsMessage: 'returned', count: items?.length ?? 0 };
    }
    case 'BatchWriteItem': {
      const unprocessed = (out.UnprocessedItems as Record<string, unknown[]> | undefined)?.[table]?.length ?? 0;
      return unprocessed > 0
        ? { live: 'error', awsMessage: 'the delete came back unprocessed (throttled); authorization unknown' }
        : { live: 'allowed', awsMessage: 'accepted (deleted a key that does not exist)' };
    }
    default:
      // A write with an impossible condition cannot succeed; if it ever does, say so loudly.
      return { live: 'error', awsMessage: `${operation} succeeded although its condition can never hold: check the table for an item with a key starting cognito-access-probe-` };
  }
}

export interface Agreement {
  agree: boolean;
  /** Set when agree is false because there was no decision to compare (not a real disagreement). */
  undecided?: string;
}

/**
 * `agree` (shared/spec/cli.md: always true or false) means: the live call *confirmed* the
 * engine's decision. Both allowed, or both denied (and, where AWS's message names the kind of
 * denial, explicit against explicit-deny and implicit against implicit-deny): true.
 * A different decision: false. And false, with `undecided` saying why, when one side decided
 * nothing: the live call errored or was skipped (throttled, a missing table, a validation
 * error: the call says nothing about authorization, so it cannot confirm the engine; the engine
 * never predicts an error for a data call), or the engine could not decide (role or table not
 * in the snapshot). Readers that want only real disagreements take `agree === false && !undecided`.
 */
export function agreement(live: Classified, simulated: DecisionKind | null): Agreement {
  if (simulated === null) return { agree: false, undecided: 'the engine could not decide (see explanation.error); nothing to compare the live answer with' };
  if (live.live === 'error') return { agree: false, undecided: `the live call decided nothing (${live.awsMessage}), so it cannot confirm the engine's ${simulated}` };
  if (live.live === 'allowed') return { agree: simulated === 'allowed' };
  if (simulated === 'allowed') return { agree: false };
  // Both deny: AWS's message, where it says which kind, must say the same.
  if (live.denial?.kind === 'explicit') return { agree: simulated === 'explicit-deny' };
  if (live.denial?.kind === 'implicit') return { agree: simulated === 'implicit-deny' };
  return { agree: true };
}
