// Finds the DynamoDB tables that roles' policies name and reads them for the snapshot:
// DescribeTable (key schema) and GetResourcePolicy (PolicyNotFoundException -> null).
import {
  DescribeTableCommand,
  GetResourcePolicyCommand,
  paginateListTables,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { decodePolicyDocument, type RawPolicyDocument, type Role, type Table } from '../core/snapshot.ts';
import { describeError, errorCode, isAccessDenied } from './errors.ts';

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

function wildcardMatch(pattern: string, value: string): boolean {
  return (pattern === '*' || pattern === value || new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value));
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
  readonly warnings: string[] = [];

  constructor(private readonly dynamodb: DynamoDBClient) {}

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
    try {
      for await (const page of paginateListTables({ client: this.dynamodb }, {})) names.push(...(page.TableNames ?? []));
    } catch (error) {
      if (!isAccessDenied(error)) throw error;
      this.warnings.push(`Could not list tables to expand a wildcard table ARN: ${describeError(error)}`);
    }
    return names;
  }

  private async read(TableName: string): Promise<Table | null> {
    let described;
    try {
      described = (await this.dynamodb.send(new DescribeTableCommand({ TableName }))).Table;
    } catch (error) {
      if (errorCode(error) === 'ResourceNotFoundException') {
        this.warnings.push(`Table ${TableName} is named by a policy but does not exist.`);
        return null;
      }
      if (isAccessDenied(error)) {
        this.warnings.push(`Table ${TableName} could not be described: ${describeError(error)}`);
        return null;
      }
      throw error;
    }
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

  private async resourcePolicy(ResourceArn: string): Promise<string | null> {
    try {
      return (await this.dynamodb.send(new GetResourcePolicyCommand({ ResourceArn }))).Policy ?? null;
    } catch (error) {
      const code = errorCode(error);
      // No policy on the table: PolicyNotFoundException (DynamoDB API reference, GetResourcePolicy).
      if (code === 'PolicyNotFoundException') return null;
      if (isAccessDenied(error) || code === 'UnknownOperationException' || code === 'ResourceNotFoundException') {
        this.warnings.push(`The resource policy of ${ResourceArn} could not be read (${describeError(error)}); treated as none.`);
        return null;
      }
      throw error;
    }
  }
}
