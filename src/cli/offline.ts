// The offline commands, diagnose and simulate, over a snapshot file.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { simulateAccess } from '../core/access.ts';
import { diagnose } from '../core/diagnose.ts';
import type { Decision } from '../core/iam/types.ts';
import { setOwn } from '../core/records.ts';
import { parseSnapshot } from '../core/snapshot.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { simulate } from '../core/simulate.ts';
import type { SimulateOptions } from '../core/simulate.ts';
import { formatDiagnosisText, formatSimulationText } from './format.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface Io {
  stdout: (text: string) => void;
}

type Format = 'text' | 'json';

function readFormat(value: string | undefined): Format {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`--format must be text or json, not ${JSON.stringify(value)}`);
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
type OptionValues = Record<string, string | boolean | string[] | undefined>;

export function parse(command: string, argv: string[], options: OptionSpec): { values: OptionValues } {
  try {
    // Every command also takes --debug (the stack of an internal error) and --help (src/cli.ts).
    const { values } = parseArgs({ args: argv, options: { ...options, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true });
    return { values: values as OptionValues };
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.replace(/\. To specify a positional argument.*$/, '')}`);
  }
}

export async function loadSnapshot(file: string | undefined, command: string): Promise<Snapshot> {
  if (!file) throw new UsageError(`${command}: --snapshot FILE is required`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read the file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message)})`);
  }
  return parseSnapshot(text, file);
}

/** The options of each offline command (src/cli/help.ts documents every one; a unit test checks). */
export const OFFLINE_OPTIONS = {
  diagnose: { snapshot: { type: 'string' }, template: { type: 'string' }, format: { type: 'string' } },
  simulate: {
    snapshot: { type: 'string' },
    'user-pool': { type: 'string' },
    client: { type: 'string' },
    'identity-pool': { type: 'string' },
    user: { type: 'string' },
    groups: { type: 'string' },
    guest: { type: 'boolean' },
    claim: { type: 'string', multiple: true },
    'custom-role-arn': { type: 'string' },
    provider: { type: 'string' },
    'basic-flow': { type: 'boolean' },
    role: { type: 'string' },
    'override-groups': { type: 'string' },
    'override-roles': { type: 'string' },
    'override-preferred-role': { type: 'string' },
    action: { type: 'string' },
    table: { type: 'string' },
    partition: { type: 'string' },
    format: { type: 'string' },
  },
} satisfies Record<string, OptionSpec>;

export async function runOffline(command: 'diagnose' | 'simulate', argv: string[], io: Io): Promise<number> {
  return command === 'diagnose' ? runDiagnose(argv, io) : runSimulate(argv, io);
}

async function runDiagnose(argv: string[], io: Io): Promise<number> {
  const { values } = parse('diagnose', argv, OFFLINE_OPTIONS.diagnose);
  if (values.template !== undefined) return (await import('./template.ts')).runDiagnoseTemplate(values, io); // before deploy: src/core/iac/
  const format = readFormat(values.format as string | undefined);
  const snapshot = await loadSnapshot(values.snapshot as string | undefined, 'diagnose');
  const result = diagnose(snapshot);
  io.stdout(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatDiagnosisText(result));
  return result.summary.errors > 0 ? 1 : 0;
}

async function runSimulate(argv: string[], io: Io): Promise<number> {
  const { values } = parse('simulate', argv, OFFLINE_OPTIONS.simulate);
  const format = readFormat(values.format as string | undefined);
  const who = [values.user !== undefined, values.groups !== undefined, values.guest === true, values.provider !== undefined].filter(Boolean).length;
  if (who !== 1) throw new UsageError('simulate: give exactly one of --user NAME, --groups A,B,..., --provider NAME or --guest');
  const overrides = ['override-groups', 'override-roles', 'override-preferred-role'].filter((o) => values[o] !== undefined);
  if (overrides.length > 0 && values.user === undefined && values.groups === undefined) {
    throw new UsageError(`simulate: --${overrides[0]} overrides a user pool token's claims: it goes with --user or --groups`);
  }
  if (values['basic-flow'] === true && values.role === undefined) throw new UsageError('simulate: --basic-flow needs --role ARN (the role the client asks STS for)');
  if (values.role !== undefined && values['basic-flow'] !== true) throw new UsageError('simulate: --role goes with --basic-flow (in the enhanced flow, ask for a role with --custom-role-arn)');
  if (values.provider !== undefined && (values.provider as string).trim() === '') throw new UsageError('simulate: --provider needs a provider name, e.g. accounts.google.com');
  const action = values.action as string | undefined;
  const table = values.table as string | undefined;
  if (action !== undefined && !/^dynamodb:[A-Za-z]+$/.test(action)) throw new UsageError(`simulate: --action must look like dynamodb:Query, not ${JSON.stringify(action)}`);
  if (action !== undefined && table === undefined) throw new UsageError('simulate: --action needs --table NAME');
  if (action === undefined && (table !== undefined || values.partition !== undefined)) throw new UsageError('simulate: --table and --partition go with --action');
  const claims: Record<string, string> = {};
  for (const pair of (values.claim as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`simulate: --claim must be KEY=VALUE, not ${JSON.stringify(pair)}`);
    setOwn(claims, pair.slice(0, eq), pair.slice(eq + 1));
  }
  const snapshot = await loadSnapshot(values.snapshot as string | undefined, 'simulate');
  const options: SimulateOptions = {
    userPoolId: values['user-pool'] as string | undefined,
    clientId: values.client as string | undefined,
    identityPoolId: values['identity-pool'] as string | undefined,
    user: values.user as string | undefined,
    groups: values.groups === undefined ? undefined : splitList(values.groups as string),
    guest: values.guest === true,
    claims,
    customRoleArn: values['custom-role-arn'] as string | undefined,
    provider: values.provider as string | undefined,
    basicFlow: values['basic-flow'] === true,
    roleArn: values.role as string | undefined,
    overrideGroups: values['override-groups'] === undefined ? undefined : splitList(values['override-groups'] as string),
    overrideRoles: values['override-roles'] === undefined ? undefined : splitList(values['override-roles'] as string),
    overridePreferredRole: values['override-preferred-role'] as string | undefined,
  };
  let result;
  try {
    result = simulate(snapshot, options);
  } catch (error) {
    if (error instanceof Error && error.name === 'SimulationInputError') throw new UsageError(`simulate: ${error.message}`);
    throw error;
  }
  let access: Decision | null = null;
  if (action !== undefined && table !== undefined && result.resolution.outcome === 'credentials' && result.resolution.roleArn) {
    const decision = simulateAccess(snapshot, result.resolution.roleArn, {
      action,
      table,
      partition: (values.partition as string | undefined) ?? undefined,
      identityPoolId: result.identityPoolId,
      guest: result.identityKind === 'unauthenticated',
      sessionTags: result.resolution.sessionTags,
      ...(result.provider && result.provider.kind !== 'user-pool' ? { provider: result.provider.name } : {}),
      basicFlow: result.flow === 'basic',
    });
    if ('error' in decision) throw new UsageError(`simulate: ${decision.error}`);
    access = decision;
  }
  const output = {
    claims: result.claims,
    resolution: result.resolution,
    access,
    sessionTags: result.resolution.sessionTags,
    trigger: result.trigger,
    provider: result.provider,
    flow: result.flow,
  };
  io.stdout(format === 'json' ? `${JSON.stringify(output, null, 2)}\n` : formatSimulationText(result, access, action !== undefined));
  return 0;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
