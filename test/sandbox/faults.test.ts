// Fault modes per `service:Operation` (faults.ts), through the real SDK clients of the five
// services: deny (the service's own AccessDenied, in its words), html500 (a proxy's HTML page:
// the SDK fails to deserialize it), hang (ended by the client's own timeout or abort; stop()
// still closes such sockets at once) and throttle (for ever: the SDK's retries run out). One
// sandbox serves the whole matrix through setFaults(); calls() counts the round trips.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CognitoIdentityClient, DescribeIdentityPoolCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { HTML_500_BODY } from './faults.ts';
import { startSandbox, type Sandbox } from './index.ts';
import { ACCOUNT_ID, ADMIN_ARN, IDENTITY_POOL_IDS, REGION, USER_POOL_ID, tableArn } from './seed.ts';

/** What the SDK threw: name, message, the HTTP status and attempts it reports, the raw response's content type. */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number; attempts?: number; contentType?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; $response?: { headers?: Record<string, string> } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, attempts: err.$metadata?.attempts, contentType: err.$response?.headers?.['content-type'] };
  }
  throw new Error('expected the call to fail, it succeeded');
}

type ClientConfig = { maxAttempts?: number; requestHandler?: { requestTimeout: number; throwOnRequestTimeout: boolean } };

/** One call per service, with a client built for it; `key` is its `service:Operation`. */
function probes(sandbox: Sandbox, config: ClientConfig) {
  const base = { endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials, ...config };
  return [
    {
      key: 'cognito-idp:DescribeUserPool', xml: false,
      resource: `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${USER_POOL_ID}`,
      call: () => { const c = new CognitoIdentityProviderClient(base); return c.send(new DescribeUserPoolCommand({ UserPoolId: USER_POOL_ID })).finally(() => c.destroy()); },
    },
    {
      key: 'cognito-identity:DescribeIdentityPool', xml: false,
      resource: `arn:aws:cognito-identity:${REGION}:${ACCOUNT_ID}:identitypool/${IDENTITY_POOL_IDS.books}`,
      call: () => { const c = new CognitoIdentityClient(base); return c.send(new DescribeIdentityPoolCommand({ IdentityPoolId: IDENTITY_POOL_IDS.books })).finally(() => c.destroy()); },
    },
    {
      key: 'dynamodb:DescribeTable', xml: false, resource: tableArn('book-table'),
      call: () => { const c = new DynamoDBClient(base); return c.send(new DescribeTableCommand({ TableName: 'book-table' })).finally(() => c.destroy()); },
    },
    {
      key: 'iam:GetRole', xml: true, resource: 'role BooksReadAccess',
      call: () => { const c = new IAMClient(base); return c.send(new GetRoleCommand({ RoleName: 'BooksReadAccess' })).finally(() => c.destroy()); },
    },
    {
      key: 'sts:GetCallerIdentity', xml: true, resource: '*',
      call: () => { const c = new STSClient(base); return c.send(new GetCallerIdentityCommand({})).finally(() => c.destroy()); },
    },
  ];
}

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.stop();
});

describe('fault modes, per service', () => {
  it('deny: the service\'s own AccessDenied, worded as AWS words it, not retried', async () => {
    const all = probes(sandbox, { maxAttempts: 3 });
    sandbox.setFaults(Object.fromEntries(all.map((p) => [p.key, 'deny'])));
    sandbox.resetCalls();
    for (const p of all) {
      const e = await failure(p.call());
      assert.equal(e.name, p.xml ? 'AccessDenied' : 'AccessDeniedException', p.key);
      assert.equal(e.message, `User: ${ADMIN_ARN} is not authorized to perform: ${p.key} on resource: ${p.resource} `
        + `because no identity-based policy allows the ${p.key} action`);
      assert.equal(e.status, p.xml ? 403 : 400, p.key);
      assert.equal(e.attempts, 1, `${p.key} is not retried`);
    }
    assert.deepEqual(sandbox.calls(), Object.fromEntries(all.map((p) => [p.key, 1]).sort()));
  });

  it('deny applies to unsigned operations too (the caller is anonymous)', async () => {
    sandbox.setFaults({ 'cognito-identity:GetId': 'deny' });
    const ci = new CognitoIdentityClient({ endpoint: sandbox.endpoint, region: sandbox.region });
    const e = await failure(ci.send(new GetIdCommand({ IdentityPoolId: IDENTITY_POOL_IDS['books-guest'] })));
    ci.destroy();
    assert.equal(e.name, 'AccessDeniedException');
    assert.match(e.message, /^User: anonymous is not authorized to perform: cognito-identity:GetId on resource: arn:aws:cognito-identity:/);
  });

  it('html500: an HTML page with status 500; the SDK retries it, then fails to deserialize it', async () => {
    const all = probes(sandbox, { maxAttempts: 2 });
    sandbox.setFaults(Object.fromEntries(all.map((p) => [p.key, 'html500'])));
    sandbox.resetCalls();
    for (const p of all) {
      const e = await failure(p.call());
      assert.match(e.message, /Deserialization error/, `${p.key}: ${e.name}: ${e.message}`);
      assert.equal(e.status, 500, p.key);
      assert.equal(e.contentType, 'text/html', p.key);
      assert.equal(e.attempts, 2, `${p.key}: a 500 is retried`);
    }
    assert.deepEqual(sandbox.calls(), Object.fromEntries(all.map((p) => [p.key, 2]).sort()));
    // The raw answer, as a proxy's error page (unsigned: faults apply before any authentication).
    const raw = await fetch(sandbox.endpoint, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.DescribeTable' }, body: '{}' });
    assert.equal(raw.status, 500);
    assert.equal(raw.headers.get('content-type'), 'text/html');
    assert.equal(await raw.text(), HTML_500_BODY);
    assert.match(HTML_500_BODY, /^<!doctype html>\n<html>/);
  });

  it('hang: the client\'s own requestTimeout ends it (and each retry hangs again)', async () => {
    // @smithy/node-http-handler 4.x only warns when requestTimeout passes, unless throwOnRequestTimeout.
    const all = probes(sandbox, { maxAttempts: 2, requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true } });
    sandbox.setFaults(Object.fromEntries(all.map((p) => [p.key, 'hang'])));
    sandbox.resetCalls();
    const started = Date.now();
    const errors = await Promise.all(all.map((p) => failure(p.call())));
    for (const [i, e] of errors.entries()) {
      assert.equal(e.name, 'TimeoutError', `${all[i]!.key}: ${e.message}`);
      assert.equal(e.attempts, 2, all[i]!.key);
    }
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.deepEqual(sandbox.calls(), Object.fromEntries(all.map((p) => [p.key, 2]).sort()));
  });

  it('hang: an abort signal ends it', async () => {
    sandbox.setFaults({ 'iam:*': 'hang' });
    const iam = new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.adminCredentials });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 150);
    const e = await failure(iam.send(new GetRoleCommand({ RoleName: 'BooksAdmin' }), { abortSignal: abort.signal }));
    iam.destroy();
    assert.equal(e.name, 'AbortError');
  });

  it('throttle: the service\'s throttling error on every call, until the SDK\'s retries run out', async () => {
    const all = probes(sandbox, { maxAttempts: 3 });
    sandbox.setFaults(Object.fromEntries(all.map((p) => [p.key, 'throttle'])));
    sandbox.resetCalls();
    const errors = await Promise.all(all.map((p) => failure(p.call())));
    const names = ['TooManyRequestsException', 'TooManyRequestsException', 'ThrottlingException', 'Throttling', 'Throttling'];
    assert.deepEqual(errors.map((e) => e.name), names);
    for (const [i, e] of errors.entries()) assert.equal(e.attempts, 3, all[i]!.key);
    assert.deepEqual(sandbox.calls(), Object.fromEntries(all.map((p) => [p.key, 3]).sort()));
  });

  it('setFaults({}) clears every fault; an unknown mode or key is refused', async () => {
    sandbox.setFaults({});
    for (const p of probes(sandbox, { maxAttempts: 1 })) await p.call();
    assert.throws(() => sandbox.setFaults({ 'iam:GetRole': 'explode' as 'deny' }), /not one of deny, html500, hang, throttle/);
    assert.throws(() => sandbox.setFaults({ 's3:GetObject': 'deny' }), /not service:Operation/);
  });
});

describe('stop() with a request left hanging', () => {
  it('closes the held socket at once', async () => {
    const own = await startSandbox({ faults: { 'sts:GetCallerIdentity': 'hang' } });
    const sts = new STSClient({ endpoint: own.endpoint, region: own.region, credentials: own.adminCredentials, maxAttempts: 1 });
    const pending = failure(sts.send(new GetCallerIdentityCommand({})));
    // Wait until the gateway holds it.
    for (let i = 0; i < 100 && !own.calls()['sts:GetCallerIdentity']; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(own.calls()['sts:GetCallerIdentity'], 1);
    const started = Date.now();
    const stopped = await Promise.race([own.stop().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    assert.ok(stopped, 'stop() did not return within 5 s');
    const e = await pending;
    sts.destroy();
    assert.ok(Date.now() - started < 5000);
    assert.match(`${e.name} ${e.message}`, /socket hang up|ECONNRESET|closed/i);
  });
});
