// The live commands (shared/spec/cli.md, live part): scan, test-user, probe. They talk to AWS (or
// the sandbox) through createAwsContext: --profile/--region, else the environment and shared
// config as the AWS CLI would use them.
// Exit status (src/cli/exit.ts): 0 done (a partial scan too); 1 the AWS side failed (one line
// naming service, operation, endpoint and error code); 2 bad usage; 3 internal error; 130 Ctrl-C.
// The password and client secret come from the environment or a hidden prompt, never argv.
import { constants } from 'node:fs';
import { access, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAwsContext, SERVICE_NAMES, type AwsContext } from '../aws/context.ts';
import { errorMessage } from '../aws/errors.ts';
import { describeTables, runProbes } from '../aws/probe.ts';
import { scanAccount } from '../aws/scanner.ts';
import type { IamStrategy } from '../aws/scanIam.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { reportFailure } from './exit.ts';
import { HELP } from './help.ts';
import { formatProbeText, formatScanSummary, formatTestUserText, testUserJson } from './live/format.ts';
import { terminalPrompt } from './live/prompt.ts';
import type { Prompt } from '../pipeline/prompt.ts';
import { LiveUsageError, probeContextOf, runSession, type SessionOptions } from '../pipeline/session.ts';

export interface LiveIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  prompt?: (question: string, hidden: boolean) => Promise<string>;
}

type Values = Record<string, string | boolean | string[] | undefined>;

const COMMON = {
  profile: { type: 'string' },
  region: { type: 'string' },
  format: { type: 'string' },
  timeout: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USER = {
  ...COMMON,
  'user-pool': { type: 'string' },
  client: { type: 'string' },
  username: { type: 'string' },
  'identity-pool': { type: 'string' },
  'custom-role-arn': { type: 'string' },
  'auth-flow': { type: 'string' },
  'id-token-file': { type: 'string' },
  provider: { type: 'string' },
  'basic-flow': { type: 'boolean' },
  role: { type: 'string' },
} as const;

/** The options of each live command (src/cli/help.ts documents every one; a unit test checks). */
export const SPECS = {
  scan: {
    ...COMMON, 'user-pool': { type: 'string', multiple: true }, 'identity-pool': { type: 'string', multiple: true }, users: { type: 'boolean' },
    out: { type: 'string' }, concurrency: { type: 'string' }, 'iam-strategy': { type: 'string' }, 'fail-on-gaps': { type: 'boolean' },
  },
  'test-user': USER,
  probe: { ...USER, table: { type: 'string', multiple: true } },
} as const;

function parse(command: keyof typeof SPECS, argv: string[]): Values {
  try {
    return parseArgs({ args: argv, options: SPECS[command], strict: true, allowPositionals: false }).values as Values;
  } catch (error) {
    throw new LiveUsageError(`${command}: ${errorMessage(error).replace(/\. To specify a positional argument.*$/, '')}`);
  }
}

function required(values: Values, name: string, command: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new LiveUsageError(`${command}: --${name} is required`);
  return value;
}

function format(values: Values): 'text' | 'json' {
  const f = values.format ?? 'text';
  if (f !== 'text' && f !== 'json') throw new LiveUsageError(`--format must be text or json, not ${JSON.stringify(f)}`);
  return f;
}

function sessionOptions(values: Values, command: string): SessionOptions {
  if (values.password !== undefined) throw new LiveUsageError('the password is never an argument: set COGNITO_ACCESS_PASSWORD or answer the prompt');
  const flow = (values['auth-flow'] as string | undefined) ?? 'auto';
  if (flow !== 'auto' && flow !== 'srp' && flow !== 'password') throw new LiveUsageError(`--auth-flow must be auto, srp or password, not ${JSON.stringify(flow)}`);
  if (values['basic-flow'] === true && typeof values.role !== 'string') throw new LiveUsageError(`${command}: --basic-flow needs --role ARN (the role the client asks STS for)`);
  if (values['basic-flow'] !== true && typeof values.role === 'string') throw new LiveUsageError(`${command}: --role goes with --basic-flow (in the enhanced flow the identity pool chooses the role; ask with --custom-role-arn)`);
  // Through another provider of the identity pool (an OIDC provider): its token, no user pool sign-in.
  const provider = typeof values.provider === 'string' && values.provider !== '' ? values.provider : undefined;
  if (provider && typeof values['identity-pool'] !== 'string') throw new LiveUsageError(`${command}: --provider needs --identity-pool`);
  const options: SessionOptions = provider
    ? { provider, authFlow: flow }
    : { userPoolId: required(values, 'user-pool', command), clientId: required(values, 'client', command), username: required(values, 'username', command), authFlow: flow };
  if (typeof values.role === 'string') options.basicFlowRole = values.role;
  if (typeof values['identity-pool'] === 'string') options.identityPoolId = values['identity-pool'];
  if (typeof values['custom-role-arn'] === 'string') options.customRoleArn = values['custom-role-arn'];
  if (typeof values['id-token-file'] === 'string') options.idTokenFile = values['id-token-file'];
  return options;
}

/** --timeout SECONDS: the time limit of each AWS call, retries included. */
function timeoutSeconds(values: Values): number {
  if (values.timeout === undefined) return 30;
  const seconds = Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new LiveUsageError(`--timeout must be a number of seconds > 0, not ${JSON.stringify(values.timeout)}`);
  return seconds;
}

async function context(values: Values, io: LiveIo): Promise<AwsContext> {
  return createAwsContext({
    ...(typeof values.profile === 'string' ? { profile: values.profile } : {}),
    ...(typeof values.region === 'string' ? { region: values.region } : {}),
    env: io.env,
    timeoutSeconds: timeoutSeconds(values),
  });
}

/** --out is checked before the scan starts: a missing folder is said at once, not after minutes. */
async function checkOut(out: string): Promise<string> {
  const path = resolve(out);
  const folder = dirname(path);
  const info = await stat(folder).catch(() => undefined);
  if (!info) throw new LiveUsageError(`scan: --out ${out}: the folder ${folder} does not exist`);
  if (!info.isDirectory()) throw new LiveUsageError(`scan: --out ${out}: ${folder} is not a folder`);
  if ((await stat(path).catch(() => undefined))?.isDirectory()) throw new LiveUsageError(`scan: --out ${out} is a folder; name a file`);
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new LiveUsageError(`scan: --out ${out}: the folder ${folder} is not writable`);
  }
  return path;
}

/** Writes the snapshot whole or not at all (a temporary file renamed into place). */
async function writeSnapshot(path: string, snapshot: Snapshot): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, `${JSON.stringify(snapshot, null, 2)}\n`);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

const IAM_STRATEGIES: readonly string[] = ['auto', 'per-role', 'account'];

async function scan(values: Values, io: LiveIo): Promise<number> {
  const out = required(values, 'out', 'scan');
  const concurrency = values.concurrency === undefined ? 8 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new LiveUsageError(`--concurrency must be a whole number >= 1, not ${JSON.stringify(values.concurrency)}`);
  const strategy = (values['iam-strategy'] as string | undefined) ?? 'auto';
  if (!IAM_STRATEGIES.includes(strategy)) throw new LiveUsageError(`--iam-strategy must be auto, per-role or account, not ${JSON.stringify(strategy)}`);
  const text = format(values) === 'text';
  const path = await checkOut(out);
  const ctx = await context(values, io);
  try {
    const endpoints = Object.fromEntries(Object.entries(ctx.endpoints).map(([key, url]) => [SERVICE_NAMES[key as keyof typeof SERVICE_NAMES], url]));
    const result = await scanAccount(ctx.clients, {
      region: ctx.region, accountId: await ctx.accountId(), concurrency, includeUsers: values.users === true,
      timeoutMs: timeoutSeconds(values) * 1000, iamStrategy: strategy as IamStrategy, endpoints,
      ...(Array.isArray(values['user-pool']) ? { userPoolIds: values['user-pool'] } : {}),
      ...(Array.isArray(values['identity-pool']) ? { identityPoolIds: values['identity-pool'] } : {}),
      onProgress: (p) => { if (io.env.COGNITO_ACCESS_PROGRESS) io.stderr(`[scan] ${p.done}/${p.total} ${p.message}\n`); },
    });
    await writeSnapshot(path, result.snapshot);
    const s = result.snapshot;
    if (s.userPools.length === 0 && s.identityPools.length === 0 && result.gaps.length === 0) {
      io.stderr(`cognito-access: no Cognito user pools or identity pools in ${s.region} of account ${s.accountId}${ctx.profile ? ` (profile ${ctx.profile})` : ''}: is this the right region? Pass --region or set the profile's region.\n`);
    }
    if (result.gaps.length > 0) {
      io.stderr(`cognito-access: the scan could not read ${result.gaps.length} thing(s); they are in ${out} (scanGaps) and nothing else was lost:\n`);
      for (const g of result.gaps) io.stderr(`  ${g.service}:${g.operation}${g.resource ? ` ${g.resource}` : ''}: ${g.error} (needs ${g.permission})\n`);
    }
    if (text) io.stdout(formatScanSummary(result, out));
    else io.stdout(`${JSON.stringify({ out, warnings: result.warnings, gaps: result.gaps, stats: result.stats })}\n`);
    return values['fail-on-gaps'] === true && result.gaps.length > 0 ? 1 : 0;
  } finally {
    ctx.destroy();
  }
}

async function testUser(values: Values, io: LiveIo, prompt: Prompt): Promise<number> {
  const options = sessionOptions(values, 'test-user');
  const ctx = await context(values, io);
  try {
    const session = await runSession(ctx, options, io.env, prompt);
    io.stdout(format(values) === 'json' ? `${JSON.stringify(testUserJson(session), null, 2)}\n` : formatTestUserText(session));
    return 0;
  } finally {
    ctx.destroy();
  }
}

async function probe(values: Values, io: LiveIo, prompt: Prompt): Promise<number> {
  const options = sessionOptions(values, 'probe');
  const tables = values.table;
  if (!Array.isArray(tables) || tables.length === 0) throw new LiveUsageError('probe: --table NAME is required (repeat it for several tables)');
  const ctx = await context(values, io);
  try {
    const session = await runSession(ctx, options, io.env, prompt);
    const live = session.comparison.live;
    if (!session.credentials || !live.roleArn || !live.identityId) {
      io.stderr(`cognito-access: cannot probe: the identity pool gave no credentials (${live.error?.code}: ${live.error?.message})\n`);
      return 1;
    }
    const described = await describeTables(session.snapshot, tables, ctx.clients.dynamodb);
    const results = await runProbes({
      snapshot: described.snapshot, roleArn: live.roleArn, identityId: live.identityId, identityPoolId: session.identityPoolId,
      tables, userDynamo: ctx.withCredentials(session.credentials).dynamodb, inspectorDynamo: ctx.clients.dynamodb, ...probeContextOf(session),
    });
    io.stdout(format(values) === 'json'
      ? `${JSON.stringify({ roleArn: live.roleArn, identityId: live.identityId, results }, null, 2)}\n`
      : `Probing as ${live.callerArn} (identity ${live.identityId})\n${formatProbeText(results)}`);
    return 0;
  } finally {
    ctx.destroy();
  }
}

export async function runLiveCommand(command: 'scan' | 'test-user' | 'probe', argv: string[], io: LiveIo): Promise<number> {
  const prompt = io.prompt ?? terminalPrompt;
  let debug = Boolean(io.env.COGNITO_ACCESS_DEBUG) || argv.includes('--debug');
  try {
    const values = parse(command, argv);
    debug ||= values.debug === true;
    if (values.help === true) {
      io.stdout(HELP[command]!);
      return 0;
    }
    format(values);
    if (command === 'scan') return await scan(values, io);
    if (command === 'test-user') return await testUser(values, io, prompt);
    return await probe(values, io, prompt);
  } catch (error) {
    return reportFailure(error, io.stderr, debug);
  }
}
