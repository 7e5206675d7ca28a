import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAccessDenied } from '../../../src/core/iam/index.ts';

const head = 'User: arn:aws:sts::123456789012:assumed-role/BooksReadAccess/CognitoIdentityCredentials is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-central-1:123456789012:table/book-table';

test('implicit form', () => {
  const r = parseAccessDenied(`${head} because no identity-based policy allows the dynamodb:PutItem action`);
  assert.deepEqual(r, {
    principal: 'arn:aws:sts::123456789012:assumed-role/BooksReadAccess/CognitoIdentityCredentials',
    action: 'dynamodb:PutItem',
    resource: 'arn:aws:dynamodb:eu-central-1:123456789012:table/book-table',
    denial: 'implicit',
    policyType: 'identity-based',
  });
  assert.equal(parseAccessDenied(`${head} because no session policy allows the dynamodb:PutItem action`)?.policyType, 'session');
  assert.equal(parseAccessDenied(`${head} because no permissions boundary allows the dynamodb:PutItem action`)?.denial, 'implicit');
});

test('explicit form, with a(n) and an optional policy ARN', () => {
  const a = parseAccessDenied(`${head} with an explicit deny in an identity-based policy`);
  assert.equal(a?.denial, 'explicit');
  assert.equal(a?.policyType, 'identity-based');
  const b = parseAccessDenied(`${head} with an explicit deny in a resource-based policy: arn:aws:iam::123456789012:policy/X`);
  assert.equal(b?.policyType, 'resource-based');
  assert.equal(b?.policyArn, 'arn:aws:iam::123456789012:policy/X');
  assert.equal(parseAccessDenied(`${head} with an explicit deny in a service control policy`)?.policyType, 'service control');
});

test('old form without a reason, SDK prefixes, and non-matching text', () => {
  const r = parseAccessDenied(`An error occurred (AccessDeniedException) when calling the PutItem operation: ${head}`);
  assert.equal(r?.denial, 'unknown');
  assert.equal(r?.policyType, null);
  assert.equal(r?.resource, 'arn:aws:dynamodb:eu-central-1:123456789012:table/book-table');
  assert.equal(parseAccessDenied(`${head}.`)?.resource, 'arn:aws:dynamodb:eu-central-1:123456789012:table/book-table');
  assert.equal(parseAccessDenied('The conditional request failed'), null);
});
