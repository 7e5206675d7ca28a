// ID tokens of the sandbox's own OIDC provider, https://login.sandbox.test: for tests
// (`sandbox.mintOidcToken({ sub, aud?, claims? })`) and for people (the demo), from the command line
// with the seed's OIDC key (or, with --data-dir, that data dir's `sandbox-keys.json` if it has one):
//
//   node --import tsx test/sandbox/mintOidcToken.ts --sub alice --claim dept=books
//        [--aud books-oidc-client] [--ttl 3600] [--data-dir .sandbox]
//
// prints the token. Use it as Logins { 'login.sandbox.test': <token> } with identity pool
// books-oidc (whose Rules mapping gives dept=books the role BooksOidcReader).

import { resolve } from 'node:path';
import { readKeys, signJwt, type SandboxKeys } from './sandboxKeys.ts';
import { OIDC_CLIENT_ID, OIDC_ISSUER } from './seed.ts';

export interface OidcTokenRequest {
  sub: string;
  /** Default the IAM OIDC provider's only audience, books-oidc-client. */
  aud?: string | string[];
  /** More claims (dept, email ...); they may override iss/exp for negative tests. */
  claims?: Record<string, unknown>;
  /** Lifetime; default 3600 s. Negative gives an expired token. */
  expiresInSeconds?: number;
}

/** A token as login.sandbox.test would issue it, signed with the data dir's OIDC key (RS256). */
export function mintOidcToken(keys: SandboxKeys, request: OidcTokenRequest): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(keys.oidc, {
    iss: OIDC_ISSUER, sub: request.sub, aud: request.aud ?? OIDC_CLIENT_ID,
    iat: now, auth_time: now, exp: now + (request.expiresInSeconds ?? 3600),
    ...request.claims,
  });
}

function cli(argv: string[]): void {
  const claims: Record<string, string> = {};
  let sub: string | undefined;
  let aud: string | undefined;
  let ttl: number | undefined;
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--sub': sub = value; i++; break;
      case '--aud': aud = value; i++; break;
      case '--ttl': ttl = Number(value); i++; break;
      case '--data-dir': dataDir = value; i++; break;
      case '--claim': {
        const eq = (value ?? '').indexOf('=');
        if (eq < 1) throw new Error(`--claim wants name=value, not ${value}`);
        claims[(value ?? '').slice(0, eq)] = (value ?? '').slice(eq + 1);
        i++;
        break;
      }
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!sub) throw new Error('--sub is required');
  if (ttl !== undefined && !Number.isFinite(ttl)) throw new Error('--ttl wants seconds');
  process.stdout.write(`${mintOidcToken(readKeys(dataDir === undefined ? undefined : resolve(dataDir)), { sub, ...(aud ? { aud } : {}), claims, ...(ttl !== undefined ? { expiresInSeconds: ttl } : {}) })}\n`);
}

if (require.main === module) {
  try {
    cli(process.argv.slice(2));
  } catch (e) {
    console.error(`mintOidcToken: ${(e as Error).message}`);
    console.error('usage: node --import tsx test/sandbox/mintOidcToken.ts --sub SUB [--claim name=value]... [--aud AUD] [--ttl SECONDS] [--data-dir .sandbox]');
    process.exit(2);
  }
}
