// Scan benchmark: a sandbox user pool with 1,000 groups over 200 roles, 20 ms of injected latency
// per call. Reports wall time against
//   - the lower bound the API allows: the ListGroups pages are sequential (each needs the previous
//     NextToken), every other call can overlap: pages * latency + (other calls * latency) / concurrency;
//   - a naive scan, one call at a time (the same scanner with concurrency 1).
// Goal: within 1.3x of the lower bound.
// The sandbox has no IAM write API and no size option, so the groups are created through
// CreateGroup and name 200 role ARNs of which the 8 seeded roles exist; the other 192 answer
// NoSuchEntity (each still costs GetRole, ListAttachedRolePolicies and ListRolePolicies).
// Note: the sandbox runs in this process, so its per-call CPU (SigV4 check, XML, cognito-local
// proxying) and the SDK's share one thread: with BENCH_LATENCY_MS=0 the same scan takes ~2.3 s
// (~3.7 ms CPU per call), which bounds the 20 ms run from below more than the latency does.
// Run: npm run bench:scan (BENCH_LATENCY_MS overrides the latency)
import { CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startSandbox } from '../test/sandbox/index.ts';
import { ROLES } from '../test/sandbox/seed.ts';
import { createAwsContext } from '../src/aws/context.ts';
import { mapLimit } from '../src/aws/limiter.ts';
import { scanAccount, type ScanClients } from '../src/aws/scanner.ts';

const GROUPS = 1000;
const ROLE_COUNT = 200;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = 8;

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

async function main(): Promise<void> {
  const sandbox = await startSandbox({ latencyMs: LATENCY_MS });
  try {
    const context = await createAwsContext({ endpoints: { cognitoIdp: sandbox.endpoint, cognitoIdentity: sandbox.endpoint, iam: sandbox.endpoint, dynamodb: sandbox.endpoint, sts: sandbox.endpoint }, region: sandbox.region, credentials: sandbox.adminCredentials });
    const seededArns = (ROLES as { RoleName: string }[]).map((r) => `arn:aws:iam::${sandbox.accountId}:role/${r.RoleName}`);
    const roleArns = Array.from({ length: ROLE_COUNT }, (_, i) => seededArns[i] ?? `arn:aws:iam::${sandbox.accountId}:role/BenchRole${String(i).padStart(3, '0')}`);
    await mapLimit(Array.from({ length: GROUPS }, (_, i) => i), 32, (i) =>
      context.clients.cognitoIdp.send(new CreateGroupCommand({ UserPoolId: sandbox.userPoolId, GroupName: `bench-${String(i).padStart(4, '0')}`, Precedence: 10 + (i % 50), RoleArn: roleArns[i % ROLE_COUNT] })),
    );

    const run = async (concurrency: number) => {
      const counts = new Map<string, number>();
      const clients: ScanClients = {
        cognitoIdp: counted(context.clients.cognitoIdp, counts), cognitoIdentity: counted(context.clients.cognitoIdentity, counts),
        iam: counted(context.clients.iam, counts), dynamodb: counted(context.clients.dynamodb, counts),
      };
      const start = performance.now();
      const { snapshot } = await scanAccount(clients, { region: sandbox.region, accountId: sandbox.accountId, userPoolIds: [sandbox.userPoolId], identityPoolIds: [], concurrency });
      return { ms: performance.now() - start, counts, groups: snapshot.userPools[0]?.Groups.length ?? 0, roles: snapshot.roles.length };
    };

    const fast = await run(CONCURRENCY);
    const naive = await run(1);
    const total = [...fast.counts.values()].reduce((a, b) => a + b, 0);
    const pages = fast.counts.get('ListGroups') ?? 0;
    const lowerBound = pages * LATENCY_MS + ((total - pages) * LATENCY_MS) / CONCURRENCY;
    const report = {
      groups: fast.groups, roles: fast.roles, latencyMs: LATENCY_MS, concurrency: CONCURRENCY, calls: Object.fromEntries(fast.counts), totalCalls: total,
      wallMs: Math.round(fast.ms), lowerBoundMs: Math.round(lowerBound), naiveMs: Math.round(naive.ms),
      ratioToLowerBound: Number((fast.ms / lowerBound).toFixed(2)), ratioToNaive: Number((fast.ms / naive.ms).toFixed(3)),
      goal: 'ratioToLowerBound <= 1.3',
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    context.destroy();
  } finally {
    await sandbox.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`scan.bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
