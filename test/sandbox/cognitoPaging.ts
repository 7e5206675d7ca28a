// cognito-local answers ListGroups, ListUsers and AdminListGroupsForUser with everything at once,
// ignoring Limit. Real Cognito pages them: at most 60 per page (Limit 0..60, default 60 when
// omitted), with an opaque NextToken (ListUsers: PaginationToken). The gateway pages
// cognito-local's full answer the same way, so a scanner sees AWS's page count (a pool with
// 1,000 groups takes 17 sequential ListGroups calls, as at AWS).

import { jsonError, type Reply } from './wire.ts';

interface Paged { list: string; token: string }
export const PAGED: Record<string, Paged> = {
  ListGroups: { list: 'Groups', token: 'NextToken' },
  AdminListGroupsForUser: { list: 'Groups', token: 'NextToken' },
  ListUsers: { list: 'Users', token: 'PaginationToken' },
};
export const MAX_PAGE = 60;

/** The request for cognito-local (no Limit, no token: it ignores them anyway) and the page wanted; or the validation error. */
export function pageRequest(operation: string, body: Record<string, unknown>): { forward: Record<string, unknown>; start: number; limit: number } | Reply {
  const paged = PAGED[operation]!;
  const limit = body.Limit === undefined ? MAX_PAGE : Number(body.Limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE) {
    return jsonError('cognito-idp', 'InvalidParameterException',
      `1 validation error detected: Value '${String(body.Limit)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE}`);
  }
  const token = body[paged.token];
  let start = 0;
  if (token !== undefined) {
    const m = /^sandbox-page:(\d+)$/.exec(Buffer.from(String(token), 'base64').toString());
    if (!m) return jsonError('cognito-idp', 'InvalidParameterException', `Invalid ${paged.token}.`);
    start = Number(m[1]);
  }
  const forward = { ...body };
  delete forward.Limit;
  delete forward[paged.token];
  return { forward, start, limit };
}

/** One page of cognito-local's full answer, with the next token when more follow. */
export function pageReply(operation: string, reply: Reply, start: number, limit: number): Reply {
  if (reply.status !== 200) return reply;
  const paged = PAGED[operation]!;
  const out = JSON.parse(reply.body) as Record<string, unknown>;
  const all = Array.isArray(out[paged.list]) ? (out[paged.list] as unknown[]) : [];
  const size = limit === 0 ? MAX_PAGE : limit;
  const end = start + size;
  const page: Record<string, unknown> = { ...out, [paged.list]: all.slice(start, end) };
  delete page.NextToken;
  delete page.PaginationToken;
  if (end < all.length) page[paged.token] = Buffer.from(`sandbox-page:${end}`).toString('base64');
  return { ...reply, body: JSON.stringify(page) };
}
