// The views the explain and access-matrix pages draw (src/vscode/panels/explainModel.ts,
// matrixModel.ts): built from the engine's results without vscode, so node:test covers them; and
// the one way every output numbers statements.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statementRef as engineRef } from '../../src/core/iam/explain.ts';
import { parseSnapshot } from '../../src/core/snapshot.ts';
import * as engine from '../../src/vscode/engine.ts';
import { explainView } from '../../src/vscode/panels/explainModel.ts';
import { matrixCellDetail, matrixView } from '../../src/vscode/panels/matrixModel.ts';
import { statementView } from '../../src/vscode/panels/probeModel.ts';
import { statementRef } from '../../src/webview/format.ts';
import { seedSnapshot } from '../sandbox/seed.ts';
import { COGNITO } from './errorFixtures.ts';

const snapshot = parseSnapshot(JSON.stringify(seedSnapshot()), 'sandbox seed');
const connection = { id: 'sample', label: 'Sample account' };

describe('statements are numbered one way everywhere: Statement[i], as in the JSON', () => {
  it('the pages\' formatter and the engine\'s agree, with and without a Sid', () => {
    for (const r of [{ index: 0 }, { index: 3, sid: 'ReadBooks' }]) assert.equal(statementRef(r), engineRef(r));
    assert.equal(statementRef({ index: 1 }), 'Statement[1]');
    assert.equal(statementRef({ index: 0, sid: 'X' }), 'statement "X" (Statement[0])');
  });

  it('the probe\'s statement view and the engine\'s explanation use it', () => {
    const decision = engine.simulateAccess(snapshot, 'arn:aws:iam::123456789012:role/BooksReadAccess', { action: 'dynamodb:PutItem', table: 'book-table', identityPoolId: 'eu-central-1:aaaaaaaa-1111-2222-3333-444444444444' });
    assert.ok(!('error' in decision));
    const closest = decision.explanation.closest!;
    assert.equal(statementView(closest).label, 'Statement[0]');
    assert.match(decision.explanation.suggestion ?? '', /^Statement\[0\] of identity-based policy "BooksRead"/);
  });
});

describe('the explain view', () => {
  it('AccessDenied: the explanation as the probe shows it, and whether the role can be revealed', () => {
    const result = engine.explainError(snapshot, 'User: arn:aws:sts::123456789012:assumed-role/BooksReadAccess/CognitoIdentityCredentials is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-central-1:123456789012:table/book-table because no identity-based policy allows the dynamodb:PutItem action');
    const view = explainView(result, { connection, revealable: (arn) => arn.endsWith('/BooksReadAccess') });
    assert.equal(view.access?.revealable, true);
    assert.equal(view.access?.explanation.closest?.label, 'Statement[0]');
    assert.match(view.access?.explanation.suggestion ?? '', /add "dynamodb:PutItem"/);
    assert.match(view.access?.explanation.suggestedStatement ?? '', /"dynamodb:PutItem"/);
    assert.equal(view.message, result.parsed.message);
  });

  it('InvalidIdentityPoolConfiguration: each role with its status; findings shown with their role are not repeated', () => {
    const result = engine.explainError(snapshot, COGNITO.invalidPoolConfigurationJson.text, { identityPoolId: 'eu-central-1:bbbbbbbb-1111-2222-3333-444444444444' });
    const view = explainView(result, { connection, revealable: () => true });
    assert.equal(view.pool?.roles[0]?.status, 'refused');
    assert.ok(view.pool?.roles[0]?.correctedTrustPolicy);
    assert.deepEqual(view.findings.filter((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID'), []);
  });

  it('not understood: the forms', () => {
    const view = explainView(engine.explainError(snapshot, 'nothing'), { connection: null, revealable: () => false });
    assert.equal(view.understood, false);
    assert.ok(view.understoodForms.length >= 10);
  });
});

describe('the access matrix view', () => {
  const subject = { mode: 'who' as const, title: 'Who can access user-notes', filter: { table: 'user-notes' }, connectionId: 'sample', connection: 'Sample account' };
  const matrix = engine.accessMatrix(snapshot, subject.filter);
  const view = matrixView(engine, matrix, subject);

  it('rows name the way and the role; a cell per action', () => {
    assert.ok(view.rows.some((r) => r.label === 'group NotesOwn (precedence 3) of books → NotesOwnPartition'));
    assert.equal(view.cells.length, view.rows.length * view.actions.length);
  });

  it('a cell explained: own and another\'s partition where they differ, as the probe explains', () => {
    const row = view.rows.find((r) => r.label.startsWith('group NotesOwn (precedence 3) of books '))!;
    const cell = view.cells.find((c) => c.rowId === row.id && c.action === 'dynamodb:GetItem')!;
    assert.equal(cell.outcome, 'own-partition');
    const detail = matrixCellDetail(engine, snapshot, matrix, view, cell.id)!;
    assert.match(detail.own?.summary ?? '', /^Allowed/);
    assert.match(detail.other?.summary ?? '', /^Implicitly denied/);
    assert.equal(detail.heading, `${row.label} · GetItem`);
    const closed = view.rows.find((r) => r.credentials === false)!;
    const none = matrixCellDetail(engine, snapshot, matrix, view, `${closed.id}|dynamodb:GetItem`)!;
    assert.deepEqual([none.outcome, none.own, none.other], ['no-credentials', null, null]);
    assert.equal(matrixCellDetail(engine, snapshot, matrix, view, 'no such cell'), null);
  });

  it('"what can it do": rows name the table (and the pool when several hand the role out)', () => {
    const what = { mode: 'what' as const, title: 'What can group BooksRead do', filter: { group: `${snapshot.userPools[0]!.Id}/BooksRead` }, connectionId: 'sample', connection: 'Sample account' };
    const v = matrixView(engine, engine.accessMatrix(snapshot, what.filter), what);
    assert.ok(v.rows.every((r) => r.roleName === 'BooksReadAccess'));
    assert.ok(v.rows.some((r) => r.label === 'book-table · group BooksRead (precedence 1) of books'));
  });
});
