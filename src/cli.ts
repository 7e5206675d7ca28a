// cognito-access: the engine as a command-line tool (shared/spec/cli.md).
// Exit status (src/cli/exit.ts): 0 done; 1 diagnose found an error-level finding, or the AWS side
// failed; 2 bad usage or bad input, with one clear line on stderr and nothing on stdout; 3 an
// internal error; 130 interrupted. Never a stack trace unless asked (--debug, COGNITO_ACCESS_DEBUG=1).
import { reportFailure } from './cli/exit.ts';
import { HELP } from './cli/help.ts';
import { runOffline, UsageError } from './cli/offline.ts';
import './pipeline/iamActions.ts'; // the IAM service reference (POLICY_UNKNOWN_ACTION), bundled by esbuild.mjs

export const USAGE = `Usage: cognito-access <command> [options]

Offline (over an account snapshot, or a definition before deploy):
  diagnose  --snapshot FILE [--format text|json]
  diagnose  --template PATH [--format text|json|sarif]   (CloudFormation, SAM, cdk.out, Terraform)
  simulate  --snapshot FILE [--user-pool ID] [--client ID] [--identity-pool ID]
            (--user NAME | --groups A,B,... | --guest) [--claim KEY=VALUE ...]
            [--custom-role-arn ARN] [--action dynamodb:ACTION --table NAME [--partition own|other|VALUE]]
            [--format text|json]
  explain   --snapshot FILE (--message TEXT | --stdin) [--identity-pool ID] [--format text|json]
  access-matrix --snapshot FILE [--table NAME] [--format text|json|csv]

Live (AWS or the local sandbox, through the usual credential chain):
  scan      [--profile P] [--region R] [--user-pool ID ...] [--identity-pool ID ...] [--users]
            [--concurrency N] [--timeout SECONDS] [--iam-strategy auto|per-role|account] [--fail-on-gaps] --out FILE
  test-user --user-pool ID --client ID --username NAME [--identity-pool ID] [--custom-role-arn ARN]
            [--auth-flow auto|srp|password] [--id-token-file FILE] [--timeout SECONDS] [--format json]
  probe     --user-pool ID --client ID --username NAME [--identity-pool ID] --table NAME [--table NAME ...]
            [--auth-flow ...] [--id-token-file FILE] [--timeout SECONDS] [--format json]

cognito-access <command> --help lists a command's options and the environment variables it
reads. The password comes from COGNITO_ACCESS_PASSWORD or a hidden prompt, never from an argument.
Exit status: 0 done, 1 error-level finding or AWS failure, 2 bad usage or input, 3 internal error,
130 interrupted.
`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const LIVE = new Set(['scan', 'test-user', 'probe']);

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout)(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (HELP[command] && (rest.includes('--help') || rest.includes('-h')) && !LIVE.has(command)) {
      io.stdout(HELP[command]);
      return 0;
    }
    if (LIVE.has(command)) {
      // Loaded on demand: the AWS SDK is not needed for the offline commands.
      const { runLiveCommand } = await import('./cli/live.ts');
      return await runLiveCommand(command as 'scan' | 'test-user' | 'probe', rest, io);
    }
    if (command === 'diagnose' || command === 'simulate') return await runOffline(command, rest, io);
    if (command === 'explain') return await (await import('./cli/explain.ts')).runExplain(rest, io);
    if (command === 'access-matrix') return await (await import('./cli/accessMatrix.ts')).runAccessMatrix(rest, io);
    throw new UsageError(`unknown command ${JSON.stringify(command)} (try diagnose, simulate, explain, access-matrix, scan, test-user or probe; --help lists them)`);
  } catch (error) {
    return reportFailure(error, io.stderr, Boolean(io.env['COGNITO_ACCESS_DEBUG']) || rest.includes('--debug'));
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

// Run when executed (the bundle, or tsx), not when imported by tests.
if (require.main === module) {
  // The SDK warns on every run under Node 20 that future versions will need Node 22; a CLI's
  // stderr is for the user's problem, so that notice is off unless the user set the variable.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // The first Ctrl-C stops at once (exit 130). Nothing half-written is left: a snapshot is written
  // to a temporary file and renamed into place only when complete.
  process.once('SIGINT', () => {
    process.stderr.write('\ncognito-access: interrupted\n');
    process.exit(130);
  });
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportFailure(error, (t) => process.stderr.write(t), Boolean(process.env['COGNITO_ACCESS_DEBUG']));
    },
  );
}
