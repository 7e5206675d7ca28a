// Read-only virtual documents for policies: `cognito-access-policy:/<connection>/<role>/<which>.json`,
// decoded (URL-encoded IAM documents included) and pretty-printed. Nothing is written to disk.
import * as vscode from 'vscode';
import type { ConnectionStore } from './connections.ts';
import type { PolicyRef } from './tree/roleNodes.ts';
import { documentOf } from './tree/roleNodes.ts';

export const POLICY_SCHEME = 'cognito-access-policy';

interface PolicyQuery {
  connection: string;
  role: string;
  ref: PolicyRef;
}

export function policyUri(query: PolicyQuery, roleName: string, label: string): vscode.Uri {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '-');
  return vscode.Uri.from({ scheme: POLICY_SCHEME, path: `/${safe(roleName)}/${safe(label)}.json`, query: JSON.stringify(query) });
}

export class PolicyDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: ConnectionStore) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    let query: PolicyQuery;
    try {
      query = JSON.parse(uri.query) as PolicyQuery;
    } catch {
      return `// ${uri.toString()} does not name a policy.`;
    }
    const connection = this.store.get(query.connection);
    if (!connection) return '// The connection of this policy was removed.';
    const account = await connection.load();
    const role = account.snapshot.roles.find((r) => r.Arn === query.role);
    if (!role) return `// Role ${query.role} is not in the snapshot.`;
    const raw = documentOf(role, query.ref);
    if (raw === null || raw === undefined) return '// The document is not in the snapshot.';
    try {
      return `${JSON.stringify(account.engine.decodePolicyDocument(raw), null, 2)}\n`;
    } catch (error) {
      return `// The document cannot be decoded: ${(error as Error).message}\n${typeof raw === 'string' ? raw : JSON.stringify(raw)}\n`;
    }
  }
}
