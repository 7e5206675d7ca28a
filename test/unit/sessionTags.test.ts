// Session tags (principal tags) from a token's claims: custom maps, defaults per provider, absent
// claims, the STS limits, and names from input as data (cognito-semantics.md section 6).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findProvider, providersOf } from '../../src/core/providers.ts';
import type { PoolProvider } from '../../src/core/providers.ts';
import {
  claimTagValue, computeSessionTags, defaultTagClaims, mapApplies, tagClaimsOf, tagKeyProblem, tagMapFor, tagValueProblem,
} from '../../src/core/sessionTags.ts';
import type { IdentityPool, PrincipalTagMap } from '../../src/core/snapshot.ts';
import { validateSnapshot } from '../../src/core/snapshot.ts';
import { identityPool, PROVIDER, snapshot } from './fixtures.ts';

function tagMap(tags: Record<string, string>, useDefaults = false, provider = PROVIDER): PrincipalTagMap {
  const record = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(tags)) Object.defineProperty(record, k, { value: v, enumerable: true, writable: true, configurable: true });
  return { IdentityProviderName: provider, UseDefaults: useDefaults, PrincipalTags: record };
}

function poolWith(maps: PrincipalTagMap[], extra: Partial<IdentityPool> = {}): IdentityPool {
  return identityPool({ PrincipalTagMaps: maps, ...extra });
}

const userPoolProvider = (pool: IdentityPool): PoolProvider => providersOf(pool)[0]!;

describe('session tags: custom maps', () => {
  it('maps tag -> claim; a claim the token lacks gives no tag', () => {
    const pool = poolWith([tagMap({ dept: 'custom:dept', team: 'custom:team' })]);
    const r = computeSessionTags(pool, userPoolProvider(pool), { 'custom:dept': 'books' });
    assert.deepEqual({ ...r.tags }, { dept: 'books' });
    assert.deepEqual(r.problems, []);
    assert.match(r.steps[0]!, /dept = "books" \(from custom:dept\).*no tag for team \(from custom:team\): the token has no such claim/);
  });

  it('no map, or a map with no tags and no defaults: no session tags (null)', () => {
    const none = identityPool();
    assert.equal(computeSessionTags(none, userPoolProvider(none), { sub: 'x' }).tags, null);
    const empty = poolWith([tagMap({})]);
    assert.equal(mapApplies(empty.PrincipalTagMaps![0]), false);
    assert.equal(computeSessionTags(empty, userPoolProvider(empty), { sub: 'x' }).tags, null);
  });

  it('a map for another provider does not apply', () => {
    const pool = poolWith([tagMap({ dept: 'custom:dept' }, false, 'accounts.google.com')], { SupportedLoginProviders: { 'accounts.google.com': 'app-1' } });
    assert.equal(computeSessionTags(pool, userPoolProvider(pool), { 'custom:dept': 'books' }).tags, null);
    const google = findProvider(pool, 'accounts.google.com')!;
    assert.deepEqual({ ...computeSessionTags(pool, google, { 'custom:dept': 'books' }).tags }, { dept: 'books' });
  });

  it('__proto__ and constructor are ordinary tag and claim names', () => {
    // JSON.parse keeps "__proto__" as an own key (an object literal would set the prototype).
    const pool = poolWith([tagMap(JSON.parse('{"__proto__": "constructor", "constructor": "__proto__", "toString": "custom:none"}') as Record<string, string>)]);
    const claims = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(claims, '__proto__', { value: 'proto-value', enumerable: true });
    Object.defineProperty(claims, 'constructor', { value: 'ctor-value', enumerable: true });
    const r = computeSessionTags(pool, userPoolProvider(pool), claims);
    assert.equal(Object.getPrototypeOf(r.tags), null);
    assert.deepEqual(Object.keys(r.tags!).sort(), ['__proto__', 'constructor']);
    assert.equal(Object.getOwnPropertyDescriptor(r.tags, '__proto__')?.value, 'ctor-value');
    assert.equal(r.tags!['constructor'], 'proto-value');
    // An inherited member (toString) is not a claim: no tag.
    const plain = computeSessionTags(pool, userPoolProvider(pool), { 'custom:x': 'y' });
    assert.deepEqual(Object.keys(plain.tags!), []);
  });

  it('reads __proto__ keys from a snapshot file as data', () => {
    const s = snapshot();
    const raw = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
    const text = JSON.stringify(raw).replace('"RoleMappings":', `"PrincipalTagMaps":[{"IdentityProviderName":"${PROVIDER}","PrincipalTags":{"__proto__":"custom:dept"}}],"RoleMappings":`);
    const read = validateSnapshot(JSON.parse(text));
    const map = read.identityPools[0]!.PrincipalTagMaps![0]!;
    assert.deepEqual(Object.keys(map.PrincipalTags), ['__proto__']);
    const pool = read.identityPools[0]!;
    const r = computeSessionTags(pool, userPoolProvider(pool), { 'custom:dept': 'books' });
    assert.equal(Object.getOwnPropertyDescriptor(r.tags, '__proto__')?.value, 'books');
  });
});

describe('session tags: defaults', () => {
  it('user pool, OIDC, Google, Apple, Facebook: client from aud, username from sub; Amazon: user_id; SAML: assertions; developer: none', () => {
    for (const kind of ['user-pool', 'oidc', 'google', 'apple', 'facebook'] as const) assert.deepEqual(defaultTagClaims(kind), [['client', 'aud'], ['username', 'sub']], kind);
    assert.deepEqual(defaultTagClaims('amazon'), [['client', 'aud'], ['username', 'user_id']]);
    assert.deepEqual(defaultTagClaims('saml').map(([t]) => t), ['username', 'client']);
    assert.match(defaultTagClaims('saml')[0]![1], /nameidentifier$/);
    assert.deepEqual(defaultTagClaims('developer'), []);
  });

  it('UseDefaults on a user pool: client and username from the token', () => {
    const pool = poolWith([tagMap({}, true)]);
    const r = computeSessionTags(pool, userPoolProvider(pool), { aud: 'client-1', sub: '1234-abcd' });
    assert.deepEqual({ ...r.tags }, { client: 'client-1', username: '1234-abcd' });
    assert.match(r.steps[0]!, /default mappings/);
  });

  it('UseDefaults with listed tags: both; a listed tag wins over a default of the same key', () => {
    const map = tagMap({ dept: 'custom:dept', username: 'email' }, true);
    assert.deepEqual(tagClaimsOf(map, 'user-pool'), [['client', 'aud'], ['username', 'email'], ['dept', 'custom:dept']]);
  });

  it('Amazon defaults read user_id', () => {
    const pool = poolWith([tagMap({}, true, 'www.amazon.com')], { SupportedLoginProviders: { 'www.amazon.com': 'amzn1.application' } });
    const amazon = findProvider(pool, 'www.amazon.com')!;
    assert.equal(amazon.kind, 'amazon');
    assert.deepEqual({ ...computeSessionTags(pool, amazon, { aud: 'amzn1.application', user_id: 'amzn1.account.X' }).tags }, { client: 'amzn1.application', username: 'amzn1.account.X' });
  });

  it('a developer provider with defaults: not applicable, tags from the backend (null)', () => {
    const pool = poolWith([tagMap({}, true, 'login.example.app')], { DeveloperProviderName: 'login.example.app' });
    const r = computeSessionTags(pool, findProvider(pool, 'login.example.app')!, {});
    assert.equal(r.tags, null);
    assert.match(r.steps[0]!, /not applicable/);
  });

  it('finds an OIDC map named by ARN or by host', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/login.example.com';
    for (const name of [arn, 'login.example.com']) {
      const pool = poolWith([tagMap({ dept: 'dept' }, false, name)], { OpenIdConnectProviderARNs: [arn] });
      const oidc = findProvider(pool, 'login.example.com')!;
      assert.ok(tagMapFor(pool, oidc), name);
    }
  });
});

describe('session tags: the STS limits', () => {
  it('values: at most 256 characters of letters, spaces, numbers and _ . : / = + - @', () => {
    assert.equal(tagValueProblem(''), null);
    assert.equal(tagValueProblem('Books Dept: a/b=c+d-e@f_g.h'), null);
    assert.equal(tagValueProblem('Bücher 書籍 ١٢'), null, 'Unicode letters and numbers');
    assert.equal(tagValueProblem('x'.repeat(256)), null);
    assert.match(tagValueProblem('x'.repeat(257))!, /257 characters long \(STS allows 0-256\)/);
    assert.match(tagValueProblem('a,b')!, /","/);
    assert.match(tagValueProblem('auth0|123')!, /"\|"/);
  });

  it('keys: 1-128 characters, same characters, not aws:', () => {
    assert.equal(tagKeyProblem('dept'), null);
    assert.match(tagKeyProblem('')!, /1-128/);
    assert.match(tagKeyProblem('k'.repeat(129))!, /129 characters/);
    assert.match(tagKeyProblem('dept!')!, /"!"/);
    assert.match(tagKeyProblem('aws:dept')!, /reserved/);
  });

  it('claim values: strings as they are, numbers and booleans as text, lists and objects break the limits', () => {
    assert.deepEqual(claimTagValue('a'), { value: 'a' });
    assert.deepEqual(claimTagValue(42), { value: '42' });
    assert.deepEqual(claimTagValue(true), { value: 'true' });
    assert.equal(claimTagValue(undefined), null);
    assert.equal(claimTagValue(null), null);
    assert.match((claimTagValue(['BooksRead']) as { problem: string }).problem, /list/);
    assert.match((claimTagValue({ a: 1 }) as { problem: string }).problem, /object/);
  });

  it('a sign-in whose tags break the limits: the problems say so (inferred)', () => {
    const pool = poolWith([tagMap({ groups: 'cognito:groups', long: 'custom:long', Dept: 'custom:a', dept: 'custom:b' })]);
    const r = computeSessionTags(pool, userPoolProvider(pool), { 'cognito:groups': ['A', 'B'], 'custom:long': 'x'.repeat(300), 'custom:a': '1', 'custom:b': '2' });
    assert.equal(r.problems.length, 3, r.problems.join('\n'));
    assert.match(r.problems.join('\n'), /groups.*list/);
    assert.match(r.problems.join('\n'), /300 characters/);
    assert.match(r.problems.join('\n'), /differ only in case/);
    assert.match(r.steps.at(-1)!, /inferred from the STS limits/);
  });

  it('more than 50 tags', () => {
    const tags: Record<string, string> = {};
    for (let i = 0; i < 51; i++) tags[`t${i}`] = `c${i}`;
    const pool = poolWith([tagMap(tags)]);
    const r = computeSessionTags(pool, userPoolProvider(pool), {});
    assert.match(r.problems.join('\n'), /51 tags \(STS allows at most 50\)/);
  });
});
