// The oracle of the fault matrix: the clean snapshot minus exactly what a set of scan gaps covers.
// Written from the snapshot format (shared/spec/snapshot.md) and the scanner's documented order of
// discovery (pools -> roles they name -> tables those roles' policies name), not from the
// scanner's code, so a scan that drops a successful read, or keeps something it could not have
// read, differs from it.
import type { Role, ScanGap, Snapshot } from '../../src/core/snapshot.ts';
import { decodePolicyDocument } from '../../src/core/snapshot.ts';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Table names a policy document's Resource elements name (no wildcards in the sandbox). */
function tablesIn(document: unknown): string[] {
  if (!document) return [];
  const parsed = decodePolicyDocument(document as string);
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const names: string[] = [];
  for (const statement of statements as { Resource?: unknown }[]) {
    const resources = Array.isArray(statement?.Resource) ? statement.Resource : [statement?.Resource];
    for (const resource of resources) {
      const match = typeof resource === 'string' ? /:table\/([^/]+)/.exec(resource) : null;
      if (match) names.push(match[1]!);
    }
  }
  return names;
}

function roleTables(role: Role, allTables: string[]): string[] {
  const docs = [...(role.AttachedPolicies ?? []).map((p) => p.Document), ...(role.InlinePolicies ?? []).map((p) => p.PolicyDocument)];
  const names = docs.flatMap(tablesIn);
  // A wildcard name (`book-*`) stands for the tables it matches.
  return allTables.filter((table) => names.some((n) => n === table || (n.endsWith('*') && table.startsWith(n.slice(0, -1)))));
}

function unreadable(role: Role): void {
  role.Unreadable = 'unreadable';
}

export function minusGaps(cleanSnapshot: Snapshot, gaps: readonly ScanGap[]): Snapshot {
  const s = clone(cleanSnapshot);
  const userPool = (id: string | null) => s.userPools.find((p) => p.Id === id?.split('/')[0]);
  const identityPool = (id: string | null) => s.identityPools.find((p) => p.IdentityPoolId === id);
  const role = (arn: string | null) => s.roles.find((r) => r.Arn === arn);
  const allTables = cleanSnapshot.tables.map((t) => t.TableName);
  let tablesListed = true;
  const droppedTables = new Set<string>();
  for (const gap of gaps) {
    const r = gap.resource;
    switch (gap.operation) {
      case 'ListUserPools': s.userPools = []; break;
      case 'ListIdentityPools': s.identityPools = []; break;
      case 'DescribeUserPool': {
        const pool = userPool(r);
        if (pool) for (const key of ['Name', 'LambdaConfig', 'SchemaAttributes', 'AdminCreateUserConfig'] as const) delete pool[key];
        break;
      }
      case 'ListUserPoolClients': if (userPool(r)) userPool(r)!.Clients = []; break;
      case 'DescribeUserPoolClient': {
        const pool = userPool(r);
        const clientId = r!.split('/')[1];
        if (pool) pool.Clients = pool.Clients.map((c) => (c.ClientId === clientId ? { ClientId: c.ClientId } : c));
        break;
      }
      case 'ListGroups': if (userPool(r)) userPool(r)!.Groups = []; break;
      case 'ListUsers': if (userPool(r)) userPool(r)!.Users = []; break;
      case 'AdminListGroupsForUser': {
        const pool = userPool(r);
        const name = r!.slice(r!.indexOf('/') + 1);
        if (pool?.Users) pool.Users = pool.Users.filter((u) => u.Username !== name);
        break;
      }
      case 'DescribeIdentityPool': {
        const pool = identityPool(r);
        if (!pool) break;
        delete pool.IdentityPoolName;
        // Without the description, the providers are unknown, and so are their tag maps.
        for (const key of ['SupportedLoginProviders', 'OpenIdConnectProviderARNs', 'SamlProviderARNs', 'DeveloperProviderName', 'PrincipalTagMaps'] as const) delete pool[key];
        Object.assign(pool, { AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [] });
        break;
      }
      case 'GetIdentityPoolRoles': if (identityPool(r)) Object.assign(identityPool(r)!, { Roles: {}, RoleMappings: {} }); break;
      case 'GetPrincipalTagAttributeMap': {
        // resource `<identity pool id>/<provider name>`: that provider's map is not known.
        const slash = r!.indexOf('/');
        const pool = identityPool(r!.slice(0, slash));
        if (!pool?.PrincipalTagMaps) break;
        pool.PrincipalTagMaps = pool.PrincipalTagMaps.filter((m) => m.IdentityProviderName !== r!.slice(slash + 1));
        if (pool.PrincipalTagMaps.length === 0) delete pool.PrincipalTagMaps;
        break;
      }
      case 'GetRole': {
        const x = role(r);
        if (!x) break;
        delete x.AssumeRolePolicyDocument;
        delete x.PermissionsBoundary;
        unreadable(x);
        break;
      }
      case 'ListAttachedRolePolicies': if (role(r)) Object.assign(role(r)!, { AttachedPolicies: [], Unreadable: 'unreadable' }); break;
      case 'ListRolePolicies':
      case 'GetRolePolicy': if (role(r)) Object.assign(role(r)!, { InlinePolicies: [], Unreadable: 'unreadable' }); break;
      case 'GetPolicy':
      case 'GetPolicyVersion':
        for (const x of s.roles) {
          for (const p of x.AttachedPolicies ?? []) if (p.PolicyArn === r) { p.Document = null; unreadable(x); }
          if (x.PermissionsBoundary?.PermissionsBoundaryArn === r) { x.PermissionsBoundary.Document = null; unreadable(x); }
        }
        break;
      case 'ListTables': tablesListed = false; break;
      case 'DescribeTable': droppedTables.add(r!.slice(r!.lastIndexOf('/') + 1)); break;
      case 'GetResourcePolicy': {
        const table = s.tables.find((t) => t.TableArn === r);
        if (table) table.ResourcePolicy = null;
        break;
      }
      default: throw new Error(`the oracle does not know ${gap.operation}`);
    }
  }
  // What is no longer reachable was never read: roles nobody names, tables no kept role names.
  const named = new Set<string>();
  for (const pool of s.userPools) for (const g of pool.Groups) if (g.RoleArn) named.add(g.RoleArn);
  for (const pool of s.identityPools) {
    for (const arn of Object.values(pool.Roles)) if (arn) named.add(arn);
    for (const mapping of Object.values(pool.RoleMappings)) for (const rule of mapping.RulesConfiguration?.Rules ?? []) named.add(rule.RoleARN);
  }
  s.roles = s.roles.filter((x) => named.has(x.Arn));
  const reached = new Set(s.roles.flatMap((x) => roleTables(x, allTables)));
  // Without the table list, a wildcard names nothing: only tables named exactly stay.
  const exact = new Set(s.roles.flatMap((x) => [...(x.AttachedPolicies ?? []).map((p) => p.Document), ...(x.InlinePolicies ?? []).map((p) => p.PolicyDocument)].flatMap(tablesIn)));
  s.tables = s.tables.filter((t) => reached.has(t.TableName) && !droppedTables.has(t.TableName) && (tablesListed || exact.has(t.TableName)));
  return s;
}

/** The parts compared: gaps and capture time aside, `Unreadable` texts as a flag. */
export function comparable(snapshot: Snapshot): unknown {
  const s = clone(snapshot);
  delete s.capturedAt;
  delete s.scanGaps;
  for (const role of s.roles) role.Unreadable = role.Unreadable ? 'unreadable' : null;
  s.roles.sort((a, b) => a.Arn.localeCompare(b.Arn));
  return s;
}
