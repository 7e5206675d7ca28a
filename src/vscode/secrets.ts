// Secrets of Test as user, only in VS Code's SecretStorage (the OS keychain), under typed keys:
// a test user's password (only when the person ticked "remember") and an app client's secret.
// Nothing here is ever logged or put in globalState or settings.
import type * as vscode from 'vscode';
import { errorCode, errorMessage } from '../aws/errors.ts';
import { rememberSecret } from '../core/redact.ts';

export type SecretKey =
  | { kind: 'password'; userPoolId: string; clientId: string; username: string }
  | { kind: 'clientSecret'; userPoolId: string; clientId: string };

/** The storage key: kind and ids, URI-encoded so no id can forge another key. */
export function secretKeyString(key: SecretKey): string {
  const parts = key.kind === 'password' ? [key.userPoolId, key.clientId, key.username] : [key.userPoolId, key.clientId];
  return `cognitoAccess.${key.kind}/${parts.map(encodeURIComponent).join('/')}`;
}

/** What a remembered entry is, for the list "Forget Remembered Secrets" shows (never the value). */
export function describeSecretKey(key: SecretKey): string {
  return key.kind === 'password' ? `password of ${key.username} (${key.userPoolId}, client ${key.clientId})` : `client secret of ${key.clientId} (${key.userPoolId})`;
}

/**
 * SecretStorage cannot list what it holds, so the keys (ids and user names only, never a value)
 * are also kept in globalState: that is what lets a person see and forget them.
 */
export class Secrets {
  static readonly INDEX = 'cognitoAccess.rememberedSecrets';

  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly memento: vscode.Memento,
  ) {}

  /** The value, registered for redaction (the log never shows it, whatever carries it there). */
  async get(key: SecretKey): Promise<string | undefined> {
    const value = (await this.storage.get(secretKeyString(key))) || undefined;
    rememberSecret(value);
    return value;
  }

  async store(key: SecretKey, value: string): Promise<void> {
    rememberSecret(value);
    await this.storage.store(secretKeyString(key), value);
    await this.index(key, true);
  }

  async delete(key: SecretKey): Promise<void> {
    await this.storage.delete(secretKeyString(key));
    await this.index(key, false);
  }

  /** Puts the key in the index (once) or takes it out. */
  private async index(key: SecretKey, present: boolean): Promise<void> {
    const id = secretKeyString(key);
    const others = this.list().filter((k) => secretKeyString(k) !== id);
    await this.memento.update(Secrets.INDEX, present ? [...others, key] : others);
  }

  /** The remembered entries' keys (no values). */
  list(): SecretKey[] {
    const raw = this.memento.get<unknown[]>(Secrets.INDEX, []);
    return Array.isArray(raw) ? raw.filter(isSecretKey) : [];
  }
}

function isSecretKey(value: unknown): value is SecretKey {
  if (!value || typeof value !== 'object') return false;
  const k = value as Record<string, unknown>;
  const ids = typeof k.userPoolId === 'string' && typeof k.clientId === 'string';
  return (k.kind === 'password' && ids && typeof k.username === 'string') || (k.kind === 'clientSecret' && ids);
}

/** Recently tested user names per user pool: names only, in globalState (never a password). */
export class RecentUsers {
  static readonly KEY = 'cognitoAccess.recentTestUsers';
  static readonly MAX = 8;

  constructor(private readonly memento: vscode.Memento) {}

  list(userPoolId: string): string[] {
    return this.memento.get<Record<string, string[]>>(RecentUsers.KEY, {})[userPoolId] ?? [];
  }

  async remember(userPoolId: string, username: string): Promise<void> {
    const all = { ...this.memento.get<Record<string, string[]>>(RecentUsers.KEY, {}) };
    all[userPoolId] = [username, ...(all[userPoolId] ?? []).filter((u) => u !== username)].slice(0, RecentUsers.MAX);
    await this.memento.update(RecentUsers.KEY, all);
  }
}

/**
 * Which remembered secret a sign-in error blames, if any: a wrong SECRET_HASH means the client
 * secret ("Unable to verify secret hash for client ..."), "Incorrect username or password." the
 * password (both NotAuthorizedException, https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#API_InitiateAuth_Errors).
 */
export function refusedSecret(error: unknown, stored: { password: boolean; clientSecret: boolean }): 'password' | 'clientSecret' | undefined {
  const message = errorMessage(error);
  if (!/NotAuthorized/.test(`${errorCode(error)} ${message}`)) return undefined;
  if (stored.clientSecret && /secret.?hash/i.test(message)) return 'clientSecret';
  // Only a wrong password: a lockout ("Password attempts exceeded") or an expired temporary
  // password is not the remembered password's fault, and asking again would not help.
  if (stored.password && /Incorrect username or password/i.test(message)) return 'password';
  return undefined;
}
