// The live commands (shared/spec/cli.md, live part): scan, test-user, probe. They talk to AWS (or
// the sandbox) through createAwsContext: --profile/--region, else the environment and shared
// config as the AWS CLI would use them.
// Exit status: 0 done; 1 the AWS side failed (one line on stderr); 2 bad usage (one line).
// The password and client secret come from the environment or a hidden prompt, never argv.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createAwsContext, type AwsContext } from '../aws/context.ts';
import { errorCode, errorMessage } from '../aws/errors.ts';
import { describeTables, runProbes } from '../aws/probe.ts';
import { scanAccount } from '../aws/scanner.ts';
import { formatProbeText, formatScanSummary, formatTestUserText, testUserJson } from './live/format.ts';
import { NoTerminalError, terminalPrompt, type Prompt } from './live/prompt.ts';
import { LiveUsageError, runSession, type SessionOptions } from './live/session.ts';

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
} as const;

const SPECS = {
  scan: { ...COMMON, 'user-pool': { type: 'string', multiple: true }, 'identity-pool': { type: 'string', multiple: true }, users: { type: 'boolean' }, out: { type: 'string' }, concurrency: { type: 'string' } },
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
  const options: SessionOptions = {
    userPoolId: required(values, 'user-pool', command), clientId: required(values, 'client', command),
    username: required(values, 'username', command), authFlow: flow,
  };
  if (typeof values['identity-pool'] === 'string') options.identityPoolId = values['identity-pool'];
  if (typeof values['custom-role-arn'] === 'string') options.customRoleArn = values['custom-role-arn'];
  if (typeof values['id-token-file'] === 'string') options.idTokenFile = values['id-token-file'];
  return options;
}

async function context(values: Values, io: LiveIo): Promise<AwsContext> {
  return createAwsContext({
    ...(typeof values.profile === 'string' ? { profile: values.profile } : {}),
    ...(typeof values.region === 'string' ? { region: values.region } : {}),
    env: io.env,
  });
}

async function scan(values: Values, io: LiveIo): Promise<number> {
  const out = required(values, 'out', 'scan');
  const concurrency = values.concurrency === undefined ? 8 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new LiveUsageError('--concurrency must be a whole number >= 1');
  const ctx = await context(values, io);
  try {
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    try {
      const result = await scanAccount(ctx.clients, {
        region: ctx.region, accountId: await ctx.accountId(), concurrency, signal: controller.signal, includeUsers: values.users === true,
        ...(Array.isArray(values['user-pool']) ? { userPoolIds: values['user-pool'] } : {}),
        ...(Array.isArray(values['identity-pool']) ? { identityPoolIds: values['identity-pool'] } : {}),
        onProgress: (p) => { if (format(values) === 'text' && io.env.COGNITO_ACCESS_PROGRESS) io.stderr(`[scan] ${p.done}/${p.total} ${p.message}\n`); },
      });
      await writeFile(out, `${JSON.stringify(result.snapshot, null, 2)}\n`);
      if (format(values) === 'json') io.stdout(`${JSON.stringify({ out, warnings: result.warnings })}\n`);
      else io.stdout(formatScanSummary(result, out));
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
    }
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
      tables, userDynamo: ctx.withCredentials(session.credentials).dynamodb, inspectorDynamo: ctx.clients.dynamodb,
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
  try {
    const values = parse(command, argv);
    format(values);
    if (command === 'scan') return await scan(values, io);
    if (command === 'test-user') return await testUser(values, io, prompt);
    return await probe(values, io, prompt);
  } catch (error) {
    const usage = error instanceof LiveUsageError || error instanceof NoTerminalError;
    const text = errorMessage(error).split('\n')[0];
    io.stderr(`cognito-access: ${usage || error instanceof Error && error.name === 'AwsSetupError' ? text : `${errorCode(error)}: ${text}`}\n`);
    if (io.env.COGNITO_ACCESS_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return usage ? 2 : 1;
  }
}
