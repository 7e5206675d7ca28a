// Shared by the sandbox suites: start a sandbox, point the SDK's shared-config variables at its
// profile files (the credential chain reads process.env), and build a context by profile name.
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.ts';
import { createAwsContext, type AwsContext } from '../../src/aws/context.ts';

export interface Harness {
  sandbox: Sandbox;
  context: AwsContext;
  /** The environment a CLI run gets (shared config files; no AWS_PROFILE, the profile is named). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox(options);
  process.env.AWS_CONFIG_FILE = sandbox.configFile;
  process.env.AWS_SHARED_CREDENTIALS_FILE = sandbox.credentialsFile;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_REGION;
  const env = { AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile };
  const context = await createAwsContext({ profile: sandbox.profile, env });
  return {
    sandbox,
    context,
    env,
    async stop() {
      context.destroy();
      await sandbox.stop();
    },
  };
}

/** Runs a live CLI command and collects its output. `prompt` answers the terminal questions (default: none expected). */
export async function runCli(
  command: 'scan' | 'test-user' | 'probe', argv: string[], env: NodeJS.ProcessEnv, prompt?: (question: string, hidden: boolean) => Promise<string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runLiveCommand } = await import('../../src/cli/live.ts');
  let stdout = '';
  let stderr = '';
  const code = await runLiveCommand(command, argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env,
    prompt: prompt ?? (async (question) => {
      throw new Error(`unexpected prompt: ${question}`);
    }),
  });
  return { code, stdout, stderr };
}
