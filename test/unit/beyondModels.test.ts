// The editor's pure models for what real accounts add (issue 12): the Explorer's provider, tag-map,
// basic-flow and trigger rows; the probe's partition of a principal tag (the caller's department)
// in the simulated and live plans; the Test-as-user view's session tags and trigger notes; where a
// tag map's scan gap shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as engine from '../../src/vscode/engine.ts';
import { compareWithPrediction, type LiveResolution } from '../../src/aws/identity.ts';
import { planProbes, tagPartitions } from '../../src/aws/probePlan.ts';
import { leadingKeyTags } from '../../src/core/access.ts';
import type { IdentityPool, Snapshot } from '../../src/core/snapshot.ts';
import { probeContextOf } from '../../src/pipeline/probeContext.ts';
import type { Session } from '../../src/pipeline/session.ts';
import { probeView, rowLabel, sessionNotes, simulateProbes } from '../../src/vscode/panels/probeModel.ts';
import { sessionTagsView, testUserView } from '../../src/vscode/panels/testUserModel.ts';
import { gapPlace } from '../../src/vscode/tree/gapPlaces.ts';
import { basicFlowRow, providerRows, tagRows, triggerRow } from '../../src/vscode/tree/providerRows.ts';
import { SAMPLE_PATH } from '../sandbox/writeSample.ts';

const snapshot: Snapshot = engine.parseSnapshot(readFileSync(SAMPLE_PATH, 'utf8'), 'sample');
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const pool = (name: string): IdentityPool => snapshot.identityPools.find((p) => p.IdentityPoolName === name)!;
const USER_POOL = 'cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234';

describe('Explorer rows: providers, principal-tag maps, basic flow, trigger', () => {
  it('a user pool client with its tag map as `tag ← claim` rows', () => {
    const rows = providerRows(engine, pool('books-abac'));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.label, 'eu-central-1_BOOKS1234');
    assert.match(rows[0]!.description, /^client webclient0000000000000001 · tags: dept ← custom:dept$/);
    assert.deepEqual(rows[0]!.tags?.rows.map((r) => r.label), ['dept ← custom:dept']);
    assert.equal(providerRows(engine, pool('books'))[0]!.tags, null, 'no map: no tags');
    assert.match(providerRows(engine, pool('books'))[0]!.description, /no principal tags$/);
  });

  it('an OIDC provider by its host, with its ARN', () => {
    const [oidc] = providerRows(engine, pool('books-oidc'));
    assert.equal(oidc!.label, 'login.sandbox.test');
    assert.equal(oidc!.kind, 'oidc');
    assert.match(oidc!.description, /^OIDC provider · arn:aws:iam::123456789012:oidc-provider\/login\.sandbox\.test · no principal tags$/);
  });

  it('social providers with their app ids, SAML ARNs, the developer provider; defaults on one row', () => {
    const ip: IdentityPool = {
      ...pool('books'),
      SupportedLoginProviders: { 'accounts.google.com': '123-abc.apps.googleusercontent.com', 'www.amazon.com': 'amzn1.application.x' },
      OpenIdConnectProviderARNs: [], SamlProviderARNs: ['arn:aws:iam::123456789012:saml-provider/Corp'], DeveloperProviderName: 'login.books.app',
      PrincipalTagMaps: [
        { IdentityProviderName: 'accounts.google.com', UseDefaults: true, PrincipalTags: {} },
        { IdentityProviderName: 'www.amazon.com', UseDefaults: true, PrincipalTags: { team: 'aud' } },
        { IdentityProviderName: USER_POOL, UseDefaults: false, PrincipalTags: {} },
      ],
    };
    const rows = providerRows(engine, ip);
    const by = (label: string) => rows.find((r) => r.label === label)!;
    assert.deepEqual(rows.map((r) => r.kind), ['user-pool', 'user-pool', 'google', 'amazon', 'saml', 'developer']);
    assert.match(by('accounts.google.com').description, /^Google · app id 123-abc\.apps\.googleusercontent\.com · tags: client ← aud, username ← sub$/);
    assert.deepEqual(by('accounts.google.com').tags?.rows.map((r) => r.label), ['defaults: client ← aud, username ← sub']);
    assert.deepEqual(by('www.amazon.com').tags?.rows.map((r) => r.label), ['defaults: client ← aud, username ← user_id', 'team ← aud']);
    assert.match(by('Corp').description, /^SAML provider · arn:aws:iam::123456789012:saml-provider\/Corp/);
    assert.match(by('login.books.app').description, /^developer provider · no principal tags$/);
    assert.match(rows[0]!.description, /tag map with no tags$/, 'a map that sets nothing passes no tags');
    assert.deepEqual(tagRows(engine, { IdentityProviderName: 'x', UseDefaults: true, PrincipalTags: {} }, 'developer').map((r) => r.label), ['defaults: not applicable']);
  });

  it('basic flow on or off; the trigger with its ARN and version', () => {
    assert.deepEqual([basicFlowRow(pool('books-classic')).label, basicFlowRow(pool('books')).label], ['Basic (classic) flow: on', 'Basic (classic) flow: off']);
    const trigger = triggerRow(engine, snapshot.userPools.find((p) => p.Id === 'eu-central-1_TRIGGER12')!, snapshot.region);
    assert.equal(trigger?.label, 'Pre token generation trigger: books-pre-token-generation');
    assert.equal(trigger?.description, 'V2_0 · arn:aws:lambda:eu-central-1:123456789012:function:books-pre-token-generation');
    assert.equal(triggerRow(engine, snapshot.userPools[0]!, snapshot.region), null);
  });

  it('the new findings sit on the pools the rows belong to', () => {
    const findings = engine.diagnose(snapshot).findings;
    assert.ok(findings.some((f) => f.code === 'POOL_BASIC_FLOW_ENABLED' && f.subject.kind === 'identityPool' && f.subject.id === pool('books-classic').IdentityPoolId));
    assert.ok(findings.some((f) => f.code === 'USER_POOL_TOKEN_TRIGGER' && f.subject.kind === 'userPool' && f.subject.id === 'eu-central-1_TRIGGER12'));
    assert.ok(findings.some((f) => f.code === 'TRUST_NO_TAG_SESSION' && f.subject.kind === 'role' && f.subject.id === role('BooksAbacDeptBroken')));
  });

  it('a tag map the scan could not read shows under its identity pool\'s provider (topic tags)', () => {
    const ip = pool('books-abac').IdentityPoolId;
    const gap = { service: 'cognito-identity', operation: 'GetPrincipalTagAttributeMap', resource: `${ip}/${USER_POOL}`, error: 'AccessDeniedException', message: 'x', permission: 'cognito-identity:GetPrincipalTagAttributeMap' };
    assert.deepEqual(gapPlace(gap, snapshot), { kind: 'identityPool', poolId: ip, topic: 'tags' });
  });
});

describe('the probe with principal tags (books-abac)', () => {
  const ip = pool('books-abac').IdentityPoolId;
  const abac = snapshot.roles.find((r) => r.RoleName === 'BooksAbacDept')!;

  it('the tags a role reads as leading keys, and the partitions they give', () => {
    assert.deepEqual(leadingKeyTags(abac), ['dept']);
    assert.deepEqual(leadingKeyTags(snapshot.roles.find((r) => r.RoleName === 'NotesOwnPartition')!), []);
    assert.deepEqual(tagPartitions({ dept: 'books', other: 'x' }, ['dept']), [{ key: 'dept', value: 'books' }]);
    assert.deepEqual(tagPartitions({ Dept: 'books' }, ['dept']), [{ key: 'Dept', value: 'books' }], 'tag keys are case-insensitive');
    assert.deepEqual(tagPartitions(null, ['dept']), []);
    assert.deepEqual(tagPartitions({ dept: '' }, ['dept']), [], 'an empty value is no partition');
  });

  it('the live plan probes the tag\'s partition between own and other; BatchWriteItem there only with a sort key', () => {
    const table = snapshot.tables.find((t) => t.TableName === 'book-table')!;
    const steps = planProbes(table, { identityId: 'eu-central-1:abc', tagPartitions: [{ key: 'dept', value: 'books' }], random: () => '00000000-0000-4000-8000-000000000001' });
    const get = steps.filter((s) => s.operation === 'GetItem');
    assert.deepEqual(get.map((s) => [s.partition, s.partitionValue]), [['own', 'eu-central-1:abc'], ['tag', 'books'], ['other', 'eu-central-1:00000000-0000-4000-8000-000000000001']]);
    assert.deepEqual(get[1]!.tag, { key: 'dept', value: 'books' });
    assert.equal(steps.find((s) => s.operation === 'BatchWriteItem' && s.partition === 'tag')!.skip, undefined, 'book-table has a sort key: the deleted key is random');
    const hashOnly = { ...table, KeySchema: table.KeySchema.filter((k) => k.KeyType === 'HASH') };
    const skipped = planProbes(hashOnly, { identityId: 'eu-central-1:abc', tagPartitions: [{ key: 'dept', value: 'books' }] }).find((s) => s.operation === 'BatchWriteItem' && s.partition === 'tag');
    assert.match(skipped!.skip ?? '', /the tag's partition may be a real item/);
  });

  it('simulated: the department\'s partition allowed, another denied, the tag named in the explanation', () => {
    const records = simulateProbes(engine, snapshot, { roleArn: abac.Arn, identityPoolId: ip, tables: ['book-table'], sessionTags: { dept: 'books' } });
    const view = probeView({ mode: 'simulated', subject: 's', connectionId: 'sample', roleArn: abac.Arn, identityPoolId: ip, identityId: null, canRunLive: false, sessionTags: { dept: 'books' } }, records);
    assert.deepEqual(view.rows.map((r) => r.label), ['book-table (own partition)', 'book-table (partition "books" = principal tag dept)', "book-table (another's partition)"]);
    const cell = (row: string, action: string) => view.cells.find((c) => c.rowId === row && c.action === action)!;
    const own = cell('book-table|tag:dept', 'dynamodb:GetItem');
    assert.equal(own.simulated, 'allowed');
    assert.match(own.explanation?.summary ?? '', /aws:PrincipalTag\/dept = "books"/);
    const other = cell('book-table|other', 'dynamodb:GetItem');
    assert.equal(other.simulated, 'implicit-deny');
    const condition = other.explanation?.closest?.conditions.find((c) => c.key === 'dynamodb:LeadingKeys');
    assert.match(condition?.reason ?? '', /aws:PrincipalTag\/dept is "books"/);
    assert.deepEqual(condition?.policyValues, ['books'], 'the variable resolved to the tag\'s value');
    assert.deepEqual(view.sessionTags, { dept: 'books' });
    assert.equal(cell('book-table|tag:dept', 'dynamodb:PutItem').simulated, 'implicit-deny');
  });

  it('without the session\'s tags nothing is allowed: the tag is absent', () => {
    const records = simulateProbes(engine, snapshot, { roleArn: abac.Arn, identityPoolId: ip, tables: ['book-table'] });
    assert.ok(records.every((r) => r.simulated !== 'allowed'));
    assert.ok(!records.some((r) => r.partition === 'tag'));
  });

  it('a pool\'s guest role, probed as guests get it: Cognito\'s guest session policy denies every call the role allows', () => {
    const guestPool = pool('books-guest').IdentityPoolId;
    const asRole = simulateProbes(engine, snapshot, { roleArn: role('BooksGuest'), identityPoolId: guestPool, tables: ['book-table'] });
    assert.ok(asRole.some((r) => r.simulated === 'allowed'), 'the role alone reads book-table');
    const asGuest = simulateProbes(engine, snapshot, { roleArn: role('BooksGuest'), identityPoolId: guestPool, tables: ['book-table'], guest: true });
    assert.ok(asGuest.length > 0 && asGuest.every((r) => r.simulated !== 'allowed'), 'guests are denied');
    const read = asGuest.find((r) => r.action === 'dynamodb:GetItem')!;
    assert.match((read.explanation as { summary: string }).summary, /AmazonCognitoUnAuthedIdentitiesSessionPolicy/);
    assert.match(sessionNotes({ guest: true })[0]!, /session policy for guests/);
    assert.deepEqual(sessionNotes({ guest: true, basicFlow: true }), ['Basic (classic) flow: the credentials carry no Cognito session policy.']);
  });

  it('the notes say which tags, provider and flow the engine decided with', () => {
    assert.match(sessionNotes({ sessionTags: { dept: 'books' } })[0]!, /principal tags dept = "books"/);
    assert.deepEqual(sessionNotes({}), []);
    assert.equal(sessionNotes({ provider: 'login.sandbox.test', basicFlow: true }).length, 2);
    assert.equal(rowLabel('t', 'own'), 't (own partition)');
  });
});

describe('Test as user: session tags and the trigger in the view', () => {
  const live = (over: Partial<LiveResolution>): LiveResolution => ({ outcome: 'credentials', identityId: 'eu-central-1:x', roleArn: null, callerArn: null, expiration: null, error: null, ...over });
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234', aud: 'webclient0000000000000001', token_use: 'id', sub: 's',
    'cognito:groups': ['BooksRead'], 'cognito:roles': [role('BooksReadAccess')], 'cognito:preferred_role': role('BooksReadAccess'), 'custom:dept': 'books', ...extra,
  });
  const session = (identityPool: string, l: LiveResolution, tokenClaims: Record<string, unknown> = claims()): Session => ({
    snapshot, identityPoolId: pool(identityPool).IdentityPoolId, signIn: { flow: 'USER_PASSWORD_AUTH', challenges: [] },
    claims: { 'cognito:groups': ['BooksRead'], 'cognito:roles': [], 'cognito:preferred_role': null }, signature: 'verified',
    comparison: compareWithPrediction(snapshot, { identityPoolId: pool(identityPool).IdentityPoolId, idTokenClaims: tokenClaims }, l),
    credentials: null, loginsKey: USER_POOL, provider: null, flow: 'enhanced', basicFlowRole: null,
  });
  const view = (s: Session) => testUserView(engine, { connection: 'c', connectionId: 'c', clientId: 'webclient0000000000000001', username: 'testuser1', session: s, idToken: 'x.y.z', hasAccessToken: false, steps: [], mask: engine.mask });

  it('books-abac: the predicted tags with where they come from; live unknown', () => {
    const s = session('books-abac', live({ roleArn: role('BooksAbacDept'), callerArn: 'arn:aws:sts::123456789012:assumed-role/BooksAbacDept/CognitoIdentityCredentials' }));
    const v = view(s);
    assert.equal(v.agree, true);
    assert.deepEqual(v.sessionTags?.predicted, { dept: 'books' });
    assert.equal(v.sessionTags?.live, null);
    assert.ok(v.sessionTags?.how.some((h) => /dept = "books" \(from custom:dept\)/.test(h)));
    assert.deepEqual({ ...probeContextOf(s).sessionTags }, { dept: 'books' });
    assert.deepEqual(sessionTagsView({ ...s.comparison, sessionTags: { predicted: { dept: 'books' }, live: { dept: 'music' } } }).live, { dept: 'music' });
  });

  it('books-abac-broken: the error agrees, TRUST_NO_TAG_SESSION and the corrected trust policy with sts:TagSession', () => {
    const s = session('books-abac-broken', live({ outcome: 'error', error: { code: 'InvalidIdentityPoolConfigurationException', message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.' } }));
    const v = view(s);
    assert.equal(v.agree, true);
    assert.ok(v.diagnosis?.findings.some((f) => f.code === 'TRUST_NO_TAG_SESSION'));
    assert.match(v.diagnosis?.correctedTrustPolicy ?? '', /"sts:AssumeRoleWithWebIdentity",\s*"sts:TagSession"/);
    assert.match(v.diagnosis?.statement ?? '', /^Statement\[0\] of the trust policy of BooksAbacDeptBroken: .*not sts:TagSession/);
    assert.deepEqual(v.sessionTags?.predicted, { dept: 'books' });
  });

  it('books-trigger: the prediction\'s trigger note, and the roles the trigger replaced named with the trigger', () => {
    const triggerClaims = {
      iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_TRIGGER12', aud: 'triggerclient000000000001', token_use: 'id', sub: 's',
      'cognito:groups': ['TriggerReaders'], 'cognito:roles': [role('BooksAdmin')], 'cognito:preferred_role': role('BooksAdmin'),
    };
    const s = session('books-trigger', live({ roleArn: role('BooksAdmin') }), triggerClaims);
    const v = view(s);
    assert.equal(v.agree, true);
    assert.deepEqual(v.trigger, { lambdaArn: 'arn:aws:lambda:eu-central-1:123456789012:function:books-pre-token-generation', version: 'V2_0' });
    assert.ok(v.predictionNotes?.some((n) => /pre token generation trigger/.test(n)));
    assert.ok(v.reasons.some((r) => /replaced them/.test(r) && /BooksReadAccess/.test(r)), v.reasons.join(' | '));
    // When Cognito disagrees with the prediction, the trigger is named as the likely reason.
    const differ = view(session('books-trigger', live({ roleArn: role('BooksWriteAccess') }), triggerClaims));
    assert.equal(differ.agree, false);
    assert.ok(differ.reasons.some((r) => /books-pre-token-generation \(V2_0\) is the likely reason/.test(r)), differ.reasons.join(' | '));
    // A user pool the scan read without a trigger: no trigger is suggested, a change since the scan is.
    const plain = view(session('books', live({ roleArn: role('BooksWriteAccess') })));
    assert.equal(plain.agree, false);
    assert.ok(plain.reasons.some((r) => /A change since the scan may be the reason/.test(r)));
    assert.ok(!plain.reasons.some((r) => /trigger/i.test(r)), plain.reasons.join(' | '));
    assert.equal(plain.trigger, null);
  });
});
