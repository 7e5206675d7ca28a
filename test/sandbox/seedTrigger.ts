// The second user pool, `books-trigger` (import it through seed.ts): a pool whose DescribeUserPool
// names a pre token generation trigger (LambdaConfig, version V2_0), so a scanner sees the trigger
// and an engine must say its prediction may differ from the tokens. No Lambda runs: the gateway
// re-signs this pool's ID tokens with what the trigger "returns", which a test sets with
// `sandbox.setTokenOverride(poolId, { groups, roles, preferredRole, claims })` (userPoolTokens.ts).
// Its groups carry roles the books pool's groups use too (their trust admits books-trigger).

import type { SeedGroup, SeedUser } from './seedCognito.ts';
import { TRIGGER_LAMBDA_ARN, roleArn } from './seedIds.ts';

export const TRIGGER_CLIENT = {
  ClientId: 'triggerclient000000000001', ClientName: 'trigger-web', ClientSecret: undefined as string | undefined,
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
};

/** DescribeUserPool.UserPool.LambdaConfig of books-trigger (the snapshot's subset is the whole of it). */
export const TRIGGER_LAMBDA_CONFIG = {
  PreTokenGeneration: TRIGGER_LAMBDA_ARN,
  PreTokenGenerationConfig: { LambdaArn: TRIGGER_LAMBDA_ARN, LambdaVersion: 'V2_0' as const },
};

export const TRIGGER_GROUPS: SeedGroup[] = [
  { GroupName: 'TriggerReaders', Precedence: 1, RoleArn: roleArn('BooksReadAccess'), Description: 'read-only (unless the trigger says otherwise)' },
  { GroupName: 'TriggerWriters', Precedence: 2, RoleArn: roleArn('BooksWriteAccess'), Description: 'read and write' },
];

// Passwords are sandbox-only; main.ts prints them at start.
export const TRIGGER_USERS: SeedUser[] = [
  { Username: 'triggeruser', sub: '7e57a002-0000-4000-8000-000000000001', email: 'triggeruser@example.com', password: 'Sandbox-triggeruser-1!', groups: ['TriggerReaders'] },
  { Username: 'triggerwriter', sub: '7e57a002-0000-4000-8000-000000000002', email: 'triggerwriter@example.com', password: 'Sandbox-triggerwriter-1!', groups: ['TriggerWriters'] },
];

export const triggerUserByName = (name: string): SeedUser => {
  const user = TRIGGER_USERS.find((u) => u.Username === name);
  if (!user) throw new Error(`no seed user ${name} in books-trigger`);
  return user;
};
