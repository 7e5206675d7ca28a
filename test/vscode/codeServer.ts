// Starts and stops a real VS Code (code-server, installed by scripts/install-code-server.sh) on
// loopback, and opens it in Debian's headless Chromium. Shared by the extension-host runner
// (test/vscode/runInCodeServer.mjs), the Chromium tests (test/e2e/) and the demo (scripts/).
// Every process started here is stopped by stop(), on Ctrl-C, and (by SIGKILL) on exit.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION ?? '4.100.3';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags that keep Chromium quiet and offline (shared/guides/real-vscode-here.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export function codeServerDir(): string {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return process.env.CODE_SERVER_DIR ?? join(cache, 'cognito-access', `code-server-${CODE_SERVER_VERSION}`);
}

/** Runs the idempotent installer: a no-op of a few milliseconds when the install is whole. */
export function ensureCodeServer(): string {
  const result = spawnSync('bash', [join(REPO_ROOT, 'scripts/install-code-server.sh')], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scripts/install-code-server.sh failed (${result.status ?? result.signal}):\n${result.stderr}`);
  return codeServerDir();
}

export interface ExtensionManifest {
  publisher: string;
  name: string;
  version: string;
  main: string;
  contributes: {
    commands?: { command: string; title: string; category?: string }[];
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    viewsWelcome?: { view: string; contents: string }[];
  };
}

export function readManifest(root = REPO_ROOT): ExtensionManifest {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as ExtensionManifest;
}

export const extensionId = (m: ExtensionManifest = readManifest()): string => `${m.publisher}.${m.name}`;

/** `npm run build` without npm: the esbuild script of the repo. */
export function buildExtension(production = false): void {
  const result = spawnSync(process.execPath, ['esbuild.mjs', ...(production ? ['--production'] : [])], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('extension build failed');
}

/**
 * Installs the built extension the way VS Code unpacks a .vsix: `<publisher>.<name>-<version>/`
 * with package.json, README, LICENSE, dist/ (bundles only) and media/.
 */
export function installUnpacked(extensionsDir: string, root = REPO_ROOT): string {
  const m = readManifest(root);
  const target = join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const file of ['package.json', 'README.md', 'LICENSE']) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(target, file));
  }
  // The bundles, not their source maps nor the command line.
  cpSync(join(root, 'dist'), join(target, 'dist'), {
    recursive: true,
    filter: (source) => !source.endsWith('.map') && source !== join(root, 'dist', 'cli.js'),
  });
  cpSync(join(root, 'media'), join(target, 'media'), { recursive: true });
  return target;
}

export interface CodeServerOptions {
  /** Folder opened by the workbench; default: an empty temp folder. */
  workspace?: string;
  /** Written to User/settings.json of the user-data-dir before start. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and its extension host. */
  env?: Record<string, string>;
  /** Extensions folder; default: an empty temp folder. */
  extensionsDir?: string;
  /** Install the built extension (dist/ must be built) unpacked into the extensions folder. */
  installExtension?: boolean;
  /** Fixed port; default: a free one chosen by the server (port 0). */
  port?: number;
  /** Prints the server's output as it comes. */
  verbose?: boolean;
}

export interface CodeServer {
  url: string;
  port: number;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** Temp folder holding everything above that was not given; removed by stop(). */
  tempDir: string;
  /** The server's output so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output, or rejects after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** `vscode-remote://` URI of a path on this machine, as the workbench's remote sees it. */
  remoteUri(path: string): string;
  /** The workbench URL opening `workspace`, with an optional extension-test payload. */
  workbenchUrl(payload?: [string, string][]): string;
  stop(): Promise<void>;
}

const running = new Map<CodeServer, ChildProcess>();

/** Pids of `pid` and all its descendants, from /proc (children first in the list's tail). */
function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) comes after the parenthesised command name, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree: number[] = [];
  const visit = (p: number): void => {
    tree.push(p);
    for (const child of parents.get(p) ?? []) visit(child);
  };
  visit(pid);
  return tree;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** SIGTERM to the process, its group and its descendants; SIGKILL to whatever is left after `graceMs`. */
export async function killTree(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.pid === undefined) return;
  const pids = processTree(child.pid);
  signalAll(pids, 'SIGTERM');
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // No such group.
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
  signalAll(pids.filter(alive), 'SIGKILL');
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // No such group.
  }
}

/** Environment for the server: ours, minus what a surrounding VS Code would leak into it. */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  }
  return { ...env, ...extra };
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const dir = ensureCodeServer();
  const tempDir = mkdtempSync(join(tmpdir(), 'cognito-access-code-server-'));
  const workspace = options.workspace ?? join(tempDir, 'workspace');
  const userDataDir = join(tempDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(tempDir, 'extensions');
  for (const d of [workspace, join(userDataDir, 'User'), extensionsDir]) mkdirSync(d, { recursive: true });
  if (options.installExtension) installUnpacked(extensionsDir);
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    ...options.settings,
  }, null, 2));
  const configFile = join(tempDir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const child = spawn(process.execPath, [
    join(dir, 'node_modules/code-server/out/node/entry.js'),
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--extensions-dir', extensionsDir,
    '--user-data-dir', userDataDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    workspace,
  ], { env: serverEnv(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'], detached: true });

  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    if (options.verbose) process.stderr.write(chunk);
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = false;
  child.on('exit', () => {
    exited = true;
    for (const w of waiters) w();
  });

  const waitForOutput = (pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> =>
    new Promise((resolvePromise, reject) => {
      const check = (): void => {
        const match = text.match(pattern);
        if (match) done(() => resolvePromise(match));
        else if (exited) done(() => reject(new Error(`code-server exited before printing ${pattern}:\n${text}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} in code-server's output`))), timeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  let stopped: Promise<void> | undefined;
  const server: CodeServer = {
    url: '',
    port: 0,
    workspace,
    userDataDir,
    extensionsDir,
    tempDir,
    output: () => text,
    waitForOutput,
    remoteUri: (path) => `vscode-remote://127.0.0.1:${server.port}${resolve(path)}`,
    workbenchUrl: (payload) => {
      const params = new URLSearchParams({ folder: workspace });
      if (payload) params.set('payload', JSON.stringify(payload));
      return `${server.url}?${params.toString()}`;
    },
    stop: () => {
      stopped ??= (async () => {
        running.delete(server);
        await killTree(child);
        rmSync(tempDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  running.set(server, child);
  try {
    const [, port] = await waitForOutput(/HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/, 30_000);
    server.port = Number(port);
    server.url = `http://127.0.0.1:${server.port}/`;
    await waitForHealthy(server.url, 30_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitForHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('healthz', url));
      if (response.ok) return;
      last = response.status;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server not healthy at ${url}: ${String(last)}`);
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: run scripts/install-code-server.sh (installs it with apt) or set CHROMIUM_PATH`);
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

// Last resort for a crash or an exit without stop(): no server may outlive its runner. Sync only.
process.on('exit', () => {
  for (const [server, child] of running) {
    if (child.pid !== undefined) signalAll(processTree(child.pid), 'SIGKILL');
    rmSync(server.tempDir, { recursive: true, force: true });
  }
});

/** Stops every server still running (for signal handlers), then exits with `code`. */
export async function stopAllAndExit(code: number): Promise<never> {
  await Promise.allSettled([...running.keys()].map((s) => s.stop()));
  process.exit(code);
}

/** Ctrl-C / SIGTERM stop every server before exiting. Call once from an entry script. */
export function stopAllOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping code-server`);
      void stopAllAndExit(130);
    });
  }
}
