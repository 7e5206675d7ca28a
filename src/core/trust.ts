// Trust-policy checks (cognito-semantics.md section 3): may Cognito Identity assume this role
// for this identity pool and this kind of identity? The decision comes from the one IAM
// evaluator (src/core/iam/); the findings explain which part of the trust policy refuses.
// Sources: [CDG/role-trust-and-permissions], [IAMUG/reference_policies_iam-condition-keys]
// (cognito-identity.amazonaws.com:aud / :amr / :sub; amr is multivalued).
import type { Finding } from './findings.ts';
import { finding } from './findings.ts';
import { evaluateStatement, evaluateTrust, parsePolicy, statementRef } from './iam/index.ts';
import { matches } from './iam/patterns.ts';
import type { ConditionResult, Decision, Policy, RequestContext, Statement, StatementResult } from './iam/types.ts';
import type { Role } from './snapshot.ts';
import { decodePolicyDocument } from './snapshot.ts';
import { setOwn } from './records.ts';
import { amrPossible, describeAmrMiss } from './providers.ts';

export const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';
export const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';
/** Passing session tags needs this action too [IAMUG/id_session-tags; CDG/attributes-for-access-control]. */
export const TAG_SESSION_ACTION = 'sts:TagSession';
const AUD_KEY = `${COGNITO_IDENTITY}:aud`;
const AMR_KEY = `${COGNITO_IDENTITY}:amr`;
const VALID_COGNITO_KEYS = new Set([AUD_KEY, AMR_KEY, `${COGNITO_IDENTITY}:sub`]);
/** A user pool id: `<region>_<id>` (e.g. eu-central-1_AbCdEf123); an identity pool id is `<region>:<guid>`. */
const USER_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/;

export type IdentityKind = 'authenticated' | 'unauthenticated';

export interface TrustTarget {
  identityPoolId: string;
  kind: IdentityKind;
  /** The user pool whose users sign in (for the amr provider entries), when known. */
  userPool?: { region: string; id: string };
  /** The identity id (`cognito-identity.amazonaws.com:sub`); a placeholder when simulating. */
  identityId?: string;
  /** Every identity pool that hands out this role, for the corrected aud list. */
  allPoolIds?: string[];
  /**
   * A provider other than a user pool (`accounts.google.com`, an OIDC host, a SAML provider ARN, the
   * developer provider): its amr holds `authenticated` and this name (cognito-semantics.md section 6).
   */
  provider?: string;
  /**
   * Every provider name the pool's identities can carry in amr (its user pools and other providers).
   * When given, an amr condition that needs a provider name none of them carries is
   * TRUST_AMR_PROVIDER_MISMATCH.
   */
  amrCatalog?: string[];
  /**
   * Session tags Cognito passes for this provider (a principal-tag map applies): STS then also needs
   * sts:TagSession. `tags` are the values (placeholders when unknown); `describe` says where they come from.
   */
  sessionTags?: { provider: string; tags: Record<string, string>; describe: string };
}

export interface TrustVerdict {
  /** True when STS would let Cognito assume the role for this target. */
  assumable: boolean;
  decision: Decision | null;
  findings: Finding[];
  /** Null when the trust policy could not be read (missing, unreadable, malformed). */
  policy: Policy | null;
  /** The sts:TagSession decision, when session tags apply. */
  tagSession?: Decision;
}

/** The amr values Cognito puts in the web-identity request. */
export function amrFor(target: TrustTarget): string[] {
  if (target.kind === 'unauthenticated') return ['unauthenticated'];
  const amr = ['authenticated'];
  if (target.provider) {
    amr.push(target.provider);
  } else if (target.userPool) {
    const provider = `cognito-idp.${target.userPool.region}.amazonaws.com/${target.userPool.id}`;
    amr.push(provider, `${provider}:CognitoSignIn:00000000-0000-4000-8000-000000000000`);
  }
  return amr;
}

export function trustRequest(role: Role, target: TrustTarget, action = WEB_IDENTITY_ACTION): RequestContext {
  const region = target.identityPoolId.split(':')[0] ?? 'us-east-1';
  const context: RequestContext['context'] = {
    [AUD_KEY]: target.identityPoolId,
    [AMR_KEY]: amrFor(target),
    [`${COGNITO_IDENTITY}:sub`]: target.identityId ?? `${region}:00000000-0000-4000-8000-000000000000`,
    'aws:FederatedProvider': COGNITO_IDENTITY,
  };
  if (target.sessionTags) {
    // The tags of the request (IAMUG/reference_policies_condition-keys: aws:RequestTag, aws:TagKeys).
    const keys = Object.keys(target.sessionTags.tags);
    for (const key of keys) setOwn(context, `aws:RequestTag/${key}`, target.sessionTags.tags[key]);
    context['aws:TagKeys'] = keys;
  }
  return { action, resource: role.Arn, principal: { type: 'Federated', id: COGNITO_IDENTITY }, context };
}

/** Parses a role's trust policy, or explains why it cannot. */
export function readTrustPolicy(role: Role): { policy: Policy } | { problem: string } {
  let read = trustCache.get(role);
  if (!read) {
    read = parseTrustPolicy(role);
    trustCache.set(role, read);
  }
  return read;
}

/** Parsed trust policies, once per role object (simulating many users reads the same roles). */
const trustCache = new WeakMap<Role, { policy: Policy } | { problem: string }>();

function parseTrustPolicy(role: Role): { policy: Policy } | { problem: string } {
  if (role.AssumeRolePolicyDocument === undefined || role.AssumeRolePolicyDocument === null) return { problem: 'the role has no trust policy in the snapshot' };
  try {
    const document = decodePolicyDocument(role.AssumeRolePolicyDocument);
    return { policy: parsePolicy(document, { name: `trust policy of ${role.RoleName}`, kind: 'trust', arn: role.Arn }) };
  } catch (error) {
    return { problem: `the trust policy is ${(error as Error).message}` };
  }
}

/** The statement Cognito needs, for this pool (or every pool sharing the role) and kind of identity. */
export function recommendedTrustStatement(target: TrustTarget): Record<string, unknown> {
  const pools = target.allPoolIds && target.allPoolIds.length > 0 ? [...new Set([target.identityPoolId, ...target.allPoolIds])] : [target.identityPoolId];
  return {
    Effect: 'Allow',
    Principal: { Federated: COGNITO_IDENTITY },
    Action: target.sessionTags ? [WEB_IDENTITY_ACTION, TAG_SESSION_ACTION] : WEB_IDENTITY_ACTION,
    Condition: {
      StringEquals: { [AUD_KEY]: pools.length === 1 ? pools[0] : pools },
      'ForAnyValue:StringLike': { [AMR_KEY]: target.kind },
    },
  };
}

function fixWith(target: TrustTarget, lead: string): string {
  return `${lead} The statement Cognito needs:\n${JSON.stringify(recommendedTrustStatement(target), null, 2)}`;
}

/** Checks a role's trust policy for one identity pool and kind of identity. */
export function checkTrust(role: Role, target: TrustTarget): TrustVerdict {
  const read = readTrustPolicy(role);
  if ('problem' in read) {
    return { assumable: false, decision: null, policy: null, findings: [] };
  }
  const policy = read.policy;
  const request = trustRequest(role, target);
  const decision = evaluateTrust(policy, request);
  const results = policy.Statement.map((s) => evaluateStatement(s, policy, request));
  const findings: Finding[] = [];
  const subject = { kind: 'role' as const, id: role.Arn };
  const related = [{ kind: 'identityPool' as const, id: target.identityPoolId }];
  const name = role.RoleName;
  const symptom = 'InvalidIdentityPoolConfigurationException';
  const add = (code: Parameters<typeof finding>[0], message: string, fix: string, withSymptom = true): void => {
    findings.push(finding(code, subject, message, fix, { related, symptom: withSymptom ? symptom : undefined }));
  };

  const allows = results.filter((r) => r.effect === 'Allow');
  const cognito = allows.filter((r) => r.principalMatched && principalNamesCognito(r.statement));
  if (cognito.length === 0) {
    add(
      'TRUST_NO_COGNITO_PRINCIPAL',
      `The trust policy of ${name} has no Allow statement for the principal {"Federated": "${COGNITO_IDENTITY}"}${describePrincipals(allows)}, so Cognito Identity can never assume it.`,
      fixWith(target, `Add a statement for the Cognito Identity principal to the trust policy of ${name}.`),
    );
  } else if (!cognito.some((r) => r.actionMatched)) {
    const actions = [...new Set(cognito.flatMap((r) => r.statement.Action ?? (r.statement.NotAction ?? []).map((a: string) => `NotAction ${a}`)))];
    add(
      'TRUST_WRONG_ACTION',
      `The trust policy of ${name} lets ${COGNITO_IDENTITY} perform ${actions.join(', ') || 'no action'}, but Cognito calls ${WEB_IDENTITY_ACTION}.`,
      fixWith(target, `Set "Action" to "${WEB_IDENTITY_ACTION}" in the Cognito statement of ${name}'s trust policy.`),
    );
  }

  const candidates = cognito.filter((r) => r.actionMatched);
  for (const r of candidates) conditionFindings(r, target, add, name);

  const applying = candidates.filter((r) => r.applies);
  if (applying.length > 0 && applying.every((r) => !hasKey(r.statement, AUD_KEY))) {
    add(
      'TRUST_AUD_MISSING',
      `The trust policy of ${name} lets ${COGNITO_IDENTITY} assume it without a ${AUD_KEY} condition: any identity pool, in any account, can obtain this role.`,
      fixWith(target, `Add a StringEquals condition on ${AUD_KEY} with the identity pool id ${target.identityPoolId}.`),
      false,
    );
  }

  const denies = results.filter((r) => r.effect === 'Deny' && r.applies);
  for (const r of denies) {
    add(
      'TRUST_EXPLICIT_DENY',
      `${capitalized(describeStatement(r))} of ${name}'s trust policy denies ${WEB_IDENTITY_ACTION} to ${COGNITO_IDENTITY} for identity pool ${target.identityPoolId} (${target.kind} identities).`,
      `Remove that Deny statement, or narrow it (a condition that excludes identity pool ${target.identityPoolId}).`,
    );
  }
  const verdict: TrustVerdict = { assumable: decision.decision === 'allowed', decision, policy, findings };
  if (target.sessionTags) checkTagSession(role, policy, target, verdict, cognito, add);
  verdict.findings = dedupe(findings);
  return verdict;
}

/**
 * With session tags, STS also authorizes sts:TagSession against the trust policy, with the same
 * principal and context [IAMUG/id_session-tags, "Permissions required to add session tags"]. A trust
 * policy without it makes every credential request through that provider fail (InvalidIdentityPool-
 * Configuration; cognito-semantics.md section 6).
 */
function checkTagSession(
  role: Role,
  policy: Policy,
  target: TrustTarget,
  verdict: TrustVerdict,
  cognito: StatementResult[],
  add: (code: Parameters<typeof finding>[0], message: string, fix: string, withSymptom?: boolean) => void,
): void {
  const tags = target.sessionTags!;
  const request = trustRequest(role, target, TAG_SESSION_ACTION);
  const decision = evaluateTrust(policy, request);
  verdict.tagSession = decision;
  if (decision.decision === 'allowed') return;
  verdict.assumable = false;
  const tagResults = policy.Statement.map((s) => evaluateStatement(s, policy, request));
  const withAction = tagResults.filter((r) => r.effect === 'Allow' && r.principalMatched && principalNamesCognito(r.statement) && r.actionMatched);
  const denied = tagResults.filter((r) => r.effect === 'Deny' && r.applies);
  // The web-identity part failing already has its own finding; here only what sts:TagSession adds.
  if (withAction.length > 0 && denied.length === 0 && withAction.every((r) => r.conditions.every((c) => c.matched || !/^aws:(requesttag\/|tagkeys$)/i.test(c.key)))) return;
  const name = role.RoleName;
  const actions = [...new Set(cognito.flatMap((r) => r.statement.Action ?? []))];
  const why = denied.length > 0
    ? `${describeStatement(denied[0]!)} denies ${TAG_SESSION_ACTION}`
    : withAction.length > 0
      ? `its statements allow ${TAG_SESSION_ACTION} only under conditions these tags do not meet (${withAction.flatMap((r) => r.conditions.filter((c) => !c.matched).map((c) => `${c.operator} ${c.key}: ${c.reason}`)).join('; ')})`
      : `${cognito.length > 0 ? `its Cognito statement allows only ${actions.map((a) => JSON.stringify(a)).join(', ') || 'no action'}` : `it has no statement for ${COGNITO_IDENTITY}`}, not ${TAG_SESSION_ACTION}`;
  add(
    'TRUST_NO_TAG_SESSION',
    `Identity pool ${target.identityPoolId} maps principal tags for ${tags.provider} (${tags.describe}), so Cognito passes session tags when it assumes ${name}; the trust policy of ${name} does not allow ${TAG_SESSION_ACTION} for ${COGNITO_IDENTITY} (${why}). Every credential request through ${tags.provider} that gets ${name} with a tag fails (InvalidIdentityPoolConfigurationException).`,
    `Add "${TAG_SESSION_ACTION}" to the Action of the Cognito statement in the trust policy of ${name}. The corrected trust policy:\n${JSON.stringify(correctedForTagSession(role, policy, target), null, 2)}`,
  );
}

/** The trust policy with sts:TagSession added to every Cognito web-identity Allow statement (or the statement Cognito needs). */
function correctedForTagSession(role: Role, policy: Policy, target: TrustTarget): Record<string, unknown> {
  let document: Record<string, unknown>;
  try {
    document = structuredClone(decodePolicyDocument(role.AssumeRolePolicyDocument!));
  } catch {
    return { Version: '2012-10-17', Statement: [recommendedTrustStatement(target)] };
  }
  const request = trustRequest(role, target);
  const targets = new Set(
    policy.Statement.filter((s) => s.Effect === 'Allow' && principalNamesCognito(s) && evaluateStatement(s, policy, request).actionMatched).map((s) => s.index),
  );
  const raw = document['Statement'];
  const list = Array.isArray(raw) ? raw : [raw];
  let changed = false;
  list.forEach((statement, i) => {
    if (!targets.has(i) || typeof statement !== 'object' || statement === null) return;
    const s = statement as Record<string, unknown>;
    const action = s['Action'];
    const actions = Array.isArray(action) ? action.filter((a): a is string => typeof a === 'string') : typeof action === 'string' ? [action] : [];
    if (!actions.some((a) => a.toLowerCase() === TAG_SESSION_ACTION.toLowerCase())) s['Action'] = [...actions, TAG_SESSION_ACTION];
    changed = true;
  });
  if (!changed) return { ...document, Statement: [...list, recommendedTrustStatement(target)] };
  return document;
}

function conditionFindings(
  r: StatementResult,
  target: TrustTarget,
  add: (code: Parameters<typeof finding>[0], message: string, fix: string, withSymptom?: boolean) => void,
  name: string,
): void {
  const where = `${describeStatement(r)} of ${name}'s trust policy`;
  for (const c of r.conditions) {
    const key = c.key.toLowerCase();
    if (looksLikeCognitoKey(key) && !VALID_COGNITO_KEYS.has(key)) {
      const meant = closestKey(key);
      add(
        'TRUST_KEY_MISSPELLED',
        `In ${where}, the condition key ${JSON.stringify(c.key)} is not a Cognito key${meant ? ` (did you mean ${JSON.stringify(meant)}?)` : ''}: no request carries it, so the condition can never hold.`,
        fixWith(target, `Rename the key to ${JSON.stringify(meant ?? AUD_KEY)}.`),
      );
      continue;
    }
    if (key === AUD_KEY && !c.matched) classifyAud(c, target, where, add);
    if (key === AMR_KEY) {
      if (!/^forany?value:/i.test(c.operator) && !/^forallvalues:/i.test(c.operator)) {
        add(
          'TRUST_AMR_SINGLE_VALUE_OPERATOR',
          `In ${where}, ${AMR_KEY} is tested with ${c.operator}, a single-valued operator, although amr is multivalued (for a signed-in user it holds "authenticated" and the provider entries).`,
          fixWith(target, `Test amr with "ForAnyValue:StringLike" instead of "${c.operator}".`),
          false,
        );
      }
      const wanted = target.kind;
      const other = wanted === 'authenticated' ? 'unauthenticated' : 'authenticated';
      const values = c.policyValues.map((v) => v.toLowerCase());
      if (!c.matched && !values.some((v) => v === wanted || ((v.includes('*') || v.includes('?')) && matches(v, wanted, 'glob-ci', false)))) {
        const providerValues = c.policyValues.filter((v) => v.toLowerCase() !== 'authenticated' && v.toLowerCase() !== 'unauthenticated');
        const impossible = target.amrCatalog && wanted === 'authenticated' ? providerValues.filter((v) => !amrPossible(v, target.amrCatalog!, c.operator)) : [];
        if (providerValues.length > 0 && impossible.length === providerValues.length) {
          add(
            'TRUST_AMR_PROVIDER_MISMATCH',
            `In ${where}, the amr condition requires ${impossible.map((v) => JSON.stringify(v)).join(' or ')}, but no provider of identity pool ${target.identityPoolId} puts ${impossible.length > 1 ? 'those values' : 'that value'} in amr${describeAmrMiss(impossible, target.amrCatalog!)}: the condition never holds.`,
            fixWith(target, `Require the provider name as amr carries it (${target.amrCatalog!.map((n) => JSON.stringify(n)).join(', ') || 'the pool has no provider'}), or "authenticated".`),
          );
        }
        if (impossible.length === 0 || impossible.length < providerValues.length || values.includes(other)) {
          const provider = target.provider ?? (target.userPool ? `cognito-idp.${target.userPool.region}.amazonaws.com/${target.userPool.id}` : undefined);
          add(
            'TRUST_AMR_MISMATCH',
            `In ${where}, the amr condition requires ${c.policyValues.map((v) => JSON.stringify(v)).join(' or ')}, but the role is handed out to ${wanted} identities${providerValues.length > 0 && provider ? ` of ${provider}` : ''}${values.includes(other) ? ` (it is written for ${other} ones)` : ''}.`,
            fixWith(target, `Require amr "${wanted}".`),
          );
        }
      }
    }
  }
}

function classifyAud(
  c: ConditionResult,
  target: TrustTarget,
  where: string,
  add: (code: Parameters<typeof finding>[0], message: string, fix: string, withSymptom?: boolean) => void,
): void {
  const userPoolIds = c.policyValues.filter((v) => USER_POOL_ID.test(v));
  const shown = c.policyValues.map((v) => JSON.stringify(v)).join(', ');
  if (userPoolIds.length > 0) {
    add(
      'TRUST_AUD_IS_USER_POOL_ID',
      `In ${where}, ${AUD_KEY} is ${shown}: ${userPoolIds.length > 1 ? 'those are user pool ids' : 'that is a user pool id'}, but aud holds the identity pool id ${JSON.stringify(target.identityPoolId)}.`,
      fixWith(target, `Replace ${userPoolIds.map((v) => JSON.stringify(v)).join(', ')} with the identity pool id ${JSON.stringify(target.identityPoolId)}.`),
    );
  } else {
    add(
      'TRUST_AUD_OTHER_POOL',
      `In ${where}, ${AUD_KEY} allows ${shown || 'no value'}, not identity pool ${JSON.stringify(target.identityPoolId)}, which hands out this role.`,
      fixWith(target, `Add ${JSON.stringify(target.identityPoolId)} to the aud values.`),
    );
  }
}

function principalNamesCognito(statement: Statement): boolean {
  const p = statement.Principal;
  if (p === undefined) return false;
  if (p === '*') return true;
  return Object.entries(p).some(([type, values]) => type === 'Federated' && values.some((v) => v === COGNITO_IDENTITY || v === '*'));
}

function describePrincipals(results: StatementResult[]): string {
  const found = results
    .map((r) => r.statement.Principal)
    .filter((p): p is Exclude<Statement['Principal'], undefined> => p !== undefined)
    .map((p) => (p === '*' ? '"*"' : JSON.stringify(p)));
  return found.length ? ` (it allows ${[...new Set(found)].join(', ')})` : '';
}

function hasKey(statement: Statement, key: string): boolean {
  return Object.values(statement.Condition ?? {}).some((keys) => Object.keys(keys).some((k) => k.toLowerCase() === key));
}

function looksLikeCognitoKey(key: string): boolean {
  return key.includes('cognito') && !key.startsWith('aws:');
}

/** The valid key a misspelled one was meant to be: same suffix after the colon, else aud. */
function closestKey(key: string): string | null {
  const suffix = key.slice(key.lastIndexOf(':') + 1);
  for (const valid of VALID_COGNITO_KEYS) if (valid.endsWith(`:${suffix}`)) return valid;
  return null;
}

/** A statement as every output names it: `Statement[0]`, or `statement "Sid" (Statement[0])` (statementRef). */
export function describeStatement(r: Pick<StatementResult, 'sid' | 'index'>): string {
  return statementRef(r);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

