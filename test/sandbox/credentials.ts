// Who signed a request: the sandbox admin, the read-only IAM user (profile
// `cognito-sandbox-readonly`, authorized by the gateway against access.ts's policy), or
// credentials the identity handler issued (kept in memory with their role and identity, as STS
// keeps a session). Anything else is unknown.
// Issued credentials expire (default after an hour, as Cognito's do; `credentialTtlSeconds`
// shortens it for tests); a request signed with expired ones is told so (ExpiredToken), not
// that its keys are unknown.

import { randomBytes } from 'node:crypto';
import { ADMIN_ARN, ADMIN_CREDENTIALS, ADMIN_USER_ID, READONLY_ARN, READONLY_CREDENTIALS, READONLY_USER_ID, type PolicyDocument } from './seed.ts';

export interface IssuedSession {
  kind: 'issued';
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  roleArn: string;
  roleName: string;
  identityId: string;
  identityPoolId: string;
  /** The amr values the identity was authenticated with (for policy variables and conditions). */
  amr: string[];
  /** Cognito's guest scope-down session policy, for unauthenticated identities only. */
  sessionPolicy?: { name: string; policy: PolicyDocument };
  /** Session tags (principal tags): `aws:PrincipalTag/<key>` in every request this session signs. */
  tags?: Record<string, string>;
  /** arn:aws:sts::<acct>:assumed-role/<RoleName>/<session name> (CognitoIdentityCredentials for the enhanced flow) */
  arn: string;
  userId: string;
}
export interface AdminCaller { kind: 'admin'; accessKeyId: string; secretAccessKey: string; arn: string; userId: string }
/** The read-only IAM user: every request it signs is decided against the read-only policy (access.ts). */
export interface ReadonlyCaller { kind: 'readonly'; accessKeyId: string; secretAccessKey: string; arn: string; userId: string }
export type Caller = IssuedSession | AdminCaller | ReadonlyCaller;

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const randomKeyPart = (n: number): string => Array.from(randomBytes(n), (b) => ALPHANUM[b % 32]).join('');

/** What a request's keys are: a caller, keys that expired, or nothing the sandbox issued. */
export type Lookup = { caller: Caller } | { expired: IssuedSession } | undefined;

export class CredentialStore {
  private readonly issued = new Map<string, IssuedSession>();
  readonly admin: AdminCaller = { kind: 'admin', ...ADMIN_CREDENTIALS, arn: ADMIN_ARN, userId: ADMIN_USER_ID };
  readonly readonlyUser: ReadonlyCaller = { kind: 'readonly', ...READONLY_CREDENTIALS, arn: READONLY_ARN, userId: READONLY_USER_ID };

  /** `ttlSeconds`: how long issued credentials live (Cognito's are an hour). */
  constructor(private readonly ttlSeconds = 3600) {}

  /** `extra.sessionName`: the RoleSessionName of STS AssumeRoleWithWebIdentity (basic flow); default CognitoIdentityCredentials. */
  issue(accountId: string, roleArn: string, identityId: string, identityPoolId: string, amr: string[],
    sessionPolicy?: IssuedSession['sessionPolicy'], extra: { sessionName?: string; tags?: Record<string, string>; ttlSeconds?: number } = {}): IssuedSession {
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    const sessionName = extra.sessionName ?? 'CognitoIdentityCredentials';
    const session: IssuedSession = {
      kind: 'issued',
      accessKeyId: `ASIA${randomKeyPart(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(Date.now() + Math.min(extra.ttlSeconds ?? this.ttlSeconds, this.ttlSeconds) * 1000),
      roleArn, roleName, identityId, identityPoolId, amr, ...(sessionPolicy ? { sessionPolicy } : {}),
      ...(extra.tags && Object.keys(extra.tags).length > 0 ? { tags: { ...extra.tags } } : {}),
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      userId: `AROA${randomKeyPart(17)}:${sessionName}`,
    };
    this.issued.set(session.accessKeyId, session);
    return session;
  }

  /** An issued session by its access key (for tests: role, identity, amr, tags), whatever its expiration. */
  session(accessKeyId: string): IssuedSession | undefined {
    return this.issued.get(accessKeyId);
  }

  /** The caller for an access key and the session token it came with; `expired` past its expiration; undefined when unknown. */
  find(accessKeyId: string, sessionToken: string | undefined): Lookup {
    if (accessKeyId === this.admin.accessKeyId) return { caller: this.admin };
    if (accessKeyId === this.readonlyUser.accessKeyId) return { caller: this.readonlyUser };
    const session = this.issued.get(accessKeyId);
    if (!session || session.sessionToken !== sessionToken) return undefined;
    if (session.expiration.getTime() <= Date.now()) return { expired: session };
    return { caller: session };
  }
}
