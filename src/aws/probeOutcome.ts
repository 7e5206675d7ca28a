// How a probe's answer reads: allowed, denied (with AWS's message taken apart) or error; and
// whether it agrees with the engine's decision. Pure: works on error names and messages.
import type { DecisionKind } from '../core/iam/types.ts';
import { isWrite, type ProbeOperation } from './probePlan.ts';

export type LiveOutcome = 'allowed' | 'denied' | 'error';

export interface ParsedDenial {
  principal?: string;
  action?: string;
  resource?: string;
  /** explicit: "with an explicit deny in a(n) X policy"; implicit: "because no X policy allows"; null: older message. */
  kind: 'explicit' | 'implicit' | null;
  /** identity-based, session, permissions boundary, resource-based, service control, VPC endpoint. */
  policyType?: string;
}

/**
 * AccessDeniedException text (IAM User Guide, troubleshoot_access-denied): `User: <arn> is not
 * authorized to perform: <action> on resource: <arn> because no <type> policy allows the <action>
 * action` or `... with an explicit deny in a(n) <type> policy`; older messages stop after the resource.
 */
export function parseDenial(message: string): ParsedDenial {
  const parsed: ParsedDenial = { kind: null };
  const head = /User: (\S+) is not authorized to perform: (\S+) on resource: (\S+?)(?:\s|$)/.exec(message);
  if (head) {
    parsed.principal = head[1]!;
    parsed.action = head[2]!;
    parsed.resource = head[3]!;
  }
  const explicit = /with an explicit deny in an? (.+?) policy/.exec(message);
  const implicit = /because no (.+?) policy allows/.exec(message);
  if (explicit) {
    parsed.kind = 'explicit';
    parsed.policyType = explicit[1]!;
  } else if (implicit) {
    parsed.kind = 'implicit';
    parsed.policyType = implicit[1]!;
  }
  return parsed;
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
      return { live: 'denied', awsMessage: error.message, denial: parseDenial(error.message) };
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
      if (/AccessDenied/.test(error.message)) return { live: 'denied', awsMessage: error.message, denial: parseDenial(error.message) };
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

/** Whether the live outcome matches the engine's decision; null when the probe did not decide (error). */
export function agreement(live: Classified, simulated: DecisionKind | null): boolean | null {
  if (live.live === 'error' || simulated === null) return null;
  if (live.live === 'allowed') return simulated === 'allowed';
  if (simulated === 'allowed') return false;
  // Both deny: AWS's message, where it says which kind, must say the same.
  if (live.denial?.kind === 'explicit') return simulated === 'explicit-deny';
  if (live.denial?.kind === 'implicit') return simulated === 'implicit-deny';
  return true;
}
