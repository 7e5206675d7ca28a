// Scan benchmark. Two parts, each against the sandbox in its own process
// (`test/sandbox/main.ts --json --extra-groups N --extra-roles N --latency-ms N`), so its per-call
// CPU (SigV4 checks, cognito-local proxying, XML) does not compete with the scanner for this
// process's thread. The gateway pages ListGroups at 60 per page, as Cognito does.
//
// 1. Critical path (issue 5): 1,000 groups over 200 roles, 20 ms per call, roles read one by one.
//    Wall time against
//    lowerBoundMs = pages * latency + (other calls * latency) / concurrency (the ListGroups pages
//    are sequential; everything else can overlap) and a naive scan (concurrency 1).
//    Goal: ratioToLowerBound <= 1.3.
// 2. IAM strategies (issue 11 item 10): 1,000 groups over 2,000 roles, 20 ms per call; the scan
//    names 1,000 of them. Round trips and wall time of per-role reads (GetRole, the two lists,
//    GetRolePolicy), of GetAccountAuthorizationDetails, and of `auto` (what the scanner chooses).
//    Goals: auto makes at least 5x fewer round trips than per-role there, and on the small seed
//    (the scenario alone, 9 roles) auto is never slower than per-role (same calls).
// No assertion: the numbers depend on the machine; ratios are measured in the same run.
// Run: npm run bench:scan (BENCH_LATENCY_MS, BENCH_CONCURRENCY, BENCH_RUNS override)
// BENCH_SMOKE=1 (the unit tests' smoke run): tiny seeds, 1 ms latency, 1 run.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { createAwsContext } from '../src/aws/context.ts';
import { scanAccount, type ScanClients } from '../src/aws/scanner.ts';
import type { IamStrategy } from '../src/aws/scanIam.ts';

const SMOKE = Boolean(process.env.BENCH_SMOKE) && process.env.BENCH_SMOKE !== '0';
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? (SMOKE ? 1 : 20));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? (SMOKE ? 1 : 3));
const CRITICAL_SEED = SMOKE ? ['--extra-groups', '5', '--extra-roles', '2'] : ['--extra-groups', '1000', '--extra-roles', '200'];
const LARGE_SEED = SMOKE ? ['--extra-groups', '50', '--extra-roles', '100'] : ['--extra-groups', '1000', '--extra-roles', '2000'];

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
function startSandboxProcess(seed: string[]): Promise<{ info: SandboxInfo; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/sandbox/main.ts', '--port', '0', '--json', ...seed, '--latency-ms', String(LATENCY_MS)], {
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

/** A scanner over one sandbox process, counting calls per operation. */
async function withSandbox<T>(seed: string[], body: (run: (concurrency: number, iamStrategy?: IamStrategy) => Promise<Run>, info: SandboxInfo) => Promise<T>): Promise<T> {
  const { info, child } = await startSandboxProcess(seed);
  try {
    const endpoint = info.endpoint;
    const context = await createAwsContext({
      endpoints: { cognitoIdp: endpoint, cognitoIdentity: endpoint, iam: endpoint, dynamodb: endpoint, sts: endpoint },
      region: info.region, credentials: info.adminCredentials,
    });
    try {
      return await body(async (concurrency, iamStrategy = 'auto') => {
        const counts = new Map<string, number>();
        const clients: ScanClients = {
          cognitoIdp: counted(context.clients.cognitoIdp, counts), cognitoIdentity: counted(context.clients.cognitoIdentity, counts),
          iam: counted(context.clients.iam, counts), dynamodb: counted(context.clients.dynamodb, counts),
        };
        const start = performance.now();
        const result = await scanAccount(clients, { region: info.region, accountId: info.accountId, userPoolIds: [info.userPoolId], identityPoolIds: [], concurrency, iamStrategy });
        if (result.gaps.length > 0) throw new Error(`the bench scan has gaps: ${JSON.stringify(result.gaps.slice(0, 3))}`);
        const total = [...counts.values()].reduce((a, b) => a + b, 0);
        return {
          ms: performance.now() - start, counts, total, iam: result.stats.iam,
          groups: result.snapshot.userPools[0]?.Groups.length ?? 0, roles: result.snapshot.roles.length, snapshot: JSON.stringify(result.snapshot.roles),
        };
      }, info);
    } finally {
      context.destroy();
    }
  } finally {
    await stopSandboxProcess(child);
  }
}

interface Run {
  ms: number;
  counts: Map<string, number>;
  total: number;
  iam: string;
  groups: number;
  roles: number;
  /** The roles read, to check that every strategy reads the same. */
  snapshot: string;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratio = (a: number, b: number): number => Number((a / b).toFixed(2));

async function criticalPath(): Promise<unknown> {
  return withSandbox(CRITICAL_SEED, async (run, info) => {
    // Per role: the bound counts calls at their latency, and an account read's cost is the
    // sandbox's CPU, not latency (part 2 compares the strategies).
    await run(CONCURRENCY, 'per-role'); // warm-up: connections, JIT, the sandbox's caches
    const fast: Run[] = [];
    for (let i = 0; i < RUNS; i++) fast.push(await run(CONCURRENCY, 'per-role'));
    const naive = await run(1, 'per-role');
    const ms = median(fast.map((r) => r.ms));
    const { counts, total } = fast[0]!;
    const pages = counts.get('ListGroups') ?? 0;
    const lowerBound = pages * LATENCY_MS + ((total - pages) * LATENCY_MS) / CONCURRENCY;
    const overlapBound = Math.max(pages * LATENCY_MS, (total * LATENCY_MS) / CONCURRENCY);
    return {
      groups: fast[0]!.groups, roles: fast[0]!.roles, latencyMs: LATENCY_MS, concurrency: CONCURRENCY, cpus: cpus().length,
      sandbox: `separate process (pid ${info.pid}, ready in ${info.readyMs} ms)`,
      calls: Object.fromEntries(counts), totalCalls: total, listGroupsPages: pages,
      wallMs: Math.round(ms), runsMs: fast.map((r) => Math.round(r.ms)),
      lowerBoundMs: Math.round(lowerBound), overlapBoundMs: Math.round(overlapBound), naiveMs: Math.round(naive.ms),
      ratioToLowerBound: ratio(ms, lowerBound), ratioToOverlapBound: ratio(ms, overlapBound), ratioToNaive: Number((ms / naive.ms).toFixed(3)),
      goal: 'ratioToLowerBound <= 1.3',
    };
  });
}

/** Each strategy once after a warm-up; the median of RUNS for each. */
async function strategies(seed: string[], which: IamStrategy[]): Promise<Record<string, Run>> {
  return withSandbox(seed, async (run) => {
    await run(CONCURRENCY, 'auto');
    const out: Record<string, Run> = {};
    for (const strategy of which) {
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await run(CONCURRENCY, strategy));
      const middle = runs.sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
      out[strategy] = middle;
    }
    const first = Object.values(out)[0]!.snapshot;
    for (const [strategy, r] of Object.entries(out)) if (r.snapshot !== first) throw new Error(`strategy ${strategy} read different roles`);
    return out;
  });
}

const summary = (r: Run) => ({ roundTrips: r.total, iamCalls: ['GetRole', 'ListAttachedRolePolicies', 'ListRolePolicies', 'GetRolePolicy', 'GetPolicy', 'GetPolicyVersion', 'GetAccountAuthorizationDetails'].reduce((n, op) => n + (r.counts.get(op) ?? 0), 0), wallMs: Math.round(r.ms), readVia: r.iam });

async function main(): Promise<void> {
  const critical = await criticalPath();
  process.stdout.write(`${JSON.stringify({ part: 'critical path', ...critical as object }, null, 2)}\n`);

  const large = await strategies(LARGE_SEED, ['per-role', 'account', 'auto']);
  const small = await strategies([], ['per-role', 'auto']);
  process.stdout.write(`${JSON.stringify({
    part: 'IAM strategies',
    large: {
      seed: LARGE_SEED.join(' '), groups: large.auto!.groups, rolesNamed: large.auto!.roles, latencyMs: LATENCY_MS, concurrency: CONCURRENCY,
      perRole: summary(large['per-role']!), accountDetails: summary(large.account!), auto: summary(large.auto!),
      autoChose: large.auto!.iam,
      roundTripRatioPerRoleToAuto: ratio(large['per-role']!.total, large.auto!.total),
      timeRatioAutoToPerRole: ratio(large.auto!.ms, large['per-role']!.ms),
      goal: 'roundTripRatioPerRoleToAuto >= 5',
    },
    small: {
      seed: 'the scenario alone', rolesNamed: small.auto!.roles,
      perRole: summary(small['per-role']!), auto: summary(small.auto!), autoChose: small.auto!.iam,
      timeRatioAutoToPerRole: ratio(small.auto!.ms, small['per-role']!.ms),
      goal: 'auto makes the same calls as per-role (timeRatioAutoToPerRole about 1, never clearly above)',
    },
  }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`scan.bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
