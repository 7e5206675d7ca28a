import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCondition, evaluateConditionBlock } from '../../../src/core/iam/index.ts';
import { request } from './helpers.ts';

const V = '2012-10-17';
function cond(op: string, key: string, values: string[], context: Record<string, string | string[] | number | boolean | undefined>): boolean {
  return evaluateCondition(op, key, values, request('dynamodb:GetItem', context), V).matched;
}

test('String operators: case rules, wildcards, negation over several values', () => {
  assert.equal(cond('StringEquals', 'k:a', ['Books'], { 'k:a': 'Books' }), true);
  assert.equal(cond('StringEquals', 'k:a', ['Books'], { 'k:a': 'books' }), false);
  assert.equal(cond('StringEquals', 'k:a', ['B*'], { 'k:a': 'Books' }), false, 'StringEquals has no wildcards');
  assert.equal(cond('StringEqualsIgnoreCase', 'k:a', ['BOOKS'], { 'k:a': 'books' }), true);
  assert.equal(cond('StringNotEqualsIgnoreCase', 'k:a', ['BOOKS'], { 'k:a': 'books' }), false);
  assert.equal(cond('StringLike', 'k:a', ['Bo?k*'], { 'k:a': 'Books/x' }), true);
  assert.equal(cond('StringLike', 'k:a', ['bo*'], { 'k:a': 'Books' }), false);
  assert.equal(cond('StringNotLike', 'k:a', ['x*', 'B*'], { 'k:a': 'Books' }), false);
  assert.equal(cond('StringNotLike', 'k:a', ['x*', 'y*'], { 'k:a': 'Books' }), true);
  // Several values: OR for positive operators, "none of them" for negated ones.
  assert.equal(cond('StringEquals', 'k:a', ['x', 'Books'], { 'k:a': 'Books' }), true);
  assert.equal(cond('StringNotEquals', 'k:a', ['x', 'Books'], { 'k:a': 'Books' }), false);
  assert.equal(cond('StringNotEquals', 'k:a', ['x', 'y'], { 'k:a': 'Books' }), true);
});

test('condition keys are case-insensitive', () => {
  assert.equal(cond('StringEquals', 'AWS:UserName', ['bob'], { 'aws:username': 'bob' }), true);
});

test('Numeric operators', () => {
  const c = { 'k:n': '10' };
  assert.equal(cond('NumericEquals', 'k:n', ['10.0'], c), true);
  assert.equal(cond('NumericNotEquals', 'k:n', ['10'], c), false);
  assert.equal(cond('NumericLessThan', 'k:n', ['11'], c), true);
  assert.equal(cond('NumericLessThan', 'k:n', ['10'], c), false);
  assert.equal(cond('NumericLessThanEquals', 'k:n', ['10'], c), true);
  assert.equal(cond('NumericGreaterThan', 'k:n', ['9'], c), true);
  assert.equal(cond('NumericGreaterThanEquals', 'k:n', ['11'], c), false);
  assert.equal(cond('NumericEquals', 'k:n', ['abc'], c), false);
  assert.equal(cond('NumericEquals', 'k:n', ['10'], { 'k:n': 10 }), true);
});

test('Date operators: ISO 8601 and epoch seconds', () => {
  const c = { 'aws:CurrentTime': '2026-01-15T12:00:00Z' };
  assert.equal(cond('DateLessThan', 'aws:CurrentTime', ['2026-02-01T00:00:00Z'], c), true);
  assert.equal(cond('DateGreaterThan', 'aws:CurrentTime', ['2026-02-01T00:00:00Z'], c), false);
  assert.equal(cond('DateEquals', 'aws:CurrentTime', ['2026-01-15T12:00:00Z'], c), true);
  assert.equal(cond('DateNotEquals', 'aws:CurrentTime', ['2026-01-15T12:00:00Z'], c), false);
  assert.equal(cond('DateGreaterThanEquals', 'aws:CurrentTime', [String(Date.parse('2026-01-15T12:00:00Z') / 1000)], c), true);
  assert.equal(cond('DateLessThanEquals', 'aws:CurrentTime', ['2026-01-15T11:59:59Z'], c), false);
});

test('Bool, BinaryEquals, Null', () => {
  assert.equal(cond('Bool', 'aws:SecureTransport', ['true'], { 'aws:SecureTransport': true }), true);
  assert.equal(cond('Bool', 'aws:SecureTransport', ['false'], { 'aws:SecureTransport': 'true' }), false);
  assert.equal(cond('BinaryEquals', 'k:b', ['QmVlcg=='], { 'k:b': 'QmVlcg==' }), true);
  assert.equal(cond('BinaryEquals', 'k:b', ['QmVlcg=='], { 'k:b': 'qmVlcg==' }), false);
  assert.equal(cond('Null', 'k:x', ['true'], {}), true);
  assert.equal(cond('Null', 'k:x', ['true'], { 'k:x': 'v' }), false);
  assert.equal(cond('Null', 'k:x', ['false'], { 'k:x': 'v' }), true);
});

test('IpAddress / NotIpAddress with IPv4 and IPv6', () => {
  assert.equal(cond('IpAddress', 'aws:SourceIp', ['203.0.113.0/24'], { 'aws:SourceIp': '203.0.113.7' }), true);
  assert.equal(cond('IpAddress', 'aws:SourceIp', ['203.0.113.0/24'], { 'aws:SourceIp': '203.0.114.7' }), false);
  assert.equal(cond('IpAddress', 'aws:SourceIp', ['203.0.113.7'], { 'aws:SourceIp': '203.0.113.7' }), true);
  assert.equal(cond('IpAddress', 'aws:SourceIp', ['2001:db8::/32'], { 'aws:SourceIp': '2001:db8:1::5' }), true);
  assert.equal(cond('IpAddress', 'aws:SourceIp', ['2001:db8::/32'], { 'aws:SourceIp': '2001:db9::5' }), false);
  assert.equal(cond('IpAddress', 'aws:SourceIp', ['2001:db8::/32'], { 'aws:SourceIp': '203.0.113.7' }), false);
  assert.equal(cond('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '2001:db8::/32'], { 'aws:SourceIp': '203.0.113.7' }), true);
  assert.equal(cond('NotIpAddress', 'aws:SourceIp', ['203.0.0.0/8'], { 'aws:SourceIp': '203.0.113.7' }), false);
});

test('Arn operators match per segment', () => {
  const c = { 'aws:SourceArn': 'arn:aws:sns:eu-central-1:123456789012:topic' };
  assert.equal(cond('ArnEquals', 'aws:SourceArn', ['arn:aws:sns:eu-central-1:123456789012:topic'], c), true);
  assert.equal(cond('ArnLike', 'aws:SourceArn', ['arn:aws:sns:*:123456789012:*'], c), true);
  assert.equal(cond('ArnLike', 'aws:SourceArn', ['arn:aws:sqs:*:*:*'], c), false);
  assert.equal(cond('ArnNotEquals', 'aws:SourceArn', ['arn:aws:sns:*:*:other'], c), true);
  assert.equal(cond('ArnNotLike', 'aws:SourceArn', ['arn:aws:sns:*'], c), false);
});

test('missing keys: plain false, negated true, IfExists true, Null', () => {
  const r = evaluateCondition('StringEquals', 'k:x', ['a'], request('dynamodb:GetItem', {}), V);
  assert.equal(r.matched, false);
  assert.equal(r.reason, 'key absent');
  assert.equal(cond('StringNotEquals', 'k:x', ['a'], {}), true);
  assert.equal(cond('StringEqualsIfExists', 'k:x', ['a'], {}), true);
  assert.equal(cond('StringEqualsIfExists', 'k:x', ['a'], { 'k:x': 'b' }), false);
  assert.equal(cond('NumericLessThanIfExists', 'k:x', ['3'], { 'k:x': '2' }), true);
});

test('ForAllValues / ForAnyValue with missing, empty and several values', () => {
  const lk = 'dynamodb:LeadingKeys';
  assert.equal(cond('ForAllValues:StringEquals', lk, ['me'], {}), true, 'missing key: ForAllValues true');
  assert.equal(cond('ForAllValues:StringEquals', lk, ['me'], { [lk]: [] }), true, 'empty: ForAllValues true');
  assert.equal(cond('ForAnyValue:StringEquals', lk, ['me'], {}), false, 'missing key: ForAnyValue false');
  assert.equal(cond('ForAnyValue:StringEquals', lk, ['me'], { [lk]: [] }), false);
  assert.equal(cond('ForAllValues:StringEquals', lk, ['me'], { [lk]: ['me', 'you'] }), false);
  assert.equal(cond('ForAllValues:StringEquals', lk, ['me', 'you'], { [lk]: ['me', 'you'] }), true);
  assert.equal(cond('ForAnyValue:StringEquals', lk, ['me'], { [lk]: ['me', 'you'] }), true);
  assert.equal(cond('ForAnyValue:StringLike', 'cognito-identity.amazonaws.com:amr', ['authenticated'], { 'cognito-identity.amazonaws.com:amr': ['authenticated', 'cognito-idp.x/y'] }), true);
  assert.equal(cond('ForAllValues:StringNotEquals', lk, ['x'], { [lk]: ['me', 'you'] }), true);
  assert.equal(cond('ForAnyValue:StringNotEquals', lk, ['me'], { [lk]: ['me'] }), false);
  // A plain operator over a key with several request values never matches; with one value it compares.
  assert.equal(cond('StringEquals', lk, ['me'], { [lk]: ['me', 'me2'] }), false);
  assert.equal(cond('StringEquals', lk, ['me'], { [lk]: ['me'] }), true);
});

test('block: operators AND, keys AND, values OR; unknown operator fails', () => {
  const req = request('dynamodb:GetItem', { 'k:a': 'x', 'k:b': 'y' });
  const all = (block: Record<string, Record<string, string[]>>) => evaluateConditionBlock(block, req, V).every((r) => r.matched);
  assert.equal(all({ StringEquals: { 'k:a': ['x'], 'k:b': ['y'] } }), true);
  assert.equal(all({ StringEquals: { 'k:a': ['x'], 'k:b': ['z'] } }), false);
  assert.equal(all({ StringEquals: { 'k:a': ['x'] }, StringLike: { 'k:b': ['z*'] } }), false);
  assert.equal(all({ StringEquals: { 'k:a': ['q', 'x'] } }), true);
  const unknown = evaluateConditionBlock({ StringEqualz: { 'k:a': ['x'] } }, req, V);
  assert.equal(unknown[0]!.matched, false);
  assert.match(unknown[0]!.reason, /unknown condition operator/);
});
