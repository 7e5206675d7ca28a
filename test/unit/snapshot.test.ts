import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodePolicyDocument, parseSnapshot, PolicyDocumentError, SnapshotError, validateSnapshot } from '../../src/core/snapshot.ts';
import { snapshot, trustDocument } from './fixtures.ts';

const sample = (name: string): string => readFileSync(new URL(`../../media/samples/${name}`, import.meta.url), 'utf8');

function errorOf(fn: () => unknown): SnapshotError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SnapshotError, `expected a SnapshotError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

describe('snapshot reader', () => {
  it('reads both shared examples', () => {
    for (const name of ['seed-healthy.json', 'seed-trust-aud-is-user-pool-id.json']) {
      const s = parseSnapshot(sample(name), name);
      assert.equal(s.region, 'eu-central-1');
      assert.equal(s.userPools[0]!.Groups[0]!.GroupName, 'BooksRead');
      assert.equal(s.roles.length, 2);
    }
  });

  it('names the file and the JSON path of a wrong type', () => {
    const s = snapshot() as unknown as { userPools: { Groups: Record<string, unknown>[] }[] };
    s.userPools[0]!.Groups[0]!['Precedence'] = 'one';
    const error = errorOf(() => validateSnapshot(s, 'my.json'));
    assert.equal(error.path, 'userPools[0].Groups[0].Precedence');
    assert.match(error.message, /^my\.json: userPools\[0\]\.Groups\[0\]\.Precedence: expected a number/);
  });

  it('names a missing required field', () => {
    const s = snapshot() as unknown as Record<string, unknown>;
    delete s['region'];
    assert.equal(errorOf(() => validateSnapshot(s, 'f.json')).path, 'region');
    const t = snapshot() as unknown as { identityPools: Record<string, unknown>[] };
    delete t.identityPools[0]!['IdentityPoolId'];
    assert.equal(errorOf(() => validateSnapshot(t, 'f.json')).path, 'identityPools[0].IdentityPoolId');
  });

  it('rejects a wrong format string, a bad account id and invalid JSON', () => {
    assert.equal(errorOf(() => validateSnapshot({ ...snapshot(), format: 'v2' })).path, 'format');
    assert.equal(errorOf(() => validateSnapshot({ ...snapshot(), accountId: '12' })).path, 'accountId');
    assert.match(errorOf(() => parseSnapshot('{ nope', 'bad.json')).message, /^bad\.json: invalid JSON/);
  });

  it('checks role mapping types and rule match types with their paths', () => {
    const s = snapshot() as unknown as { identityPools: { RoleMappings: Record<string, Record<string, unknown>> }[] };
    const key = Object.keys(s.identityPools[0]!.RoleMappings)[0]!;
    s.identityPools[0]!.RoleMappings[key]!['Type'] = 'Groups';
    const error = errorOf(() => validateSnapshot(s));
    assert.equal(error.path, `identityPools[0].RoleMappings[${JSON.stringify(key)}].Type`);
  });

  it('reports a trust policy that is neither JSON nor URL-encoded JSON at its path', () => {
    const s = snapshot();
    s.roles[0]!.AssumeRolePolicyDocument = '%7Bnot json';
    const error = errorOf(() => validateSnapshot(s));
    assert.equal(error.path, 'roles[0].AssumeRolePolicyDocument');
    assert.match(error.problem, /not valid JSON/);
  });

  it('ignores unknown fields and accepts null for optional ones', () => {
    const s = { ...snapshot(), extra: 1, tables: [{ ...snapshot().tables[0]!, Whatever: true, ResourcePolicy: null }] };
    assert.equal(validateSnapshot(s).tables[0]!.ResourcePolicy, null);
  });

  it('does not require the trust policy of a missing or unreadable role', () => {
    const s = snapshot({ roles: [{ RoleName: 'Gone', Arn: 'arn:aws:iam::123456789012:role/Gone', Missing: true }, { RoleName: 'Hidden', Arn: 'arn:aws:iam::123456789012:role/Hidden', Unreadable: 'AccessDenied: no' }] });
    const read = validateSnapshot(s);
    assert.equal(read.roles[0]!.Missing, true);
    assert.equal(read.roles[1]!.Unreadable, 'AccessDenied: no');
  });
});

describe('policy documents', () => {
  const document = trustDocument();
  it('decodes URL-encoded JSON, plain JSON strings and objects alike', () => {
    assert.deepEqual(decodePolicyDocument(encodeURIComponent(JSON.stringify(document))), document);
    assert.deepEqual(decodePolicyDocument(JSON.stringify(document)), document);
    assert.deepEqual(decodePolicyDocument(document), document);
  });
  it('keeps a literal "+" (role names may hold one), as the AWS CLI does', () => {
    assert.deepEqual(decodePolicyDocument('%7B%22Resource%22%3A%22arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa+b%22%7D'), { Resource: 'arn:aws:iam::1:role/a+b' });
  });
  it('rejects what is not a JSON object', () => {
    assert.throws(() => decodePolicyDocument('[1,2]'), PolicyDocumentError);
    assert.throws(() => decodePolicyDocument('%E0%A4%A'), PolicyDocumentError);
  });
});

describe('snapshot reader properties', () => {
  it('never crashes on random JSON: a snapshot or a SnapshotError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          validateSnapshot(value);
        } catch (error) {
          assert.ok(error instanceof SnapshotError);
        }
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it('never crashes on a valid snapshot with one field replaced by random JSON', () => {
    const base = JSON.parse(sample('seed-trust-aud-is-user-pool-id.json')) as Record<string, unknown>;
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      if (path.length) paths.push(path);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(base, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const copy = structuredClone(base);
        let target: Record<string | number, unknown> = copy;
        for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
        target[path[path.length - 1]!] = value;
        try {
          validateSnapshot(copy);
        } catch (error) {
          assert.ok(error instanceof SnapshotError, String(error));
          assert.ok(error.path.length > 0);
        }
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
