// TransactWriteItems and TransactGetItems, which dynalite lacks, emulated on its single-item
// calls: every condition is evaluated first (with dynalite's own expression parser and
// evaluator) against the current items, and only if all hold are the writes applied. Not
// isolated from concurrent writers, which a sandbox's probes do not need; a failed condition
// writes nothing, as in DynamoDB.

import { checkConditional } from 'dynalite/db';
import { validateExpressions } from 'dynalite/validations';
import type { DynamoBody } from './dynamodbChecks.ts';
import { jsonError, jsonReply, type Reply } from './wire.ts';

type Send = (operation: string, body: DynamoBody) => Promise<Reply>;

const EXPRESSION_FIELDS = ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'];

/** The item stored under `key` now (undefined when none), or dynalite's error reply. */
async function currentItem(send: Send, table: string, key: DynamoBody): Promise<DynamoBody | undefined | Reply> {
  const reply = await send('GetItem', { TableName: table, Key: key, ConsistentRead: true });
  if (reply.status !== 200) return reply;
  return (JSON.parse(reply.body) as { Item?: DynamoBody }).Item;
}

export async function runTransaction(operation: string, body: DynamoBody, send: Send): Promise<Reply> {
  const entries = (body.TransactItems ?? []) as Record<string, DynamoBody>[];
  if (operation === 'TransactGetItems') {
    const responses: unknown[] = [];
    for (const entry of entries) {
      const get = entry.Get;
      const reply = await send('GetItem', { TableName: get.TableName, Key: get.Key, ProjectionExpression: get.ProjectionExpression,
        ExpressionAttributeNames: get.ExpressionAttributeNames, ConsistentRead: true });
      if (reply.status !== 200) return reply;
      const item = (JSON.parse(reply.body) as { Item?: unknown }).Item;
      responses.push(item ? { Item: item } : {});
    }
    return jsonReply('dynamodb', { Responses: responses });
  }

  // Phase 1: conditions, against the items as they are now. A Put has no Key: its key
  // attributes are picked from the item by the table's key schema (putTarget).
  const reasons: { Code: string; Message?: string }[] = [];
  for (const entry of entries) {
    const [kind, item] = Object.entries(entry)[0] ?? [];
    if (!kind || !item) return jsonError('dynamodb', 'ValidationException', 'TransactItems entries must hold one operation.');
    if (!item.ConditionExpression) {
      reasons.push({ Code: 'None' });
      continue;
    }
    const key = (item.Key ?? item.Item) as DynamoBody;
    const existing = kind === 'Put' ? await putTarget(send, String(item.TableName), key) : await currentItem(send, String(item.TableName), key);
    if (existing && 'status' in existing && typeof existing.status === 'number') return existing as Reply;
    const data: DynamoBody = Object.fromEntries(EXPRESSION_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));
    const invalid = validateExpressions(data);
    if (invalid) return jsonError('dynamodb', 'ValidationException', invalid);
    const failed = checkConditional(data, existing as DynamoBody | undefined);
    reasons.push(failed ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } : { Code: 'None' });
  }
  if (reasons.some((r) => r.Code !== 'None')) {
    const reply = jsonError('dynamodb', 'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`);
    const parsed = JSON.parse(reply.body) as Record<string, unknown>;
    reply.body = JSON.stringify({ ...parsed, CancellationReasons: reasons });
    return reply;
  }

  // Phase 2: the writes, without their (already checked) conditions.
  for (const entry of entries) {
    const [kind, item] = Object.entries(entry)[0];
    const rest = Object.fromEntries(Object.entries(item).filter(([f]) => f !== 'ConditionExpression' && f !== 'ReturnValuesOnConditionCheckFailure'));
    if (kind === 'ConditionCheck') continue;
    if (kind === 'Update' && item.ConditionExpression) dropUnused(rest, String(item.ConditionExpression));
    if (kind !== 'Update' && item.ConditionExpression) { delete rest.ExpressionAttributeNames; delete rest.ExpressionAttributeValues; }
    const reply = await send(kind === 'Put' ? 'PutItem' : kind === 'Update' ? 'UpdateItem' : 'DeleteItem', rest);
    if (reply.status !== 200) return reply;
  }
  return jsonReply('dynamodb', {});
}

/** The item a Put would replace: found by the Put's own attributes matched against the table's keys. */
async function putTarget(send: Send, table: string, item: DynamoBody): Promise<DynamoBody | undefined | Reply> {
  const described = await send('DescribeTable', { TableName: table });
  if (described.status !== 200) return described;
  const schema = (JSON.parse(described.body) as { Table: { KeySchema: { AttributeName: string }[] } }).Table.KeySchema;
  const key = Object.fromEntries(schema.map((k) => [k.AttributeName, item[k.AttributeName]]));
  return currentItem(send, table, key);
}

/** Leave out names and values only the condition used, or dynalite rejects them as unused. */
function dropUnused(update: DynamoBody, condition: string): void {
  const expr = String(update.UpdateExpression ?? '');
  for (const field of ['ExpressionAttributeNames', 'ExpressionAttributeValues']) {
    const map = update[field] as Record<string, unknown> | undefined;
    if (!map) continue;
    for (const k of Object.keys(map)) if (condition.includes(k) && !expr.includes(k)) delete map[k];
    if (Object.keys(map).length === 0) delete update[field];
  }
}
