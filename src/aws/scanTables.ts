// Finds the DynamoDB tables that roles' policies name and reads them for the snapshot:
// DescribeTable (key schema) and GetResourcePolicy (PolicyNotFoundException -> null). A failed
// read is a scan gap (ScanReads); a table that does not exist is a warning, not a gap.
import {
  DescribeTableCommand,
  GetResourcePolicyCommand,
  paginateListTables,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { matches } from '../core/iam/patterns.ts';
import { decodePolicyDocument, type RawPolicyDocument, type Role, type Table } from '../core/snapshot.ts';
import { errorCode } from './errors.ts';
import type { ScanReads } from './scanReads.ts';

/** A table ARN (or the table part of an index/stream ARN), possibly with wildcards. */
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([^:]*):([^:]*):table\/([^/]+)/;

export interface TableRef {
  /** A table name, or a pattern with `*` and `?` (IAM wildcards). */
  name: string;
  pattern: boolean;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** IAM `*` / `?` matching through the engine's linear-time matcher (no regex built from policy text). */
function wildcardMatch(pattern: string, value: string): boolean {
  return matches(pattern, value, 'glob', false);
}

/** The tables in this region and account that a policy document's Resource elements name. */
export function tableRefsInPolicy(raw: RawPolicyDocument | null | undefined, region: string, accountId: string): TableRef[] {
  if (!raw) return [];
  let document: Record<string, unknown>;
  try {
    document = decodePolicyDocument(raw);
  } catch {
    return []; // the engine reports malformed documents; the scanner just finds nothing here
  }
  const refs: TableRef[] = [];
  for (const statement of asArray(document.Statement)) {
    for (const resource of asArray((statement as { Resource?: unknown })?.Resource)) {
      const match = typeof resource === 'string' ? TABLE_ARN.exec(resource) : null;
      if (!match || !wildcardMatch(match[1]!, region) || !wildcardMatch(match[2]!, accountId)) continue;
      const name = match[3]!;
      refs.push({ name, pattern: /[*?]/.test(name) });
    }
  }
  return refs;
}

export function tableRefsInRole(role: Role, region: string, accountId: string): TableRef[] {
  return [
    ...(role.AttachedPolicies ?? []).flatMap((p) => tableRefsInPolicy(p.Document, region, accountId)),
    ...(role.InlinePolicies ?? []).flatMap((p) => tableRefsInPolicy(p.PolicyDocument, region, accountId)),
  ];
}

export class TableScanner {
  private readonly tables = new Map<string, Promise<Table | null>>();
  private tableNames: Promise<string[]> | undefined;
  private readonly pending: Promise<unknown>[] = [];
  /** Notes that are not gaps (a table a policy names but that does not exist). */
  readonly warnings: string[] = [];

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly reads: ScanReads,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** Starts reading the tables a ref names (a pattern lists the account's tables once). */
  request(ref: TableRef): void {
    if (!ref.pattern) {
      this.table(ref.name);
      return;
    }
    this.tableNames ??= this.listTables();
    const matched = this.tableNames.then((names) => {
      for (const name of names) if (wildcardMatch(ref.name, name)) this.table(name);
    });
    this.pending.push(matched);
  }

  table(name: string): Promise<Table | null> {
    let table = this.tables.get(name);
    if (!table) {
      table = this.read(name);
      table.catch(() => undefined);
      this.tables.set(name, table);
    }
    return table;
  }

  async all(): Promise<Table[]> {
    await Promise.all(this.pending);
    const tables = await Promise.all(this.tables.values());
    return tables.filter((t): t is Table => t !== null).sort((a, b) => a.TableName.localeCompare(b.TableName));
  }

  private async listTables(): Promise<string[]> {
    const names: string[] = [];
    await this.reads.pages('dynamodb', 'ListTables', null, () => paginateListTables({ client: this.dynamodb }, {}), (page) => {
      names.push(...(page.TableNames ?? []));
    });
    return names;
  }

  private async read(TableName: string): Promise<Table | null> {
    const arn = `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${TableName}`;
    const described = await this.reads.read('dynamodb', 'DescribeTable', arn, async () => {
      try {
        return (await this.dynamodb.send(new DescribeTableCommand({ TableName }))).Table ?? null;
      } catch (error) {
        // Named by a policy but not there: nothing to read, and nothing unread.
        if (errorCode(error) !== 'ResourceNotFoundException') throw error;
        this.warnings.push(`Table ${TableName} is named by a policy but does not exist.`);
        return null;
      }
    });
    if (!described?.TableName || !described.TableArn || !described.KeySchema) return null;
    const table: Table = {
      TableName: described.TableName,
      TableArn: described.TableArn,
      KeySchema: described.KeySchema.map((k) => ({ AttributeName: k.AttributeName ?? '', KeyType: k.KeyType === 'RANGE' ? 'RANGE' : 'HASH' })),
      AttributeDefinitions: (described.AttributeDefinitions ?? []).map((a) => ({ AttributeName: a.AttributeName ?? '', AttributeType: a.AttributeType ?? 'S' })),
      ResourcePolicy: await this.resourcePolicy(described.TableArn),
    };
    return table;
  }

  /** The table's resource policy; null when it has none or it could not be read (then a gap says so). */
  private async resourcePolicy(ResourceArn: string): Promise<string | null> {
    const policy = await this.reads.read('dynamodb', 'GetResourcePolicy', ResourceArn, async () => {
      try {
        return (await this.dynamodb.send(new GetResourcePolicyCommand({ ResourceArn }))).Policy ?? null;
      } catch (error) {
        // No policy on the table: PolicyNotFoundException (DynamoDB API reference, GetResourcePolicy).
        if (errorCode(error) === 'PolicyNotFoundException') return null;
        throw error;
      }
    });
    return policy ?? null;
  }
}
