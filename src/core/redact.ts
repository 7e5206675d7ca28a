// Redaction for logs and anything else people may paste: tokens, AWS keys and secrets never
// leave memory in clear text. Patterns err on the side of hiding too much.

const RULES: [RegExp, (match: string, ...groups: string[]) => string][] = [
  // JWTs (ID, access and refresh tokens): header.payload.signature, base64url.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, () => '[redacted token]'],
  // AWS access key ids: keep the prefix and last four, as the console does.
  [/\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12}([A-Z0-9]{4})\b/g, (_m, prefix, last) => `${prefix}************${last}`],
  // key=value / "key": "value" pairs whose name says secret, password, token or session.
  [
    /((?:secret(?:_?access)?_?key|secretkey|password|passwd|session_?token|sessiontoken|refresh_?token|id_?token|access_?token|client_?secret|x-amz-security-token)["']?\s*[:=]\s*["']?)([^\s"',}]+)/gi,
    (_m, name) => `${name}[redacted]`,
  ],
  // Long base64 blobs (session tokens run to hundreds of characters).
  [/\b[A-Za-z0-9+/]{120,}={0,2}/g, () => '[redacted]'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replace] of RULES) out = out.replace(pattern, replace as (substring: string, ...args: string[]) => string);
  return out;
}

/** Masks a secret for display: its first and last few characters, the rest as dots. */
export function mask(value: string, visible = 4): string {
  if (value.length <= visible * 2) return '•'.repeat(value.length);
  return `${value.slice(0, visible)}${'•'.repeat(Math.min(16, value.length - visible * 2))}${value.slice(-visible)}`;
}
