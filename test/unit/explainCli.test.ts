// `cognito-access explain` and `access-matrix` through the built bundle (dist/cli.js), as users and
// CI pipelines run them: the "done when", the exit statuses of shared/spec/cli.md, JSON and
// CSV, and --help and the README listing every option.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ACCESS_MATRIX_OPTIONS } from '../../src/cli/accessMatrix.ts';
import { EXPLAIN_OPTIONS } from '../../src/cli/explain.ts';
import { HELP } from '../../src/cli/help.ts';
import { COGNITO } from './errorFixtures.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/cli.js');
const healthy = join(root, 'media/samples/seed-healthy.json');
const broken = join(root, 'media/samples/seed-trust-aud-is-user-pool-id.json');
const sample = join(root, 'media/samples/sample-account.json');
const DONE_WHEN = 'User: arn:aws:sts::123456789012:assumed-role/BooksReadAccess/CognitoIdentityCredentials is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-central-1:123456789012:table/book-table because no identity-based policy allows the dynamodb:PutItem action';

function run(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input, env: { ...process.env, COGNITO_ACCESS_DEBUG: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cognito-access explain', () => {
  it('the issue\'s "done when": names the statement of BooksReadAccess and the change that allows PutItem, exit 0', () => {
    const r = run(['explain', '--snapshot', healthy, '--message', DONE_WHEN]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^AccessDenied: BooksReadAccess may not dynamodb:PutItem on book-table/);
    assert.match(r.stdout, /closest: Statement\[0\] of identity-based policy "BooksReadAccess-p0"/);
    assert.match(r.stdout, /add "dynamodb:PutItem" to its Action/);
    assert.match(r.stdout, /"Action":\["dynamodb:Query","dynamodb:GetItem","dynamodb:Scan","dynamodb:PutItem"\]/);
  });

  it('--format json: the same explanation as data', () => {
    const r = run(['explain', '--snapshot', healthy, '--message', DONE_WHEN, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { kind: string; access: { roleName: string; decision: { decision: string; explanation: { closest: { index: number; policyName: string }; suggestedStatement: { Action: string[] } } } } };
    assert.equal(out.kind, 'access-denied');
    assert.equal(out.access.roleName, 'BooksReadAccess');
    assert.equal(out.access.decision.decision, 'implicit-deny');
    assert.deepEqual([out.access.decision.explanation.closest.index, out.access.decision.explanation.closest.policyName], [0, 'BooksReadAccess-p0']);
    assert.ok(out.access.decision.explanation.suggestedStatement.Action.includes('dynamodb:PutItem'));
  });

  it('InvalidIdentityPoolConfiguration from --stdin: the trust fault and the corrected policy, exit 1 (an error-level finding)', () => {
    const r = run(['explain', '--snapshot', broken, '--stdin'], COGNITO.invalidPoolConfigurationJson.text);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /1\. BooksReadAccess \(authenticated\): CANNOT BE ASSUMED; reached by 1 user: testuser1/);
    assert.match(r.stdout, /ERROR TRUST_AUD_IS_USER_POOL_ID/);
    assert.match(r.stdout, /corrected trust policy:\n[\s\S]*"cognito-identity.amazonaws.com:aud": "eu-central-1:aaaaaaaa-1111-2222-3333-444444444444"/);
  });

  it('several identity pools: 2 naming them, unless --identity-pool (id or name) says which', () => {
    const ask = run(['explain', '--snapshot', sample, '--message', COGNITO.invalidPoolConfigurationJs.text]);
    assert.equal(ask.code, 2);
    assert.equal(ask.stdout, '');
    assert.match(ask.stderr, /books-broken \(eu-central-1:bbbbbbbb-1111-2222-3333-444444444444\).*pass --identity-pool ID/);
    assert.equal(run(['explain', '--snapshot', sample, '--identity-pool', 'books-broken', '--message', COGNITO.invalidPoolConfigurationJs.text]).code, 1);
    const unknown = run(['explain', '--snapshot', sample, '--identity-pool', 'nope', '--message', COGNITO.invalidPoolConfigurationJs.text]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /identity pool "nope" is not in the snapshot/);
  });

  it('NotAuthorized and ExpiredToken: the cause and the values, exit 0', () => {
    const r = run(['explain', '--snapshot', sample, '--message', COGNITO.unsupportedProvider.text]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Cause: /);
    assert.match(r.stdout, /identity pool books \(eu-central-1:aaaaaaaa-1111-2222-3333-444444444444\) trusts: cognito-idp/);
    assert.match(run(['explain', '--snapshot', sample, '--message', 'ExpiredTokenException: The security token included in the request is expired']).stdout, /Not a permissions problem/);
  });

  it('text it does not understand: 2, the understood forms on stderr, nothing on stdout', () => {
    const r = run(['explain', '--snapshot', healthy, '--message', 'Something else went wrong']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /not an AWS error this tool understands/);
    assert.match(r.stderr, /InvalidIdentityPoolConfigurationException: Invalid identity pool configuration/);
  });

  it('bad usage: 2 and one line', () => {
    for (const args of [['--message', 'x', '--stdin'], [], ['--message', DONE_WHEN, '--format', 'xml']]) {
      const r = run(['explain', '--snapshot', healthy, ...args], '');
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.match(run(['explain', '--message', DONE_WHEN]).stderr, /--snapshot FILE is required/);
  });
});

describe('cognito-access access-matrix', () => {
  it('text: a row per way, yes / own / no / -', () => {
    const r = run(['access-matrix', '--snapshot', sample, '--table', 'user-notes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Table user-notes/);
    assert.match(r.stdout, /group NotesOwn \(precedence 3\) of books → NotesOwnPartition +own +own +own +no +own/);
    assert.match(r.stdout, /rule 1: cognito:groups Contains "BooksRead" of books-broken → BooksReadBroken +- +-/);
    assert.match(r.stdout, /no credentials, the trust policy of BooksReadBroken refuses/);
  });

  it('json and csv', () => {
    const json = JSON.parse(run(['access-matrix', '--snapshot', healthy, '--format', 'json']).stdout) as { actions: string[]; rows: { table: string; roleArn: string; cells: Record<string, { outcome: string; own: string; other: string | null; summary: string }> }[] };
    assert.ok(json.actions.includes('dynamodb:PutItem'));
    const read = json.rows.find((row) => row.roleArn.endsWith('/BooksReadAccess'))!;
    assert.deepEqual(read.cells['dynamodb:Query'], { outcome: 'allowed', own: 'allowed', other: 'allowed', summary: read.cells['dynamodb:Query']!.summary });
    assert.equal(read.cells['dynamodb:PutItem']!.outcome, 'denied');
    const csv = run(['access-matrix', '--snapshot', healthy, '--format', 'csv']).stdout.trim().split('\n');
    assert.equal(csv[0], 'table,identityPool,way,role,action,outcome,own,other');
    assert.ok(csv.includes('book-table,books,group BooksRead (precedence 1),BooksReadAccess,dynamodb:PutItem,denied,implicit-deny,implicit-deny'));
  });

  it('an unknown table or format: 2', () => {
    assert.equal(run(['access-matrix', '--snapshot', healthy, '--table', 'nope']).code, 2);
    assert.equal(run(['access-matrix', '--snapshot', healthy, '--format', 'xml']).code, 2);
  });
});

describe('--help and the README list every option of explain and access-matrix', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const [command, options] of [['explain', EXPLAIN_OPTIONS], ['access-matrix', ACCESS_MATRIX_OPTIONS]] as const) {
    it(command, () => {
      const help = run([command, '--help']);
      assert.equal(help.code, 0);
      assert.equal(help.stdout, HELP[command]);
      for (const option of Object.keys(options)) {
        assert.ok(help.stdout.includes(`--${option}`), `${command} --help lacks --${option}`);
        assert.ok(readme.includes(`--${option}`), `README lacks --${option}`);
      }
      assert.ok(readme.includes(`cognito-access ${command} --snapshot FILE`), `README shows ${command}'s usage`);
    });
  }
});
