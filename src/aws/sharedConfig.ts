// Region and configured endpoints of a named profile, read from the shared config files the way
// the AWS CLI reads them.
//
// Why this exists: the SDK for JavaScript v3 reads `endpoint_url` from the shared config only for
// the profile in AWS_PROFILE (or `default`). Its loader for configured endpoints,
// `getEndpointFromConfig` in @smithy/core (3.41), calls `loadConfig(getEndpointUrlConfig(id))()`
// without the client's `profile`, while region, retry mode etc. get `{ profile: config.profile }`.
// So `new DynamoDBClient({ profile: 'sandbox' })` honours that profile's region but ignores its
// endpoint_url. We resolve the endpoint ourselves and pass it as `endpoint`, which the SDK then
// uses as is. Precedence follows the SDK reference guide, "Service-specific endpoints"
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html):
// AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL > the profile's `services` section > the
// profile's `endpoint_url`; `ignore_configured_endpoint_urls` / AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
// turn all of them off.
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

export type ServiceKey = 'cognitoIdp' | 'cognitoIdentity' | 'iam' | 'dynamodb' | 'sts';

/** Identifiers from "Identifiers for service-specific endpoints" (sdkref/ss-endpoints-table). */
const SERVICE_IDS: Record<ServiceKey, { env: string; config: string }> = {
  cognitoIdp: { env: 'COGNITO_IDENTITY_PROVIDER', config: 'cognito_identity_provider' },
  cognitoIdentity: { env: 'COGNITO_IDENTITY', config: 'cognito_identity' },
  iam: { env: 'IAM', config: 'iam' },
  dynamodb: { env: 'DYNAMODB', config: 'dynamodb' },
  sts: { env: 'STS', config: 'sts' },
};

export const SERVICE_KEYS = Object.keys(SERVICE_IDS) as ServiceKey[];

export interface ProfileSettings {
  /** Whether the profile is in the shared config or credentials file. */
  exists: boolean;
  /** Every profile in the two files, sorted (for "profile X does not exist; there are ..."). */
  available: string[];
  /** The profile's `region`, if any. */
  region?: string;
  /** The configured endpoint per service, only where one is configured. */
  endpoints: Partial<Record<ServiceKey, string>>;
}

type Section = Record<string, string | undefined>;

/** The profile the SDK would use: the given one, else AWS_PROFILE, else `default`. */
export function profileName(profile: string | undefined, env: NodeJS.ProcessEnv): string {
  return profile ?? env.AWS_PROFILE ?? 'default';
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

/**
 * Reads region and configured endpoints for `profile` from the shared config and credentials
 * files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials).
 */
export async function loadProfileSettings(profile: string, env: NodeJS.ProcessEnv = process.env): Promise<ProfileSettings> {
  const init: { filepath?: string; configFilepath?: string; ignoreCache: boolean } = { ignoreCache: true };
  if (env.AWS_SHARED_CREDENTIALS_FILE) init.filepath = env.AWS_SHARED_CREDENTIALS_FILE;
  if (env.AWS_CONFIG_FILE) init.configFilepath = env.AWS_CONFIG_FILE;
  const { configFile, credentialsFile } = await loadSharedConfigFiles(init);
  const has = (file: Record<string, unknown>, name: string) => Object.hasOwn(file, name);
  const section: Section = { ...(has(credentialsFile, profile) ? credentialsFile[profile] : {}), ...(has(configFile, profile) ? configFile[profile] : {}) };
  const available = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])]
    .filter((name) => !name.startsWith('sso-session.') && !name.startsWith('services.')).sort();
  const settings: ProfileSettings = { exists: has(configFile, profile) || has(credentialsFile, profile), available, endpoints: {} };
  if (section.region) settings.region = section.region;
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || isTrue(section.ignore_configured_endpoint_urls)) return settings;

  const servicesName = section.services;
  const services: Section | undefined = servicesName ? configFile[`services.${servicesName}`] : undefined;
  if (servicesName && !services) {
    throw new Error(`The services section "${servicesName}" named by profile "${profile}" is not in the shared config file.`);
  }
  for (const key of SERVICE_KEYS) {
    const ids = SERVICE_IDS[key];
    const url =
      env[`AWS_ENDPOINT_URL_${ids.env}`] || env.AWS_ENDPOINT_URL || services?.[`${ids.config}.endpoint_url`] || section.endpoint_url;
    if (url) settings.endpoints[key] = url;
  }
  return settings;
}
