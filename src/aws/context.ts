// One factory for everything that talks to AWS: credentials and region the way the AWS CLI finds
// them (a named profile from the shared config, SSO, credential_process and assume-role profiles
// included), the profile's configured endpoints, and one client per service.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { IAMClient } from '@aws-sdk/client-iam';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { callWithLimits } from './limiter.ts';
import { loadProfileSettings, profileName, type ServiceKey } from './sharedConfig.ts';

/** Static credentials, e.g. the temporary ones of a Cognito identity. Kept in memory only. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type CredentialProvider = () => Promise<AwsCredentials>;

export interface AwsContextOptions {
  /** A profile of the shared config; else AWS_PROFILE, else the default chain. */
  profile?: string;
  /** Overrides the profile's and the environment's region. */
  region?: string;
  /** The environment to read AWS_* variables from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Explicit endpoints; win over configured ones. */
  endpoints?: Partial<Record<ServiceKey, string>>;
  /** Explicit credentials; skip the provider chain. */
  credentials?: AwsCredentials | CredentialProvider;
  /** Attempts per call including the first (default 5). Throttling is retried with back-off (standard mode). */
  maxAttempts?: number;
  /**
   * Time limit of one call in seconds, retries included (default 30; `--timeout`, setting
   * `cognitoAccess.requestTimeoutSeconds`). Connecting is limited to 5 s.
   */
  timeoutSeconds?: number;
}

export interface AwsClients {
  cognitoIdp: CognitoIdentityProviderClient;
  cognitoIdentity: CognitoIdentityClient;
  iam: IAMClient;
  dynamodb: DynamoDBClient;
  sts: STSClient;
}

export interface AwsContext {
  region: string;
  /** The profile in use, if one was named (option or AWS_PROFILE). */
  profile?: string;
  clients: AwsClients;
  /** The endpoints in use, where configured (for messages; the SDK default otherwise). */
  endpoints: Partial<Record<ServiceKey, string>>;
  /** The account of the inspector's credentials (STS GetCallerIdentity, asked once). */
  accountId(): Promise<string>;
  /** DynamoDB and STS clients with other credentials (a test user's), same region and endpoints. */
  withCredentials(credentials: AwsCredentials): Pick<AwsClients, 'dynamodb' | 'sts'>;
  /** Closes the HTTP agents of every client made here. */
  destroy(): void;
}

/** A problem with the local AWS setup (no region, expired SSO session, no credentials): one clear line. */
export class AwsSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsSetupError';
  }
}

/**
 * Turns the SDK's SSO errors ("The SSO session associated with this profile has expired. To
 * refresh this SSO session run aws sso login with the corresponding profile." and the token
 * provider's variants) into one message with the exact command to run.
 */
export function explainCredentialError(error: unknown, profile: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (/SSO session|SSO Token|sso_session|aws sso login/i.test(message)) {
    return new AwsSetupError(`The AWS SSO session for profile "${profile}" has expired or is invalid. Sign in again with: aws sso login --profile ${profile}`);
  }
  if (/Could not load credentials from any providers/i.test(message)) {
    return new AwsSetupError(`No AWS credentials found for profile "${profile}" (${message}). Configure the profile or pass --profile.`);
  }
  return error;
}

function withExplainedErrors(provider: CredentialProvider, profile: string): CredentialProvider {
  return async () => {
    try {
      return await provider();
    } catch (error) {
      throw explainCredentialError(error, profile);
    }
  };
}

/** Connecting to an endpoint may take this long (issue: a scan never hangs on a dead endpoint). */
export const CONNECT_TIMEOUT_MS = 5_000;

/** The signing name of each client's service, as IAM actions and messages spell it. */
export const SERVICE_NAMES: Record<ServiceKey, string> = {
  cognitoIdp: 'cognito-idp', cognitoIdentity: 'cognito-identity', iam: 'iam', dynamodb: 'dynamodb', sts: 'sts',
};

/** The AWS endpoint a service's calls go to when none is configured (for messages). */
export function defaultEndpoint(service: string, region: string): string {
  return service === 'iam' ? 'https://iam.amazonaws.com' : `https://${service}.${region}.amazonaws.com`;
}

function defaultEndpointOf(key: ServiceKey, region: string): string {
  return defaultEndpoint(SERVICE_NAMES[key], region);
}

/** Where an AWS call failed: added to every error that leaves a client made here (as `$callSite`; src/cli/exit.ts reads it). */
export interface AwsCallSite {
  service: string;
  operation: string;
  endpoint: string;
}

interface Stack {
  middlewareStack: { add(middleware: unknown, options: unknown): void };
}

/** A middleware that names the service, operation and endpoint on every error of `client`. */
function annotateErrors(client: object, key: ServiceKey, endpoint: string): void {
  (client as Stack).middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        if (error && typeof error === 'object' && !('$callSite' in error)) {
          const site: AwsCallSite = { service: SERVICE_NAMES[key], operation: (context.commandName ?? 'call').replace(/Command$/, ''), endpoint };
          Object.defineProperty(error, '$callSite', { value: site, enumerable: false });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'cognitoAccessCallSite' },
  );
}

export async function createAwsContext(options: AwsContextOptions = {}): Promise<AwsContext> {
  const env = options.env ?? process.env;
  const named = options.profile ?? env.AWS_PROFILE;
  const profile = profileName(options.profile, env);
  const settings = await loadProfileSettings(profile, env);
  // A profile named on purpose (option or AWS_PROFILE) must exist; `default` may be absent when
  // the environment holds the credentials.
  if (named && !settings.exists && !options.credentials) {
    const files = `${env.AWS_CONFIG_FILE ?? '~/.aws/config'} and ${env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}`;
    throw new AwsSetupError(settings.available.length
      ? `AWS profile "${named}" does not exist in ${files}; the profiles there are: ${settings.available.join(', ')}.`
      : `AWS profile "${named}" does not exist: ${files} define no profiles. Run aws configure --profile ${named}, or pass another --profile.`);
  }
  const region = options.region ?? env.AWS_REGION ?? settings.region ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new AwsSetupError(`No AWS region: pass --region, set AWS_REGION, or add "region" to profile "${profile}" in the shared config.`);
  }
  const endpoints = { ...settings.endpoints, ...(options.endpoints ?? {}) };

  let credentials: CredentialProvider;
  if (typeof options.credentials === 'function') credentials = options.credentials;
  else if (options.credentials) {
    const fixed = options.credentials;
    credentials = async () => fixed;
  } else {
    // The default chain, pinned to the profile when one is named: env, SSO, ini (incl. assume-role
    // and credential_process), web identity, container and instance metadata.
    const chain = fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
    credentials = withExplainedErrors(chain as CredentialProvider, profile);
  }

  // Standard retry: throttling and transient errors are retried with exponential back-off and
  // jitter, at most maxAttempts times, within a retry quota
  // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). Not adaptive:
  // its client-side rate limiter slows every later call of the client after one operation is
  // throttled for ever, so healthy reads would run into their time limit and be lost.
  // Time limits: 5 s to connect and the call's limit for each attempt; callers that need one
  // limit over all attempts (the scan, GetCallerIdentity) add callWithLimits on top.
  const timeoutMs = (options.timeoutSeconds ?? 30) * 1000;
  const common = (key: ServiceKey, creds: CredentialProvider) => ({
    region,
    credentials: creds,
    retryMode: 'standard' as const,
    maxAttempts: options.maxAttempts ?? 5,
    // throwOnRequestTimeout: without it @smithy/node-http-handler only logs a warning when the
    // request time runs out and keeps waiting (checked against 4.14 with a sandbox that never answers).
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
    ...(endpoints[key] ? { endpoint: endpoints[key] } : {}),
  });
  const clients: AwsClients = {
    cognitoIdp: new CognitoIdentityProviderClient(common('cognitoIdp', credentials)),
    cognitoIdentity: new CognitoIdentityClient(common('cognitoIdentity', credentials)),
    iam: new IAMClient(common('iam', credentials)),
    dynamodb: new DynamoDBClient(common('dynamodb', credentials)),
    sts: new STSClient(common('sts', credentials)),
  };
  const made: { destroy(): void }[] = Object.values(clients);
  for (const [key, client] of Object.entries(clients) as [ServiceKey, AwsClients[ServiceKey]][]) annotateErrors(client, key, endpoints[key] ?? defaultEndpointOf(key, region));

  let account: Promise<string> | undefined;
  const context: AwsContext = {
    region,
    endpoints,
    clients,
    accountId() {
      const site: AwsCallSite = { service: 'sts', operation: 'GetCallerIdentity', endpoint: endpoints.sts ?? defaultEndpointOf('sts', region) };
      account ??= callWithLimits((abortSignal) => clients.sts.send(new GetCallerIdentityCommand({}), { abortSignal }), undefined, timeoutMs).catch((error: unknown) => {
        // Our own time limit has no call site yet: name it, so the one line says where it failed.
        if (error instanceof Error && !('$callSite' in error)) Object.defineProperty(error, '$callSite', { value: site, enumerable: false });
        throw error;
      }).then((r) => {
        if (!r.Account) throw new Error('STS GetCallerIdentity returned no account');
        return r.Account;
      });
      return account;
    },
    withCredentials(userCredentials) {
      const fixed: CredentialProvider = async () => userCredentials;
      const pair = { dynamodb: new DynamoDBClient(common('dynamodb', fixed)), sts: new STSClient(common('sts', fixed)) };
      annotateErrors(pair.dynamodb, 'dynamodb', endpoints.dynamodb ?? defaultEndpointOf('dynamodb', region));
      annotateErrors(pair.sts, 'sts', endpoints.sts ?? defaultEndpointOf('sts', region));
      made.push(pair.dynamodb, pair.sts);
      return pair;
    },
    destroy() {
      for (const client of made) client.destroy();
    },
  };
  if (named) context.profile = named;
  return context;
}
