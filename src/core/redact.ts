// Redaction for logs and anything else people may paste: tokens, AWS keys and secrets never
// leave memory in clear text. Two layers: the secret values this session knows (registered where
// they are read or received: rememberSecret), hidden wherever they appear, in clear, URL-encoded
// or JSON-escaped; and patterns for the secrets nobody registered. Patterns err on the side of
// hiding too much, but leave ARNs, ids and names readable (test/unit/redact.test.ts).

const HIDDEN = '[redacted]';

// ---------------------------------------------------------------------------------------------
// Known secret values

/** Shorter values are not registered: they would eat ordinary text. */
export const MIN_SECRET_LENGTH = 6;
/** The oldest registered values are dropped beyond this (a long-running editor signs in often). */
const MAX_KNOWN = 256;

// One registry per process, kept on globalThis: the extension's log (dist/extension.js) and the
// sign-in (dist/aws.js) are separate bundles, each with its own copy of this module.
const REGISTRY = Symbol.for('cognitoAccess.redact.knownSecrets');

function known(): Set<string> {
  const holder = globalThis as { [REGISTRY]?: Set<string> };
  return (holder[REGISTRY] ??= new Set<string>());
}

/** Registers a secret value (password, client secret, token, key, TOTP code) so that redact() hides it. */
export function rememberSecret(value: string | null | undefined): void {
  if (typeof value !== 'string') return;
  const set = known();
  for (const v of new Set([value, value.trim()])) {
    if (v.length < MIN_SECRET_LENGTH) continue;
    set.delete(v);
    set.add(v);
  }
  while (set.size > MAX_KNOWN) set.delete(set.values().next().value as string);
}

/** Drops a value from the registry (its session ended). */
export function forgetSecret(value: string | null | undefined): void {
  if (typeof value !== 'string') return;
  known().delete(value);
  known().delete(value.trim());
}

/** Drops every registered value (tests). */
export function forgetAllSecrets(): void {
  known().clear();
}

/** How a value may appear in text: as it is, URL-encoded (both ways), JSON-escaped (once or twice). */
function forms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return [value, encodeURIComponent(value), new URLSearchParams([['', value]]).toString().slice(1), json, JSON.stringify(json).slice(1, -1)];
}

/** A digits-only value (a TOTP or SMS code) is hidden only as a whole number, not inside account ids. */
const isShortCode = (form: string): boolean => /^\d{1,9}$/.test(form);

function hideWholeNumber(text: string, code: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(code); at >= 0; at = text.indexOf(code, at + code.length)) {
    const before = text[at - 1] ?? '';
    const after = text[at + code.length] ?? '';
    if (/[A-Za-z0-9]/.test(before) || /[A-Za-z0-9]/.test(after)) continue;
    out += text.slice(from, at) + HIDDEN;
    from = at + code.length;
  }
  return out + text.slice(from);
}

function redactKnown(text: string): string {
  const all = new Set<string>();
  for (const value of known()) for (const form of forms(value)) if (form.length >= MIN_SECRET_LENGTH) all.add(form);
  // Longest first, so a value that contains another is hidden whole. No regex is built from a
  // value: split/join and indexOf only.
  let out = text;
  for (const form of [...all].sort((a, b) => b.length - a.length)) {
    if (!out.includes(form)) continue;
    out = isShortCode(form) ? hideWholeNumber(out, form) : out.split(form).join(HIDDEN);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// key=value and "key": "value" pairs whose name says secret, password or token

// The name ends in one of these (SecretAccessKey, aws_secret_access_key, SECRET_HASH, SecretCode,
// ClientSecret, client_secret, NEW_PASSWORD, X-Amz-Security-Token, IdToken, SMS_MFA_CODE, the
// `secret=` of an otpauth:// URI, ...). Not after ':' or '/', so ARNs (`:secret:name`) stay.
const SECRET_NAME =
  String.raw`[A-Za-z0-9_.-]*?(?:secret[_-]?(?:access[_-]?)?key|secret[_-]?hash|secret[_-]?code|secret|pass(?:word|wd|phrase)|(?:session|refresh|id|access|security)[_-]?token|mfa[_-]?code)`;
const SECRET_KEY = new RegExp(String.raw`\b(?<![:/])(${SECRET_NAME})(\\*["'])?[ \t]*[:=][ \t]*`, 'gi');

interface ValueSpan {
  end: number;
  open: string;
  close: string;
}

/**
 * Where the value starting at `start` ends. A quoted value (`"..."`, `'...'`, or `\"...\"` in
 * JSON inside a JSON string) ends at its closing quote, escapes honoured; an unquoted one at
 * whitespace or `&` (and, after a JSON key, at `,`, `}` or `]`).
 */
function valueSpan(text: string, start: number, jsonKey: boolean): ValueSpan | undefined {
  let quoteAt = start;
  while (text[quoteAt] === '\\') quoteAt++;
  const quote = text[quoteAt];
  if (quote === '"' || quote === "'") {
    // k backslashes before the opening quote: the value is nested k-deep in escaping; its closing
    // quote is the one preceded by c backslashes with c ≡ k (mod 2(k+1)) (k = 0: an even number).
    const k = quoteAt - start;
    for (let j = quoteAt + 1; j < text.length; j++) {
      if (text[j] !== quote) continue;
      let c = 0;
      while (j - 1 - c > quoteAt && text[j - 1 - c] === '\\') c++;
      if (c % (2 * (k + 1)) === k) return { end: j + 1, open: text.slice(start, quoteAt + 1), close: text.slice(j - k, j + 1) };
    }
    // No closing quote: hide the rest of the line.
    const eol = text.indexOf('\n', quoteAt);
    return { end: eol < 0 ? text.length : eol, open: text.slice(start, quoteAt + 1), close: '' };
  }
  const stop = jsonKey ? /[\s&,}\]]/ : /[\s&]/;
  let end = start;
  while (end < text.length && !stop.test(text[end]!)) end++;
  const value = text.slice(start, end);
  // `"HasSecret": true` names no secret value.
  if (end === start || (jsonKey && /^(true|false|null)$/.test(value))) return undefined;
  return { end, open: '', close: '' };
}

function redactKeyValues(text: string): string {
  let out = '';
  let from = 0;
  SECRET_KEY.lastIndex = 0;
  for (let m = SECRET_KEY.exec(text); m; m = SECRET_KEY.exec(text)) {
    const start = m.index + m[0].length;
    const span = valueSpan(text, start, Boolean(m[2]?.endsWith('"')));
    if (!span) continue;
    out += text.slice(from, start) + span.open + HIDDEN + span.close;
    from = span.end;
    SECRET_KEY.lastIndex = Math.max(span.end, start + 1);
  }
  return out + text.slice(from);
}

// ---------------------------------------------------------------------------------------------
// Secrets by their shape

const has = (value: string, ...classes: RegExp[]): boolean => classes.every((c) => c.test(value));

type Rule = [RegExp, (match: string, ...groups: string[]) => string];

const RULES: Rule[] = [
  // JWTs (ID and access tokens: header.payload.signature) and JWEs (Cognito's refresh tokens:
  // five parts), base64url, the header starting `eyJ` ('{"').
  [/\beyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){1,3}\.[A-Za-z0-9_-]+/g, () => '[redacted token]'],
  // AWS access key ids: keep the prefix and last four, as the console does.
  [/\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12}([A-Z0-9]{4})\b/g, (_m, prefix, last) => `${prefix}************${last}`],
  // STS session tokens by their prefix, also URL-encoded (X-Amz-Security-Token in a presigned URL).
  [/(?<![A-Za-z0-9+/%])(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)(?:[A-Za-z0-9+/]|%2[BbFf])*(?:=|%3[Dd]){0,2}/g, () => HIDDEN],
  // Long base64 blobs, also URL-encoded (session tokens run to hundreds of characters).
  [/(?<![A-Za-z0-9+/%])(?:[A-Za-z0-9+/]|%2[BbFf]){120,}(?:=|%3[Dd]){0,2}/g, () => HIDDEN],
  // 32 bytes in base64 (SECRET_HASH, HMAC-SHA256 signatures).
  [/(?<![A-Za-z0-9+/:._-])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=_-])/g, () => HIDDEN],
  // Bare secret access keys: 40 characters of base64, with upper and lower case letters and a
  // digit or + or / (which a hex digest, a word or an ARN path segment rarely has).
  [/(?<![A-Za-z0-9+/:._-])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=_-]|\.[A-Za-z0-9])/g,
    (m) => (has(m, /[A-Z]/, /[a-z]/, /[0-9+/]/) ? HIDDEN : m)],
  // App client secrets: 50 to 56 lowercase letters and digits, both present.
  [/(?<![A-Za-z0-9])[a-z0-9]{50,56}(?![A-Za-z0-9])/g, (m) => (has(m, /[a-z]/, /[0-9]/) ? HIDDEN : m)],
  // TOTP secrets: base32, 32 characters or more, after a secret-ish word ("TOTP secret JBSW...").
  [/\b((?:totp|otp|mfa|secret)[\w-]*["']?[ \t]*(?:[:=][ \t]*)?["']?)([A-Z2-7]{32,}=*)(?![A-Za-z0-9])/gi,
    (_m, lead) => `${lead}${HIDDEN}`],
];

export function redact(text: string): string {
  let out = redactKnown(text);
  out = out.replace(RULES[0]![0], RULES[0]![1] as (substring: string, ...args: string[]) => string);
  out = redactKeyValues(out);
  for (const [pattern, replace] of RULES.slice(1)) out = out.replace(pattern, replace as (substring: string, ...args: string[]) => string);
  return out;
}

/** Redacts an error's message and stack in place (what a command line prints) and returns it. */
export function redactError<T>(error: T): T {
  if (error instanceof Error) {
    try {
      error.message = redact(error.message);
      if (error.stack) error.stack = redact(error.stack);
    } catch {
      // A read-only message stays as it is; callers print through redact() where they can.
    }
  }
  return error;
}

/** Masks a secret for display: its first and last few characters, the rest as dots. */
export function mask(value: string, visible = 4): string {
  if (value.length <= visible * 2) return '•'.repeat(value.length);
  return `${value.slice(0, visible)}${'•'.repeat(Math.min(16, value.length - visible * 2))}${value.slice(-visible)}`;
}
