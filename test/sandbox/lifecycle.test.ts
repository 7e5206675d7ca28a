// Lifecycle: stop() and SIGTERM leave no child process, a busy port is one clear line, and
// `npm run sandbox` (main.ts) is ready well under 5 s.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PortInUseError, startSandbox } from './index.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** cognito-local children of this test process still alive (POSIX ps; tsx's esbuild service is not ours). */
const children = (): string[] => spawnSync('ps', ['-A', '-o', 'ppid=,pid=,args='], { encoding: 'utf8' }).stdout
  .split('\n').map((l) => l.trim()).filter((l) => l.split(/\s+/)[0] === String(process.pid) && l.includes('cognito-local'));

const waitGone = async (pid: number): Promise<boolean> => {
  for (let i = 0; i < 250 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
};

const occupy = (): Promise<{ server: Server; port: number }> => new Promise((resolve) => {
  const server = createServer();
  server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
});

describe('startSandbox lifecycle', () => {
  it('stop() ends cognito-local and frees the gateway port', async () => {
    const sandbox = await startSandbox();
    assert.ok(alive(sandbox.cognitoLocalPid));
    assert.match(sandbox.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    await sandbox.stop();
    assert.ok(await waitGone(sandbox.cognitoLocalPid), 'cognito-local still runs after stop()');
    await assert.rejects(fetch(sandbox.endpoint));
    assert.deepEqual(children(), []);
  });

  it('a busy port is a PortInUseError with one line, and nothing keeps running', async () => {
    const { server, port } = await occupy();
    try {
      const e = await startSandbox({ port }).then(() => undefined, (err: unknown) => err);
      assert.ok(e instanceof PortInUseError);
      assert.equal(e.message, `Port ${port} on 127.0.0.1 is already in use; choose another with --port or SANDBOX_PORT.`);
      assert.deepEqual(children(), []);
    } finally {
      server.close();
    }
  });
});

describe('npm run sandbox (main.ts)', () => {
  const main = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'main.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

  it('is ready in under 5 s, prints the env lines, and SIGTERM stops its children', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-main-'));
    const started = Date.now();
    const child = main(['--port', '0', '--data-dir', dir]);
    let out = '';
    const ready = await new Promise<boolean>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('Test users')) resolve(true);
      });
      child.once('exit', () => resolve(false));
    });
    // A failed assertion must not leave main.ts running: its pipes would keep this test file alive.
    t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
    assert.ok(ready, out);
    assert.ok(Date.now() - started < 5000, `ready after ${Date.now() - started} ms`);
    assert.match(out, /export AWS_CONFIG_FILE=.*aws-config/);
    assert.match(out, /export AWS_PROFILE=cognito-sandbox/);
    const pid = Number(/cognito-local\s+pid (\d+)/.exec(out)?.[1]);
    assert.ok(alive(pid));
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
    assert.ok(await waitGone(pid), 'cognito-local outlived main.ts');
    rmSync(dir, { recursive: true, force: true });
  });

  it('even SIGKILL of main.ts leaves no cognito-local behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-main-'));
    const child = main(['--port', '0', '--data-dir', dir]);
    let out = '';
    await new Promise<void>((resolve) => child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Test users')) resolve();
    }));
    const pid = Number(/cognito-local\s+pid (\d+)/.exec(out)?.[1]);
    child.kill('SIGKILL');
    assert.ok(await waitGone(pid), 'cognito-local outlived a killed main.ts');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a busy port: one line on stderr, no stack, exit 1', async () => {
    const { server, port } = await occupy();
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-main-'));
    try {
      const child = main(['--port', String(port), '--data-dir', dir]);
      let err = '';
      child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      const lines = err.split('\n').filter((l) => l.startsWith('sandbox:'));
      assert.equal(code, 1);
      assert.deepEqual(lines, [`sandbox: Port ${port} on 127.0.0.1 is already in use; choose another with --port or SANDBOX_PORT.`]);
      assert.doesNotMatch(err, /\n\s+at /);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
