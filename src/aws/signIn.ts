// Signs a test user in to a user pool and returns the ID token (the one an identity pool needs).
// Flows: USER_SRP_AUTH (the password never leaves the process) and USER_PASSWORD_AUTH, with the
// NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA, SMS_MFA and SELECT_MFA_TYPE challenges answered by
// the caller. Federated and hosted-UI users bring their own ID token instead (`useIdToken`).
import { createHmac } from 'node:crypto';
import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type ChallengeNameType,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { rememberSecret } from '../core/redact.ts';
import { passwordVerifierResponses, srpStart } from './srp.ts';
import { errorCode } from './errors.ts';

export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';

/** The caller's answers to challenges, asked only when Cognito sends one. */
export interface ChallengeAnswers {
  newPassword(info: { requiredAttributes: string[] }): Promise<string>;
  mfaCode(kind: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA', info: { destination?: string }): Promise<string>;
  selectMfa?(options: string[]): Promise<string>;
}

export interface SignInRequest {
  userPoolId: string;
  clientId: string;
  username: string;
  password: string;
  /** The app client's secret, when it has one (for SECRET_HASH). Never stored. */
  clientSecret?: string;
  flow: AuthFlow;
  answers?: ChallengeAnswers;
}

export interface SignInResult {
  idToken: string;
  accessToken?: string;
  flow: AuthFlow | 'id-token';
  /** The challenges answered on the way, in order. */
  challenges: string[];
}

type IdpSender = Pick<CognitoIdentityProviderClient, 'send'>;

/**
 * SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)), sent
 * in AuthParameters and ChallengeResponses whenever the client has a secret
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash).
 * In challenge responses the user name is the one Cognito returned (USER_ID_FOR_SRP).
 */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

/** A sign-in that Cognito refused or that needs something we cannot give. */
export class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

const MAX_CHALLENGES = 6;

export async function signIn(client: IdpSender, request: SignInRequest): Promise<SignInResult> {
  const { userPoolId, clientId, username, clientSecret } = request;
  // Everything secret this sign-in handles is registered for redaction (logs, error output).
  rememberSecret(request.password);
  rememberSecret(clientSecret);
  const withHash = (params: Record<string, string>, name: string): Record<string, string> => {
    if (!clientSecret) return params;
    const hash = secretHash(name, clientId, clientSecret);
    rememberSecret(hash);
    return { ...params, SECRET_HASH: hash };
  };

  const srp = request.flow === 'USER_SRP_AUTH' ? srpStart() : undefined;
  const authParameters: Record<string, string> = srp ? { USERNAME: username, SRP_A: srp.srpA } : { USERNAME: username, PASSWORD: request.password };
  let response: InitiateAuthCommandOutput = await client.send(
    new InitiateAuthCommand({ AuthFlow: request.flow, ClientId: clientId, AuthParameters: withHash(authParameters, username) }),
  );
  const challenges: string[] = [];
  let userId = username;

  while (!response.AuthenticationResult) {
    const name = response.ChallengeName;
    const params = response.ChallengeParameters ?? {};
    if (!name) throw new SignInError('NoResult', 'Cognito returned neither tokens nor a challenge.');
    if (challenges.length >= MAX_CHALLENGES) throw new SignInError('TooManyChallenges', `Gave up after ${MAX_CHALLENGES} challenges (last: ${name}).`);
    challenges.push(name);
    userId = params.USER_ID_FOR_SRP ?? params.USERNAME ?? userId;
    const responses = await answerChallenge(name, params, userId, request, srp);
    for (const [field, value] of Object.entries(responses)) if (field !== 'ANSWER' && field !== 'TIMESTAMP') rememberSecret(value);
    response = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: name as ChallengeNameType,
        Session: response.Session,
        ChallengeResponses: withHash({ USERNAME: userId, ...responses }, userId),
      }),
    );
  }
  const { IdToken: idToken, AccessToken, RefreshToken } = response.AuthenticationResult;
  for (const token of [idToken, AccessToken, RefreshToken]) rememberSecret(token);
  if (!idToken) throw new SignInError('NoIdToken', `Cognito returned no ID token for ${username} in ${userPoolId}.`);
  const result: SignInResult = { idToken, flow: request.flow, challenges };
  if (response.AuthenticationResult.AccessToken) result.accessToken = response.AuthenticationResult.AccessToken;
  return result;
}

async function answerChallenge(
  name: string,
  params: Record<string, string>,
  userId: string,
  request: SignInRequest,
  srp: ReturnType<typeof srpStart> | undefined,
): Promise<Record<string, string>> {
  const answers = request.answers;
  const need = (what: string): never => {
    throw new SignInError('ChallengeNotAnswered', `Cognito asks for ${name} (${what}), and no answer was provided.`);
  };
  switch (name) {
    case 'PASSWORD_VERIFIER': {
      if (!srp) throw new SignInError('UnexpectedChallenge', 'PASSWORD_VERIFIER outside an SRP sign-in.');
      const { SRP_B, SALT, SECRET_BLOCK } = params;
      if (!SRP_B || !SALT || !SECRET_BLOCK) throw new SignInError('BadChallenge', 'PASSWORD_VERIFIER without SRP_B, SALT or SECRET_BLOCK.');
      return passwordVerifierResponses({
        userPoolId: request.userPoolId, userIdForSrp: userId, password: request.password, state: srp, srpB: SRP_B, salt: SALT, secretBlock: SECRET_BLOCK,
      });
    }
    case 'NEW_PASSWORD_REQUIRED': {
      if (!answers) return need('a new password');
      const required = parseList(params.requiredAttributes);
      return { NEW_PASSWORD: await answers.newPassword({ requiredAttributes: required }) };
    }
    case 'SOFTWARE_TOKEN_MFA':
      if (!answers) return need('a code from the authenticator app');
      return { SOFTWARE_TOKEN_MFA_CODE: await answers.mfaCode('SOFTWARE_TOKEN_MFA', {}) };
    case 'SMS_MFA': {
      if (!answers) return need('the code sent by SMS');
      const info = params.CODE_DELIVERY_DESTINATION ? { destination: params.CODE_DELIVERY_DESTINATION } : {};
      return { SMS_MFA_CODE: await answers.mfaCode('SMS_MFA', info) };
    }
    case 'SELECT_MFA_TYPE': {
      const options = parseList(params.MFAS_CAN_CHOOSE);
      const choice = answers?.selectMfa ? await answers.selectMfa(options) : options[0];
      if (!choice) return need('an MFA type');
      return { ANSWER: choice };
    }
    default:
      throw new SignInError('UnsupportedChallenge', `Cognito asks for ${name}, which this tool cannot answer; sign in another way and use the ID token.`);
  }
}

function parseList(json: string | undefined): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

/** Whether an InitiateAuth error means "this flow is not available here" (so another may be tried). */
export function isFlowUnavailable(error: unknown): boolean {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : '';
  return /Unsupported/i.test(code) || (code === 'InvalidParameterException' && /not enabled|not supported/i.test(message)) || /Unsupported.*AuthFlow|AuthFlow.*not/i.test(message);
}

/** "Use this ID token": for federated or hosted-UI users whose password we never see. */
export function useIdToken(idToken: string): SignInResult {
  rememberSecret(idToken);
  return { idToken: idToken.trim(), flow: 'id-token', challenges: [] };
}
