// Searches files for secrets that must never be written anywhere: the test users' passwords, the
// sandbox's secret keys, its app client secrets (backend, mobile) and totpuser's TOTP secret,
// ID/access tokens (JWTs), whole temporary access key ids, and any extra clear values a test saw
// (e.g. revealed in a panel or typed as a new password). Binary files (state.vscdb) are searched as
// latin1 text, which is what `strings | grep` would find.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TOTP_SECRET, USERS } from '../sandbox/seed.ts';

export interface SecretSet {
  literals: string[];
  patterns: RegExp[];
}

const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/;
const TEMP_KEY_ID = /\bASIA[A-Z0-9]{16}\b/;

export function sandboxSecrets(sandbox: { adminCredentials: { secretAccessKey: string }; backendClientSecret: string; mobileClientSecret: string }, extra: string[] = []): SecretSet {
  return {
    literals: [
      ...USERS.map((u) => u.password), sandbox.adminCredentials.secretAccessKey, sandbox.backendClientSecret, sandbox.mobileClientSecret, TOTP_SECRET, ...extra,
    ].filter((s) => s.length >= 8),
    patterns: [JWT, TEMP_KEY_ID],
  };
}

function walk(path: string, files: string[]): void {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return;
  }
  if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name), files);
  else if (stat.isFile() && stat.size < 64 * 1024 * 1024) files.push(path);
}

/** Each hit as `file: what` (the secret itself is never printed, only which kind matched). */
export function findSecrets(roots: string[], secrets: SecretSet): string[] {
  const files: string[] = [];
  for (const root of roots) walk(root, files);
  const hits: string[] = [];
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    const names = file.split('/');
    secrets.literals.forEach((literal, i) => {
      if (text.includes(literal) || names.some((n) => n.includes(literal))) hits.push(`${file}: secret #${i + 1} of the known list`);
    });
    for (const pattern of secrets.patterns) if (pattern.test(text)) hits.push(`${file}: matches ${pattern.source.slice(0, 24)}…`);
  }
  return hits;
}
