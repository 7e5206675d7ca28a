// The command line through the built bundle (dist/cli.js), as users and CI pipelines run it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/cli.js');
const healthy = join(root, 'media/samples/seed-healthy.json');
const broken = join(root, 'media/samples/seed-trust-aud-is-user-pool-id.json');

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, COGNITO_ACCESS_DEBUG: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// The CLI's JSON is checked field by field against cli.md; a loose type keeps the assertions short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function json(stdout: string): Json {
  return JSON.parse(stdout) as Json;
}

describe('cognito-access (dist/cli.js)', () => {
  it('diagnose seed-healthy.json: no error-level finding, exit 0', () => {
    const r = run('diagnose', '--snapshot', healthy, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const out = json(r.stdout);
    assert.equal(out.summary.errors, 0);
    assert.ok(Array.isArray(out.findings));
  });

  it('diagnose seed-trust-aud-is-user-pool-id.json: the two findings, exit 1', () => {
    const r = run('diagnose', '--snapshot', broken, '--format', 'json');
    assert.equal(r.code, 1);
    const out = json(r.stdout);
    const byCode = (code: string) => out.findings.find((f: { code: string }) => f.code === code);
    assert.equal(byCode('TRUST_AUD_IS_USER_POOL_ID').subject.id, 'arn:aws:iam::123456789012:role/BooksReadAccess');
    assert.equal(byCode('GROUP_ROLE_NOT_ASSUMABLE').subject.id, 'eu-central-1_BOOKS1234/BooksRead');
    assert.deepEqual(Object.keys(out.summary), ['errors', 'warnings', 'infos']);
  });

  it('diagnose text output is readable and ends with the summary', () => {
    const r = run('diagnose', '--snapshot', broken);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ERROR {3}TRUST_AUD_IS_USER_POOL_ID {2}role BooksReadAccess/m);
    assert.match(r.stdout, /\d+ errors, \d+ warnings, \d+ infos\n$/);
  });

  it('simulate --groups BooksRead on seed-healthy.json: BooksReadAccess (preferred-role); Query allowed, PutItem implicit-deny', () => {
    const base = ['simulate', '--snapshot', healthy, '--groups', 'BooksRead', '--format', 'json'];
    const plain = json(run(...base).stdout);
    assert.equal(plain.resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksReadAccess');
    assert.equal(plain.resolution.source, 'preferred-role');
    assert.equal(plain.access, null);
    const query = json(run(...base, '--action', 'dynamodb:Query', '--table', 'book-table').stdout);
    assert.equal(query.access.decision, 'allowed');
    assert.equal(query.access.resource, 'arn:aws:dynamodb:eu-central-1:123456789012:table/book-table');
    assert.equal(query.access.explanation.deciding[0].policyName, 'BooksReadAccess-p0');
    const put = json(run(...base, '--action', 'dynamodb:PutItem', '--table', 'book-table').stdout);
    assert.equal(put.access.decision, 'implicit-deny');
    assert.equal(put.access.explanation.closest.policyName, 'BooksReadAccess-p0');
    assert.equal(put.access.explanation.closest.index, 0);
  });

  it('simulate --groups BooksRead on the broken example: the error, explained', () => {
    const r = run('simulate', '--snapshot', broken, '--groups', 'BooksRead', '--format', 'json');
    assert.equal(r.code, 0);
    const out = json(r.stdout);
    assert.equal(out.resolution.outcome, 'error');
    assert.equal(out.resolution.error.code, 'InvalidIdentityPoolConfigurationException');
    assert.deepEqual(out.resolution.findings, ['TRUST_AUD_IS_USER_POOL_ID']);
    assert.ok(out.resolution.steps.length >= 3);
  });

  it('a snapshot with a wrong type exits 2 with the JSON path on stderr and nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cai-'));
    const file = join(dir, 'bad.json');
    const s = JSON.parse(readFileSync(healthy, 'utf8'));
    s.identityPools[0].CognitoIdentityProviders[0].ClientId = 42;
    writeFileSync(file, JSON.stringify(s));
    for (const command of [['diagnose'], ['simulate', '--groups', 'BooksRead']]) {
      const r = run(...command, '--snapshot', file);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /bad\.json: identityPools\[0\]\.CognitoIdentityProviders\[0\]\.ClientId: expected a string, found a number \(42\)/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('bad usage and unreadable input exit 2 with one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cai-'));
    writeFileSync(join(dir, 'x.json'), '{"format": ');
    const cases: [string[], RegExp][] = [
      [['diagnose', '--snapshot', join(dir, 'missing.json')], /missing\.json: cannot read the file \(no such file\)/],
      [['diagnose', '--snapshot', join(dir, 'x.json')], /x\.json: invalid JSON/],
      [['diagnose'], /--snapshot FILE is required/],
      [['diagnose', '--snapshot', healthy, '--format', 'yaml'], /--format must be text or json/],
      [['simulate', '--snapshot', healthy], /exactly one of --user NAME, --groups/],
      [['simulate', '--snapshot', healthy, '--groups', 'A', '--action', 'dynamodb:Query'], /--action needs --table/],
      [['simulate', '--snapshot', healthy, '--groups', 'A', '--bogus'], /Unknown option '--bogus'/],
      [['simulate', '--snapshot', healthy, '--user', 'ghost'], /user "ghost" is not in user pool/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('--help prints the usage, exit 0', () => {
    const r = run('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: cognito-access/);
  });
});
