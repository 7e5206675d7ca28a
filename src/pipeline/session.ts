// The test-user pipeline shared by the CLI (`test-user`, `probe`) and the extension (Test as User,
// the probe panel): a fresh scan of the pools involved,
// sign-in (or a given ID token), the signature check, live credentials, and the engine's
// prediction beside them. Secrets (password, client secret, tokens, keys) stay in memory.
import { readFile } from 'node:fs/promises';
import type { AwsContext } from '../aws/context.ts';
import {
  compareWithPrediction, loginsKeyFor, loginsKeyForProvider, resolveBasicFlow, resolveIdentity, type Comparison, type LiveResolution, type TemporaryCredentials,
} from '../aws/identity.ts';
import { scanAccount } from '../aws/scanner.ts';
import { isFlowUnavailable, signIn, useIdToken, type AuthFlow, type ChallengeAnswers, type SignInResult } from '../aws/signIn.ts';
import { TokenVerifier, type SignatureStatus } from '../aws/tokenVerifier.ts';
import { redactError, rememberSecret } from '../core/redact.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { secretFrom, type Prompt } from './prompt.ts';

export { probeContextOf } from './probeContext.ts';

export class LiveUsageError extends Error {
  override name = 'LiveUsageError';
}

export interface SessionOptions {
  /** The user pool, app client and user that sign in; not used with `provider`. */
  userPoolId?: string;
  clientId?: string;
  username?: string;
  identityPoolId?: string;
  customRoleArn?: string;
  authFlow: 'auto' | 'srp' | 'password';
  idTokenFile?: string;
  /**
   * Sign in through a provider of the identity pool that is not a user pool: an OIDC provider's
   * host (`login.example.com`) or its IAM ARN; its ID token comes from COGNITO_ACCESS_ID_TOKEN or
   * `idTokenFile`. Needs `identityPoolId`.
   */
  provider?: string;
  /**
   * The basic (classic) flow with this role: GetId, GetOpenIdToken, then STS
   * AssumeRoleWithWebIdentity (the identity pool must allow it: AllowClassicFlow).
   */
  basicFlowRole?: string;
}

export interface Session {
  snapshot: Snapshot;
  identityPoolId: string;
  signIn: Pick<SignInResult, 'flow' | 'challenges'>;
  claims: { 'cognito:groups': string[]; 'cognito:roles': string[]; 'cognito:preferred_role': string | null };
  signature: SignatureStatus;
  signatureReason?: string;
  comparison: Comparison;
  credentials: TemporaryCredentials | null;
  /** The Logins key the token went under (a user pool's provider name, an OIDC provider's host). */
  loginsKey: string;
  /** Set when the token is not a user pool's: the provider's Logins key. */
  provider: string | null;
  flow: 'enhanced' | 'basic';
  /** The role asked for in the basic flow. */
  basicFlowRole: string | null;
}

function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value) return value.split(',').map((s) => s.trim());
  return [];
}

/** Whether the cognito-idp endpoint is a stand-in (configured, and not an AWS host). */
export function isStandIn(context: AwsContext): boolean {
  const endpoint = context.endpoints.cognitoIdp;
  return Boolean(endpoint) && !/\.amazonaws\.com(\.cn)?(:\d+)?(\/|$)/.test(endpoint ?? '');
}

async function obtainToken(context: AwsContext, snapshot: Snapshot, options: SessionOptions, env: NodeJS.ProcessEnv, prompt: Prompt): Promise<SignInResult> {
  const given = env.COGNITO_ACCESS_ID_TOKEN ?? (options.idTokenFile ? await readFile(options.idTokenFile, 'utf8') : undefined);
  if (given) return useIdToken(given);
  if (options.provider !== undefined) throw new LiveUsageError(`signing in through ${options.provider} needs its ID token: set COGNITO_ACCESS_ID_TOKEN or pass --id-token-file`);
  const client = snapshot.userPools.find((p) => p.Id === options.userPoolId)?.Clients.find((c) => c.ClientId === options.clientId);
  if (!client) throw new LiveUsageError(`client ${options.clientId} is not an app client of user pool ${options.userPoolId}`);
  const password = await secretFrom(env, 'COGNITO_ACCESS_PASSWORD', prompt, `Password for ${options.username}: `);
  const clientSecret = client.HasSecret ? await secretFrom(env, 'COGNITO_ACCESS_CLIENT_SECRET', prompt, `Client secret of ${options.clientId}: `) : undefined;
  const answers: ChallengeAnswers = {
    newPassword: () => secretFrom(env, 'COGNITO_ACCESS_NEW_PASSWORD', prompt, 'Cognito requires a new password: '),
    mfaCode: (kind, info) => prompt(kind === 'SMS_MFA' ? `Code sent by SMS${info.destination ? ` to ${info.destination}` : ''}: ` : 'Code from the authenticator app: ', false),
    selectMfa: (options) => prompt(`MFA type (${options.join(' or ')}): `, false),
  };
  const flows = client.ExplicitAuthFlows ?? [];
  const allows = (flow: string) => flows.length === 0 || flows.includes(`ALLOW_${flow}`) || flows.includes(flow);
  const order: AuthFlow[] =
    options.authFlow === 'srp' ? ['USER_SRP_AUTH'] : options.authFlow === 'password' ? ['USER_PASSWORD_AUTH']
      : (['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as AuthFlow[]).filter((f) => allows(f));
  if (order.length === 0) throw new LiveUsageError(`client ${options.clientId} allows neither USER_SRP_AUTH nor USER_PASSWORD_AUTH; sign in elsewhere and pass the ID token (COGNITO_ACCESS_ID_TOKEN or --id-token-file)`);
  const base = { userPoolId: options.userPoolId!, clientId: client.ClientId, username: options.username ?? '', password, answers, ...(clientSecret ? { clientSecret } : {}) };
  for (const [i, flow] of order.entries()) {
    try {
      return await signIn(context.clients.cognitoIdp, { ...base, flow });
    } catch (error) {
      // e.g. a stand-in without SRP: try the next flow the client allows.
      if (i < order.length - 1 && isFlowUnavailable(error)) continue;
      throw error;
    }
  }
  throw new Error('unreachable');
}

/** The session; an error comes out with every secret it knows redacted (the CLI prints its message, and its stack with COGNITO_ACCESS_DEBUG). */
export async function runSession(context: AwsContext, options: SessionOptions, env: NodeJS.ProcessEnv, prompt: Prompt): Promise<Session> {
  try {
    return await openSession(context, options, env, prompt);
  } catch (error) {
    throw redactError(error);
  }
}

async function openSession(context: AwsContext, options: SessionOptions, env: NodeJS.ProcessEnv, prompt: Prompt): Promise<Session> {
  if (options.provider !== undefined) return openProviderSession(context, { ...options, provider: options.provider }, env, prompt);
  const { userPoolId, clientId } = options;
  if (!userPoolId || !clientId || !options.username) throw new LiveUsageError('say who signs in: the user pool, the app client and the user name (or a provider and its token)');
  const accountId = await context.accountId();
  const { snapshot } = await scanAccount(context.clients, {
    region: context.region, accountId, userPoolIds: [userPoolId], ...(options.identityPoolId ? { identityPoolIds: [options.identityPoolId] } : {}),
    ...(options.basicFlowRole ? { roleArns: [options.basicFlowRole] } : {}),
  });
  let identityPoolId = options.identityPoolId;
  if (!identityPoolId) {
    const trusting = snapshot.identityPools.filter((p) => p.CognitoIdentityProviders.some((c) => c.ClientId === clientId && c.ProviderName.endsWith(`/${userPoolId}`)));
    if (trusting.length !== 1) {
      throw new LiveUsageError(trusting.length === 0
        ? `no identity pool in ${context.region} trusts client ${clientId} of ${userPoolId}; pass --identity-pool`
        : `several identity pools trust this client (${trusting.map((p) => p.IdentityPoolId).join(', ')}); pass --identity-pool`);
    }
    identityPoolId = trusting[0]!.IdentityPoolId;
  }
  const token = await obtainToken(context, snapshot, options, env, prompt);
  const check = await new TokenVerifier().verifyIdToken(token.idToken, {
    userPoolId, region: context.region, clientId, ...(context.endpoints.cognitoIdp ? { endpoint: context.endpoints.cognitoIdp } : {}),
  });
  const loginsKey = loginsKeyFor(userPoolId, context.region);
  const { live, credentials } = await credentialsFor(context, { identityPoolId, loginsKey, idToken: token.idToken, snapshot, options });
  const comparison = compareWithPrediction(snapshot, {
    identityPoolId, idTokenClaims: check.claims, fillRoleClaims: isStandIn(context), ...(options.customRoleArn ? { customRoleArn: options.customRoleArn } : {}),
    ...(options.basicFlowRole ? { basicFlowRoleArn: options.basicFlowRole } : {}),
  }, live);
  const session: Session = {
    snapshot, identityPoolId, comparison, credentials,
    signIn: { flow: token.flow, challenges: token.challenges },
    claims: {
      'cognito:groups': listClaim(check.claims['cognito:groups']),
      'cognito:roles': listClaim(check.claims['cognito:roles']),
      'cognito:preferred_role': typeof check.claims['cognito:preferred_role'] === 'string' ? check.claims['cognito:preferred_role'] : null,
    },
    signature: check.signature,
    loginsKey, provider: null, flow: options.basicFlowRole ? 'basic' : 'enhanced', basicFlowRole: options.basicFlowRole ?? null,
  };
  if (check.reason) session.signatureReason = check.reason;
  return session;
}

/** Credentials through the enhanced flow (GetCredentialsForIdentity), or the basic flow with the chosen role. */
async function credentialsFor(
  context: AwsContext, request: { identityPoolId: string; loginsKey: string; idToken: string; snapshot: Snapshot; options: SessionOptions },
): Promise<{ live: LiveResolution; credentials: TemporaryCredentials | null }> {
  const { options } = request;
  const clients = { cognitoIdentity: context.clients.cognitoIdentity, stsWith: (c: Parameters<AwsContext['withCredentials']>[0]) => context.withCredentials(c).sts };
  const resolve = { identityPoolId: request.identityPoolId, providerName: request.loginsKey, idToken: request.idToken, roleArns: request.snapshot.roles.map((r) => r.Arn) };
  const result = options.basicFlowRole
    ? await resolveBasicFlow({ ...clients, sts: context.clients.sts }, { ...resolve, roleArn: options.basicFlowRole })
    : await resolveIdentity(clients, { ...resolve, ...(options.customRoleArn ? { customRoleArn: options.customRoleArn } : {}) });
  rememberSecret(result.credentials?.secretAccessKey);
  rememberSecret(result.credentials?.sessionToken);
  return result;
}

/**
 * A sign-in through another provider of the identity pool (an OIDC provider): its ID token (given,
 * never signed in here) goes into Logins under the provider's host; the prediction reads the
 * token's claims with that provider's mappings and tag map.
 */
async function openProviderSession(context: AwsContext, options: SessionOptions & { provider: string }, env: NodeJS.ProcessEnv, prompt: Prompt): Promise<Session> {
  const identityPoolId = options.identityPoolId;
  if (!identityPoolId) throw new LiveUsageError(`signing in through ${options.provider} needs the identity pool: pass --identity-pool`);
  const accountId = await context.accountId();
  const { snapshot } = await scanAccount(context.clients, {
    region: context.region, accountId, identityPoolIds: [identityPoolId], ...(options.basicFlowRole ? { roleArns: [options.basicFlowRole] } : {}),
  });
  const token = await obtainToken(context, snapshot, options, env, prompt);
  const loginsKey = loginsKeyForProvider(options.provider);
  const endpoint = isStandIn(context) ? context.endpoints.cognitoIdentity ?? context.endpoints.cognitoIdp : undefined;
  const check = await new TokenVerifier().verifyOidcToken(token.idToken, { provider: loginsKey, ...(endpoint ? { endpoint } : {}) });
  const { live, credentials } = await credentialsFor(context, { identityPoolId, loginsKey, idToken: token.idToken, snapshot, options });
  const comparison = compareWithPrediction(snapshot, {
    identityPoolId, idTokenClaims: check.claims, provider: loginsKey, ...(options.customRoleArn ? { customRoleArn: options.customRoleArn } : {}),
    ...(options.basicFlowRole ? { basicFlowRoleArn: options.basicFlowRole } : {}),
  }, live);
  const session: Session = {
    snapshot, identityPoolId, comparison, credentials,
    signIn: { flow: token.flow, challenges: [] },
    claims: { 'cognito:groups': listClaim(check.claims['cognito:groups']), 'cognito:roles': listClaim(check.claims['cognito:roles']), 'cognito:preferred_role': null },
    signature: check.signature,
    loginsKey, provider: loginsKey, flow: options.basicFlowRole ? 'basic' : 'enhanced', basicFlowRole: options.basicFlowRole ?? null,
  };
  if (check.reason) session.signatureReason = check.reason;
  return session;
}
