// "What happens when this user signs in?": groups to claims, claims to a role, and whether STS
// lets Cognito assume it. The `resolution` object is the CLI's simulate JSON (shared/spec/cli.md).
// Beyond the article (cognito-semantics.md section 6): other identity providers, principal tags
// (session tags, which also need sts:TagSession in the trust policy), the pre token generation
// trigger and the basic (classic) flow.
import { claimList, regionOfUserPoolId } from './claims.ts';
import type { Finding } from './findings.ts';
import { GapIndex, gapTopic } from './gaps.ts';
import { predictClaims } from './groups.ts';
import type { PredictedClaims } from './groups.ts';
import type { CognitoError, Login, RoleSource } from './identityPool.ts';
import { basicFlowChoice, chooseRole, ERRORS } from './identityPool.ts';
import type { PoolProvider, ProviderKind } from './providers.ts';
import { amrCatalogOf, guessKind } from './providers.ts';
import { ownValue, setOwn } from './records.ts';
import { computeSessionTags, tagClaimsOf } from './sessionTags.ts';
import type { IdentityPool, PoolUser, Snapshot, UserPool } from './snapshot.ts';
import { pickClient, pickIdentityPool, pickIdentityPoolForProvider, pickUserPool, SimulationInputError } from './simulatePools.ts';
import { parseProviderName, providerNameFor, roleNameFromArn, SnapshotIndex } from './snapshot.ts';
import type { TokenTrigger, TriggerOverride } from './trigger.ts';
import { applyOverride, describeTrigger, hasOverride, tokenTriggerOf } from './trigger.ts';
import { checkTrust, type IdentityKind, type TrustTarget } from './trust.ts';

export interface Resolution {
  outcome: 'credentials' | 'error';
  roleArn: string | null;
  source: RoleSource | null;
  error: CognitoError | null;
  /** Finding codes that explain an error, else []. */
  findings: string[];
  steps: string[];
  /** The session tags Cognito passes to STS (principal tags), or null when no tag map applies. */
  sessionTags: Record<string, string> | null;
  /** What the prediction cannot see (a pre token generation trigger, a developer backend's tags), as short sentences. */
  notes: string[];
}

export interface SimulationResult {
  /** The predicted cognito:* claims (after a simulated trigger override); null for a guest or another provider's login. */
  claims: PredictedClaims | null;
  resolution: Resolution;
  /** The pools the simulation ran against. */
  userPoolId: string | null;
  clientId: string | null;
  identityPoolId: string;
  /** The kind of identity (decides the trust policy's amr). */
  identityKind: IdentityKind;
  /** The trust findings behind an error, in full. */
  trustFindings: Finding[];
  /** The login's provider: a user pool, or another provider of the identity pool; null for a guest. */
  provider: { name: string; kind: ProviderKind } | null;
  /** Basic (classic) flow or the enhanced flow. */
  flow: 'enhanced' | 'basic';
  /** The user pool's pre token generation trigger, and the override simulated, if any. */
  trigger: { lambdaArn: string | null; version: string | null; problems: string[]; override: TriggerOverride | null; predictedClaims: PredictedClaims } | null;
}

export interface SimulateOptions {
  userPoolId?: string;
  clientId?: string;
  identityPoolId?: string;
  /** A user listed in the snapshot's Users. */
  user?: string;
  /** Group names, instead of a user. */
  groups?: string[];
  guest?: boolean;
  /**
   * A Logins provider other than a user pool: `accounts.google.com`, an OIDC provider's host (or its
   * ARN), a SAML provider ARN, the developer provider. Its token's claims come from `claims`.
   */
  provider?: string;
  /** Extra token claims (for Rules mappings and principal tags), e.g. { "custom:dept": "books" }. */
  claims?: Record<string, string>;
  customRoleArn?: string;
  /** Basic (classic) flow: GetOpenIdToken, then the client assumes `roleArn` itself. */
  basicFlow?: boolean;
  /** The role the client asks STS for in the basic flow. */
  roleArn?: string;
  /** A simulated pre token generation trigger's answer: replaces cognito:groups. */
  overrideGroups?: string[];
  /** ... replaces cognito:roles. */
  overrideRoles?: string[];
  /** ... replaces cognito:preferred_role. */
  overridePreferredRole?: string;
}

/** Placeholder `sub` of a simulated user pool token (no real user): fixed and documented, like the simulated identity ids. */
export const SIMULATED_SUB = '00000000-0000-4000-8000-00000000000a';

/** Simulates a sign-in described by groups or a snapshot user, another provider's login, or a guest. */
export function simulate(snapshot: Snapshot, options: SimulateOptions, index = new SnapshotIndex(snapshot)): SimulationResult {
  if (options.basicFlow && !options.roleArn) throw new SimulationInputError('the basic flow needs the role the client asks for: pass --role ARN');
  if (!options.basicFlow && options.roleArn) throw new SimulationInputError('--role goes with --basic-flow (in the enhanced flow the identity pool chooses the role; ask with --custom-role-arn)');
  const override: TriggerOverride = {};
  if (options.overrideGroups) override.groups = options.overrideGroups;
  if (options.overrideRoles) override.roles = options.overrideRoles;
  if (options.overridePreferredRole !== undefined) override.preferredRole = options.overridePreferredRole;
  const overriding = hasOverride(override);
  const flow = options.basicFlow ? { roleArn: options.roleArn! } : undefined;
  if (options.guest) {
    if (overriding) throw new SimulationInputError('a guest has no token: the trigger overrides do not apply');
    const identityPool = pickIdentityPool(snapshot, options.identityPoolId, null);
    return resolve({ snapshot, index, identityPool, login: null, userPool: null, claimSteps: [], customRoleArn: options.customRoleArn, flow, notes: [] });
  }
  if (options.provider !== undefined) {
    if (overriding) throw new SimulationInputError(`the trigger overrides belong to a user pool's tokens, not to ${options.provider}`);
    const identityPool = pickIdentityPoolForProvider(snapshot, options.identityPoolId, options.provider);
    const claims = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(options.claims ?? {})) setOwn(claims, k, v);
    const aud = ownValue(claims, 'aud');
    const login: Login = { providerName: options.provider, clientId: typeof aud === 'string' ? aud : '', claims };
    return resolve({ snapshot, index, identityPool, login, userPool: null, claimSteps: [], customRoleArn: options.customRoleArn, flow, notes: [] });
  }
  const userPool = pickUserPool(snapshot, options.userPoolId, { clientId: options.clientId, identityPoolId: options.identityPoolId, user: options.user });
  let groups = options.groups;
  if (options.user !== undefined) {
    const user = usersByName(userPool).get(options.user);
    if (!user) {
      const known = userPool.Users?.map((u) => u.Username) ?? [];
      throw new SimulationInputError(
        known.length
          ? `user ${JSON.stringify(options.user)} is not in user pool ${userPool.Id} (the snapshot lists ${known.join(', ')})`
          : `user ${JSON.stringify(options.user)}: the snapshot lists no users for user pool ${userPool.Id}; pass --groups instead`,
      );
    }
    groups = user.Groups;
  }
  if (!groups) throw new SimulationInputError('say who signs in: --user NAME, --groups A,B, --provider NAME or --guest');
  const clientId = pickClient(snapshot, userPool, options.clientId, options.identityPoolId);
  const identityPool = pickIdentityPool(snapshot, options.identityPoolId, { userPool, clientId });
  const prediction = predictClaims(userPool, groups);
  const claimSteps = [...prediction.steps];
  const notes: string[] = [];
  const trigger = tokenTriggerOf(userPool, snapshot.region);
  let tokenClaims = prediction.claims;
  triggerSteps(userPool, trigger, claimSteps, notes, overriding);
  if (overriding) {
    const applied = applyOverride(prediction.claims, override);
    tokenClaims = applied.claims;
    claimSteps.push(...applied.steps);
  }
  // The ID token's claims: --claim values, the simulated standard claims, then the cognito:* claims.
  const claims = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(options.claims ?? {})) setOwn(claims, k, v);
  const standard: [string, unknown][] = [
    ['iss', `https://cognito-idp.${regionOfUserPoolId(userPool.Id) ?? snapshot.region}.amazonaws.com/${userPool.Id}`],
    ['aud', clientId],
    ['token_use', 'id'],
    ['sub', SIMULATED_SUB],
  ];
  if (options.user !== undefined) standard.push(['cognito:username', options.user]);
  for (const [k, v] of standard) if (ownValue(claims, k) === undefined) setOwn(claims, k, v);
  setOwn(claims, 'cognito:groups', tokenClaims['cognito:groups']);
  if (tokenClaims['cognito:roles']) setOwn(claims, 'cognito:roles', tokenClaims['cognito:roles']);
  if (tokenClaims['cognito:preferred_role']) setOwn(claims, 'cognito:preferred_role', tokenClaims['cognito:preferred_role']);
  const login: Login = { providerName: providerNameFor(snapshot.region, userPool.Id), clientId, claims };
  const result = resolve({ snapshot, index, identityPool, login, userPool, claimSteps, customRoleArn: options.customRoleArn, flow, notes });
  return {
    ...result,
    claims: tokenClaims,
    trigger: trigger || overriding
      ? { lambdaArn: trigger?.lambdaArn ?? null, version: trigger?.version ?? null, problems: trigger?.problems ?? [], override: overriding ? override : null, predictedClaims: prediction.claims }
      : null,
  };
}

/** The steps and notes a pre token generation trigger adds to a prediction from groups. */
function triggerSteps(userPool: UserPool, trigger: TokenTrigger | null, steps: string[], notes: string[], overriding: boolean): void {
  if (trigger) {
    steps.push(
      `User pool ${userPool.Id} has a ${describeTrigger(trigger)}: the groups and roles above are what Cognito sends to it (groupConfiguration), and it may replace cognito:groups, cognito:roles and cognito:preferred_role in the token${overriding ? '' : ', so the prediction holds unless the trigger overrides them'}.`,
    );
    notes.push(`The prediction from groups holds unless the ${describeTrigger(trigger)} overrides cognito:groups, cognito:roles or cognito:preferred_role.`);
    for (const problem of trigger.problems) notes.push(`Trigger configuration: ${problem}.`);
  } else if (overriding) {
    notes.push(`User pool ${userPool.Id} has no pre token generation trigger in the snapshot: the override is hypothetical.`);
  }
}

export interface TokenSimulateOptions {
  identityPoolId: string;
  /** The ID token's claims, as decoded (iss, aud, cognito:*, custom:*). */
  idTokenClaims: Record<string, unknown>;
  customRoleArn?: string;
  /**
   * The Logins key when the token is not a user pool's: an OIDC provider's host (or its ARN), a
   * social provider, a SAML provider ARN. Omitted: the user pool named by the token's `iss`.
   */
  provider?: string;
  /** Basic (classic) flow: GetOpenIdToken, then the client assumes this role itself. */
  basicFlowRoleArn?: string;
}

/** Simulates the identity pool for a real ID token (the live "Test as user" prediction). */
export function simulateFromToken(snapshot: Snapshot, options: TokenSimulateOptions, index = new SnapshotIndex(snapshot)): SimulationResult {
  const identityPool = pickIdentityPool(snapshot, options.identityPoolId, null);
  const claims = options.idTokenClaims;
  const flow = options.basicFlowRoleArn ? { roleArn: options.basicFlowRoleArn } : undefined;
  if (options.provider !== undefined) {
    // Another provider's token: its claims as they are (no cognito:* prediction, no trigger).
    const aud = Array.isArray(claims['aud']) ? claims['aud'][0] : claims['aud'];
    const login: Login = { providerName: options.provider, clientId: typeof aud === 'string' ? aud : '', claims };
    return resolve({ snapshot, index, identityPool, login, userPool: null, claimSteps: [], customRoleArn: options.customRoleArn, flow, notes: [] });
  }
  const iss = typeof claims['iss'] === 'string' ? claims['iss'] : '';
  const poolId = iss.slice(iss.lastIndexOf('/') + 1);
  const aud = Array.isArray(claims['aud']) ? claims['aud'][0] : claims['aud'];
  // The Logins key is built from the issuer's pool id; the region is the pool id's prefix when it has one.
  const region = regionOfUserPoolId(poolId) ?? snapshot.region;
  const login: Login = { providerName: providerNameFor(region, poolId), clientId: typeof aud === 'string' ? aud : '', claims };
  const userPool = index.userPoolsById.get(poolId) ?? null;
  const tokenClaims: PredictedClaims = {
    'cognito:groups': claimList(claims['cognito:groups']),
    'cognito:roles': claims['cognito:roles'] === undefined ? null : claimList(claims['cognito:roles']),
    'cognito:preferred_role': typeof claims['cognito:preferred_role'] === 'string' ? claims['cognito:preferred_role'] : null,
  };
  const notes: string[] = [];
  const trigger = userPool ? tokenTriggerOf(userPool, snapshot.region) : null;
  if (trigger) notes.push(`The token comes from a user pool with a ${describeTrigger(trigger)}: its cognito:* claims are what the trigger left, which may differ from the groups.`);
  const result = resolve({ snapshot, index, identityPool, login, userPool, claimSteps: [], customRoleArn: options.customRoleArn, flow, notes });
  return { ...result, claims: tokenClaims };
}

interface ResolveInput {
  snapshot: Snapshot;
  index: SnapshotIndex;
  identityPool: IdentityPool;
  login: Login | null;
  userPool: UserPool | null;
  claimSteps: string[];
  customRoleArn: string | undefined;
  /** Basic (classic) flow with the role the client asks for. */
  flow?: { roleArn: string } | undefined;
  notes: string[];
}

type Outcome = Omit<SimulationResult, 'trigger'> & { trigger: SimulationResult['trigger'] };

function resolve(input: ResolveInput): Outcome {
  const { snapshot, index, identityPool, login, userPool, claimSteps, customRoleArn, flow, notes } = input;
  const gap = gapsOf(snapshot).identityPool(identityPool.IdentityPoolId)
    ?? (userPool && claimSteps.length > 0 ? gapsOf(snapshot).userPoolGroups(userPool.Id) : undefined);
  const common = {
    claims: null, userPoolId: userPool?.Id ?? null,
    clientId: login && (parseProviderName(login.providerName) || identityPool.CognitoIdentityProviders.some((p) => p.ProviderName === login.providerName)) ? login.clientId : null,
    identityPoolId: identityPool.IdentityPoolId, flow: flow ? ('basic' as const) : ('enhanced' as const), trigger: null,
  };
  if (gap) {
    // Not captured: never a guess such as "no authenticated role" because the roles were unread.
    const what = `${gapTopic(gap)} of ${gap.resource ?? 'the account'}`;
    return {
      ...common, identityKind: login ? 'authenticated' : 'unauthenticated', trustFindings: [], provider: login ? { name: login.providerName, kind: guessKind(login.providerName) } : null,
      resolution: {
        outcome: 'error', roleArn: null, source: null, findings: ['SCAN_INCOMPLETE'], sessionTags: null, notes,
        error: { code: NOT_CAPTURED, message: `The scan could not read the ${what} (${gap.service}:${gap.operation}: ${gap.error}), so the role choice cannot be predicted. Scan again with ${gap.permission}.` },
        steps: [...claimSteps, `The snapshot does not hold the ${what}: the scan's ${gap.operation} failed with ${gap.error}.`],
      },
    };
  }
  const choice = flow ? basicFlowChoice(identityPool, login, flow.roleArn) : chooseRole(identityPool, login, customRoleArn);
  const steps = [...claimSteps, ...choice.steps];
  const provider = choice.provider ?? null;
  const shownProvider = provider ? { name: provider.name, kind: provider.kind } : login ? { name: login.providerName, kind: guessKind(login.providerName) } : null;
  const base = { ...common, identityKind: choice.identityKind, provider: shownProvider };

  // Principal tags: from the token's claims, for the provider used (guests carry none).
  const tagGap = login && provider ? gapsOf(snapshot).principalTags(identityPool.IdentityPoolId, provider.name) : undefined;
  if (tagGap) notes.push(`The scan could not read the principal-tag map for ${provider!.name} (${tagGap.operation}: ${tagGap.error}): session tags, and whether the trust policy needs sts:TagSession, are not predicted.`);
  const tagResult = login && provider && !tagGap ? computeSessionTags(identityPool, provider, login.claims) : null;
  const sessionTags = tagResult?.tags ?? null;
  if (tagResult) steps.push(...tagResult.steps);
  if (provider?.kind === 'developer') notes.push('Developer-authenticated identities may also carry PrincipalTags that the backend passes to GetOpenIdTokenForDeveloperIdentity; the snapshot cannot show them.');

  const fail = (error: CognitoError, findings: string[], trustFindings: Finding[] = []): Outcome => ({
    ...base,
    resolution: { outcome: 'error', roleArn: null, source: null, error, findings, steps, sessionTags, notes },
    trustFindings,
  });
  if (choice.error || !choice.roleArn) {
    const error = choice.error ?? ERRORS.invalidConfiguration;
    return fail(error, choiceErrorFindings(error, choice.identityKind));
  }
  const roleArn = choice.roleArn;
  const role = index.rolesByArn.get(roleArn);
  const name = roleNameFromArn(roleArn);
  const stsRefuses = flow ? ERRORS.stsNotAuthorized : ERRORS.invalidConfiguration;
  const tagFailure = (): Outcome | null => {
    if (!tagResult || tagResult.problems.length === 0) return null;
    steps.push(`STS refuses the session tags (inferred from the STS limits): ${tagResult.problems.join('; ')}.`);
    return fail(flow ? { code: 'ValidationError', message: 'The session tags break the STS limits (inferred).' } : ERRORS.invalidConfiguration, ['PRINCIPAL_TAG_VALUE_INVALID']);
  };
  const ok = (): Outcome => ({
    ...base,
    resolution: { outcome: 'credentials', roleArn, source: choice.source, error: null, findings: [], steps, sessionTags, notes },
    trustFindings: [],
  });
  if (!role) {
    steps.push(`Role ${name} is not in the snapshot: whether its trust policy lets ${flow ? 'the client' : 'Cognito'} assume it is not checked.`);
    return tagFailure() ?? ok();
  }
  if (role.Missing) {
    steps.push(`Role ${name} does not exist: STS cannot assume it.`);
    return fail(stsRefuses, [choice.source === 'preferred-role' || choice.source === 'custom-role-arn' ? 'GROUP_ROLE_MISSING' : 'POOL_ROLE_MISSING']);
  }
  if (role.Unreadable) {
    steps.push(`Role ${name} could not be read (${role.Unreadable}): its trust policy is not checked.`);
    return tagFailure() ?? ok();
  }
  // A tag map applies for this provider: the trust must allow sts:TagSession, whether or not a tag
  // gets a value for this user (cognito-semantics.md section 6: without it "every credential
  // request through that provider fails"; the sandbox does the same).
  const tagged = Boolean(tagResult && sessionTags && tagResult.map);
  if (tagged && Object.keys(sessionTags!).length === 0) steps.push('No session tag gets a value for this token, but the provider has a tag map: the trust policy must still allow sts:TagSession.');
  const verdict = checkTrust(role, trustTargetFor(snapshot, identityPool, choice.identityKind, provider, userPool ?? userPoolOf(snapshot, login), tagged ? {
    provider: provider!.name, tags: sessionTags!, describe: tagClaimsOf(tagResult!.map!, provider!.kind).map(([t, c]) => `${t} from ${c}`).join(', ') || 'no tags',
  } : undefined));
  if (!verdict.policy) {
    steps.push(`Role ${name}'s trust policy could not be read: not checked.`);
    return tagFailure() ?? ok();
  }
  const who = flow ? 'The client' : 'Cognito';
  if (!verdict.assumable) {
    const explaining = verdict.findings.filter((f) => f.severity === 'error');
    const shown = explaining.length > 0 ? explaining : verdict.findings;
    steps.push(`${who} asks STS to assume ${name} (AssumeRoleWithWebIdentity${tagged ? ' with session tags' : ''}); its trust policy refuses: ${shown.map((f) => f.message).join(' ') || verdict.decision?.explanation.summary || 'no statement allows it.'}`);
    const codes = [...new Set(shown.map((f) => f.code))];
    if (tagResult && tagResult.problems.length > 0) codes.push('PRINCIPAL_TAG_VALUE_INVALID');
    return fail(stsRefuses, codes, verdict.findings);
  }
  const failed = tagFailure();
  if (failed) return failed;
  steps.push(
    `The trust policy of ${name} lets ${'cognito-identity.amazonaws.com'} assume it${tagged ? ' and tag the session (sts:TagSession)' : ''} for identity pool ${identityPool.IdentityPoolId}; the caller becomes arn:aws:sts::${roleAccount(roleArn, snapshot)}:assumed-role/${name}/${flow ? '<session name the client chose>' : 'CognitoIdentityCredentials'}.`,
  );
  if (flow) steps.push('Basic-flow credentials carry no Cognito session policy, also for guests.');
  return ok();
}

/** The trust check's target for a sign-in through `provider` (null: a guest). */
export function trustTargetFor(
  snapshot: Snapshot, identityPool: IdentityPool, kind: IdentityKind, provider: PoolProvider | null, userPool: UserPool | null, sessionTags?: TrustTarget['sessionTags'],
): TrustTarget {
  const target: TrustTarget = { identityPoolId: identityPool.IdentityPoolId, kind, amrCatalog: amrCatalogOf(identityPool) };
  if (provider && provider.kind !== 'user-pool') target.provider = provider.name;
  else if (userPool) target.userPool = { region: snapshot.region, id: userPool.Id };
  else if (provider) {
    const parsed = parseProviderName(provider.name);
    if (parsed) target.userPool = { region: parsed.region, id: parsed.userPoolId };
  }
  if (sessionTags) target.sessionTags = sessionTags;
  return target;
}

/** The error code of a prediction the snapshot cannot make (a scan gap covers what it needs). */
export const NOT_CAPTURED = 'NotCaptured';

const gapCache = new WeakMap<Snapshot, GapIndex>();
function gapsOf(snapshot: Snapshot): GapIndex {
  let gaps = gapCache.get(snapshot);
  if (!gaps) {
    gaps = new GapIndex(snapshot.scanGaps);
    gapCache.set(snapshot, gaps);
  }
  return gaps;
}

/** The finding codes that explain a role-choice error (none for a token or provider problem). */
function choiceErrorFindings(error: CognitoError, kind: IdentityKind): string[] {
  if (error.code === ERRORS.invalidConfiguration.code) return [kind === 'unauthenticated' ? 'POOL_UNAUTH_NO_ROLE' : 'POOL_NO_AUTHENTICATED_ROLE'];
  if (error.message.startsWith('The ambiguous role mapping rules')) return ['POOL_AMBIGUOUS_DENY'];
  return [];
}

/** User look-up by name, built once per pool (diagnose simulates every listed user). */
const usersCache = new WeakMap<UserPool, Map<string, PoolUser>>();
function usersByName(pool: UserPool): Map<string, PoolUser> {
  let map = usersCache.get(pool);
  if (!map) {
    map = new Map((pool.Users ?? []).map((u) => [u.Username, u]));
    usersCache.set(pool, map);
  }
  return map;
}

function roleAccount(roleArn: string, snapshot: Snapshot): string {
  return roleArn.split(':')[4] || snapshot.accountId;
}

function userPoolOf(snapshot: Snapshot, login: Login | null): UserPool | null {
  if (!login) return null;
  if (!parseProviderName(login.providerName)) return null;
  const parsed = parseProviderName(login.providerName);
  return parsed ? (snapshot.userPools.find((p) => p.Id === parsed.userPoolId) ?? null) : null;
}

export { pickClient, pickIdentityPool, pickIdentityPoolForProvider, pickUserPool, SimulationInputError, trustedClients } from './simulatePools.ts';
