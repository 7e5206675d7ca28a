// signIn's flows and challenges against a scripted Cognito (no network), and the ID token check
// against a locally generated JWKS. The sandbox suite runs the same code over real HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secretHash, signIn, useIdToken, type ChallengeAnswers } from '../../src/aws/signIn.ts';
import { TokenVerifier } from '../../src/aws/tokenVerifier.ts';
import { srpServerChallenge } from './srpServer.ts';

type Call = { command: string; input: Record<string, unknown> };

/** A fake user pool: SRP with a real verifier, then the scripted challenges, then tokens. */
function fakeCognito(o: { password: string; clientSecret?: string; script: string[] }) {
  const calls: Call[] = [];
  const server = srpServerChallenge({ userPoolId: 'eu-central-1_POOL', userIdForSrp: 'internal-alice', password: o.password });
  const script = [...o.script];
  const next = () => {
    const name = script.shift();
    if (!name) return { AuthenticationResult: { IdToken: 'id.token.here', AccessToken: 'access' } };
    return { ChallengeName: name, Session: `s-${name}`, ChallengeParameters: { USER_ID_FOR_SRP: 'internal-alice', CODE_DELIVERY_DESTINATION: '+*******1234', requiredAttributes: '["email"]' } };
  };
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const call = { command: command.constructor.name, input: command.input };
      calls.push(call);
      const params = (call.input.AuthParameters ?? call.input.ChallengeResponses) as Record<string, string>;
      if (o.clientSecret) assert.equal(params.SECRET_HASH, secretHash(params.USERNAME!, 'client1', o.clientSecret));
      else assert.equal(params.SECRET_HASH, undefined);
      if (call.command === 'InitiateAuthCommand') {
        if (call.input.AuthFlow === 'USER_SRP_AUTH') {
          const c = server.challenge(params.SRP_A!);
          return { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { SRP_B: c.srpB, SALT: c.salt, SECRET_BLOCK: c.secretBlock, USER_ID_FOR_SRP: 'internal-alice' } };
        }
        if (params.PASSWORD !== o.password) throw Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' });
        return next();
      }
      if (call.input.ChallengeName === 'PASSWORD_VERIFIER') {
        if (!server.verify(params as never)) throw Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' });
      }
      return next();
    },
  };
  return { client: client as never, calls };
}

const answers: ChallengeAnswers = {
  newPassword: async () => 'New-Passw0rd!',
  mfaCode: async (kind) => (kind === 'SMS_MFA' ? '111111' : '222222'),
};

test('SECRET_HASH is base64(HMAC-SHA256(secret, username + clientId))', () => {
  // echo -n "alicewebclient0000000000000001" | openssl dgst -sha256 -hmac "s3cr3t" -binary | base64
  assert.equal(secretHash('alice', 'webclient0000000000000001', 's3cr3t'), 'zrsj4SW7iVdPdr0jR2Pw13oTozu9jVPWIUZgvPmxG0s=');
});

test('USER_SRP_AUTH: a verifier-holding server accepts the claim; challenges follow in order', async () => {
  const { client, calls } = fakeCognito({ password: 'Pa55!', clientSecret: 'shh', script: ['NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA'] });
  const result = await signIn(client, { userPoolId: 'eu-central-1_POOL', clientId: 'client1', username: 'alice', password: 'Pa55!', clientSecret: 'shh', flow: 'USER_SRP_AUTH', answers });
  assert.equal(result.idToken, 'id.token.here');
  assert.deepEqual(result.challenges, ['PASSWORD_VERIFIER', 'NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA']);
  const responses = calls.slice(1).map((c) => c.input.ChallengeResponses as Record<string, string>);
  assert.equal(responses[0]!.USERNAME, 'internal-alice');
  assert.equal(responses[1]!.NEW_PASSWORD, 'New-Passw0rd!');
  assert.equal(responses[2]!.SOFTWARE_TOKEN_MFA_CODE, '222222');
  assert.equal(calls[2]!.input.Session, 's-NEW_PASSWORD_REQUIRED');
  assert.ok(!JSON.stringify(calls).includes('Pa55!'), 'the SRP flow never sends the password');
});

test('USER_SRP_AUTH with a wrong password is refused by the verifier', async () => {
  const { client } = fakeCognito({ password: 'right', script: [] });
  await assert.rejects(signIn(client, { userPoolId: 'eu-central-1_POOL', clientId: 'client1', username: 'alice', password: 'wrong', flow: 'USER_SRP_AUTH' }), /Incorrect/);
});

test('USER_PASSWORD_AUTH with SMS_MFA, no secret', async () => {
  const { client, calls } = fakeCognito({ password: 'pw', script: ['SMS_MFA'] });
  const result = await signIn(client, { userPoolId: 'eu-central-1_POOL', clientId: 'client1', username: 'alice', password: 'pw', flow: 'USER_PASSWORD_AUTH', answers });
  assert.deepEqual(result.challenges, ['SMS_MFA']);
  assert.equal((calls[1]!.input.ChallengeResponses as Record<string, string>).SMS_MFA_CODE, '111111');
});

test('a challenge without an answer callback fails with a clear message', async () => {
  const { client } = fakeCognito({ password: 'pw', script: ['SOFTWARE_TOKEN_MFA'] });
  await assert.rejects(signIn(client, { userPoolId: 'eu-central-1_POOL', clientId: 'client1', username: 'alice', password: 'pw', flow: 'USER_PASSWORD_AUTH' }), /SOFTWARE_TOKEN_MFA/);
});

test('useIdToken passes a federated user\'s token through', () => {
  assert.deepEqual(useIdToken(' a.b.c \n'), { idToken: 'a.b.c', flow: 'id-token', challenges: [] });
});

test('TokenVerifier: verified with the pool key, failed otherwise, JWKS fetched once', async () => {
  const jose = await import('jose');
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256');
  const other = await jose.generateKeyPair('RS256');
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const fetched: string[] = [];
  const verifier = new TokenVerifier(async (url) => {
    fetched.push(url);
    return { keys: [jwk] };
  });
  const sign = (key: Parameters<InstanceType<typeof jose.SignJWT>['sign']>[0], iss: string, aud = 'client1') =>
    new jose.SignJWT({ token_use: 'id', 'cognito:groups': ['BooksRead'] }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(iss).setAudience(aud).setIssuedAt().setExpirationTime('1h').sign(key);
  const aws = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_POOL';
  const local = 'http://127.0.0.1:9229/eu-central-1_POOL';
  const expected = { userPoolId: 'eu-central-1_POOL', region: 'eu-central-1', clientId: 'client1', endpoint: 'http://127.0.0.1:9229/' };

  assert.equal((await verifier.verifyIdToken(await sign(privateKey, aws), expected)).signature, 'verified');
  assert.equal((await verifier.verifyIdToken(await sign(privateKey, aws), expected)).signature, 'verified');
  assert.equal((await verifier.verifyIdToken(await sign(privateKey, local), expected)).signature, 'verified');
  // A configured endpoint serves the keys for both issuers; fetched once.
  assert.deepEqual(fetched, [`${local}/.well-known/jwks.json`]);
  const atAws = new TokenVerifier(async (url) => {
    fetched.push(url);
    return { keys: [jwk] };
  });
  const { endpoint: _endpoint, ...awsOnly } = expected;
  assert.equal((await atAws.verifyIdToken(await sign(privateKey, aws), awsOnly)).signature, 'verified');
  assert.equal(fetched.at(-1), `${aws}/.well-known/jwks.json`);
  assert.equal((await atAws.verifyIdToken(await sign(privateKey, local), awsOnly)).signature, 'failed');
  const forged = await verifier.verifyIdToken(await sign(other.privateKey, aws), expected);
  assert.equal(forged.signature, 'failed');
  const elsewhere = await verifier.verifyIdToken(await sign(privateKey, 'https://evil.example/eu-central-1_POOL'), expected);
  assert.equal(elsewhere.signature, 'failed');
  assert.match(elsewhere.reason!, /issuer/);
  const wrongClient = await verifier.verifyIdToken(await sign(privateKey, aws, 'client2'), expected);
  assert.equal(wrongClient.signature, 'failed');
  const offline = new TokenVerifier(async () => { throw new Error('ECONNREFUSED'); });
  const unchecked = await offline.verifyIdToken(await sign(privateKey, aws), expected);
  assert.equal(unchecked.signature, 'unchecked');
  assert.deepEqual(unchecked.claims['cognito:groups'], ['BooksRead']);
});
