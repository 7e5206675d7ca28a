// The AWS side, bundled on its own (dist/aws.js) and loaded only when a live connection is used.
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
export { createAwsContext, AwsSetupError } from '../aws/context.ts';
export { scanAccount } from '../aws/scanner.ts';
export type { ScanProgress } from '../aws/scanner.ts';
// Test as user and the live probe (the CLI's session orchestration, with steps and cancellation).
export { runTestUser, probeLive, CancelledError } from './panels/aws/liveRun.ts';
export type { TestUserRun, TestUserOutcome, LiveStep, LiveProbeRun } from './panels/aws/liveRun.ts';
export { maskKey } from '../aws/identity.ts';

export interface ProfileInfo {
  name: string;
  region?: string;
  /** Where it is defined: config, credentials or both. */
  source: string;
  sso: boolean;
}

/** Profiles from the shared config and credentials files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured). */
export async function listProfiles(): Promise<ProfileInfo[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)]);
  return [...names].sort().map((name) => {
    const config = configFile[name] ?? {};
    return {
      name,
      region: config['region'],
      source: [name in configFile && 'config', name in credentialsFile && 'credentials'].filter(Boolean).join(' + '),
      sso: Boolean(config['sso_session'] || config['sso_start_url']),
    };
  });
}

/** Reads one user pool again, with its users and their groups (the tree's "Load users"). */
export async function readUserPoolWithUsers(profile: string, region: string, userPoolId: string, concurrency: number): Promise<import('../core/snapshot.ts').UserPool> {
  const { createAwsContext } = await import('../aws/context.ts');
  const { readUserPool } = await import('../aws/scanCognito.ts');
  const context = await createAwsContext({ profile, region });
  try {
    return await readUserPool({ idp: context.clients.cognitoIdp, identity: context.clients.cognitoIdentity, concurrency, onRoleArn: () => undefined, onItem: () => undefined }, userPoolId, true);
  } finally {
    context.destroy();
  }
}
