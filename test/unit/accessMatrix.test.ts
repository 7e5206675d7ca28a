// "Who can do what" (src/core/accessMatrix.ts) over the sandbox's own account (its seed as a
// snapshot): for every seeded user, every identity pool and every table, the matrix row of the way
// the user signs in through says what the probe (simulated: probeModel.ts simulateProbes, the cells
// the probe panel shows) says, for the caller's own partition and another's. The live probe's
// agreement is test/aws/accessMatrix.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessMatrix, decideCell, MATRIX_ACTIONS, matrixRows, type AccessMatrix } from '../../src/core/accessMatrix.ts';
import { parseSnapshot } from '../../src/core/snapshot.ts';
import { simulate } from '../../src/core/simulate.ts';
import * as engine from '../../src/vscode/engine.ts';
import { simulateProbes } from '../../src/vscode/panels/probeModel.ts';
import { CLIENTS, IDENTITY_POOL_IDS, TABLES, USER_POOL_ID, USERS, seedSnapshot } from '../sandbox/seed.ts';

const snapshot = parseSnapshot(JSON.stringify(seedSnapshot()), 'sandbox seed');
const matrix = accessMatrix(snapshot);

/** The matrix cell of the way into `roleArn` through `identityPoolId`, on `table`, for `action`. */
function cellFor(m: AccessMatrix, roleArn: string, identityPoolId: string, table: string, action: string) {
  const rows = m.rows.filter((r) => r.way.roleArn === roleArn && r.way.identityPoolId === identityPoolId && r.table === table);
  assert.ok(rows.length > 0, `a row for ${roleArn} through ${identityPoolId} on ${table}`);
  const cells = rows.map((r) => m.cells.find((c) => c.rowId === r.id && c.action === action)!);
  // Every way into the same role through the same pool decides alike.
  assert.equal(new Set(cells.map((c) => `${c.outcome}|${c.own}|${c.other}`)).size, 1, `${roleArn} ${table} ${action}: ways agree`);
  return { row: rows[0]!, cell: cells[0]! };
}

describe('access matrix', () => {
  it('has a row per way and table, and a cell per action', () => {
    assert.equal(matrix.cells.length, matrix.rows.length * MATRIX_ACTIONS.length);
    assert.deepEqual([...new Set(matrix.rows.map((r) => r.table))].sort(), TABLES.map((t) => t.TableName).sort());
    const kinds = new Set(matrix.rows.map((r) => r.way.kind));
    for (const kind of ['group', 'rule', 'authenticated', 'unauthenticated']) assert.ok(kinds.has(kind as never), kind);
  });

  it('agrees with the simulated probe on every sandbox user, identity pool and table', () => {
    let compared = 0;
    // Users sign in with the web client to every pool that trusts it; guests try every pool that allows them.
    const webPools = snapshot.identityPools.filter((p) => p.CognitoIdentityProviders.some((c) => c.ClientId === CLIENTS.web.ClientId)).map((p) => p.IdentityPoolId);
    const guestPools = snapshot.identityPools.filter((p) => p.AllowUnauthenticatedIdentities).map((p) => p.IdentityPoolId);
    assert.ok(webPools.length >= 3 && guestPools.length >= 1);
    const subjects = USERS.map((u) => ({ who: u.Username, pools: webPools, options: { user: u.Username, userPoolId: USER_POOL_ID, clientId: CLIENTS.web.ClientId } }));
    for (const subject of subjects) {
      for (const poolId of subject.pools) {
        const result = simulate(snapshot, { ...subject.options, identityPoolId: poolId });
        const roleArn = result.resolution.roleArn;
        if (!roleArn) {
          // No credentials: where the pool chose a role that STS refuses, the matrix says "no credentials" too.
          for (const f of result.trustFindings) {
            const rows = matrix.rows.filter((r) => r.way.roleArn === f.subject.id && r.way.identityPoolId === poolId);
            assert.ok(rows.length > 0 && rows.every((r) => r.credentials === false), `${subject.who} in ${poolId}: ${f.subject.id} gives no credentials`);
          }
          continue;
        }
        const probes = simulateProbes(engine, snapshot, { roleArn, identityPoolId: poolId, tables: TABLES.map((t) => t.TableName) });
        for (const probe of probes) {
          const action = probe.action === 'dynamodb:ConditionCheck' ? 'dynamodb:ConditionCheckItem' : probe.action === 'dynamodb:TransactWriteItems' ? 'dynamodb:PutItem' : probe.action;
          const { row, cell } = cellFor(matrix, roleArn, poolId, probe.table, action);
          assert.equal(row.credentials, true, `${subject.who} got credentials, so the way gives them`);
          const matrixSays = probe.partition === 'other' ? cell.other : cell.own;
          assert.equal(matrixSays, probe.simulated, `${subject.who} in ${poolId}: ${probe.table} ${probe.action} (${probe.partition ?? 'no key'})`);
          compared++;
        }
      }
    }
    assert.ok(compared > 500, `compared ${compared} cells`);
    // Guests: the simulated probe evaluates a role without Cognito's guest session policy (it probes
    // signed-in test users), so the guest rows are checked against the sandbox's behaviour instead:
    // every DynamoDB call of a guest is denied (test/sandbox/guest.test.ts).
    for (const poolId of guestPools) {
      const guest = simulate(snapshot, { guest: true, identityPoolId: poolId });
      assert.ok(guest.resolution.roleArn);
      for (const table of TABLES) {
        for (const action of MATRIX_ACTIONS) assert.equal(cellFor(matrix, guest.resolution.roleArn, poolId, table.TableName, action).cell.outcome, 'denied', `guest ${table.TableName} ${action}`);
      }
    }
  });

  it('shows each outcome: allowed, own partition only, denied, no credentials', () => {
    const outcomes = new Set(matrix.cells.map((c) => c.outcome));
    for (const o of ['allowed', 'own-partition', 'denied', 'no-credentials']) assert.ok(outcomes.has(o as never), o);
    const notes = cellFor(matrix, 'arn:aws:iam::123456789012:role/NotesOwnPartition', IDENTITY_POOL_IDS.books, 'user-notes', 'dynamodb:GetItem').cell;
    assert.equal(notes.outcome, 'own-partition');
    assert.match(notes.summary, /own partition only/);
    const scan = cellFor(matrix, 'arn:aws:iam::123456789012:role/NotesOwnPartition', IDENTITY_POOL_IDS.books, 'user-notes', 'dynamodb:Scan').cell;
    assert.equal(scan.outcome, 'denied');
    // A pool whose tag map passes session tags: a trust without sts:TagSession gives no credentials.
    for (const row of matrix.rows.filter((r) => r.way.roleName === 'BooksAbacDeptBroken')) assert.equal(row.credentials, false, row.id);
    const broken = matrix.rows.find((r) => r.way.roleName === 'BooksReadBroken')!;
    assert.equal(broken.credentials, false);
    assert.match(broken.reason ?? '', /aud/);
  });

  it('filters by table, role and group; an unknown table is bad input', () => {
    assert.ok(matrixRows(snapshot, { table: 'user-notes' }).every((r) => r.table === 'user-notes'));
    const role = 'arn:aws:iam::123456789012:role/BooksReadAccess';
    assert.ok(matrixRows(snapshot, { roleArn: role }).every((r) => r.way.roleArn === role));
    const group = matrixRows(snapshot, { group: `${snapshot.userPools[0]!.Id}/BooksRead` });
    assert.ok(group.length > 0 && group.every((r) => r.way.groupName === 'BooksRead'));
    assert.throws(() => matrixRows(snapshot, { table: 'nope' }), /table nope is not in the snapshot/);
  });

  it('decides every cell as the explained simulation does, and explains it the same way when its summary is read', () => {
    const fresh = accessMatrix(snapshot);
    let compared = 0;
    for (const cell of fresh.cells) {
      const row = fresh.rows.find((r) => r.id === cell.rowId)!;
      if (row.credentials === false) continue;
      const decided = decideCell(snapshot, row, cell.action);
      if ('error' in decided) {
        assert.equal(cell.outcome, 'unknown');
        continue;
      }
      assert.equal(cell.own, decided.own.decision, `${cell.rowId} ${cell.action} own`);
      assert.equal(cell.other, decided.other?.decision ?? null, `${cell.rowId} ${cell.action} other`);
      const expected = cell.outcome === 'own-partition' ? `Allowed on the caller's own partition only: ${decided.other!.explanation.summary}` : decided.own.explanation.summary;
      assert.equal(cell.summary, row.credentials === null ? `${expected} (${row.reason}: assumed obtainable)` : expected);
      compared++;
    }
    assert.ok(compared > 100, `${compared} cells compared`);
    // The summary is built once, then kept; it shows in JSON like any field.
    const one = fresh.cells.find((c) => c.outcome === 'allowed')!;
    assert.equal(one.summary, one.summary);
    assert.equal(JSON.parse(JSON.stringify(one)).summary, one.summary);
  });
});
