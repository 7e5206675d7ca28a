// Small readers of token claims, shared by the token decoder and the identity-pool simulation
// (kept apart from tokens.ts so the offline engine does not load jose).

/**
 * A list claim (`cognito:groups`, `cognito:roles`): real tokens carry a JSON array, the docs show
 * a comma-separated string. Accept both.
 */
export function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  return [];
}

/** The region a user pool id starts with (`eu-central-1_AbC` -> `eu-central-1`), or null (e.g. `local_x`). */
export function regionOfUserPoolId(userPoolId: string): string | null {
  return /^([a-z]{2}(?:-[a-z]+)+-\d)_/.exec(userPoolId)?.[1] ?? null;
}
