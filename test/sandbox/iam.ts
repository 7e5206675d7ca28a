// IAM and STS in the Query protocol (form-encoded POST, XML answers): the read calls a scanner
// makes (and PutRolePolicy, so tests can change a role after a scan), with documents URL-encoded as AWS returns them, Marker/IsTruncated/MaxItems paging,
// NoSuchEntity, and GetCallerIdentity. A role can be made unreadable to a caller (AccessDenied)
// so scanner tests can see how the extension copes.
// GetOpenIDConnectProvider / ListOpenIDConnectProviders answer the seed's OIDC provider.
// GetAccountAuthorizationDetails answers as IAM does (API reference): Filter, MaxItems (default
// 100, 1-1000) and Marker paging over all the entities it returns, roles with their inline
// policies and attachments, customer managed policies (LocalManagedPolicy) with every version.
// The sandbox's IAM holds no users, groups or AWS managed policies: those lists are empty. A
// caller with an unreadable role is denied the whole call.

import { authorizeSession } from './authorize.ts';
import type { Caller } from './credentials.ts';
import type { IamStore, StoredPolicy, StoredRole } from './iamStore.ts';
import { queryError, queryReply, type Reply, type XmlValue } from './wire.ts';

export interface UnreadableRole {
  roleName: string;
  /** The caller it is unreadable to; default the sandbox admin. */
  accessKeyId?: string;
}

const encodeDoc = (doc: unknown): string => encodeURIComponent(JSON.stringify(doc));
const noSuchEntity = (message: string): Reply => queryError('iam', 'NoSuchEntity', message, 404);

/** One page of `items` after `Marker`, in IAM's shape. */
function page<T>(params: URLSearchParams, items: T[]): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = Math.min(Math.max(Number(params.get('MaxItems') ?? 100) || 100, 1), 1000);
  const marker = params.get('Marker');
  const start = marker ? Number(Buffer.from(marker, 'base64').toString()) : 0;
  const end = start + max;
  const IsTruncated = end < items.length;
  return { items: items.slice(start, end), IsTruncated, Marker: IsTruncated ? Buffer.from(String(end)).toString('base64') : undefined };
}

const boundaryXml = (r: StoredRole): XmlValue =>
  (r.Boundary ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: r.Arn.replace(/:role\/.*/, `:policy/${r.Boundary}`) } : undefined);

const attachedOf = (r: StoredRole): { PolicyName: string; PolicyArn: string }[] =>
  r.Attached.map((name) => ({ PolicyName: name, PolicyArn: r.Arn.replace(/:role\/.*/, `:policy/${name}`) }));

function roleXml(r: StoredRole, full: boolean): XmlValue {
  return {
    Path: '/', RoleName: r.RoleName, RoleId: r.RoleId, Arn: r.Arn, CreateDate: r.CreateDate,
    AssumeRolePolicyDocument: encodeDoc(r.AssumeRolePolicyDocument), Description: r.Description, MaxSessionDuration: 3600,
    PermissionsBoundary: full ? boundaryXml(r) : undefined,
    RoleLastUsed: full ? {} : undefined,
  };
}

/** A RoleDetailList entry of GetAccountAuthorizationDetails. */
function roleDetailXml(r: StoredRole): XmlValue {
  return {
    Path: '/', RoleName: r.RoleName, RoleId: r.RoleId, Arn: r.Arn, CreateDate: r.CreateDate,
    AssumeRolePolicyDocument: encodeDoc(r.AssumeRolePolicyDocument),
    InstanceProfileList: [],
    RolePolicyList: Object.entries(r.Inline).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: encodeDoc(doc) })),
    AttachedManagedPolicies: attachedOf(r),
    PermissionsBoundary: boundaryXml(r),
    Tags: [],
    RoleLastUsed: {},
  };
}

/** A Policies entry of GetAccountAuthorizationDetails: the policy with every version. */
function policyDetailXml(p: StoredPolicy): XmlValue {
  return {
    PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: '/', DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.BoundaryCount, IsAttachable: true,
    CreateDate: p.CreateDate, UpdateDate: p.CreateDate,
    PolicyVersionList: p.Versions.map((v) => ({
      Document: encodeDoc(v.Document), VersionId: v.VersionId, IsDefaultVersion: v.VersionId === p.DefaultVersionId, CreateDate: p.CreateDate,
    })),
  };
}

const ENTITY_FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];
const validationError = (message: string): Reply => queryError('iam', 'ValidationError', message);

/** A Query list parameter (`Name.member.1`, `Name.member.2`, ...), in order. */
function memberList(params: URLSearchParams, name: string): string[] {
  const prefix = `${name}.member.`;
  return [...params.entries()]
    .filter(([k]) => k.startsWith(prefix))
    .sort(([a], [b]) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map(([, v]) => v);
}

function policyXml(p: StoredPolicy): XmlValue {
  return {
    PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: '/', DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.BoundaryCount, IsAttachable: true,
    CreateDate: p.CreateDate, UpdateDate: p.CreateDate,
  };
}

export class IamService {
  constructor(private readonly iam: IamStore, private readonly accountId: string, private readonly adminKey: string,
    private readonly unreadable: UnreadableRole[] = []) {}

  async handle(params: URLSearchParams, caller: Caller): Promise<Reply> {
    const action = params.get('Action') ?? '';
    const roleName = params.get('RoleName') ?? '';
    const denied = await this.deny(caller, action, params);
    if (denied) return denied;
    const role = roleName ? this.iam.role(roleName) : undefined;
    const needsRole = ['GetRole', 'ListAttachedRolePolicies', 'ListRolePolicies', 'GetRolePolicy', 'PutRolePolicy'].includes(action);
    if (needsRole && !role) return noSuchEntity(`The role with name ${roleName} cannot be found.`);
    const reply = (result: XmlValue): Reply => queryReply('iam', action, result);
    switch (action) {
      case 'GetRole': return reply({ Role: roleXml(role as StoredRole, true) });
      case 'ListRoles': {
        const p = page(params, this.iam.roles);
        return reply({ Roles: p.items.map((r) => roleXml(r, false)), IsTruncated: p.IsTruncated, Marker: p.Marker });
      }
      case 'GetAccountAuthorizationDetails': return this.accountDetails(params);
      case 'ListAttachedRolePolicies': {
        const p = page(params, attachedOf(role as StoredRole));
        return reply({ AttachedPolicies: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker });
      }
      case 'ListRolePolicies': {
        const p = page(params, Object.keys((role as StoredRole).Inline));
        return reply({ PolicyNames: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker });
      }
      case 'GetRolePolicy': {
        const name = params.get('PolicyName') ?? '';
        const doc = (role as StoredRole).Inline[name];
        if (!doc) return noSuchEntity(`The role policy with name ${name} cannot be found.`);
        return reply({ RoleName: roleName, PolicyName: name, PolicyDocument: encodeDoc(doc) });
      }
      case 'PutRolePolicy': {
        // The one write: lets a test change a role behind a scanned snapshot's back (the admin
        // keys only; issued credentials are refused by deny() as their roles allow no iam:*).
        const name = params.get('PolicyName') ?? '';
        if (!/^[\w+=,.@-]{1,128}$/.test(name)) {
          return queryError('iam', 'ValidationError', `1 validation error detected: Value '${name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
        }
        let doc: unknown;
        try {
          doc = JSON.parse(params.get('PolicyDocument') ?? '');
        } catch {
          return queryError('iam', 'MalformedPolicyDocument', 'Syntax errors in policy.');
        }
        if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return queryError('iam', 'MalformedPolicyDocument', 'Syntax errors in policy.');
        // A new object: the stored role shares its seed's Inline map, which must stay as seeded.
        const stored = role as StoredRole;
        stored.Inline = { ...stored.Inline, [name]: doc as StoredRole['Inline'][string] };
        return reply({});
      }
      case 'ListOpenIDConnectProviders':
        return reply({ OpenIDConnectProviderList: this.iam.oidcProviders.map((o) => ({ Arn: o.Arn })) });
      case 'GetOpenIDConnectProvider': {
        const arn = params.get('OpenIDConnectProviderArn') ?? '';
        const o = this.iam.oidcProvider(arn);
        // The message is inferred (the API reference documents NoSuchEntity, not its text).
        if (!o) return noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
        return reply({ Url: o.Url, ClientIDList: o.ClientIDList, ThumbprintList: o.ThumbprintList, CreateDate: o.CreateDate, Tags: [] });
      }
      case 'GetPolicy': {
        const arn = params.get('PolicyArn') ?? '';
        const policy = this.iam.policy(arn);
        if (!policy) return noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
        return reply({ Policy: policyXml(policy) });
      }
      case 'GetPolicyVersion': {
        const arn = params.get('PolicyArn') ?? '';
        const versionId = params.get('VersionId') ?? '';
        const version = this.iam.policy(arn)?.Versions.find((v) => v.VersionId === versionId);
        if (!version) return noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
        const policy = this.iam.policy(arn) as StoredPolicy;
        return reply({ PolicyVersion: {
          Document: encodeDoc(version.Document), VersionId: versionId, IsDefaultVersion: versionId === policy.DefaultVersionId, CreateDate: policy.CreateDate,
        } });
      }
      default: return queryError('iam', 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
    }
  }

  /** GetAccountAuthorizationDetails: one page of the entities the Filter names (all by default). */
  private accountDetails(params: URLSearchParams): Reply {
    const filter = memberList(params, 'Filter');
    if (filter.some((f) => !ENTITY_FILTERS.includes(f))) {
      return validationError(`1 validation error detected: Value '[${filter.join(', ')}]' at 'filter' failed to satisfy constraint: `
        + 'Member must satisfy constraint: [Member must satisfy enum value set: [LocalManagedPolicy, Group, Role, AWSManagedPolicy, User]]');
    }
    const maxItems = params.get('MaxItems');
    if (maxItems !== null && !(Number.isInteger(Number(maxItems)) && Number(maxItems) >= 1 && Number(maxItems) <= 1000)) {
      const bound = Number(maxItems) < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000';
      return validationError(`1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`);
    }
    const marker = params.get('Marker');
    if (marker !== null && !/^\d+$/.test(Buffer.from(marker, 'base64').toString())) return validationError('Invalid Marker.');
    const wanted = (f: string): boolean => filter.length === 0 || filter.includes(f);
    // One sequence over every entity returned, paged as a whole (users, groups, roles, policies).
    type Entity = { list: 'RoleDetailList' | 'Policies'; xml: XmlValue };
    const entities: Entity[] = [
      ...(wanted('Role') ? this.iam.roles.map((r): Entity => ({ list: 'RoleDetailList', xml: roleDetailXml(r) })) : []),
      ...(wanted('LocalManagedPolicy') ? this.iam.policies.map((p): Entity => ({ list: 'Policies', xml: policyDetailXml(p) })) : []),
    ];
    const p = page(params, entities);
    const of = (list: Entity['list']): XmlValue[] => p.items.filter((e) => e.list === list).map((e) => e.xml);
    return queryReply('iam', 'GetAccountAuthorizationDetails', {
      UserDetailList: [], GroupDetailList: [], RoleDetailList: of('RoleDetailList'), Policies: of('Policies'),
      IsTruncated: p.IsTruncated, Marker: p.Marker,
    });
  }

  /** AccessDenied for a role marked unreadable, or for issued credentials their role does not allow. */
  private async deny(caller: Caller, action: string, params: URLSearchParams): Promise<Reply | undefined> {
    const roleName = params.get('RoleName');
    const oidc = params.get('OpenIDConnectProviderArn');
    const resource = roleName ? `arn:aws:iam::${this.accountId}:role/${roleName}` : (params.get('PolicyArn') ?? oidc ?? '*');
    const label = roleName ? `role ${roleName}` : (params.get('PolicyArn') ? `policy ${params.get('PolicyArn')}` : (oidc ?? '*'));
    const mine = this.unreadable.filter((u) => (u.accessKeyId ?? this.adminKey) === caller.accessKeyId);
    // The account's details include every role: a caller denied one is denied them all.
    const marked = action === 'GetAccountAuthorizationDetails' ? mine.length > 0 : roleName && mine.some((u) => u.roleName === roleName);
    if (marked) {
      return queryError('iam', 'AccessDenied', `User: ${caller.arn} is not authorized to perform: iam:${action} on resource: ${label} `
        + `because no identity-based policy allows the iam:${action} action`, 403);
    }
    if (caller.kind !== 'issued') return undefined;
    const d = await authorizeSession(this.iam, caller, this.accountId, { action: `iam:${action}`, resource, resourceLabel: label });
    return d.allowed ? undefined : queryError('iam', 'AccessDenied', d.message, 403);
  }
}

/** STS: GetCallerIdentity, which needs no permission (AssumeRoleWithWebIdentity: webIdentity.ts). */
export function handleSts(params: URLSearchParams, caller: Caller, accountId: string): Reply {
  const action = params.get('Action') ?? '';
  if (action !== 'GetCallerIdentity') return queryError('sts', 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  return queryReply('sts', action, { Arn: caller.arn, UserId: caller.userId, Account: accountId });
}
