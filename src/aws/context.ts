// One factory for everything that talks to AWS: credentials and region the way the AWS CLI finds
// them (a named profile from the shared config, SSO, credential_process and assume-role profiles
// included), the profile's configured endpoints, and one client per service.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { IAMClient } from '@aws-sdk/client-iam';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
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
  /** Attempts per call including the first (SDK default 3). Throttling is retried adaptively. */
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

export async function createAwsContext(options: AwsContextOptions = {}): Promise<AwsContext> {
  const env = options.env ?? process.env;
  const named = options.profile ?? env.AWS_PROFILE;
  const profile = profileName(options.profile, env);
  const settings = await loadProfileSettings(profile, env);
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

  // Adaptive retry: the standard retry plus a client-side token bucket that slows down after
  // throttling responses (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
  const common = (key: ServiceKey, creds: CredentialProvider) => ({
    region,
    credentials: creds,
    retryMode: 'adaptive' as const,
    maxAttempts: options.maxAttempts ?? 5,
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

  let account: Promise<string> | undefined;
  const context: AwsContext = {
    region,
    endpoints,
    clients,
    accountId() {
      account ??= clients.sts.send(new GetCallerIdentityCommand({})).then((r) => {
        if (!r.Account) throw new Error('STS GetCallerIdentity returned no account');
        return r.Account;
      });
      return account;
    },
    withCredentials(userCredentials) {
      const fixed: CredentialProvider = async () => userCredentials;
      const pair = { dynamodb: new DynamoDBClient(common('dynamodb', fixed)), sts: new STSClient(common('sts', fixed)) };
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
