// The authorization front of DynamoDB: requests of issued credentials are decided by their
// role's policies, boundary and the table's resource policy *before* dynalite sees them (so a
// denied write changes nothing); admin requests pass through. It also answers what dynalite
// lacks: GetResourcePolicy (from the seed) and the transactions (emulated item by item).

import { request } from 'node:http';
import { crc32 } from './crc32.ts';
import { authorizeSession } from './authorize.ts';
import type { Caller } from './credentials.ts';
import { checksFor, type DynamoBody, type KeyNames } from './dynamodbChecks.ts';
import { runTransaction } from './dynamodbTransactions.ts';
import type { IamStore } from './iamStore.ts';
import { REGION, TABLES, tableArn } from './seed.ts';
import type { RawRequest } from './sigv4.ts';
import { jsonError, jsonReply, type Reply } from './wire.ts';

/**
 * One call straight to dynalite, as the sandbox itself (seeding). dynalite wants a SigV4-shaped
 * Authorization header but checks no signature; using no SDK here keeps ~/.aws out of the picture.
 */
export async function callDynalite(dynaliteUrl: string, operation: string, body: unknown): Promise<unknown> {
  const response = await fetch(dynaliteUrl, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: {
      'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}`, 'x-amz-date': '20260101T000000Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=sandbox/20260101/eu-central-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
  });
  const out = (await response.json()) as unknown;
  if (!response.ok) throw new Error(`dynalite ${operation}: ${JSON.stringify(out)}`);
  return out;
}

/**
 * dynalite builds ARNs from its own process's AWS_REGION / AWS_ACCOUNT_ID (default
 * `arn:aws:dynamodb:us-east-1:000000000000:...`). The front puts the seeded region and account
 * into every ARN-valued field of an answer (TableArn, IndexArn, LatestStreamArn, StreamArn, ...,
 * at any depth of a table description), so the API looks like AWS for the seeded account. Item
 * contents (Item, Items, Responses, Attributes, ...) are data and are never touched.
 */
const ARN_PREFIX = /^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:/;
const ITEM_FIELDS = new Set(['Item', 'Items', 'Responses', 'Attributes', 'UnprocessedItems', 'UnprocessedKeys', 'LastEvaluatedKey', 'CancellationReasons', 'ItemCollectionMetrics']);

export function rewriteArns(value: unknown, region: string, accountId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteArns(v, region, accountId));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (ITEM_FIELDS.has(k)) out[k] = v;
    else if (typeof v === 'string' && k.endsWith('Arn')) out[k] = v.replace(ARN_PREFIX, `arn:aws:dynamodb:${region}:${accountId}:`);
    else out[k] = rewriteArns(v, region, accountId);
  }
  return out;
}

export class DynamoFront {
  constructor(private readonly dynaliteUrl: string, private readonly iam: IamStore, private readonly accountId: string,
    private readonly region: string = REGION) {}

  private keysOf = (table: string): KeyNames | undefined => {
    const schema = TABLES.find((t) => t.TableName === table)?.KeySchema;
    const hash = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
    return hash ? { hash, range: schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName } : undefined;
  };

  async handle(operation: string, raw: RawRequest, caller: Caller): Promise<Reply> {
    let body: DynamoBody;
    try {
      body = JSON.parse(raw.body.toString() || '{}') as DynamoBody;
    } catch {
      return jsonError('dynamodb', 'SerializationException', 'Start of structure or map found where not expected.');
    }
    if (caller.kind === 'issued') {
      const checks = operation === 'GetResourcePolicy'
        ? [{ action: 'dynamodb:GetResourcePolicy', resource: String(body.ResourceArn), context: {} }]
        : checksFor(operation, body, this.keysOf).map((c) => ({
          ...c, resource: c.table === '*' ? '*' : `${tableArn(c.table)}${c.index ? `/index/${c.index}` : ''}`,
        }));
      for (const check of checks) {
        const table = TABLES.find((t) => check.resource.startsWith(tableArn(t.TableName)));
        const decision = await authorizeSession(this.iam, caller, this.accountId, {
          action: check.action, resource: check.resource, context: check.context, resourcePolicy: table?.ResourcePolicy,
        });
        if (!decision.allowed) return jsonError('dynamodb', 'AccessDeniedException', decision.message);
      }
    }
    if (operation === 'GetResourcePolicy') return this.resourcePolicy(String(body.ResourceArn ?? ''));
    if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
      return runTransaction(operation, body, (op, b) => this.forward(op, raw, Buffer.from(JSON.stringify(b))));
    }
    return this.withSeededArns(await this.forward(operation, raw, raw.body));
  }

  /** The answer with the seeded region and account in its ARNs (and, if it changed, a fresh x-amz-crc32). */
  private withSeededArns(reply: Reply): Reply {
    if (!reply.body.includes('arn:aws:dynamodb:')) return reply;
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.body);
    } catch {
      return reply;
    }
    const body = JSON.stringify(rewriteArns(parsed, this.region, this.accountId));
    if (body === JSON.stringify(parsed)) return reply;
    // The SDK checks x-amz-crc32 against the body it receives.
    const headers = { ...reply.headers };
    if (headers['x-amz-crc32']) headers['x-amz-crc32'] = String(crc32(Buffer.from(body)));
    return { ...reply, headers, body };
  }

  private resourcePolicy(arn: string): Reply {
    const table = TABLES.find((t) => tableArn(t.TableName) === arn);
    if (!table) return jsonError('dynamodb', 'ResourceNotFoundException', `Requested resource not found: ResourceArn: ${arn} not found`);
    if (!table.ResourcePolicy) {
      return jsonError('dynamodb', 'PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${arn}`);
    }
    return jsonReply('dynamodb', { Policy: JSON.stringify(table.ResourcePolicy), RevisionId: '1767225600000' });
  }

  /** Sends `operation` with `body` to dynalite, keeping the caller's headers; dynalite checks no signature. */
  forward(operation: string, raw: RawRequest, body: Buffer): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers = { ...raw.headers, 'x-amz-target': `DynamoDB_20120810.${operation}`, 'content-length': String(body.length) };
      const req = request(this.dynaliteUrl, { method: 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out: Record<string, string> = {};
          for (const h of ['content-type', 'x-amzn-requestid', 'x-amz-crc32']) if (res.headers[h]) out[h] = String(res.headers[h]);
          resolve({ status: res.statusCode ?? 500, headers: out, body: Buffer.concat(chunks).toString() });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
