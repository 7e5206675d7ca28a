// Parses AWS AccessDeniedException messages (IAM User Guide, troubleshoot_access-denied.html;
// cognito-semantics.md section 4):
//   User: <arn> is not authorized to perform: <action> on resource: <arn> because no <type> policy allows the <action> action
//   User: <arn> is not authorized to perform: <action> on resource: <arn> with an explicit deny in a(n) <type> policy[: <policy arn>]
//   User: <arn> is not authorized to perform: <action> on resource: <arn>            (older form)
//   User: <arn> is not authorized to perform: <action> on resource: <arn> with an explicit deny   (no policy type)
// <type> is identity-based, session, permissions boundary, resource-based, service control,
// resource control or VPC endpoint.

export type DenialKind = 'implicit' | 'explicit' | 'unknown';

export interface AccessDenied {
  principal: string;
  action: string;
  resource: string;
  denial: DenialKind;
  /** The policy type AWS names, as written (e.g. `identity-based`), or null when the message names none. */
  policyType: string | null;
  /** Newer explicit-deny messages may end with the denying policy's ARN. */
  policyArn?: string;
}

const HEAD = /User:\s*(\S+)\s+is not authorized to perform:\s*(\S+?)\s+on resource:\s*(\S+?)(?=\s+because\s|\s+with an explicit deny\b|[\s.]*$)/;
const IMPLICIT = /because no\s+(.+?)(?:\s+policy)?\s+allows the\s+\S+\s+action/;
const EXPLICIT = /with an explicit deny(?: in (?:an?\s+)?(.+?)(?:\s+policy)?(?:\s*:\s*(arn:\S+?))?)?[\s.]*$/;

/** The parts of an AccessDeniedException message, or null when the text is not one. */
export function parseAccessDenied(message: string): AccessDenied | null {
  const text = message.replace(/\s+/g, ' ').trim();
  const head = HEAD.exec(text);
  if (!head) return null;
  const result: AccessDenied = { principal: head[1]!, action: head[2]!, resource: head[3]!.replace(/[.,]$/, ''), denial: 'unknown', policyType: null };
  const rest = text.slice(head.index + head[0].length);
  const implicit = IMPLICIT.exec(rest);
  if (implicit) {
    result.denial = 'implicit';
    result.policyType = implicit[1]!;
    return result;
  }
  const explicit = EXPLICIT.exec(rest);
  if (explicit) {
    result.denial = 'explicit';
    // Some services end at "with an explicit deny" and name no policy type.
    result.policyType = explicit[1] ?? null;
    if (explicit[2]) result.policyArn = explicit[2];
  }
  return result;
}
