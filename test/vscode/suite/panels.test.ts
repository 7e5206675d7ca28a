// Test as user and the probe panel in a real VS Code, through the commands (with argument objects,
// as automation would). The live part needs the sandbox: test/vscode/runWithSandbox.mjs starts it
// and sets AWS_PROFILE=cognito-sandbox and COGNITO_SANDBOX for the extension host; without it the
// live tests are skipped and the simulated ones still run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestUserResult } from '../../../src/vscode/commands/testUser.ts';
import type { ProbeCellView, ProbeView } from '../../../src/webview/protocol.ts';
import { userByName } from '../../sandbox/seed.ts';
import { activate, closeAllEditors, waitFor } from './helpers.ts';

interface SandboxInfo {
  endpoint: string;
  region: string;
  userPoolId: string;
  clients: { web: string; backend: string };
  identityPools: { books: string; 'books-broken': string; 'books-strict': string };
  profile: string;
}
const sandbox: SandboxInfo | undefined = process.env.COGNITO_SANDBOX ? (JSON.parse(process.env.COGNITO_SANDBOX) as SandboxInfo) : undefined;

const cell = (view: ProbeView, table: string, action: string, partition: 'own' | 'other' | null = 'own'): ProbeCellView => {
  const row = view.rows.find((r) => r.table === table && (r.partition === null || r.partition === partition));
  const found = view.cells.find((c) => c.rowId === row?.id && c.action === action);
  assert.ok(found, `a ${table} ${action} cell`);
  return found;
};

/** Waits until a panel of this view type shows as an editor tab. */
const panelTab = (viewType: string) =>
  waitFor(`a ${viewType} tab`, () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType)));

describe('Probe panel, simulated (sample account)', () => {
  afterEach(closeAllEditors);

  it('opens from a connection with a role, without credentials, and explains each cell', async () => {
    await activate();
    const id = await vscode.commands.executeCommand<string>('cognitoAccess.openSample');
    const view = await vscode.commands.executeCommand<ProbeView>('cognitoAccess.probe', { connection: id, roleArn: 'arn:aws:iam::123456789012:role/BooksReadAccess' });
    assert.ok(view, 'the command returns the view');
    assert.equal(view.mode, 'simulated');
    assert.match(view.notes[0] ?? '', /No probe changes data/);
    assert.equal(cell(view, 'book-table', 'dynamodb:Query').simulated, 'allowed');
    const put = cell(view, 'book-table', 'dynamodb:PutItem');
    assert.equal(put.simulated, 'implicit-deny');
    assert.ok(put.explanation?.closest || put.explanation?.suggestion, 'an implicit deny comes with the closest statement or a suggestion');
    await panelTab('cognitoAccess.probe');
  });

  it('says Test as user needs a live connection for the sample', async () => {
    const id = await vscode.commands.executeCommand<string>('cognitoAccess.openSample');
    const result = await vscode.commands.executeCommand('cognitoAccess.testUser', { connection: id, userPoolId: 'x', clientId: 'y', username: 'testuser1', password: 'not-used' });
    assert.equal(result, undefined);
  });
});

describe('Test as user against the sandbox', function () {
  this.timeout(120_000);
  let connection: string;

  before(async function () {
    if (!sandbox) return this.skip();
    await activate();
    connection = (await vscode.commands.executeCommand<string>('cognitoAccess.connect', { profile: sandbox.profile, region: sandbox.region }))!;
    assert.ok(connection);
  });
  afterEach(closeAllEditors);

  const run = (username: string, pool: keyof SandboxInfo['identityPools']) =>
    vscode.commands.executeCommand<TestUserResult>('cognitoAccess.testUser', {
      connection, userPoolId: sandbox!.userPoolId, clientId: sandbox!.clients.web, username, password: userByName(username).password, identityPoolId: sandbox!.identityPools[pool],
    });

  it('testuser1 in books: group BooksRead, role BooksReadAccess, agree; probe Query allowed, PutItem denied and explained', async () => {
    const result = await run('testuser1', 'books');
    assert.ok(result, 'the command returns the result');
    const { view } = result;
    assert.deepEqual(view.idToken?.claims.find((c) => c.key === 'cognito:groups')?.value, '["BooksRead"]');
    assert.ok(view.idToken?.claims[0]?.cognito, 'cognito:* claims come first');
    assert.equal(view.signature, 'verified');
    assert.match(view.live.roleArn ?? '', /role\/BooksReadAccess$/);
    assert.match(view.predicted.roleArn ?? '', /role\/BooksReadAccess$/);
    assert.equal(view.agree, true);
    assert.match(view.verdict, /^Agree/);
    assert.deepEqual(view.steps.map((s) => s.step).filter((s) => s !== 'scan'), ['signIn', 'signature', 'GetId', 'GetCredentialsForIdentity', 'GetCallerIdentity']);
    assert.ok(view.credentials, 'credentials');
    assert.match(view.credentials.assumedRoleArn ?? '', /assumed-role\/BooksReadAccess\//);
    for (const masked of Object.values(view.credentials.masked)) assert.match(masked, /•/, 'the view carries masked values only');
    await panelTab('cognitoAccess.testUserResult');

    const probe = await vscode.commands.executeCommand<ProbeView>('cognitoAccess.probe', { sessionId: result.sessionId });
    assert.equal(probe.mode, 'live');
    assert.equal(probe.disagreements, 0, 'every decided probe agrees with the engine');
    assert.equal(cell(probe, 'book-table', 'dynamodb:Query').live, 'allowed');
    const put = cell(probe, 'book-table', 'dynamodb:PutItem');
    assert.equal(put.live, 'denied');
    assert.match(put.awsMessage ?? '', /not authorized/i);
    const named = put.explanation?.closest ?? put.explanation?.deciding[0];
    assert.ok(named, 'the explanation names a statement');
    assert.match(named.label, /^(statement "[^"]+" \()?Statement\[\d+\]/, 'statements are named Statement[i], as in the JSON');
    assert.ok(named.policy.length > 0);
  });

  it('a pasted ID token (federated or hosted-UI users) instead of a password: testuser1 agrees', async () => {
    // The token comes from the user pool as an app would get it: InitiateAuth over HTTP.
    const response = await fetch(sandbox!.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: sandbox!.clients.web, AuthParameters: { USERNAME: 'testuser1', PASSWORD: userByName('testuser1').password } }),
    });
    const { AuthenticationResult } = (await response.json()) as { AuthenticationResult: { IdToken: string } };
    const result = await vscode.commands.executeCommand<TestUserResult>('cognitoAccess.testUser', {
      connection, userPoolId: sandbox!.userPoolId, clientId: sandbox!.clients.web, idToken: AuthenticationResult.IdToken, identityPoolId: sandbox!.identityPools.books,
    });
    assert.ok(result, 'the command returns the result');
    assert.equal(result.view.signature, 'verified');
    assert.match(result.view.live.roleArn ?? '', /role\/BooksReadAccess$/);
    assert.equal(result.view.agree, true);
    assert.ok(!result.view.steps.some((s) => s.step === 'signIn'), 'no sign-in step: the token was given');
  });

  it('writer in books: BooksWriteAccess, agree', async () => {
    const { view } = (await run('writer', 'books'))!;
    assert.match(view.live.roleArn ?? '', /role\/BooksWriteAccess$/);
    assert.equal(view.agree, true);
  });

  it('tied in books: equal precedence, no preferred role, the authenticated role, agree', async () => {
    const { view } = (await run('tied', 'books'))!;
    assert.match(view.live.roleArn ?? '', /role\/BooksDefaultAuth$/);
    assert.equal(view.predicted.source, 'authenticated-role');
    assert.equal(view.agree, true);
  });

  it('testuser1 in books-broken: InvalidIdentityPoolConfiguration, diagnosed, with the corrected trust policy', async () => {
    const { view } = (await run('testuser1', 'books-broken'))!;
    assert.equal(view.live.outcome, 'error');
    assert.equal(view.live.error?.code, 'InvalidIdentityPoolConfigurationException');
    assert.equal(view.agree, true, 'the engine predicted the same error');
    assert.equal(view.credentials, null);
    assert.equal(view.steps.find((s) => s.step === 'GetCredentialsForIdentity')?.status, 'failed');
    const d = view.diagnosis;
    assert.ok(d, 'a diagnosis');
    assert.ok(d.findings.some((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID'));
    assert.match(d.roleArn ?? '', /role\/BooksReadBroken$/);
    const aud = d.conditions.find((c) => c.key.endsWith(':aud'));
    assert.ok(aud, 'the failing aud condition');
    assert.deepEqual(aud.holds, [sandbox!.userPoolId], 'it holds the user pool id');
    assert.deepEqual(aud.mustHold, [sandbox!.identityPools['books-broken']], 'it must hold the identity pool id');
    const corrected = JSON.parse(d.correctedTrustPolicy ?? '{}') as { Statement: { Condition?: { StringEquals?: Record<string, unknown> } }[] };
    assert.ok(corrected.Statement.some((s) => s.Condition?.StringEquals?.['cognito-identity.amazonaws.com:aud'] === sandbox!.identityPools['books-broken']));
  });

  it('the same user, client and identity pool again updates its panel (one tab, the later sign-in)', async () => {
    const first = (await run('testuser1', 'books'))!;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = (await run('testuser1', 'books'))!;
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('cognitoAccess.testUserResult'));
    assert.equal(tabs.length, 1, 'one panel');
    assert.ok(second.view.signedInAt > first.view.signedInAt, 'the panel shows the later sign-in');
    assert.notEqual(second.sessionId, first.sessionId);
    // A probe opened from the first session still runs live while the panel is open.
    const probe = await vscode.commands.executeCommand<ProbeView>('cognitoAccess.probe', { sessionId: first.sessionId });
    assert.equal(probe.mode, 'live');
  });

  it('remembers no password given by automation', async () => {
    assert.equal(await vscode.commands.executeCommand<number>('cognitoAccess.forgetSecrets', 'all'), 0);
  });
});
