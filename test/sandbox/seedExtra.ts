// Bench-sized additions to the seed (startSandbox({ seed: { extraGroups, extraRoles } }), or
// `main.ts --extra-groups N --extra-roles N` / `--bench`): `extraRoles` roles BenchRole000...,
// each a Cognito-trusted role (pool books) with one inline read policy on book-table, and
// `extraGroups` groups bench-0000... spread round-robin over those roles (no role when
// extraRoles is 0). The scenario's own groups, roles and users are unchanged; seedSnapshot()
// describes the scenario only.

import type { SeedGroup } from './seedCognito.ts';
import type { SeedRole } from './seedIam.ts';
import { IDENTITY_POOL_IDS, roleArn, tableArn } from './seedIds.ts';

export interface ExtraSeed {
  /** Groups to add to the user pool. */
  extraGroups?: number;
  /** Roles to add to IAM (the extra groups name them round-robin). */
  extraRoles?: number;
}

/** The bench's sizes (issue 5 item 7): 1,000 groups over 200 roles. */
export const BENCH_SEED: Required<ExtraSeed> = { extraGroups: 1000, extraRoles: 200 };

export function extraRoles(seed: ExtraSeed = {}): SeedRole[] {
  return Array.from({ length: seed.extraRoles ?? 0 }, (_, i) => ({
    RoleName: `BenchRole${String(i).padStart(3, '0')}`,
    Description: 'bench-sized seed',
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': IDENTITY_POOL_IDS.books },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      }],
    },
    Attached: [],
    Inline: { read: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn('book-table') }] } },
  }));
}

export function extraGroups(seed: ExtraSeed = {}): SeedGroup[] {
  const roles = extraRoles(seed);
  return Array.from({ length: seed.extraGroups ?? 0 }, (_, i) => ({
    GroupName: `bench-${String(i).padStart(4, '0')}`,
    Precedence: 10 + (i % 50),
    ...(roles.length ? { RoleArn: roleArn(roles[i % roles.length]!.RoleName) } : {}),
    Description: 'bench-sized seed',
  }));
}
