// The sandbox found the ecosystem's way: a profile `cognito-sandbox` in its own config and
// credentials files, with `endpoint_url` pointing at the gateway, so any SDK or the AWS CLI
// reaches it through AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE / AWS_PROFILE alone.
// It never reads or writes the user's ~/.aws.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROFILE = 'cognito-sandbox';

export interface ProfileFiles { configFile: string; credentialsFile: string; profile: string; envLines: string[] }

export function writeProfileFiles(dir: string, endpoint: string, region: string, keys: { accessKeyId: string; secretAccessKey: string }): ProfileFiles {
  const configFile = join(dir, 'aws-config');
  const credentialsFile = join(dir, 'aws-credentials');
  writeFileSync(configFile, `[profile ${PROFILE}]\nregion = ${region}\nendpoint_url = ${endpoint}\n`);
  writeFileSync(credentialsFile, `[${PROFILE}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`, { mode: 0o600 });
  return {
    configFile, credentialsFile, profile: PROFILE,
    envLines: [`export AWS_CONFIG_FILE=${configFile}`, `export AWS_SHARED_CREDENTIALS_FILE=${credentialsFile}`, `export AWS_PROFILE=${PROFILE}`],
  };
}
