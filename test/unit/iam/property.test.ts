// Random documents and requests never make the evaluator throw, and decisions stay JSON-serializable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { authorize, evaluateTrust, formatDecisionText, parsePolicy } from '../../../src/core/iam/index.ts';

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('*', '?', 'dynamodb:*', '${aws:username}', "${x, 'd'}", '${*}', '${', 'arn:aws:dynamodb:*:*:table/*'));
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(text, tie('value'), { maxKeys: 3 })),
})).value;
const statement = fc.record(
  {
    Effect: fc.oneof(fc.constantFrom('Allow', 'Deny'), jsonish),
    Action: fc.oneof(text, fc.array(text, { maxLength: 3 }), jsonish),
    Resource: fc.oneof(text, fc.array(text, { maxLength: 3 })),
    Principal: fc.oneof(fc.constant('*'), fc.dictionary(fc.constantFrom('AWS', 'Federated', 'Service'), fc.oneof(text, fc.array(text)))),
    Condition: fc.dictionary(fc.oneof(fc.constantFrom('StringEquals', 'ForAllValues:StringLike', 'IpAddress', 'DateLessThan', 'Null', 'NumericEqualsIfExists', 'ArnLike', 'Bool'), text), fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.array(text), jsonish))),
  },
  { requiredKeys: [] },
);
const document = fc.oneof(jsonish, fc.record({ Version: fc.oneof(fc.constant('2012-10-17'), jsonish), Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 })) }, { requiredKeys: [] }));
const contextValue = fc.oneof(text, fc.integer(), fc.boolean(), fc.array(text, { maxLength: 3 }), fc.constant(undefined));

test('random policies and requests never throw', () => {
  fc.assert(
    fc.property(document, document, text, text, fc.dictionary(text, contextValue, { maxKeys: 4 }), (a, b, action, resource, context) => {
      const request = { action, resource, context, principal: { type: 'AWS' as const, id: resource } };
      const identity = parsePolicy(a, { name: 'a', kind: 'identity' });
      const res = parsePolicy(b, { name: 'b', kind: 'resource' });
      const d = authorize({ identity: [identity], resource: res, boundary: parsePolicy(a, { name: 'c', kind: 'boundary' }) }, request);
      assert.ok(['allowed', 'implicit-deny', 'explicit-deny'].includes(d.decision));
      JSON.stringify(d);
      formatDecisionText(d);
      evaluateTrust(parsePolicy(b, { name: 't', kind: 'trust' }), request);
    }),
    { seed: 20260515, numRuns: 1500 },
  );
});
