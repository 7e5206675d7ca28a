// Who signed a request: the sandbox admin, or credentials the identity handler issued (kept in
// memory with their role and identity, as STS keeps a session). Anything else is unknown.

import { randomBytes } from 'node:crypto';
import { ADMIN_ARN, ADMIN_CREDENTIALS, ADMIN_USER_ID } from './seed.ts';

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
  /** arn:aws:sts::<acct>:assumed-role/<RoleName>/CognitoIdentityCredentials */
  arn: string;
  userId: string;
}
export interface AdminCaller { kind: 'admin'; accessKeyId: string; secretAccessKey: string; arn: string; userId: string }
export type Caller = IssuedSession | AdminCaller;

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const randomKeyPart = (n: number): string => Array.from(randomBytes(n), (b) => ALPHANUM[b % 32]).join('');

export class CredentialStore {
  private readonly issued = new Map<string, IssuedSession>();
  readonly admin: AdminCaller = { kind: 'admin', ...ADMIN_CREDENTIALS, arn: ADMIN_ARN, userId: ADMIN_USER_ID };

  issue(accountId: string, roleArn: string, identityId: string, identityPoolId: string, amr: string[]): IssuedSession {
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    const session: IssuedSession = {
      kind: 'issued',
      accessKeyId: `ASIA${randomKeyPart(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(Date.now() + 3600_000),
      roleArn, roleName, identityId, identityPoolId, amr,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/CognitoIdentityCredentials`,
      userId: `AROA${randomKeyPart(17)}:CognitoIdentityCredentials`,
    };
    this.issued.set(session.accessKeyId, session);
    return session;
  }

  /** The caller for an access key and the session token it came with; undefined when unknown. */
  find(accessKeyId: string, sessionToken: string | undefined): Caller | undefined {
    if (accessKeyId === this.admin.accessKeyId) return this.admin;
    const session = this.issued.get(accessKeyId);
    if (!session || session.sessionToken !== sessionToken || session.expiration.getTime() < Date.now()) return undefined;
    return session;
  }
}
