// probeOutcome.ts without AWS: how answers are classified (denials taken apart by the core's
// parseAccessDenied) and what `agree` means, including for errors (always a boolean, per
// shared/spec/cli.md; false with `undecided` when a side decided nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreement, classifyProbe } from '../../src/aws/probeOutcome.ts';

const head = 'User: arn:aws:sts::123456789012:assumed-role/BooksEditor/CognitoIdentityCredentials is not authorized to perform: dynamodb:DeleteItem on resource: arn:aws:dynamodb:eu-central-1:123456789012:table/book-table';

test('denials: kind and policy type from AWS\'s message, as before the core parser took over', () => {
  const implicit = classifyProbe('DeleteItem', 'book-table', { name: 'AccessDeniedException', message: `${head} because no identity-based policy allows the dynamodb:DeleteItem action` });
  assert.equal(implicit.live, 'denied');
  assert.deepEqual(implicit.denial, {
    principal: 'arn:aws:sts::123456789012:assumed-role/BooksEditor/CognitoIdentityCredentials', action: 'dynamodb:DeleteItem',
    resource: 'arn:aws:dynamodb:eu-central-1:123456789012:table/book-table', kind: 'implicit', policyType: 'identity-based',
  });
  const explicit = classifyProbe('PutItem', 'book-table', { name: 'AccessDeniedException', message: `${head} with an explicit deny in an identity-based policy` });
  assert.equal(explicit.denial?.kind, 'explicit');
  assert.equal(explicit.denial?.policyType, 'identity-based');
  // The boundary's wording has no word "policy"; the core parser reads it (the old local one did not).
  const boundary = classifyProbe('DeleteItem', 'book-table', { name: 'AccessDeniedException', message: `${head} because no permissions boundary allows the dynamodb:DeleteItem action` });
  assert.deepEqual([boundary.denial?.kind, boundary.denial?.policyType], ['implicit', 'permissions boundary']);
  const old = classifyProbe('GetItem', 'book-table', { name: 'AccessDeniedException', message: head });
  assert.equal(old.denial?.kind, null);
  assert.deepEqual(classifyProbe('GetItem', 'book-table', { name: 'AccessDenied', message: 'Access denied' }).denial, { kind: null });
});

test('writes stopped by the impossible condition are allowed; other errors are errors', () => {
  assert.equal(classifyProbe('PutItem', 't', { name: 'ConditionalCheckFailedException', message: 'The conditional request failed' }).live, 'allowed');
  assert.equal(classifyProbe('ConditionCheck', 't', { name: 'TransactionCanceledException', message: 'x', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] }).live, 'allowed');
  assert.equal(classifyProbe('TransactWriteItems', 't', { name: 'TransactionCanceledException', message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]' }).live, 'allowed');
  assert.equal(classifyProbe('GetItem', 't', { name: 'ThrottlingException', message: 'Rate exceeded' }).live, 'error');
  assert.equal(classifyProbe('Query', 't', undefined, { Count: 2 }).count, 2);
});

test('agree: true only when the live call confirmed the engine', () => {
  const allowed = { live: 'allowed' as const, awsMessage: 'returned' };
  assert.deepEqual(agreement(allowed, 'allowed'), { agree: true });
  assert.deepEqual(agreement(allowed, 'implicit-deny'), { agree: false });
  const explicit = classifyProbe('PutItem', 't', { name: 'AccessDeniedException', message: `${head} with an explicit deny in an identity-based policy` });
  assert.deepEqual(agreement(explicit, 'explicit-deny'), { agree: true });
  assert.deepEqual(agreement(explicit, 'implicit-deny'), { agree: false }, 'the kind AWS names must match');
  assert.deepEqual(agreement(explicit, 'allowed'), { agree: false });
  const old = classifyProbe('GetItem', 't', { name: 'AccessDeniedException', message: head });
  assert.deepEqual(agreement(old, 'explicit-deny'), { agree: true }, 'no kind named: any deny agrees');
});

test('agree on errors: false, never null, with the reason in `undecided`', () => {
  const error = classifyProbe('GetItem', 't', { name: 'ResourceNotFoundException', message: 'Requested resource not found' });
  const a = agreement(error, 'allowed');
  assert.equal(a.agree, false);
  assert.match(a.undecided ?? '', /decided nothing \(ResourceNotFoundException: Requested resource not found\)/);
  const b = agreement({ live: 'allowed', awsMessage: 'returned' }, null);
  assert.equal(b.agree, false);
  assert.match(b.undecided ?? '', /engine could not decide/);
  for (const r of [a, b]) assert.equal(typeof r.agree, 'boolean');
});
