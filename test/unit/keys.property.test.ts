// Names from input that are also built-in object members (`__proto__`, `constructor`,
// `toString`, ...) must behave like any other name (issue 11): a condition on such a key is still
// a condition, a rule on such a claim needs the token to carry it, and such a RoleMappings key
// is kept. Properties compare each case with the same input under a neutral name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diagnose } from '../../src/core/diagnose.ts';
import { authorize, parsePolicy, statementJson } from '../../src/core/iam/index.ts';
import type { RequestContext } from '../../src/core/iam/types.ts';
import { chooseRole, type Login } from '../../src/core/identityPool.ts';
import { parseSnapshot, type IdentityPool, type MappingRule } from '../../src/core/snapshot.ts';
import { CLIENT_ID, identityPool, MAPPING_KEY, PROVIDER, roleArn, snapshot } from './fixtures.ts';

const TRICKY = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const RENAMED = 'test:renamed-name';
/** Names as they come from policies, tokens and snapshots, often the tricky ones. */
const name = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 1, arbitrary: fc.constantFrom('aws:username', 'custom:dept', 'Constructor', '__PROTO__') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) },
);
const value = fc.constantFrom('x', 'y', 'books', '*', 'true', '');

/** An object whose own keys are exactly these (Object.fromEntries adds `__proto__` as a key). */
const own = (entries: [string, unknown][]): Record<string, unknown> => Object.fromEntries(entries);
/** Through JSON text, as policies and snapshots arrive. */
const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const rename = (n: string, target: string): string => (n === target ? RENAMED : n);

describe('names that are also object members', () => {
  it('a condition on any key name is a condition: same decision as under a neutral name', () => {
    const operator = fc.constantFrom('StringEquals', 'StringLike', 'StringNotEquals', 'ForAnyValue:StringEquals', 'ForAllValues:StringLike', 'StringEqualsIfExists', 'Null', 'Bool', 'NoSuchOperator', ...TRICKY);
    // Context keys unique up to case (the context index keeps the first spelling of a key).
    const context = fc.uniqueArray(fc.tuple(name, value), { maxLength: 4, selector: ([k]) => k.toLowerCase() });
    fc.assert(
      fc.property(operator, name, fc.array(value, { minLength: 1, maxLength: 2 }), context, (op, key, values, entries) => {
        const decide = (opName: string, keyName: string, ctx: [string, unknown][]): string => {
          const document = viaJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: own([[opName, own([[keyName, values]])]]) }] });
          const policy = parsePolicy(document, { name: 'p', kind: 'identity' });
          assert.deepEqual(Object.keys(policy.Statement[0]!.Condition!), [opName], 'the operator is kept');
          assert.deepEqual(Object.keys(policy.Statement[0]!.Condition![opName]!), [keyName], 'the key is kept');
          const request: RequestContext = { action: 'dynamodb:GetItem', resource: '*', context: viaJson(own(ctx)) as RequestContext['context'] };
          return authorize({ identity: [policy] }, request).decision;
        };
        const lower = key.toLowerCase();
        const renamedEntries = entries.map(([k, v]): [string, unknown] => [k.toLowerCase() === lower ? RENAMED : k, v]);
        const decision = decide(op, key, entries);
        assert.equal(decision, decide(op, RENAMED, renamedEntries));
        if (TRICKY.includes(op)) assert.notEqual(decision, 'allowed', 'an unknown operator never holds');
        const present = entries.some(([k]) => k.toLowerCase() === lower);
        if (!present && ['StringEquals', 'StringLike', 'ForAnyValue:StringEquals', 'Bool'].includes(op)) assert.notEqual(decision, 'allowed', 'an absent key fails a positive operator');
      }),
      { numRuns: 600, seed: 7 },
    );
  });

  it('a rule on any claim needs the token to carry that claim: same role as under a neutral name', () => {
    const rule = fc.record({ Claim: name, MatchType: fc.constantFrom('Equals', 'Contains', 'StartsWith', 'NotEqual'), Value: value });
    const claims = fc.uniqueArray(fc.tuple(name, fc.oneof(value, fc.array(value, { maxLength: 2 }))), { maxLength: 4, selector: ([k]) => k });
    fc.assert(
      fc.property(rule, claims, fc.constantFrom<'AuthenticatedRole' | 'Deny'>('AuthenticatedRole', 'Deny'), (r, entries, ambiguous) => {
        const choose = (claim: string, tokenEntries: [string, unknown][]) => {
          const mappingRule: MappingRule = { Claim: claim, MatchType: r.MatchType, Value: r.Value, RoleARN: roleArn('RuleRole') };
          const pool = identityPool({ RoleMappings: { [MAPPING_KEY]: { Type: 'Rules', AmbiguousRoleResolution: ambiguous, RulesConfiguration: { Rules: [mappingRule] } } } });
          const login: Login = { providerName: PROVIDER, clientId: CLIENT_ID, claims: viaJson(own(tokenEntries)) };
          return chooseRole(pool, login);
        };
        const choice = choose(r.Claim, entries);
        const renamed = choose(RENAMED, entries.map(([k, v]) => [rename(k, r.Claim), v]));
        assert.equal(choice.roleArn, renamed.roleArn);
        assert.equal(choice.source, renamed.source);
        if (!entries.some(([k]) => k === r.Claim)) assert.notEqual(choice.source, 'rule', `a token without ${r.Claim} matches no rule on it`);
      }),
      { numRuns: 600, seed: 8 },
    );
  });

  it('every RoleMappings key survives validation, unknown ones are reported, role choice is unchanged', () => {
    const extra = fc.uniqueArray(name, { minLength: 1, maxLength: 3 }).map((names) => names.filter((n) => n !== MAPPING_KEY));
    fc.assert(
      fc.property(extra, fc.constantFrom<'Token' | 'Rules'>('Token', 'Rules'), (names, type) => {
        const mapping = { Type: type, AmbiguousRoleResolution: 'Deny' };
        const base = snapshot();
        const pool = base.identityPools[0]!;
        const entries: [string, unknown][] = [[MAPPING_KEY, mapping], ...names.map((n): [string, unknown] => [n, { Type: 'Rules', AmbiguousRoleResolution: 'AuthenticatedRole' }])];
        const text = JSON.stringify({ ...base, identityPools: [{ ...pool, RoleMappings: own(entries) }] });
        const parsed = parseSnapshot(text).identityPools[0]!;
        assert.deepEqual(Object.keys(parsed.RoleMappings).sort(), entries.map(([k]) => k).sort());
        assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(parsed.RoleMappings)) as object).sort(), entries.map(([k]) => k).sort(), 'JSON keeps every key');
        for (const t of TRICKY) if (!names.includes(t)) assert.equal(parsed.RoleMappings[t], undefined, `no inherited ${t}`);
        const login: Login = { providerName: PROVIDER, clientId: CLIENT_ID, claims: {} };
        const plain = parseSnapshot(JSON.stringify({ ...base, identityPools: [{ ...pool, RoleMappings: { [MAPPING_KEY]: mapping } }] })).identityPools[0]!;
        assert.deepEqual(chooseRole(parsed, login).error, chooseRole(plain, login).error);
        const unknown = diagnose(parseSnapshot(text)).findings.filter((f) => f.code === 'MAPPING_UNKNOWN_PROVIDER').map((f) => f.subject.id);
        assert.deepEqual(unknown.sort(), names.map((n) => `${pool.IdentityPoolId}/${n}`).sort());
      }),
      { numRuns: 150, seed: 9 },
    );
  });

  it('principal types and condition names round-trip through parsing and statementJson', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 3 }), fc.uniqueArray(name, { minLength: 1, maxLength: 3 }), (types, keys) => {
        const document = viaJson({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: own(types.map((t) => [t, 'x'])), Condition: own(keys.map((k) => [k, own([[k, 'v']])])) }],
        });
        const statement = parsePolicy(document, { name: 'trust', kind: 'trust' }).Statement[0]!;
        assert.deepEqual(Object.keys(statement.Principal as object).sort(), [...types].sort());
        const json = statementJson(statement);
        assert.deepEqual(JSON.parse(JSON.stringify(json)), {
          Effect: 'Allow',
          Principal: JSON.parse(JSON.stringify(own(types.map((t) => [t, ['x']])))),
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: JSON.parse(JSON.stringify(own(keys.map((k) => [k, own([[k, 'v']])])))),
        });
      }),
      { numRuns: 300, seed: 10 },
    );
  });
});

describe('names that are also object members: the cases the review found', () => {
  const allowIf = (condition: string): ReturnType<typeof parsePolicy> =>
    parsePolicy(JSON.parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":${condition}}]}`), { name: 'p', kind: 'identity' });
  const request = (context: string): RequestContext => ({ action: 'dynamodb:GetItem', resource: '*', context: JSON.parse(context) as RequestContext['context'] });

  it('a condition key named __proto__ is a condition, not nothing', () => {
    const policy = allowIf('{"StringEquals":{"__proto__":"x"}}');
    assert.equal(authorize({ identity: [policy] }, request('{}')).decision, 'implicit-deny', 'the key is absent: the statement does not apply');
    assert.equal(authorize({ identity: [policy] }, request('{"__proto__":"y"}')).decision, 'implicit-deny');
    assert.equal(authorize({ identity: [policy] }, request('{"__proto__":"x"}')).decision, 'allowed');
  });

  it('a condition operator named __proto__ is an unknown operator (never holds), not nothing', () => {
    const policy = allowIf('{"__proto__":{"aws:username":"x"}}');
    assert.ok(policy.problems.some((p) => p.message.includes('unknown condition operator "__proto__"')));
    assert.equal(authorize({ identity: [policy] }, request('{"aws:username":"x"}')).decision, 'implicit-deny');
  });

  it('condition keys named toString or constructor are looked up in the request, not in Object.prototype', () => {
    const policy = allowIf('{"Null":{"toString":"false"},"StringLike":{"constructor":"*"}}');
    assert.equal(authorize({ identity: [policy] }, request('{}')).decision, 'implicit-deny');
    assert.equal(authorize({ identity: [policy] }, request('{"toString":"a","constructor":"b"}')).decision, 'allowed');
  });

  it('a Rules mapping on claim toString or constructor does not match a token without it', () => {
    for (const claim of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      for (const MatchType of ['NotEqual', 'Contains', 'StartsWith'] as const) {
        const pool: IdentityPool = identityPool({
          RoleMappings: { [MAPPING_KEY]: { Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: [{ Claim: claim, MatchType, Value: '', RoleARN: roleArn('Other') }] } } },
        });
        const choice = chooseRole(pool, { providerName: PROVIDER, clientId: CLIENT_ID, claims: { sub: 'u1' } });
        assert.equal(choice.source, null, `${claim} ${MatchType}`);
        assert.equal(choice.error?.code, 'NotAuthorizedException');
        const carried = chooseRole(pool, { providerName: PROVIDER, clientId: CLIENT_ID, claims: JSON.parse(`{"${claim}":"value"}`) as Record<string, unknown> });
        assert.equal(carried.source, 'rule', `${claim} ${MatchType}: a token that carries the claim matches`);
      }
    }
  });

  it('a RoleMappings key __proto__ stays a key, and a missing toString key reads as undefined', () => {
    const base = snapshot();
    const text = JSON.stringify(base).replace('"RoleMappings":{', '"RoleMappings":{"__proto__":{"Type":"Token"},');
    const pool = parseSnapshot(text).identityPools[0]!;
    assert.ok(Object.hasOwn(pool.RoleMappings, '__proto__'));
    assert.deepEqual(pool.RoleMappings['__proto__'], { Type: 'Token' });
    assert.equal(pool.RoleMappings['toString'], undefined);
    assert.equal(pool.RoleMappings['constructor'], undefined);
    assert.match(JSON.stringify(pool.RoleMappings), /"__proto__":\{"Type":"Token"\}/);
    assert.ok(diagnose(parseSnapshot(text)).findings.some((f) => f.code === 'MAPPING_UNKNOWN_PROVIDER' && f.subject.id.endsWith('/__proto__')));
  });
});
