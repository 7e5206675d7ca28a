// `cognito-access scan` as users run it (dist/cli.js in a child process): the least-privilege
// read-only profile reads everything; each action taken away leaves a gap naming it and nothing
// else lost; an endpoint that never answers ends the scan by itself with exit 1 and one line; the
// first Ctrl-C stops at once (130); a missing profile, a missing --out folder and an empty region
// each say so clearly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { SCAN_ACTIONS } from '../../src/core/gaps.ts';
import { parseSnapshot, type Snapshot } from '../../src/core/snapshot.ts';
import { startHarness, type Harness } from './helpers.ts';
import { comparable, minusGaps } from './scanOracle.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/cli.js');
const quiet = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', COGNITO_ACCESS_DEBUG: '' };

/** Runs the CLI in a child process; asynchronously, since the sandbox answers from this process. */
async function runScan(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  const started = Date.now();
  const child = spawn(process.execPath, [cli, 'scan', ...args], { env: { PATH: process.env.PATH, ...quiet, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { code, stdout, stderr, ms: Date.now() - started };
}

describe('scan through the command line', () => {
  let h: Harness;
  let dir: string;
  let clean: Snapshot;
  const read = (file: string) => parseSnapshot(readFileSync(file, 'utf8'), file);

  before(async () => {
    h = await startHarness();
    dir = mkdtempSync(join(tmpdir(), 'scan-cli-'));
    // A wildcard table ARN, so the read-only policy's dynamodb:ListTables is used too.
    const iam = new IAMClient({ region: h.sandbox.region, endpoint: h.sandbox.endpoint, credentials: h.sandbox.adminCredentials });
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'BooksReadAccess', PolicyName: 'wildcard-tables',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: `arn:aws:dynamodb:${h.sandbox.region}:${h.sandbox.accountId}:table/book-*` }] }),
    }));
    iam.destroy();
    const r = await runScan(h.env, '--profile', h.sandbox.profile, '--users', '--out', join(dir, 'admin.json'));
    assert.equal(r.code, 0, r.stderr);
    clean = read(join(dir, 'admin.json'));
  });
  after(() => h.stop());

  test('the read-only profile (exactly the published policy) reads everything: no gap, the same snapshot', async () => {
    const r = await runScan(h.env, '--profile', h.sandbox.readonlyProfile, '--users', '--out', join(dir, 'readonly.json'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const snapshot = read(join(dir, 'readonly.json'));
    assert.equal(snapshot.scanGaps, undefined);
    assert.deepEqual(comparable(snapshot), comparable(clean));
  });

  test('each action of the policy taken away: gaps naming that action, otherwise identical', async () => {
    try {
      for (const action of SCAN_ACTIONS) {
        h.sandbox.setReadonlyActions(SCAN_ACTIONS.filter((a) => a !== action));
        const out = join(dir, `without-${action.replace(':', '-')}.json`);
        // The account read is tried on purpose here; auto would never need it on so small an account.
        const strategy = action === 'iam:GetAccountAuthorizationDetails' ? ['--iam-strategy', 'account'] : [];
        const r = await runScan(h.env, '--profile', h.sandbox.readonlyProfile, '--users', ...strategy, '--out', out);
        assert.equal(r.code, 0, `${action}: ${r.stderr}`);
        const snapshot = read(out);
        const gaps = snapshot.scanGaps ?? [];
        if (action === 'iam:GetAccountAuthorizationDetails') {
          // Denied, the per-role reads take over: the same snapshot, nothing missing, no gap.
          assert.deepEqual(gaps, []);
        } else {
          assert.ok(gaps.length > 0, `${action}: no gap`);
          for (const gap of gaps) {
            assert.equal(gap.permission, action, `${action}: ${JSON.stringify(gap)}`);
            assert.match(gap.error, /^AccessDenied(Exception)?$/);
          }
          assert.match(r.stderr, new RegExp(`could not read ${gaps.length} thing`));
          assert.ok(r.stderr.includes(`(needs ${action})`), r.stderr);
        }
        assert.deepEqual(comparable(snapshot), comparable(minusGaps(clean, gaps)), `${action}: more than the gap is missing`);
      }
    } finally {
      h.sandbox.setReadonlyActions(SCAN_ACTIONS);
    }
  });

  test('--fail-on-gaps exits 1 when anything could not be read', async () => {
    h.sandbox.setFaults({ 'cognito-identity:GetIdentityPoolRoles': 'deny' });
    try {
      const r = await runScan(h.env, '--profile', h.sandbox.profile, '--fail-on-gaps', '--out', join(dir, 'fail.json'));
      assert.equal(r.code, 1, r.stderr);
      assert.ok(read(join(dir, 'fail.json')).scanGaps?.length, 'the partial snapshot is still written');
    } finally {
      h.sandbox.setFaults({});
    }
  });

  test('the first Ctrl-C stops at once with 130 and writes nothing', async () => {
    h.sandbox.setFaults({ 'cognito-idp:ListGroups': 'hang' });
    const out = join(dir, 'interrupted.json');
    try {
      const child = spawn(process.execPath, [cli, 'scan', '--profile', h.sandbox.profile, '--out', out], {
        env: { PATH: process.env.PATH, ...quiet, ...h.env, COGNITO_ACCESS_PROGRESS: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Wait until the scan is under way (some items read), then interrupt it once.
      const deadline = Date.now() + 20_000;
      while (!/\[scan\] \d+\/\d+ /.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const sent = Date.now();
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      assert.equal(code, 130, stderr);
      assert.ok(Date.now() - sent < 1000, `took ${Date.now() - sent} ms to stop`);
      assert.match(stderr, /interrupted/);
      assert.ok(!existsSync(out), 'an interrupted scan wrote a file');
    } finally {
      h.sandbox.setFaults({});
    }
  });

  test('a profile that does not exist is named with the profiles that do; exit 1', async () => {
    const r = await runScan(h.env, '--profile', 'nope', '--out', join(dir, 'x.json'));
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /AWS profile "nope" does not exist .*the profiles there are: .*cognito-sandbox, cognito-sandbox-readonly/);
  });

  test('--out into a missing folder fails before scanning, once, exit 2', async () => {
    h.sandbox.resetCalls();
    const r = await runScan(h.env, '--profile', h.sandbox.profile, '--out', join(dir, 'missing', 'x.json'));
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /--out .*missing.*the folder .* does not exist/);
    assert.doesNotMatch(r.stderr, /ENOENT/);
    assert.deepEqual(h.sandbox.calls(), {}, 'it scanned before checking --out');
  });

  test('a region with nothing in it says so', async () => {
    const out = join(dir, 'empty.json');
    const r = await runScan(h.env, '--profile', h.sandbox.profile, '--region', 'us-west-2', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no Cognito user pools or identity pools in us-west-2/);
    const snapshot = read(out);
    assert.equal(snapshot.userPools.length + snapshot.identityPools.length, 0);
  });
});

describe('an endpoint that accepts connections and never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  before(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  test('ends the scan by itself in under 40 s, exit 1, one line naming it (default time limit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-hang-'));
    const port = (server.address() as { port: number }).port;
    writeFileSync(join(dir, 'config'), `[profile dead]\nregion = eu-central-1\nendpoint_url = http://127.0.0.1:${port}\n`);
    writeFileSync(join(dir, 'credentials'), '[dead]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    const r = await runScan({ AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') }, '--profile', 'dead', '--out', join(dir, 'x.json'));
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.ms < 40_000, `took ${r.ms} ms`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`sts GetCallerIdentity at http://127\\.0\\.0\\.1:${port} failed: TimeoutError`));
    assert.ok(!existsSync(join(dir, 'x.json')));
  });
});
