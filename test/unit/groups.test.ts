import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { comparePrecedence, predictClaims } from '../../src/core/groups.ts';
import { group, roleArn } from './fixtures.ts';

const pool = (...groups: ReturnType<typeof group>[]) => ({ Groups: groups });

describe('groups to claims (cognito-semantics.md section 1)', () => {
  it('lists every group and every role, and the lowest precedence wins', () => {
    const p = pool(group('BooksWrite', 2, 'Write'), group('BooksRead', 1, 'Read'), group('Admins', 0, 'Admin'));
    const { claims } = predictClaims(p, ['BooksRead', 'BooksWrite', 'Admins']);
    assert.deepEqual(claims['cognito:groups'], ['BooksRead', 'BooksWrite', 'Admins']);
    assert.deepEqual(claims['cognito:roles'], [roleArn('Read'), roleArn('Write'), roleArn('Admin')]);
    assert.equal(claims['cognito:preferred_role'], roleArn('Admin'));
  });

  it('null precedence loses to any number', () => {
    const { claims } = predictClaims(pool(group('NoPrec', null, 'A'), group('Ten', 10, 'B')), ['NoPrec', 'Ten']);
    assert.equal(claims['cognito:preferred_role'], roleArn('B'));
  });

  it('one role is the preferred role whatever the precedence', () => {
    const { claims } = predictClaims(pool(group('NoPrec', null, 'A'), group('RoleLess', 0, null)), ['NoPrec', 'RoleLess']);
    assert.equal(claims['cognito:preferred_role'], roleArn('A'));
  });

  it('a tie with the same role keeps that role', () => {
    const { claims, tie } = predictClaims(pool(group('E', 5, 'Same'), group('R', 5, 'Same')), ['E', 'R']);
    assert.equal(claims['cognito:preferred_role'], roleArn('Same'));
    assert.equal(tie, null);
  });

  it('a tie with different roles gives no preferred role', () => {
    const result = predictClaims(pool(group('Editors', 5, 'Editor'), group('Reviewers', 5, 'Reviewer'), group('Low', 9, 'Low')), ['Editors', 'Reviewers', 'Low']);
    assert.equal(result.claims['cognito:preferred_role'], null);
    assert.deepEqual(result.tie?.groups, ['Editors', 'Reviewers']);
    assert.equal(result.inferred, false);
  });

  it('two null-precedence groups with different roles tie (inferred)', () => {
    const result = predictClaims(pool(group('A', null, 'A'), group('B', null, 'B')), ['A', 'B']);
    assert.equal(result.claims['cognito:preferred_role'], null);
    assert.equal(result.inferred, true);
  });

  it('a role-less group with the best precedence is skipped (inferred)', () => {
    const result = predictClaims(pool(group('Top', 0, null), group('R', 3, 'R'), group('W', 4, 'W')), ['Top', 'R', 'W']);
    assert.equal(result.claims['cognito:preferred_role'], roleArn('R'));
    assert.equal(result.inferred, true);
  });

  it('no role anywhere: no cognito:roles and no preferred role', () => {
    const { claims } = predictClaims(pool(group('Plain', 1, null)), ['Plain']);
    assert.deepEqual(claims, { 'cognito:groups': ['Plain'], 'cognito:roles': null, 'cognito:preferred_role': null });
  });

  it('a user in no group gets no cognito claims; unknown group names are reported', () => {
    const result = predictClaims(pool(group('A', 1, 'A')), ['Nope']);
    assert.deepEqual(result.claims['cognito:groups'], []);
    assert.deepEqual(result.unknownGroups, ['Nope']);
  });

  it('property: the preferred role is one of the roles, and no group with a role beats its group', () => {
    const groupArb = fc.record({ precedence: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), role: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: null }) });
    fc.assert(
      fc.property(fc.array(groupArb, { minLength: 1, maxLength: 6 }), (specs) => {
        const groups = specs.map((s, i) => group(`G${i}`, s.precedence, s.role));
        const { claims } = predictClaims(pool(...groups), groups.map((g) => g.GroupName));
        const preferred = claims['cognito:preferred_role'];
        if (preferred === null) return;
        assert.ok(claims['cognito:roles']!.includes(preferred));
        const best = groups.filter((g) => g.RoleArn === preferred).sort((a, b) => comparePrecedence(a.Precedence, b.Precedence))[0]!;
        for (const g of groups) if (g.RoleArn && g.RoleArn !== preferred) assert.ok(comparePrecedence(g.Precedence, best.Precedence) > 0 || new Set(groups.filter((x) => x.RoleArn).map((x) => x.RoleArn)).size === 1);
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});
