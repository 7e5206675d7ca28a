// Engine benchmark (issue 2): diagnose a generated snapshot of 10,000 groups, 2,000 roles and 20
// identity pools, and simulate 10,000 users. Reports time per item, peak memory (the process's
// peak RSS, and the V8 heap it committed, which V8 grows to its high-water mark), and how time
// grows from 1,000 to 10,000 groups, as a ratio against linear growth from the 1,000-group run
// measured in this same process (1.0 = perfectly linear). BENCH_SMOKE=1 (the unit tests' smoke
// run): 100 and 200 groups, 100 users.
import { spawnSync } from 'node:child_process';
import { diagnose } from '../src/core/diagnose.ts';
import { SnapshotIndex } from '../src/core/snapshot.ts';
import type { Snapshot } from '../src/core/snapshot.ts';
import { simulate } from '../src/core/simulate.ts';

const SMOKE = Boolean(process.env.BENCH_SMOKE) && process.env.BENCH_SMOKE !== '0';
const SIZES = SMOKE ? [100, 200] : [1_000, 2_000, 5_000, 10_000];
const BASE = SIZES[0]!;
/** Groups of the snapshot the users are simulated on, and how many users. */
const SIMULATED_GROUPS = SMOKE ? 200 : 10_000;
const SIMULATED_USERS = SMOKE ? 100 : 10_000;

const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';
const USER_POOL = `${REGION}_BENCH0001`;
const PROVIDER = `cognito-idp.${REGION}.amazonaws.com/${USER_POOL}`;

/** A deterministic pseudo-random sequence, so every run diagnoses the same snapshot. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

export function generate(groups: number, roles: number, identityPools: number, users = 0): Snapshot {
  const next = random(groups * 31 + roles);
  const poolIds = Array.from({ length: identityPools }, (_, i) => `${REGION}:${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`);
  const clients = poolIds.map((_, i) => `client${String(i).padStart(20, '0')}`);
  const roleArn = (i: number) => `arn:aws:iam::${ACCOUNT}:role/Role${i}`;
  const groupList = Array.from({ length: groups }, (_, i) => ({
    GroupName: `Group${i}`,
    Precedence: next() < 0.05 ? null : Math.floor(next() * groups),
    RoleArn: next() < 0.1 ? null : roleArn(Math.floor(next() * roles)),
    Description: null,
  }));
  return {
    format: 'cognito-access-snapshot/v1',
    region: REGION,
    accountId: ACCOUNT,
    userPools: [
      {
        Id: USER_POOL,
        Name: 'bench',
        Clients: clients.map((ClientId) => ({ ClientId })),
        Groups: groupList,
        ...(users > 0
          ? { Users: Array.from({ length: users }, (_, i) => ({ Username: `user${i}`, Groups: Array.from({ length: 1 + (i % 3) }, () => `Group${Math.floor(next() * groups)}`) })) }
          : {}),
      },
    ],
    identityPools: poolIds.map((id, i) => ({
      IdentityPoolId: id,
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: clients[i]! }],
      Roles: { authenticated: roleArn(0) },
      RoleMappings: { [`${PROVIDER}:${clients[i]}`]: { Type: 'Token', AmbiguousRoleResolution: i % 4 === 0 ? 'Deny' : 'AuthenticatedRole' } },
    })),
    roles: Array.from({ length: roles }, (_, i) => ({
      RoleName: `Role${i}`,
      Arn: roleArn(i),
      AssumeRolePolicyDocument: encodeURIComponent(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: 'cognito-identity.amazonaws.com' },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': i % 50 === 0 ? USER_POOL : poolIds }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
            },
          ],
        }),
      ),
      AttachedPolicies: [
        {
          PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/P${i}`,
          PolicyName: `P${i}`,
          Document: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/t${i % 20}`, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] } } },
            ],
          },
        },
      ],
      InlinePolicies: [],
    })),
    tables: [],
  };
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** A full collection between runs (the child runs with --expose-gc): the peak is one diagnosis's, not three's garbage. */
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => {});

function measureDiagnose(groups: number): number {
  const snapshot = generate(groups, groups / 5, 20);
  diagnose(generate(200, 40, 20)); // warm up the JIT on a small one
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    collect();
    best = Math.min(best, time(() => diagnose(snapshot)).ms);
  }
  return best;
}

if (process.argv[2] === '--child') {
  // One measurement per process, so peak memory belongs to it alone.
  const [what, size] = [process.argv[3], Number(process.argv[4])];
  let ms: number;
  let items: number;
  if (what === 'diagnose') {
    ms = measureDiagnose(size);
    items = size;
  } else {
    const snapshot = generate(SIMULATED_GROUPS, SIMULATED_GROUPS / 5, 20, size);
    const index = new SnapshotIndex(snapshot);
    const users = snapshot.userPools[0]!.Users!;
    ms = time(() => {
      for (const [i, user] of users.entries()) {
        simulate(snapshot, { user: user.Username, clientId: `client${String(i % 20).padStart(20, '0')}` }, index);
      }
    }).ms;
    items = size;
  }
  process.stdout.write(JSON.stringify({ ms, items, peakRssMb: process.resourceUsage().maxRSS / 1024, heapMb: process.memoryUsage().heapTotal / 1024 / 1024 }));
} else {
  const run = (what: string, size: number) => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', process.argv[1]!, '--child', what, String(size)], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout) as { ms: number; items: number; peakRssMb: number; heapMb: number };
  };
  const rows: string[][] = [['measurement', 'total ms', 'per item', 'peak RSS MB', 'V8 heap MB', 'growth vs linear (1.0 = linear)']];
  const base = run('diagnose', BASE);
  for (const size of SIZES) {
    const r = size === BASE ? base : run('diagnose', size);
    const ratio = r.ms / (base.ms * (size / BASE));
    rows.push([`diagnose ${size} groups, ${size / 5} roles, 20 identity pools`, r.ms.toFixed(1), `${((r.ms / r.items) * 1000).toFixed(1)} µs/group`, r.peakRssMb.toFixed(0), r.heapMb.toFixed(0), ratio.toFixed(2)]);
  }
  const sim = run('simulate', SIMULATED_USERS);
  rows.push([`simulate ${SIMULATED_USERS.toLocaleString('en-US')} users (${SIMULATED_GROUPS.toLocaleString('en-US')} groups)`, sim.ms.toFixed(1), `${((sim.ms / sim.items) * 1000).toFixed(1)} µs/user`, sim.peakRssMb.toFixed(0), sim.heapMb.toFixed(0), '']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
}
