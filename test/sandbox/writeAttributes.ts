// An app client's WriteAttributes, which cognito-local 5.3 stores and answers (DescribeUserPoolClient)
// but never enforces: Cognito refuses UpdateUserAttributes (the client is the access token's
// client_id) and SignUp (ClientId) that set an attribute outside the list, with
// NotAuthorizedException "A client attempted to write unauthorized attribute" (Cognito's message
// for it). Clients that list none pass unchecked
// (cognito-local's behaviour; AWS documents standard attributes only).
import { jsonError, type Reply } from './wire.ts';

export const WRITE_OPERATIONS = new Set(['UpdateUserAttributes', 'SignUp']);

/** The client a request writes through: SignUp's ClientId, or the access token's client_id. */
function clientOf(operation: string, body: Record<string, unknown>): string | undefined {
  if (operation === 'SignUp') return typeof body.ClientId === 'string' ? body.ClientId : undefined;
  const token = typeof body.AccessToken === 'string' ? body.AccessToken : '';
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { client_id?: unknown };
    return typeof payload.client_id === 'string' ? payload.client_id : undefined;
  } catch {
    return undefined; // cognito-local answers the malformed token itself
  }
}

/** Cognito's refusal, or undefined when the request may go on. `writeAttributes`: client id -> its list (clients that list one). */
export function checkWriteAttributes(operation: string, body: Record<string, unknown>, writeAttributes: ReadonlyMap<string, readonly string[]>): Reply | undefined {
  if (!WRITE_OPERATIONS.has(operation)) return undefined;
  const allowed = writeAttributes.get(clientOf(operation, body) ?? '');
  if (!allowed) return undefined;
  const given = Array.isArray(body.UserAttributes) ? (body.UserAttributes as { Name?: unknown }[]) : [];
  // SignUp's sub is Cognito's own; every other attribute must be listed.
  const refused = given.some((a) => typeof a.Name === 'string' && !allowed.includes(a.Name));
  return refused ? jsonError('cognito-idp', 'NotAuthorizedException', 'A client attempted to write unauthorized attribute') : undefined;
}
