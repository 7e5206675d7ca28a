import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionMatches, matchPrincipal, resourceMatches } from '../../../src/core/iam/index.ts';
import { ROLE_ARN, SESSION_ARN, request, TABLE_ARN } from './helpers.ts';

test('actions: wildcards, case-insensitive', () => {
  assert.equal(actionMatches(['dynamodb:*'], 'dynamodb:GetItem'), true);
  assert.equal(actionMatches(['DynamoDB:getitem'], 'dynamodb:GetItem'), true);
  assert.equal(actionMatches(['dynamodb:Get*'], 'dynamodb:GetItem'), true);
  assert.equal(actionMatches(['dynamodb:?etItem'], 'dynamodb:GetItem'), true);
  assert.equal(actionMatches(['dynamodb:Get?'], 'dynamodb:GetItem'), false);
  assert.equal(actionMatches(['s3:*'], 'dynamodb:GetItem'), false);
  assert.equal(actionMatches(['*'], 'dynamodb:GetItem'), true);
});

test('resources: case-sensitive, * crosses / in the resource part, segment wildcards', () => {
  const req = request('dynamodb:GetItem');
  const idx = `${TABLE_ARN}/index/byTitle`;
  assert.equal(resourceMatches(['*'], TABLE_ARN, req, true), true);
  assert.equal(resourceMatches([TABLE_ARN], TABLE_ARN, req, true), true);
  assert.equal(resourceMatches([TABLE_ARN.toUpperCase()], TABLE_ARN, req, true), false);
  assert.equal(resourceMatches(['arn:aws:dynamodb:*:*:table/book-table'], TABLE_ARN, req, true), true);
  assert.equal(resourceMatches([TABLE_ARN], idx, req, true), false, 'a table ARN does not cover its indexes');
  assert.equal(resourceMatches([`${TABLE_ARN}/*`], idx, req, true), true);
  assert.equal(resourceMatches(['arn:aws:dynamodb:*:*:table/*'], idx, req, true), true, '* crosses /');
  assert.equal(resourceMatches(['arn:aws:dynamodb:eu-*:123456789012:table/book-?able'], TABLE_ARN, req, true), true);
  assert.equal(resourceMatches(['arn:aws:dynamodb:*'], TABLE_ARN, req, true), true, 'a trailing * expands past colons');
  assert.equal(resourceMatches(['arn:aws:dynamodb:eu*1:123456789012:table/book-table'], TABLE_ARN, req, true), true);
  assert.equal(resourceMatches(['arn:aws:dynamodb:eu*012:table/book-table'], TABLE_ARN, req, true), false, 'a mid-segment * stays in its segment');
  assert.equal(resourceMatches(['arn:aws:dynamodb'], TABLE_ARN, req, true), false);
});

test('principals', () => {
  const session = { type: 'AWS' as const, id: SESSION_ARN, sessionOf: ROLE_ARN };
  assert.equal(matchPrincipal('*', session), 'any');
  assert.equal(matchPrincipal({ AWS: ['*'] }, session), 'any');
  assert.equal(matchPrincipal({ AWS: ['123456789012'] }, session), 'account');
  assert.equal(matchPrincipal({ AWS: ['arn:aws:iam::123456789012:root'] }, session), 'account');
  assert.equal(matchPrincipal({ AWS: ['arn:aws:iam::999999999999:root'] }, session), null);
  assert.equal(matchPrincipal({ AWS: [ROLE_ARN] }, session), 'role');
  assert.equal(matchPrincipal({ AWS: ['arn:aws:iam::123456789012:role/Other'] }, session), null);
  assert.equal(matchPrincipal({ AWS: [SESSION_ARN] }, session), 'session');
  assert.equal(matchPrincipal({ AWS: [ROLE_ARN] }, { type: 'AWS', id: SESSION_ARN }), 'role', 'role name from the session ARN');
  assert.equal(matchPrincipal({ Federated: ['cognito-identity.amazonaws.com'] }, { type: 'Federated', id: 'cognito-identity.amazonaws.com' }), 'exact');
  assert.equal(matchPrincipal({ Service: ['cognito-identity.amazonaws.com'] }, { type: 'Federated', id: 'cognito-identity.amazonaws.com' }), null);
  assert.equal(matchPrincipal({ Service: ['lambda.amazonaws.com'] }, { type: 'Service', id: 'lambda.amazonaws.com' }), 'exact');
});
