// The made-up ids a definition's resources get, each of the shape AWS gives the real one, so the
// engine's shape checks (a user pool id is `<region>_<id>`, an identity pool id `<region>:<guid>`)
// hold for them too. symbols.ts maps each back to how the file writes it.

/** The region and account when the definition does not fix them (a plain template is region-free). */
export const PLACEHOLDER_REGION = 'zz-region-1';
export const PLACEHOLDER_ACCOUNT = '000000000000';

export class SyntheticIds {
  private counter = 0;
  private readonly names = new Set<string>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  private next(): number {
    return ++this.counter;
  }

  userPoolId(): string {
    return `${this.region}_Sym${this.next()}`;
  }

  identityPoolId(): string {
    return `${this.region}:5e1ec7ed-0000-4000-8000-${String(this.next()).padStart(12, '0')}`;
  }

  clientId(): string {
    return `symclient${this.next()}`;
  }

  /** An opaque id (a role's RoleId, a stack id): never compared with anything but itself. */
  opaque(prefix: string): string {
    return `${prefix}${this.next()}`;
  }

  /** A name unique within the definition (two stacks may use the same logical id). */
  unique(name: string): string {
    let candidate = name;
    for (let n = 2; this.names.has(candidate); n++) candidate = `${name}-${n}`;
    this.names.add(candidate);
    return candidate;
  }

  providerName(userPoolId: string): string {
    return `cognito-idp.${this.region}.amazonaws.com/${userPoolId}`;
  }

  userPoolArn(userPoolId: string): string {
    return `arn:aws:cognito-idp:${this.region}:${this.accountId}:userpool/${userPoolId}`;
  }

  identityPoolArn(identityPoolId: string): string {
    return `arn:aws:cognito-identity:${this.region}:${this.accountId}:identitypool/${identityPoolId}`;
  }

  roleArn(name: string, path = '/'): string {
    return `arn:aws:iam::${this.accountId}:role${normalPath(path)}${name}`;
  }

  policyArn(name: string, path = '/'): string {
    return `arn:aws:iam::${this.accountId}:policy${normalPath(path)}${name}`;
  }

  tableArn(name: string): string {
    return `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${name}`;
  }
}

function normalPath(path: string): string {
  const withLead = path.startsWith('/') ? path : `/${path}`;
  return withLead.endsWith('/') ? withLead : `${withLead}/`;
}
