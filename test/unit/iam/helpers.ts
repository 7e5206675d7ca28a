// Shared builders for the IAM evaluator tests.
import { parsePolicy } from '../../../src/core/iam/index.ts';
import type { Policy, PolicyKind, RequestContext } from '../../../src/core/iam/types.ts';

export const ACCOUNT = '123456789012';
export const TABLE_ARN = `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/book-table`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/BooksReadAccess`;
export const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/BooksReadAccess/CognitoIdentityCredentials`;
export const IDENTITY_ID = 'eu-central-1:11111111-2222-4333-8444-555555555555';

export function policy(statements: unknown, kind: PolicyKind = 'identity', name = 'p', version: string | undefined = '2012-10-17'): Policy {
  const doc: Record<string, unknown> = { Statement: statements };
  if (version !== undefined) doc.Version = version;
  return parsePolicy(doc, { name, kind });
}

export function request(action: string, context: RequestContext['context'] = {}, resource = TABLE_ARN): RequestContext {
  return { action, resource, context, principal: { type: 'AWS', id: SESSION_ARN, sessionOf: ROLE_ARN } };
}
