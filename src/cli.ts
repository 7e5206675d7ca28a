// cognito-access: the engine as a command-line tool (shared/spec/cli.md).
// Exit status: 0 done; 1 diagnose found an error-level finding; 2 bad usage or bad input, with
// one clear line on stderr and nothing on stdout. Never a stack trace (COGNITO_ACCESS_DEBUG=1
// prints one for bug reports).
import { runOffline, UsageError } from './cli/offline.ts';

export const USAGE = `Usage: cognito-access <command> [options]

Offline (over an account snapshot):
  diagnose  --snapshot FILE [--format text|json]
  simulate  --snapshot FILE [--user-pool ID] [--client ID] [--identity-pool ID]
            (--user NAME | --groups A,B,... | --guest) [--claim KEY=VALUE ...]
            [--custom-role-arn ARN] [--action dynamodb:ACTION --table NAME [--partition own|other|VALUE]]
            [--format text|json]

Live (AWS or the local sandbox, through the usual credential chain):
  scan      [--profile P] [--region R] [--user-pool ID ...] [--identity-pool ID ...] [--users] --out FILE
  test-user --user-pool ID --client ID --username NAME [--identity-pool ID] [--custom-role-arn ARN] [--format json]
  probe     --user-pool ID --client ID --username NAME [--identity-pool ID] --table NAME [--table NAME ...] [--format json]

The password comes from COGNITO_ACCESS_PASSWORD or a hidden prompt, never from an argument.
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
    if (LIVE.has(command)) {
      // Loaded on demand: the AWS SDK is not needed for the offline commands.
      const { runLiveCommand } = await import('./cli/live.ts');
      return await runLiveCommand(command as 'scan' | 'test-user' | 'probe', rest, io);
    }
    if (command === 'diagnose' || command === 'simulate') return await runOffline(command, rest, io);
    throw new UsageError(`unknown command ${JSON.stringify(command)} (try diagnose, simulate, scan, test-user or probe; --help lists them)`);
  } catch (error) {
    io.stderr(`cognito-access: ${describeError(error)}\n`);
    if (io.env['COGNITO_ACCESS_DEBUG'] && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 2;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

// Run when executed (the bundle, or tsx), not when imported by tests.
if (require.main === module) {
  // The SDK warns on every run under Node 20 that future versions will need Node 22; a CLI's
  // stderr is for the user's problem, so that notice is off unless the user set the variable.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`cognito-access: ${describeError(error)}\n`);
      process.exitCode = 2;
    },
  );
}
