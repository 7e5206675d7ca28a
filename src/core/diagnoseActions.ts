// POLICY_UNKNOWN_ACTION and ROLE_GRANTS_NOTHING (findings.md, "Found in real definitions"): an
// Allow naming an action that no AWS service has (`dynamo:*`, `dynamodb:GetItems`) grants nothing,
// and a role may end up granting nothing at all. Actions are checked against the injected service
// reference (iamActions.ts); without one, only roles with no Allow statement are judged.
import { rolePolicies } from './access.ts';
import type { Finding, FindingSubject } from './findings.ts';
import { finding } from './findings.ts';
import type { GapIndex } from './gaps.ts';
import { statementJson, statementLabel } from './iam/index.ts';
import type { Policy, Statement } from './iam/types.ts';
import type { ActionVerdict, IamActionCatalog } from './iamActions.ts';
import { knownActions } from './iamActions.ts';
import { mappingKeysOf, providersOf, roleMappingOf } from './providers.ts';
import type { Role, Snapshot, SnapshotIndex } from './snapshot.ts';
import { parseProviderName } from './snapshot.ts';

type RolePolicies = ReturnType<typeof rolePolicies>;
type Unknown = { action: string; verdict: Extract<ActionVerdict, { known: false }> };

const cap = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

export function checkActions(snapshot: Snapshot, index: SnapshotIndex, gaps: GapIndex): Finding[] {
  const catalog = knownActions();
  const parsed = new Map<Role, RolePolicies>();
  const policiesOf = (role: Role): RolePolicies => {
    let policies = parsed.get(role);
    if (!policies) parsed.set(role, (policies = rolePolicies(role)));
    return policies;
  };
  const findings: Finding[] = [];
  if (catalog) {
    for (const role of snapshot.roles) if (!role.Missing && !role.Unreadable) findings.push(...unknownActions(role, policiesOf(role), catalog));
  }
  // Which roles allow nothing is decided per role first; only those need the ways users get them.
  const empty = new Map<string, Nothing>();
  for (const role of index.rolesByArn.values()) {
    if (role.Missing || role.Unreadable) continue;
    const why = allowsNothing(policiesOf(role), catalog);
    if (why) empty.set(role.Arn, why);
  }
  if (empty.size === 0) return findings;
  for (const [arn, use] of handedOut(snapshot, index, gaps, empty)) {
    const role = index.rolesByArn.get(arn)!;
    const f = grantsNothing(snapshot, role, policiesOf(role), use, empty.get(arn)!);
    if (f) findings.push(f);
  }
  return findings;
}

function unknownIn(statement: Statement, catalog: IamActionCatalog | null): Unknown[] {
  if (!catalog || statement.Effect !== 'Allow' || !statement.Action) return [];
  const out: Unknown[] = [];
  for (const action of statement.Action) {
    const verdict = catalog.check(action);
    if (!verdict.known) out.push({ action, verdict });
  }
  return out;
}

function describeUnknown({ action, verdict }: Unknown): string {
  const name = action.slice(action.indexOf(':') + 1);
  const why = verdict.problem === 'no-service-prefix'
    ? `${action} has no service prefix (IAM wants service:action)`
    : verdict.problem === 'unknown-service'
      ? `no service has the prefix ${verdict.service}`
      : /[*?]/.test(name) ? `${action} matches no action of ${verdict.service}` : `${verdict.service} has no action ${name}`;
  return verdict.suggestion ? `${why} (did you mean ${verdict.suggestion}?)` : why;
}

// ---------------------------------------------------------------------------------------------
// POLICY_UNKNOWN_ACTION: Allow statements (not NotAction) of every role the snapshot has

function unknownActions(role: Role, { identity, boundary }: RolePolicies, catalog: IamActionCatalog): Finding[] {
  const findings: Finding[] = [];
  for (const policy of boundary ? [...identity, boundary] : identity) {
    for (const statement of policy.Statement) {
      const unknown = unknownIn(statement, catalog);
      if (unknown.length === 0) continue;
      const where = statementLabel({ sid: statement.Sid, index: statement.index, policyName: policy.name, policyKind: policy.kind });
      const replacements = new Map(unknown.map((u) => [u.action, u.verdict.suggestion]));
      const actions = [...new Set(statement.Action!.flatMap((a) => (replacements.has(a) ? (replacements.get(a) ? [replacements.get(a)!] : []) : [a])))];
      const dropped = unknown.filter((u) => !u.verdict.suggestion).map((u) => u.action);
      const all = unknown.length === statement.Action!.length;
      findings.push(
        finding(
          'POLICY_UNKNOWN_ACTION',
          { kind: 'role', id: role.Arn },
          `${cap(where)} of role ${role.RoleName} allows ${unknown.map((u) => u.action).join(', ')}, which AWS's service reference (${catalog.label}) does not know: ${unknown.map(describeUnknown).join('; ')}. ${all ? 'The statement grants nothing.' : `${unknown.length > 1 ? 'Those entries grant' : 'That entry grants'} nothing.`}`,
          (actions.length > 0
            ? `Name real actions${dropped.length ? ` (${dropped.join(', ')} left out: no close match, write its real name)` : ''}:\n${pretty({ ...statementJson(statement), Action: actions.length === 1 ? actions[0] : actions })}`
            : `Write the actions' real names (the Service Authorization Reference lists each service's actions), e.g. dynamodb:GetItem.`)
            + `\n(An action AWS added after ${catalog.data.updatedAt.slice(0, 10) || 'the data'} is unknown here until ${catalog.data.source} is updated.)`,
        ),
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// ROLE_GRANTS_NOTHING: roles an identity pool hands out

interface HandOut {
  /** How users get it: "the authenticated role of identity pool ...", "group BooksRead's role ...". */
  ways: Set<string>;
  pools: Set<string>;
  /** Chosen for some users on purpose (a rule or a group), not only a pool's default role. */
  selected: boolean;
}

/** How users get each role of `only` (the ways are described only for those roles). */
function handedOut(snapshot: Snapshot, index: SnapshotIndex, gaps: GapIndex, only: ReadonlyMap<string, unknown>): Map<string, HandOut> {
  const out = new Map<string, HandOut>();
  const add = (arn: string, pool: string, way: string, selected: boolean): void => {
    let use = out.get(arn);
    if (!use) out.set(arn, (use = { ways: new Set(), pools: new Set(), selected: false }));
    use.ways.add(way);
    use.pools.add(pool);
    use.selected ||= selected;
  };
  for (const pool of snapshot.identityPools) {
    const id = pool.IdentityPoolId;
    if (gaps.identityPoolRoles(id)) continue;
    if (pool.Roles.authenticated && only.has(pool.Roles.authenticated)) add(pool.Roles.authenticated, id, `the authenticated role of identity pool ${id}`, false);
    if (pool.Roles.unauthenticated && pool.AllowUnauthenticatedIdentities && only.has(pool.Roles.unauthenticated)) add(pool.Roles.unauthenticated, id, `the guest role of identity pool ${id}`, false);
    for (const provider of providersOf(pool)) {
      const userPool = provider.kind === 'user-pool' ? index.userPoolsById.get(parseProviderName(provider.name)?.userPoolId ?? '') : undefined;
      for (const key of mappingKeysOf(provider)) {
        const mapping = roleMappingOf(pool, provider, key);
        if (mapping?.Type === 'Rules') (mapping.RulesConfiguration?.Rules ?? []).forEach((rule, i) => only.has(rule.RoleARN) && add(rule.RoleARN, id, `the role of rule Rules[${i}] of identity pool ${id}'s mapping for ${key}`, true));
        else if (mapping?.Type === 'Token' && userPool && !gaps.userPoolGroups(userPool.Id)) {
          for (const group of userPool.Groups) if (group.RoleArn && only.has(group.RoleArn)) add(group.RoleArn, id, `group ${group.GroupName}'s role through identity pool ${id}'s Token mapping`, true);
        }
      }
    }
  }
  return out;
}

/** An Allow statement that allows at least one real action (NotAction always does). */
function allowsSomething(statement: Statement, catalog: IamActionCatalog | null): boolean {
  if (statement.Effect !== 'Allow') return false;
  if (statement.NotAction) return true;
  return (statement.Action ?? []).length > unknownIn(statement, catalog).length;
}

/** Why a role allows nothing at all, or undefined when it allows something (or may: a policy not understood). */
interface Nothing {
  reason: string;
  fix: 'actions' | 'boundary' | 'policy';
  /** Its policies have no Allow statement at all (a pool's default role may be meant so). */
  noAllow: boolean;
}

function allowsNothing({ identity, boundary }: RolePolicies, catalog: IamActionCatalog | null): Nothing | undefined {
  // A policy that could not be read or understood may allow anything: no claim.
  if (identity.some((p) => p.problems.length > 0)) return undefined;
  const intended = allowsOf(identity);
  const noAllow = intended.length === 0;
  if (identity.length === 0) return { reason: 'it has no permission policies', fix: 'policy', noAllow };
  if (noAllow) return { reason: `its policies (${identity.map((p) => `"${p.name}"`).join(', ')}) have no Allow statement`, fix: 'policy', noAllow };
  if (!intended.some((s) => allowsSomething(s, catalog))) {
    return { reason: `every Allow of its policies names only actions that do not exist (${[...new Set(intended.flatMap((s) => s.Action ?? []))].join(', ')})`, fix: 'actions', noAllow };
  }
  if (boundary && boundary.problems.length === 0 && !allowsOf([boundary]).some((s) => allowsSomething(s, catalog))) {
    return { reason: `its permissions boundary "${boundary.name}" ${allowsOf([boundary]).length ? 'allows only actions that do not exist' : 'has no Allow statement'}, and a boundary caps whatever the policies allow`, fix: 'boundary', noAllow };
  }
  return undefined;
}

const allowsOf = (policies: Policy[]): Statement[] => policies.flatMap((p) => p.Statement.filter((s) => s.Effect === 'Allow'));

function grantsNothing(snapshot: Snapshot, role: Role, { boundary }: RolePolicies, use: HandOut, nothing: Nothing): Finding | undefined {
  // A pool's default role left without any Allow is the least-privilege fallback on purpose.
  if (!use.selected && nothing.noAllow) return undefined;
  const example = exampleStatement(snapshot);
  const fix = nothing.fix === 'actions'
    ? `Correct the action names: the POLICY_UNKNOWN_ACTION findings on ${role.RoleName} show each corrected statement.`
    : nothing.fix === 'boundary'
      ? `Allow the actions these users need in the permissions boundary "${boundary!.name}" too, e.g.\n${pretty(example)}`
      : `Attach a policy that allows what these users need, e.g.\n${pretty({ Version: '2012-10-17', Statement: [example] })}\nor, if they are meant to get nothing, stop handing this role out (remove the rule, or the group's RoleArn).`;
  const ways = [...use.ways];
  return finding(
    'ROLE_GRANTS_NOTHING',
    { kind: 'role', id: role.Arn },
    `Role ${role.RoleName} allows nothing: ${nothing.reason}. It is ${ways.slice(0, 3).join('; ')}${ways.length > 3 ? `; and ${ways.length - 3} more` : ''}: users who get it can call no AWS action.`,
    fix,
    { related: [...use.pools].map((id): FindingSubject => ({ kind: 'identityPool', id })) },
  );
}

/** A statement to start from: read access to the snapshot's first table. */
function exampleStatement(snapshot: Snapshot): Record<string, unknown> {
  const table = snapshot.tables[0]?.TableArn ?? `arn:aws:dynamodb:${snapshot.region}:${snapshot.accountId}:table/<table>`;
  return { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: table };
}
