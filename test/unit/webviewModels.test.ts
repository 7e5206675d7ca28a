// The host-side view models of the panels (pure, the engine passed in): the simulated probe
// matrix, rows split by partition only where it matters, statements with the failing part marked,
// and the trust diagnosis with the corrected policy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as engine from '../../src/vscode/engine.ts';
import { probeView, simulateProbes, type ProbeRecord } from '../../src/vscode/panels/probeModel.ts';
import { correctedTrustPolicy } from '../../src/core/trustFix.ts';
import { trustDiagnosis } from '../../src/vscode/panels/trustDiagnosis.ts';
import { SAMPLE_PATH } from '../sandbox/writeSample.ts';

const snapshot = engine.parseSnapshot(readFileSync(SAMPLE_PATH, 'utf8'), 'sample');
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const books = snapshot.identityPools.find((p) => p.IdentityPoolName === 'books')!.IdentityPoolId;
const broken = snapshot.identityPools.find((p) => p.IdentityPoolName === 'books-broken')!.IdentityPoolId;
const subject = { mode: 'simulated' as const, subject: 's', connectionId: 'sample', identityPoolId: books, identityId: null, canRunLive: false };

describe('webview models: the simulated probe', () => {
  it('decides every probe of the live plan without credentials', () => {
    const records = simulateProbes(engine, snapshot, { roleArn: role('BooksReadAccess'), identityPoolId: books, tables: ['book-table'] });
    assert.equal(records.length, 19, 'ten operations, keyed ones for own and other');
    const find = (action: string) => records.find((r) => r.action === `dynamodb:${action}` && r.partition !== 'other')!;
    assert.equal(find('Query').simulated, 'allowed');
    assert.equal(find('PutItem').simulated, 'implicit-deny');
    assert.equal(find('Scan').partition, null);
  });

  it('splits a table by partition only where the leading keys change an outcome', () => {
    const read = probeView({ ...subject, roleArn: role('BooksReadAccess') }, simulateProbes(engine, snapshot, { roleArn: role('BooksReadAccess'), identityPoolId: books, tables: ['book-table'] }));
    assert.deepEqual(read.rows.map((r) => r.label), ['book-table']);
    const own = probeView({ ...subject, roleArn: role('NotesOwnPartition') }, simulateProbes(engine, snapshot, { roleArn: role('NotesOwnPartition'), identityPoolId: books, tables: ['user-notes'] }));
    assert.deepEqual(own.rows.map((r) => r.partition), ['own', 'other']);
    const getOwn = own.cells.find((c) => c.rowId === 'user-notes|own' && c.action === 'dynamodb:GetItem')!;
    const getOther = own.cells.find((c) => c.rowId === 'user-notes|other' && c.action === 'dynamodb:GetItem')!;
    assert.equal(getOwn.simulated, 'allowed');
    assert.equal(getOther.simulated, 'implicit-deny');
    const failing = [getOther.explanation?.closest, ...(getOther.explanation?.deciding ?? [])].find((s) => s?.parts.some((p) => p.status === 'fail'));
    assert.ok(failing, 'the closest statement marks its failing part');
    assert.ok(failing.parts.some((p) => p.part === 'Condition' && p.status === 'fail'), 'the LeadingKeys condition is the failing part');
    assert.ok(failing.conditions.some((c) => !c.matched && c.requestValues && c.policyValues.length > 0), 'both values of the failing condition');
  });

  it('counts and marks disagreements, and states that no probe changes data', () => {
    const records: ProbeRecord[] = [
      { table: 't', action: 'dynamodb:Query', partition: 'own', live: 'allowed', awsMessage: 'ok', simulated: 'implicit-deny', agree: false, explanation: null },
      { table: 't', action: 'dynamodb:Query', partition: 'other', live: 'allowed', awsMessage: 'ok', simulated: 'implicit-deny', agree: false, explanation: null },
    ];
    const view = probeView({ ...subject, mode: 'live', roleArn: role('X') }, records);
    assert.equal(view.disagreements, 2);
    assert.match(view.notes[0]!, /^No probe changes data/);
    assert.ok(view.notes.some((n) => n.includes('disagree')));
    assert.equal(view.cells[0]!.agree, false);
  });
});

describe('webview models: the trust diagnosis', () => {
  it('replaces the Cognito statement and keeps the others', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Sid: 'Other', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }, { Sid: 'Cognito', Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }] };
    const fixed = JSON.parse(correctedTrustPolicy(doc, { Effect: 'Allow', Action: 'x' })) as { Statement: Record<string, unknown>[] };
    assert.deepEqual(fixed.Statement, [doc.Statement[0], { Sid: 'Cognito', Effect: 'Allow', Action: 'x' }]);
    const appended = JSON.parse(correctedTrustPolicy({ Statement: [] }, { Effect: 'Allow' })) as { Version: string; Statement: unknown[] };
    assert.equal(appended.Version, '2012-10-17');
    assert.equal(appended.Statement.length, 1);
  });

  it('names the role, the failing aud condition with both values, and corrects it', () => {
    const findings = engine.diagnose(snapshot).findings.filter((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID');
    const d = trustDiagnosis(engine, snapshot, { identityPoolId: broken, findings, predictedFindings: ['TRUST_AUD_IS_USER_POOL_ID'], liveError: { code: 'InvalidIdentityPoolConfigurationException', message: 'Invalid identity pool configuration.' } });
    assert.ok(d);
    assert.equal(d.roleArn, role('BooksReadBroken'));
    const aud = d.conditions.find((c) => c.key.endsWith(':aud'))!;
    assert.deepEqual(aud.holds, [snapshot.userPools[0]!.Id]);
    assert.deepEqual(aud.mustHold, [broken]);
    assert.ok(d.correctedTrustPolicy?.includes(broken));
    assert.ok(!d.correctedTrustPolicy?.includes(`"${snapshot.userPools[0]!.Id}"`), 'the user pool id is gone from aud');
  });
});
