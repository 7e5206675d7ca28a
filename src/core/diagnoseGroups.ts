// diagnose, user pool groups (findings.md, "User pool groups"): missing group roles, roles without
// precedence, precedence ties, and group roles that no identity pool takes from tokens.
import type { Finding, FindingSubject } from './findings.ts';
import { finding } from './findings.ts';
import type { GapIndex } from './gaps.ts';
import { formatPrecedence } from './groups.ts';
import { mappingKeyFor } from './identityPool.ts';
import { ownValue } from './records.ts';
import type { Group, IdentityPool, Snapshot, SnapshotIndex, UserPool } from './snapshot.ts';
import { providerNameFor, roleNameFromArn } from './snapshot.ts';

const groupId = (pool: UserPool, group: Group): string => `${pool.Id}/${group.GroupName}`;
const roleSubject = (arn: string): FindingSubject => ({ kind: 'role', id: arn });
const poolSubject = (pool: IdentityPool): FindingSubject => ({ kind: 'identityPool', id: pool.IdentityPoolId });

export function checkGroups(snapshot: Snapshot, pool: UserPool, index: SnapshotIndex, gaps: GapIndex): Finding[] {
  const findings: Finding[] = [];
  const byPrecedence = new Map<string, Group[]>();
  for (const group of pool.Groups) {
    if (!group.RoleArn) continue;
    const subject: FindingSubject = { kind: 'group', id: groupId(pool, group) };
    const role = index.rolesByArn.get(group.RoleArn);
    if (role?.Missing) {
      findings.push(
        finding(
          'GROUP_ROLE_MISSING',
          subject,
          `Group ${group.GroupName} of user pool ${pool.Id} names role ${roleNameFromArn(group.RoleArn)} (${group.RoleArn}), which does not exist.`,
          `Create the role ${group.RoleArn}, or set the group's RoleArn to an existing role (aws cognito-idp update-group --user-pool-id ${pool.Id} --group-name ${group.GroupName} --role-arn <ARN>).`,
          { related: [roleSubject(group.RoleArn)], symptom: 'InvalidIdentityPoolConfigurationException' },
        ),
      );
    }
    if (group.Precedence === null || group.Precedence === undefined) {
      findings.push(
        finding(
          'GROUP_ROLE_WITHOUT_PRECEDENCE',
          subject,
          `Group ${group.GroupName} of user pool ${pool.Id} carries role ${roleNameFromArn(group.RoleArn)} but has no precedence: it loses to every group with a number, so its members in another role group never get ${roleNameFromArn(group.RoleArn)} as preferred role.`,
          `Give the group a precedence (aws cognito-idp update-group --user-pool-id ${pool.Id} --group-name ${group.GroupName} --precedence N; lower wins).`,
        ),
      );
    }
    const key = String(group.Precedence ?? 'null');
    const same = byPrecedence.get(key) ?? [];
    same.push(group);
    byPrecedence.set(key, same);
  }
  for (const groups of byPrecedence.values()) {
    const roles = [...new Set(groups.map((g) => g.RoleArn!))];
    if (roles.length < 2) continue;
    const [first, ...rest] = groups;
    findings.push(
      finding(
        'GROUP_PRECEDENCE_TIE',
        { kind: 'group', id: groupId(pool, first!) },
        `Groups ${groups.map((g) => g.GroupName).join(', ')} of user pool ${pool.Id} share ${formatPrecedence(first!.Precedence)} with different roles (${roles.map(roleNameFromArn).join(', ')}): a user in two of them gets no cognito:preferred_role.`,
        `Give each of these groups its own precedence (lower wins), e.g. ${groups.map((g, i) => `${g.GroupName}=${(first!.Precedence ?? 0) + i}`).join(', ')}.`,
        { related: rest.map((g) => ({ kind: 'group' as const, id: groupId(pool, g) })) },
      ),
    );
  }
  // Group roles that an identity pool never uses for this pool's clients.
  if (pool.Groups.some((g) => g.RoleArn)) {
    const provider = providerNameFor(snapshot.region, pool.Id);
    for (const ip of snapshot.identityPools) {
      if (gaps.identityPoolRoles(ip.IdentityPoolId)) continue;
      for (const p of ip.CognitoIdentityProviders.filter((x) => x.ProviderName === provider)) {
        const mapping = ownValue(ip.RoleMappings, mappingKeyFor(p.ProviderName, p.ClientId));
        if (mapping?.Type === 'Token') continue;
        findings.push(
          finding(
            'GROUP_ROLES_IGNORED',
            { kind: 'userPool', id: pool.Id },
            `Groups of user pool ${pool.Id} carry IAM roles, but identity pool ${ip.IdentityPoolId} ${mapping ? 'maps its app client ' + p.ClientId + ' with rules' : 'has no role mapping for its app client ' + p.ClientId}: the group roles are never used there${mapping ? '' : `; every user gets ${ip.Roles.authenticated ? roleNameFromArn(ip.Roles.authenticated) : 'the authenticated role'}`}.`,
            `In identity pool ${ip.IdentityPoolId}, set the role mapping for ${p.ProviderName}:${p.ClientId} to "Choose role from token" (Type Token), or remove the roles from the groups if they are not meant to be used.`,
            { related: [poolSubject(ip)] },
          ),
        );
      }
    }
  }
  return findings;
}
