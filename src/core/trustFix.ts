// A role's trust policy with the statement Cognito needs put in place: the first statement that
// names Cognito (or was meant to: a misspelled key still mentions it) is replaced, else the one
// at `preferIndex`, else the statement is appended. Other statements stay as they are.

const COGNITO = 'cognito-identity.amazonaws.com';

/** Whether a raw statement is the one that lets Cognito assume the role (or was meant to). */
function isCognitoStatement(statement: unknown): boolean {
  if (!statement || typeof statement !== 'object') return false;
  const principal = (statement as { Principal?: unknown }).Principal;
  const federated = principal && typeof principal === 'object' ? (principal as { Federated?: unknown }).Federated : undefined;
  const values = Array.isArray(federated) ? federated : [federated];
  return values.some((v) => v === COGNITO) || JSON.stringify(statement).includes('cognito-identity.amazon');
}

/** The corrected trust policy as pretty JSON (the statement's Sid is kept). */
export function correctedTrustPolicy(document: Record<string, unknown>, recommended: Record<string, unknown>, preferIndex?: number): string {
  const raw = document.Statement;
  const statements: unknown[] = Array.isArray(raw) ? [...raw] : raw ? [raw] : [];
  let index = statements.findIndex(isCognitoStatement);
  if (index < 0 && preferIndex !== undefined && preferIndex < statements.length) index = preferIndex;
  if (index < 0) statements.push(recommended);
  else {
    const sid = (statements[index] as { Sid?: unknown }).Sid;
    statements[index] = typeof sid === 'string' ? { Sid: sid, ...recommended } : recommended;
  }
  return JSON.stringify({ ...document, Version: '2012-10-17', Statement: statements }, null, 2);
}
