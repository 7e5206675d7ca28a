// Scan benchmark (issue 5 item 7): a sandbox user pool with 1,000 extra groups over 200 extra
// roles (the sandbox's bench seed, test/sandbox/seedExtra.ts), 20 ms of injected latency per call.
// The sandbox runs in its own process (`test/sandbox/main.ts --json --bench --latency-ms N`), so
// its per-call CPU (SigV4 checks, cognito-local proxying, XML) does not compete with the scanner
// for this process's thread. The sandbox's gateway pages ListGroups at 60 per page, as Cognito
// does (cognito-local alone ignores Limit), so the scan makes the same sequential calls as at AWS.
//
// Reports wall time against
//   - lowerBoundMs, the bound the API allows, computed from the calls the scan really made:
//       pages * latency + (other calls * latency) / concurrency
//     (the ListGroups pages are sequential, each needs the previous NextToken; every other call
//     can overlap, at most `concurrency` at a time). It ignores that role reads may overlap the
//     later pages, so a scan can in principle beat it slightly; `overlapBoundMs`,
//     max(pages * latency, all calls * latency / concurrency), is the bound with full overlap.
//   - a naive scan, one call at a time (the same scanner with concurrency 1).
// Goal: ratioToLowerBound <= 1.3. No assertion: the numbers depend on the machine.
// Run: npm run bench:scan (BENCH_LATENCY_MS, BENCH_CONCURRENCY, BENCH_RUNS override)
// BENCH_SMOKE=1 (the unit tests' smoke run): 5 extra groups over 2 roles, 1 ms latency, 1 run.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { createAwsContext } from '../src/aws/context.ts';
import { scanAccount, type ScanClients } from '../src/aws/scanner.ts';

const SMOKE = Boolean(process.env.BENCH_SMOKE) && process.env.BENCH_SMOKE !== '0';
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? (SMOKE ? 1 : 20));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? (SMOKE ? 1 : 3));
const SEED = SMOKE ? ['--extra-groups', '5', '--extra-roles', '2'] : ['--bench'];

interface SandboxInfo {
  endpoint: string;
  region: string;
  accountId: string;
  userPoolId: string;
  adminCredentials: { accessKeyId: string; secretAccessKey: string };
  pid: number;
  readyMs: number;
}

/** Starts the sandbox in a child process and reads its JSON line. */
function startSandboxProcess(): Promise<{ info: SandboxInfo; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/sandbox/main.ts', '--port', '0', '--json', ...SEED, '--latency-ms', String(LATENCY_MS)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
  });
  child.channel?.unref();
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ info: JSON.parse(line) as SandboxInfo, child });
    });
    child.once('exit', (code) => reject(new Error(`sandbox process exited (${code}) before it was ready`)));
  });
}

async function stopSandboxProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Counts calls per operation without changing the client (still instanceof its class). */
function counted<C extends object>(client: C, counts: Map<string, number>): C {
  const original = client as unknown as { send(command: { constructor: { name: string } }, options?: unknown): Promise<unknown> };
  const wrapped = Object.create(client) as typeof original;
  wrapped.send = (command, options) => {
    const name = command.constructor.name.replace(/Command$/, '');
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return original.send(command, options);
  };
  return wrapped as unknown as C;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { info, child } = await startSandboxProcess();
  try {
    const endpoint = info.endpoint;
    const context = await createAwsContext({
      endpoints: { cognitoIdp: endpoint, cognitoIdentity: endpoint, iam: endpoint, dynamodb: endpoint, sts: endpoint },
      region: info.region, credentials: info.adminCredentials,
    });
    const run = async (concurrency: number) => {
      const counts = new Map<string, number>();
      const clients: ScanClients = {
        cognitoIdp: counted(context.clients.cognitoIdp, counts), cognitoIdentity: counted(context.clients.cognitoIdentity, counts),
        iam: counted(context.clients.iam, counts), dynamodb: counted(context.clients.dynamodb, counts),
      };
      const start = performance.now();
      const { snapshot } = await scanAccount(clients, { region: info.region, accountId: info.accountId, userPoolIds: [info.userPoolId], identityPoolIds: [], concurrency });
      return { ms: performance.now() - start, counts, groups: snapshot.userPools[0]?.Groups.length ?? 0, roles: snapshot.roles.length };
    };

    await run(CONCURRENCY); // warm-up: connections, JIT, the sandbox's caches
    const fast = [];
    for (let i = 0; i < RUNS; i++) fast.push(await run(CONCURRENCY));
    const naive = await run(1);
    const ms = median(fast.map((r) => r.ms));
    const { counts } = fast[0]!;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const pages = counts.get('ListGroups') ?? 0;
    const lowerBound = pages * LATENCY_MS + ((total - pages) * LATENCY_MS) / CONCURRENCY;
    const overlapBound = Math.max(pages * LATENCY_MS, (total * LATENCY_MS) / CONCURRENCY);
    const report = {
      groups: fast[0]!.groups, roles: fast[0]!.roles, latencyMs: LATENCY_MS, concurrency: CONCURRENCY, cpus: cpus().length,
      sandbox: `separate process (pid ${info.pid}, ready in ${info.readyMs} ms)`,
      calls: Object.fromEntries(counts), totalCalls: total, listGroupsPages: pages,
      wallMs: Math.round(ms), runsMs: fast.map((r) => Math.round(r.ms)),
      lowerBoundMs: Math.round(lowerBound), overlapBoundMs: Math.round(overlapBound), naiveMs: Math.round(naive.ms),
      ratioToLowerBound: Number((ms / lowerBound).toFixed(2)), ratioToOverlapBound: Number((ms / overlapBound).toFixed(2)),
      ratioToNaive: Number((ms / naive.ms).toFixed(3)),
      goal: 'ratioToLowerBound <= 1.3',
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    context.destroy();
  } finally {
    await stopSandboxProcess(child);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`scan.bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
