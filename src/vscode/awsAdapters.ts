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

/** Reads one user pool again, with its users and their groups (the tree's "Load users"); what it could not read comes back as gaps. */
export async function readUserPoolWithUsers(
  profile: string, region: string, userPoolId: string, concurrency: number, timeoutSeconds?: number,
): Promise<{ pool: import('../core/snapshot.ts').UserPool; gaps: import('../core/snapshot.ts').ScanGap[] }> {
  const { createAwsContext } = await import('../aws/context.ts');
  const { readUserPool } = await import('../aws/scanCognito.ts');
  const { ScanReads } = await import('../aws/scanReads.ts');
  const { Limiter, limitClient } = await import('../aws/limiter.ts');
  const { defaultEndpoint } = await import('../aws/context.ts');
  const context = await createAwsContext({ profile, region, ...(timeoutSeconds ? { timeoutSeconds } : {}) });
  try {
    const limiter = new Limiter(concurrency);
    const limits = { timeoutMs: (timeoutSeconds ?? 30) * 1000 };
    const reads = new ScanReads(undefined, (service) => defaultEndpoint(service, region));
    const pool = await readUserPool({
      idp: limitClient(context.clients.cognitoIdp, limiter, undefined, true, limits), identity: context.clients.cognitoIdentity, reads, concurrency,
      onRoleArn: () => undefined, onItem: () => undefined,
    }, userPoolId, true);
    return { pool, gaps: reads.sorted() };
  } finally {
    context.destroy();
  }
}
