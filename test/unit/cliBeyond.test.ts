// The simulate options beyond the article through the built bundle (dist/cli.js): --provider,
// --basic-flow --role, the trigger overrides, session tags in the JSON and the text, and the
// done-when of issue 12 on seed-abac-no-tagsession.json.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/cli.js');
const abac = join(root, 'media/samples/seed-abac-no-tagsession.json');
const healthy = join(root, 'media/samples/seed-healthy.json');
const BOOKS_READ = 'arn:aws:iam::123456789012:role/BooksReadAccess';

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, COGNITO_ACCESS_DEBUG: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const json = (stdout: string): Json => JSON.parse(stdout) as Json;

/** A copy of a sample, changed by `edit`, in a temporary file. */
function variant(file: string, edit: (s: Json) => void): string {
  const s = json(readFileSync(file, 'utf8'));
  edit(s);
  const out = join(mkdtempSync(join(tmpdir(), 'cai-')), 'snapshot.json');
  writeFileSync(out, JSON.stringify(s));
  return out;
}

const fixedAbac = (): string => variant(abac, (s) => {
  for (const r of s.roles) r.AssumeRolePolicyDocument.Statement[0].Action = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];
});

describe('issue 12 done-when (seed-abac-no-tagsession.json)', () => {
  it('diagnose: TRUST_NO_TAG_SESSION on BooksReadAccess with the corrected trust policy, exit 1', () => {
    const r = run('diagnose', '--snapshot', abac, '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    const f = json(r.stdout).findings.find((x: Json) => x.code === 'TRUST_NO_TAG_SESSION' && x.subject.id === BOOKS_READ);
    assert.ok(f);
    assert.match(f.fix, /"sts:TagSession"/);
    const text = run('diagnose', '--snapshot', abac);
    assert.match(text.stdout, /^ERROR {3}TRUST_NO_TAG_SESSION {2}role BooksReadAccess/m);
  });

  it('simulate --groups BooksRead --claim custom:dept=books: InvalidIdentityPoolConfigurationException explained by TRUST_NO_TAG_SESSION', () => {
    const r = run('simulate', '--snapshot', abac, '--groups', 'BooksRead', '--claim', 'custom:dept=books', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const out = json(r.stdout);
    assert.equal(out.resolution.error.code, 'InvalidIdentityPoolConfigurationException');
    assert.deepEqual(out.resolution.findings, ['TRUST_NO_TAG_SESSION']);
    assert.deepEqual(out.sessionTags, { dept: 'books' });
    assert.deepEqual(out.resolution.sessionTags, { dept: 'books' });
    assert.equal(out.flow, 'enhanced');
    assert.deepEqual(out.provider, { name: 'cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234', kind: 'user-pool' });
  });

  it('with the trust fixed: GetItem on partition books allowed, other denied, the explanation naming the tag value', () => {
    const file = fixedAbac();
    const base = ['simulate', '--snapshot', file, '--groups', 'BooksRead', '--claim', 'custom:dept=books', '--action', 'dynamodb:GetItem', '--table', 'book-table'];
    const books = json(run(...base, '--partition', 'books', '--format', 'json').stdout);
    assert.equal(books.resolution.roleArn, BOOKS_READ);
    assert.equal(books.access.decision, 'allowed');
    assert.match(books.access.explanation.summary, /aws:PrincipalTag\/dept = "books"/);
    const other = json(run(...base, '--partition', 'other', '--format', 'json').stdout);
    assert.equal(other.access.decision, 'implicit-deny');
    assert.match(other.access.explanation.suggestion, /aws:PrincipalTag\/dept is "books"/);
    const text = run(...base, '--partition', 'other');
    assert.match(text.stdout, /Session tags {2}dept = "books"/);
    assert.match(text.stdout, /DENIED \(implicit deny\)/);
    assert.match(text.stdout, /aws:PrincipalTag\/dept is "books"/);
  });
});

describe('simulate options beyond the article', () => {
  it('sessionTags is null when no map applies; trigger null without one', () => {
    const out = json(run('simulate', '--snapshot', healthy, '--groups', 'BooksRead', '--format', 'json').stdout);
    assert.equal(out.sessionTags, null);
    assert.equal(out.resolution.sessionTags, null);
    assert.deepEqual(out.resolution.notes, []);
    assert.equal(out.trigger, null);
  });

  it('--provider accounts.google.com with --claim', () => {
    const file = variant(healthy, (s) => {
      s.identityPools[0].SupportedLoginProviders = { 'accounts.google.com': 'google-app' };
      s.identityPools[0].PrincipalTagMaps = [{ IdentityProviderName: 'accounts.google.com', UseDefaults: true }];
      for (const r of s.roles) r.AssumeRolePolicyDocument.Statement[0].Action = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];
    });
    const out = json(run('simulate', '--snapshot', file, '--provider', 'accounts.google.com', '--claim', 'aud=google-app', '--claim', 'sub=1234', '--format', 'json').stdout);
    assert.deepEqual(out.provider, { name: 'accounts.google.com', kind: 'google' });
    assert.equal(out.resolution.source, 'authenticated-role');
    assert.deepEqual(out.sessionTags, { client: 'google-app', username: '1234' });
    assert.equal(out.claims, null);
    const text = run('simulate', '--snapshot', file, '--provider', 'accounts.google.com');
    assert.match(text.stdout, /provider accounts\.google\.com \(google\)/);
  });

  it('--basic-flow --role ARN: refused where the pool has it off, the role where it is on', () => {
    const off = json(run('simulate', '--snapshot', healthy, '--groups', 'BooksRead', '--basic-flow', '--role', BOOKS_READ, '--format', 'json').stdout);
    assert.equal(off.resolution.error.code, 'InvalidParameterException');
    assert.equal(off.flow, 'basic');
    const on = variant(healthy, (s) => { s.identityPools[0].AllowClassicFlow = true; });
    const out = json(run('simulate', '--snapshot', on, '--groups', 'BooksRead', '--basic-flow', '--role', 'arn:aws:iam::123456789012:role/BooksDefaultAuth', '--format', 'json').stdout);
    assert.equal(out.resolution.source, 'basic-flow');
    assert.equal(out.resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksDefaultAuth');
  });

  it('--override-groups / --override-roles / --override-preferred-role', () => {
    const file = variant(healthy, (s) => { s.userPools[0].LambdaConfig = { PreTokenGenerationConfig: { LambdaArn: 'arn:aws:lambda:eu-central-1:123456789012:function:t', LambdaVersion: 'V2_0' } }; });
    const out = json(run('simulate', '--snapshot', file, '--groups', 'BooksRead', '--override-groups', 'X,Y', '--override-roles', 'arn:aws:iam::123456789012:role/BooksDefaultAuth', '--override-preferred-role', 'arn:aws:iam::123456789012:role/BooksDefaultAuth', '--format', 'json').stdout);
    assert.deepEqual(out.claims['cognito:groups'], ['X', 'Y']);
    assert.equal(out.resolution.roleArn, 'arn:aws:iam::123456789012:role/BooksDefaultAuth');
    assert.equal(out.trigger.version, 'V2_0');
    assert.deepEqual(out.trigger.override.groups, ['X', 'Y']);
    assert.equal(out.trigger.predictedClaims['cognito:preferred_role'], BOOKS_READ);
    assert.match(out.resolution.notes[0], /holds unless the pre token generation trigger/);
    const text = run('simulate', '--snapshot', file, '--groups', 'BooksRead');
    assert.match(text.stdout, /Pre token generation trigger {2}arn:aws:lambda/);
    assert.match(text.stdout, /\nNotes\n {2}- The prediction from groups holds unless/);
  });

  it('bad usage exits 2 with one line', () => {
    const cases: [string[], RegExp][] = [
      [['--groups', 'A', '--provider', 'accounts.google.com'], /exactly one of --user NAME, --groups A,B,\.\.\., --provider NAME or --guest/],
      [['--groups', 'A', '--basic-flow'], /--basic-flow needs --role ARN/],
      [['--groups', 'A', '--role', BOOKS_READ], /--role goes with --basic-flow/],
      [['--guest', '--override-groups', 'A'], /--override-groups overrides a user pool token's claims/],
      [['--provider', 'login.nowhere.com', '--identity-pool', 'nope'], /identity pool "nope" is not in the snapshot/],
    ];
    for (const [args, pattern] of cases) {
      const r = run('simulate', '--snapshot', healthy, ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('a provider the pool does not list: the NotAuthorizedException, exit 0', () => {
    const out = json(run('simulate', '--snapshot', healthy, '--provider', 'login.nowhere.com', '--format', 'json').stdout);
    assert.equal(out.resolution.error.message, 'Token is not from a supported provider of this identity pool.');
  });
});
