// SECRET_HASH, which cognito-local 5.3 never checks: for an app client with a secret, Cognito
// refuses a sign-in whose SECRET_HASH is missing or wrong. The gateway checks it on InitiateAuth,
// RespondToAuthChallenge, AdminInitiateAuth and AdminRespondToAuthChallenge before passing the
// request on. SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id))
// (https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash);
// the username is AuthParameters.USERNAME (InitiateAuth) or ChallengeResponses.USERNAME (challenges).
// Cognito's answers, both NotAuthorizedException (HTTP 400), as reported from AWS:
//  - missing: "Client <id> is configured with secret but SECRET_HASH was not received"
//    (https://github.com/aws-amplify/amplify-android/issues/2504,
//    https://github.com/furaiev/amazon-cognito-identity-dart-2/issues/249);
//  - wrong: "Unable to verify secret hash for client <id>"
//    (https://github.com/ArranJacques/laravel-aws-cognito-auth/issues/26 shows the raw JSON of an
//    AdminInitiateAuth, https://github.com/aws-amplify/amplify-js/issues/277).
// Not checked: REFRESH_TOKEN_AUTH / REFRESH_TOKEN (at AWS its SECRET_HASH uses the user's sub,
// which the request does not carry; cognito-local finds the user by the token), and the other
// operations that take a SecretHash (SignUp, ForgotPassword ...), which the extension never calls.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { jsonError, type Reply } from './wire.ts';

export const SECRET_HASH_OPERATIONS = new Set(['InitiateAuth', 'RespondToAuthChallenge', 'AdminInitiateAuth', 'AdminRespondToAuthChallenge']);

export function secretHashOf(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

const notAuthorized = (message: string): Reply => jsonError('cognito-idp', 'NotAuthorizedException', message);

/**
 * Cognito's refusal when `body` (an operation of SECRET_HASH_OPERATIONS) is for a client with a
 * secret and its SECRET_HASH is missing or wrong; undefined when the request may go on.
 * `clientSecrets`: client id -> secret, for the clients that have one.
 */
export function checkSecretHash(operation: string, body: Record<string, unknown>, clientSecrets: ReadonlyMap<string, string>): Reply | undefined {
  if (!SECRET_HASH_OPERATIONS.has(operation)) return undefined;
  const clientId = typeof body.ClientId === 'string' ? body.ClientId : '';
  const secret = clientSecrets.get(clientId);
  if (secret === undefined) return undefined;
  const initiate = operation.endsWith('InitiateAuth');
  if (initiate && (body.AuthFlow === 'REFRESH_TOKEN_AUTH' || body.AuthFlow === 'REFRESH_TOKEN')) return undefined;
  const params = (initiate ? body.AuthParameters : body.ChallengeResponses) as Record<string, unknown> | undefined;
  const given = params?.SECRET_HASH;
  if (typeof given !== 'string' || given === '') return notAuthorized(`Client ${clientId} is configured with secret but SECRET_HASH was not received`);
  const expected = Buffer.from(secretHashOf(String(params?.USERNAME ?? ''), clientId, secret));
  const got = Buffer.from(given);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return notAuthorized(`Unable to verify secret hash for client ${clientId}`);
  return undefined;
}
