// Any region but the sandbox's is empty: a signed request whose credential scope names another
// region is answered from here for the regional services (cognito-idp, cognito-identity,
// dynamodb), so a test can scan "a region with nothing in it". List calls answer empty lists;
// calls naming a pool, client, identity pool or table answer the service's
// ResourceNotFoundException in its words. IAM and STS are global at AWS: the gateway serves them
// as in the sandbox's region. Issued credentials' policies are not consulted here (AWS would
// authorize first); the read-only user's are (the gateway decides them before this).

import { jsonError, jsonReply, type JsonService, type Reply } from './wire.ts';

export const REGIONAL_SERVICES: ReadonlySet<string> = new Set(['cognito-idp', 'cognito-identity', 'dynamodb']);

/** The list operations a scanner may call, with their empty answer. */
const EMPTY_LISTS: Record<string, Record<string, Record<string, unknown>>> = {
  'cognito-idp': { ListUserPools: { UserPools: [] } },
  'cognito-identity': { ListIdentityPools: { IdentityPools: [] } },
  dynamodb: { ListTables: { TableNames: [] }, ListBackups: { BackupSummaries: [] }, ListGlobalTables: { GlobalTables: [] } },
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function emptyRegion(service: JsonService, operation: string, body: Record<string, unknown>, region: string): Reply {
  // Own properties only: the operation comes from the request (`constructor` is no list call).
  const lists = EMPTY_LISTS[service] ?? {};
  if (Object.hasOwn(lists, operation)) return jsonReply(service, lists[operation]);
  const notFound = (message: string): Reply => jsonError(service, 'ResourceNotFoundException', message);
  switch (service) {
    case 'cognito-idp': {
      const pool = text(body.UserPoolId);
      if (pool) return notFound(`User pool ${pool} does not exist.`);
      const client = text(body.ClientId);
      if (client) return notFound(`User pool client ${client} does not exist.`);
      break;
    }
    case 'cognito-identity': {
      const pool = text(body.IdentityPoolId);
      if (pool) return notFound(`IdentityPool '${pool}' not found.`);
      const identity = text(body.IdentityId);
      if (identity) return notFound(`Identity '${identity}' not found.`);
      break;
    }
    case 'dynamodb': {
      const table = text(body.TableName);
      if (operation === 'DescribeTable' && table) return notFound(`Requested resource not found: Table: ${table} not found`);
      const arn = text(body.ResourceArn);
      if (arn) return notFound(`Requested resource not found: ResourceArn: ${arn} not found`);
      if (table || body.RequestItems || body.TransactItems) return notFound('Requested resource not found');
      break;
    }
  }
  return jsonError(service, 'UnknownOperationException', `The sandbox's region ${region} is empty: it answers list and read calls only, not ${service}:${operation}.`);
}
