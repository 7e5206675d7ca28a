// Builds the probe panel's view (src/webview/protocol.ts ProbeView) from probe results, live or
// simulated. Pure: type imports only, the engine is passed in, so node:test covers it and the
// extension bundle does not pull src/core in (the engine loads lazily).
import type { Engine } from '../lazy.ts';
import type { Explanation, StatementResult } from '../../core/iam/types.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { statementRef } from '../../webview/format.ts';
import type { ExplanationView, ProbeCellView, ProbeRowView, ProbeView, StatementPartView, StatementView } from '../../webview/protocol.ts';

/** One probe, live or simulated: the fields of src/aws/probe.ts ProbeResult the panel uses. */
export interface ProbeRecord {
  table: string;
  action: string;
  /** `tag`: the value of a principal tag (`tag`) as the partition key (attribute-based access). */
  partition: 'own' | 'other' | 'tag' | null;
  tag?: { key: string; value: string };
  live: 'allowed' | 'denied' | 'error' | null;
  awsMessage: string | null;
  simulated: 'allowed' | 'implicit-deny' | 'explicit-deny' | null;
  agree: boolean | null;
  /** Why one side decided nothing (live error, skipped, engine without the role): then `agree` is no disagreement. */
  undecided?: string;
  explanation: Explanation | { error: string } | null;
  count?: number;
  skipped?: string;
}

export const NO_DATA_CHANGE =
  'No probe changes data: reads ask for the key attributes of one item and report counts only; every write carries a condition that no item can meet, or deletes a random key checked absent first.';

/** What the simulated probe knows of the session besides the role: its tags, provider and flow (as the live probe's engine side). */
export interface ProbeSession {
  /** The session's principal tags (predicted), or null / absent: none. */
  sessionTags?: Record<string, string> | null;
  /** The login's provider name (amr), when not the identity pool's first user pool. */
  provider?: string;
  basicFlow?: boolean;
  /** A guest (unauthenticated identity): the enhanced flow adds Cognito's guest session policy. */
  guest?: boolean;
}

/** The engine's decision for every probe of the matrix, without credentials (the "simulated" mode). */
export function simulateProbes(
  engine: Engine, snapshot: Snapshot, request: { roleArn: string; identityPoolId: string; tables: string[]; identityId?: string } & ProbeSession,
): ProbeRecord[] {
  const records: ProbeRecord[] = [];
  // As the live plan (src/aws/probe.ts): a session tag the role's leading keys read is a partition of its own.
  const role = snapshot.roles.find((r) => r.Arn === request.roleArn);
  const tags = engine.tagPartitions(request.sessionTags, role && !role.Missing && !role.Unreadable ? engine.leadingKeyTags(role) : []);
  const session = {
    ...(request.sessionTags ? { sessionTags: request.sessionTags } : {}), ...(request.provider ? { provider: request.provider } : {}), ...(request.basicFlow ? { basicFlow: true } : {}),
    ...(request.guest ? { guest: true } : {}),
  };
  for (const name of request.tables) {
    const table = snapshot.tables.find((t) => t.TableName === name);
    const hash = table?.KeySchema.find((k) => k.KeyType === 'HASH');
    const hashType = table?.AttributeDefinitions?.find((a) => a.AttributeName === hash?.AttributeName)?.AttributeType ?? 'S';
    // As the live plan: identity ids are strings, so a numeric or binary key has only "other" partitions.
    const partitions: { partition: 'own' | 'other' | 'tag'; tag?: { key: string; value: string } }[] = hashType === 'S'
      ? [{ partition: 'own' }, ...tags.map((tag) => ({ partition: 'tag' as const, tag })), { partition: 'other' }]
      : [{ partition: 'other' }];
    for (const operation of engine.PROBE_OPERATIONS) {
      for (const { partition, tag } of operation === 'Scan' ? [{ partition: null, tag: undefined }] : partitions) {
        // The live probe's projection and Select, as IAM sees them (probePlan.ts probeRequestContext).
        const context = table ? engine.probeRequestContext(table, operation) : {};
        const decision = engine.simulateAccess(snapshot, request.roleArn, {
          action: engine.IAM_ACTION[operation], table: name, identityPoolId: request.identityPoolId,
          ...(request.identityId ? { identityId: request.identityId } : {}), ...(partition ? { partition: tag ? tag.value : partition } : {}),
          ...(context.attributes ? { attributes: context.attributes } : {}), ...(context.select ? { select: context.select } : {}),
          ...session,
        });
        records.push({
          table: name, action: operation === 'ConditionCheck' ? 'dynamodb:ConditionCheck' : `dynamodb:${operation}`, partition, ...(tag ? { tag } : {}),
          live: null, awsMessage: null, agree: null,
          simulated: 'error' in decision ? null : decision.decision,
          explanation: 'error' in decision ? { error: decision.error } : decision.explanation,
        });
      }
    }
  }
  return records;
}

function partLine(name: string, value: unknown): string {
  return `"${name}": ${JSON.stringify(value)}`;
}

export function statementView(r: StatementResult): StatementView {
  const s = r.statement;
  const failed = new Set(r.failed);
  const status = (part: 'principal' | 'action' | 'resource' | 'condition', present: boolean): StatementPartView['status'] =>
    !present ? 'none' : failed.has(part) ? 'fail' : 'match';
  const parts: StatementPartView[] = [];
  if (s.Sid) parts.push({ part: 'Sid', text: partLine('Sid', s.Sid), status: 'none' });
  parts.push({ part: 'Effect', text: partLine('Effect', s.Effect), status: 'none' });
  if (s.Principal !== undefined) parts.push({ part: 'Principal', text: partLine('Principal', s.Principal), status: status('principal', true) });
  if (s.NotPrincipal !== undefined) parts.push({ part: 'NotPrincipal', text: partLine('NotPrincipal', s.NotPrincipal), status: status('principal', true) });
  if (s.Action) parts.push({ part: 'Action', text: partLine('Action', s.Action), status: status('action', true) });
  if (s.NotAction) parts.push({ part: 'NotAction', text: partLine('NotAction', s.NotAction), status: status('action', true) });
  if (s.Resource) parts.push({ part: 'Resource', text: partLine('Resource', s.Resource), status: status('resource', true) });
  if (s.NotResource) parts.push({ part: 'NotResource', text: partLine('NotResource', s.NotResource), status: status('resource', true) });
  if (s.Condition) parts.push({ part: 'Condition', text: partLine('Condition', s.Condition), status: status('condition', true) });
  return {
    policy: r.policyName,
    label: statementRef(r),
    effect: r.effect,
    applies: r.applies,
    parts,
    conditions: r.conditions.map((c) => ({ operator: c.operator, key: c.key, matched: c.matched, requestValues: c.requestValues, policyValues: c.policyValues, reason: c.reason })),
    why: r.why ?? [],
  };
}

export function explanationView(explanation: Explanation | { error: string } | null): ExplanationView | null {
  if (!explanation) return null;
  if ('error' in explanation) {
    return { summary: explanation.error, deciding: [], closest: null, suggestion: null, suggestedStatement: null, suggestedIn: null, error: explanation.error };
  }
  const e = explanation;
  return {
    summary: e.summary,
    deciding: e.deciding.map(statementView),
    closest: e.closest ? statementView(e.closest) : null,
    suggestion: e.suggestion ?? null,
    suggestedStatement: e.suggestedStatement ? JSON.stringify(e.suggestedStatement, null, 2) : null,
    suggestedIn: e.suggestedIn ? `${e.suggestedIn.policyName}${e.suggestedIn.index !== undefined ? `, replacing ${statementRef({ sid: e.suggestedIn.sid, index: e.suggestedIn.index })}` : ''}` : null,
    error: null,
  };
}

/** A table gets own/other rows only where the partition changes an outcome (leading keys restricted). */
function splitsByPartition(records: ProbeRecord[], table: string): boolean {
  const keyed = records.filter((r) => r.table === table && r.partition !== null);
  const byAction = new Map<string, Set<string>>();
  for (const r of keyed) {
    const set = byAction.get(r.action) ?? new Set<string>();
    set.add(`${r.live ?? ''}|${r.simulated ?? ''}`);
    byAction.set(r.action, set);
  }
  return [...byAction.values()].some((s) => s.size > 1);
}

type PartitionRow = { partition: 'own' | 'other' | 'tag' | null; tag: { key: string; value: string } | undefined };

/** The partitions a split table shows, in reading order: own, each principal tag's, another's. */
function partitionRows(records: ProbeRecord[], table: string): PartitionRow[] {
  const tags = new Map<string, { key: string; value: string }>();
  for (const r of records) if (r.table === table && r.partition === 'tag' && r.tag && !tags.has(r.tag.key)) tags.set(r.tag.key, r.tag);
  const present = (p: 'own' | 'other') => records.some((r) => r.table === table && r.partition === p);
  return [
    ...(present('own') ? [{ partition: 'own' as const, tag: undefined }] : []),
    ...[...tags.values()].map((tag) => ({ partition: 'tag' as const, tag })),
    ...(present('other') ? [{ partition: 'other' as const, tag: undefined }] : []),
  ];
}

/** `book-table (own partition)`, `book-table (partition "books" = principal tag dept)`. */
export function rowLabel(table: string, partition: PartitionRow['partition'], tag?: { key: string; value: string }): string {
  if (partition === null) return table;
  if (partition === 'tag' && tag) return `${table} (partition ${JSON.stringify(tag.value)} = principal tag ${tag.key})`;
  return `${table} (${partition === 'own' ? 'own partition' : "another's partition"})`;
}

export interface ProbeSubject {
  mode: 'live' | 'simulated';
  subject: string;
  connectionId: string;
  roleArn: string;
  identityPoolId: string;
  identityId: string | null;
  canRunLive: boolean;
  notes?: string[];
  /** The session's principal tags the engine decided with (shown with the notes; null: none). */
  sessionTags?: Record<string, string> | null;
  guest?: boolean;
}

/** What the page says about the session the engine decided for: its principal tags, provider and flow. */
export function sessionNotes(session: ProbeSession): string[] {
  const notes: string[] = [];
  const tags = Object.entries(session.sessionTags ?? {});
  if (tags.length > 0) {
    notes.push(`The session carries principal tags ${tags.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')} (as the engine predicts them from the token's claims and the identity pool's tag map; AWS does not report them): policies read them as aws:PrincipalTag/<key>.`);
  }
  if (session.provider) notes.push(`Signed in through ${session.provider}: amr carries that provider's name.`);
  if (session.basicFlow) notes.push('Basic (classic) flow: the credentials carry no Cognito session policy.');
  else if (session.guest) notes.push('Guest (unauthenticated) credentials: Cognito adds its session policy for guests (AmazonCognitoUnAuthedIdentitiesSessionPolicy), which lists no DynamoDB action, so every call is denied whatever the role allows.');
  return notes;
}

export function probeView(subject: ProbeSubject, records: ProbeRecord[], now = new Date()): ProbeView {
  const tables = [...new Set(records.map((r) => r.table))];
  const actions = [...new Set(records.map((r) => r.action))];
  const rows: ProbeRowView[] = [];
  const cells: ProbeCellView[] = [];
  for (const table of tables) {
    const split = splitsByPartition(records, table);
    for (const row of split ? partitionRows(records, table) : [{ partition: null, tag: undefined }]) {
      const { partition, tag } = row;
      const rowId = `${table}|${partition === 'tag' ? `tag:${tag!.key}` : (partition ?? 'any')}`;
      rows.push({ id: rowId, table, partition, label: rowLabel(table, partition, tag), ...(tag ? { tag } : {}) });
      for (const action of actions) {
        const candidates = records.filter((r) => r.table === table && r.action === action);
        // Unsplit rows show the caller's own partition (or Scan's single probe); split rows their partition.
        const record = candidates.find((r) => r.partition === (partition ?? 'own') && (!tag || r.tag?.key === tag.key))
          ?? candidates.find((r) => r.partition === null) ?? candidates[0];
        if (!record) continue;
        cells.push({
          id: `${rowId}|${action}`, rowId, action, live: record.live, simulated: record.simulated, agree: isUndecided(record) ? null : record.agree,
          awsMessage: record.awsMessage, skipped: record.skipped ?? null, count: record.count ?? null, explanation: explanationView(record.explanation),
        });
      }
    }
  }
  const disagreements = records.filter((r) => r.agree === false && !isUndecided(r)).length;
  const notes = [NO_DATA_CHANGE, ...(subject.notes ?? [])];
  if (subject.mode === 'simulated') notes.push('Simulated: the engine decided every cell from the snapshot; no request was sent to AWS.');
  if (disagreements > 0) {
    notes.push(`${disagreements} probe${disagreements === 1 ? '' : 's'} where AWS and the engine disagree are marked "≠". ` +
      'The engine decides from the snapshot read at sign-in: when a policy, boundary or table policy changed since, refresh the connection and sign in again. ' +
      'What the snapshot cannot hold (SCPs, resource control policies, VPC endpoint policies) can also deny.');
  }
  return {
    mode: subject.mode, subject: subject.subject, connectionId: subject.connectionId, tables, roleArn: subject.roleArn, identityPoolId: subject.identityPoolId, identityId: subject.identityId,
    actions, rows, cells, disagreements, notes, ranAt: now.toISOString(), canRunLive: subject.canRunLive,
    ...(subject.sessionTags ? { sessionTags: subject.sessionTags } : {}),
    ...(subject.guest ? { guest: true } : {}),
  };
}

/** A probe where one side decided nothing (live error, skipped, engine without the role): not a disagreement. */
function isUndecided(record: ProbeRecord): boolean {
  return Boolean(record.undecided);
}
