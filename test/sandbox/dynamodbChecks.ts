// What a DynamoDB request asks IAM for: one check per (action, table) with the request's
// dynamodb:LeadingKeys (partition key values) and dynamodb:Attributes, as AWS derives them for
// fine-grained access control. TransactWriteItems and TransactGetItems are checked per item
// under the item's own action (a ConditionCheck needs dynamodb:ConditionCheckItem).

export type AttributeValue = Record<string, unknown>;
export type DynamoBody = Record<string, unknown>;
export interface KeyNames { hash: string; range?: string }
export interface Check {
  action: string;
  table: string;
  index?: string;
  context: Record<string, string | string[]>;
}

const KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'if_not_exists', 'list_append',
  'attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size']);

/** A scalar AttributeValue as the string IAM compares (S, N or B). */
function scalar(v: unknown): string | undefined {
  const av = v as AttributeValue | undefined;
  const s = av?.S ?? av?.N ?? av?.B;
  return typeof s === 'string' ? s : undefined;
}

/** Top-level attribute names an expression mentions (`#n` resolved), keywords and `:values` left out. */
function expressionNames(expr: unknown, names: unknown): string[] {
  if (typeof expr !== 'string') return [];
  const map = (names ?? {}) as Record<string, string>;
  const out = new Set<string>();
  // Each path's first segment: `a.b[1]` -> a; `#n` -> its name.
  for (const m of expr.matchAll(/(?<![:\w#.])(#?[A-Za-z_]\w*)(?!\s*\()/g)) {
    const token = m[1];
    if (KEYWORDS.has(token) || KEYWORDS.has(token.toUpperCase())) continue;
    out.add(token.startsWith('#') ? (map[token] ?? token) : token);
  }
  return [...out];
}

function projected(body: DynamoBody): string[] | undefined {
  if (Array.isArray(body.AttributesToGet)) return body.AttributesToGet.map(String);
  if (typeof body.ProjectionExpression === 'string') return expressionNames(body.ProjectionExpression, body.ExpressionAttributeNames);
  return undefined;
}

/** The partition key value a Query's key condition fixes. */
function queryLeadingKey(body: DynamoBody, keys: KeyNames | undefined): string | undefined {
  if (!keys) return undefined;
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  if (typeof body.KeyConditionExpression === 'string') {
    for (const part of body.KeyConditionExpression.split(/\s+AND\s+/i)) {
      const m = /^(#?[\w.]+|:\w+)\s*=\s*(#?[\w.]+|:\w+)$/.exec(part.trim().replace(/^\(|\)$/g, '').trim());
      if (!m) continue;
      const [name, value] = m[1].startsWith(':') ? [m[2], m[1]] : [m[1], m[2]];
      if ((names[name] ?? name) === keys.hash) return scalar(values[value]);
    }
  }
  const conditions = body.KeyConditions as Record<string, { AttributeValueList?: unknown[] }> | undefined;
  return scalar(conditions?.[keys.hash]?.AttributeValueList?.[0]);
}

function ctx(leadingKeys: (string | undefined)[] | undefined, attributes: string[] | undefined, body: DynamoBody): Record<string, string | string[]> {
  const c: Record<string, string | string[]> = {};
  const lk = leadingKeys?.filter((k): k is string => k !== undefined);
  if (lk && lk.length) c['dynamodb:LeadingKeys'] = lk;
  if (attributes && attributes.length) c['dynamodb:Attributes'] = attributes;
  if (typeof body.Select === 'string') c['dynamodb:Select'] = body.Select;
  if (typeof body.ReturnValues === 'string') c['dynamodb:ReturnValues'] = body.ReturnValues;
  return c;
}

const tableName = (t: unknown): string => {
  const s = String(t ?? '');
  return s.startsWith('arn:') ? s.slice(s.indexOf(':table/') + 7).split('/')[0] : s;
};

/** The checks for one DynamoDB operation; `keysOf` gives a table's key attribute names. */
export function checksFor(operation: string, body: DynamoBody, keysOf: (table: string) => KeyNames | undefined): Check[] {
  const action = `dynamodb:${operation}`;
  const hashOf = (table: string, item: unknown): string | undefined => {
    const keys = keysOf(table);
    return keys ? scalar((item as Record<string, unknown> | undefined)?.[keys.hash]) : undefined;
  };
  const keyNames = (table: string): string[] => {
    const k = keysOf(table);
    return k ? [k.hash, ...(k.range ? [k.range] : [])] : [];
  };
  const table = tableName(body.TableName);
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
      return [{ action, table, context: ctx([hashOf(table, body.Key)], operation === 'GetItem' ? projected(body) : keyNames(table), body) }];
    case 'PutItem':
      return [{ action, table, context: ctx([hashOf(table, body.Item)], Object.keys((body.Item ?? {}) as object), body) }];
    case 'UpdateItem': {
      const attrs = [...new Set([...keyNames(table), ...expressionNames(body.UpdateExpression, body.ExpressionAttributeNames),
        ...Object.keys((body.AttributeUpdates ?? {}) as object)])];
      return [{ action, table, context: ctx([hashOf(table, body.Key)], attrs, body) }];
    }
    case 'Query':
      return [{ action, table, index: body.IndexName as string | undefined,
        context: ctx(body.IndexName ? undefined : [queryLeadingKey(body, keysOf(table))], projected(body), body) }];
    case 'Scan':
      return [{ action, table, index: body.IndexName as string | undefined, context: ctx(undefined, projected(body), body) }];
    case 'BatchGetItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, DynamoBody>).map(([t, r]) => ({
        action, table: tableName(t), context: ctx(((r.Keys ?? []) as unknown[]).map((k) => hashOf(tableName(t), k)), projected(r), body),
      }));
    case 'BatchWriteItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, DynamoBody[]>).map(([t, writes]) => ({
        action, table: tableName(t),
        context: ctx(writes.map((w) => hashOf(tableName(t), (w.PutRequest as DynamoBody)?.Item ?? (w.DeleteRequest as DynamoBody)?.Key)), undefined, body),
      }));
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      const itemAction: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
      return ((body.TransactItems ?? []) as Record<string, DynamoBody>[]).flatMap((entry) => Object.entries(entry).map(([kind, item]) => {
        const op = itemAction[kind] ?? kind;
        return checksFor(op === 'ConditionCheckItem' ? 'DeleteItem' : op, item, keysOf).map((c) => ({ ...c, action: `dynamodb:${op}` }));
      }).flat());
    }
    default:
      return [{ action, table: table || '*', context: {} }];
  }
}
