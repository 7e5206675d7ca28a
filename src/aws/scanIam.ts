// Reads IAM roles for the snapshot: trust policy, permissions boundary, attached policies (the
// default version's document) and inline policies. Each role is read once however many groups,
// pools and rules name it, and each managed policy once however many roles attach it.
//
// Two strategies:
// - per role: GetRole, ListAttachedRolePolicies, ListRolePolicies, GetRolePolicy per inline
//   policy, GetPolicy + GetPolicyVersion per managed policy (3+ calls a role);
// - account: GetAccountAuthorizationDetails (Filter Role and LocalManagedPolicy) returns every
//   role with its inline and attached policies and every customer managed policy's versions in a
//   few pages of up to 1,000 items (IAM API reference). AWS managed policies are read per policy.
// `auto` reads the first roles one by one (a small account never pays for a whole-account read)
// and switches to the account read once a scan has named AUTO_THRESHOLD roles; when that read is
// denied or fails, every role falls back to per-role reads (no gap: nothing is lost).
//
// Every read is isolated: NoSuchEntity on GetRole -> `Missing: true`; any other failure is a scan
// gap, and the role keeps what could be read, with `Unreadable` saying what could not.
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type IAMClient,
  type RoleDetail,
} from '@aws-sdk/client-iam';
import { roleNameFromArn, type AttachedPolicy, type InlinePolicy, type Role, type ScanGap } from '../core/snapshot.ts';
import { isNoSuchEntity } from './errors.ts';
import type { ScanReads } from './scanReads.ts';

export type IamStrategy = 'auto' | 'per-role' | 'account';

/** Roles a scan names before `auto` reads the whole account's authorization details instead. */
export const AUTO_THRESHOLD = 40;

type PolicyDocument = Record<string, unknown> | string;
/** A managed policy's default document, or the gap that kept it unread. */
type PolicyRead = { document: PolicyDocument } | { gap: ScanGap };

/** What one role read gathered; turned into the snapshot's Role at the end. */
interface Parts {
  roleArn: string;
  got?: { RoleName?: string; Arn?: string; AssumeRolePolicyDocument?: string; PermissionsBoundary?: { PermissionsBoundaryArn?: string } };
  missing?: boolean;
  attached?: { PolicyArn: string; PolicyName?: string }[];
  inline?: InlinePolicy[];
  problems: string[];
}

const MISSING = Symbol('missing');

export class RoleScanner {
  private readonly roles = new Map<string, Promise<Role>>();
  private readonly policies = new Map<string, Promise<PolicyRead>>();
  private account: Promise<AccountDetails | null> | undefined;
  /** How the roles were read, for the scan's statistics. */
  usedAccountDetails = false;

  /**
   * @param iam a client already limited and carrying the scan's abort signal
   * @param onRole called once per role when it has been read (progress, table discovery)
   */
  constructor(
    private readonly iam: IAMClient,
    private readonly reads: ScanReads,
    private readonly onRole: (role: Role) => void = () => undefined,
    private readonly strategy: IamStrategy = 'auto',
  ) {}

  /** Starts reading the role unless already started; returns the same promise every time. */
  request(roleArn: string): Promise<Role> {
    let role = this.roles.get(roleArn);
    if (!role) {
      const viaAccount = this.strategy === 'account' || (this.strategy === 'auto' && this.roles.size >= AUTO_THRESHOLD);
      role = (viaAccount ? this.readViaAccount(roleArn) : this.readRole(roleArn)).then((r) => {
        this.onRole(r);
        return r;
      });
      // Errors (a cancelled or stopped scan) surface through `all()`.
      role.catch(() => undefined);
      this.roles.set(roleArn, role);
    }
    return role;
  }

  get requested(): number {
    return this.roles.size;
  }

  /** Every role requested so far, also those requested while waiting, sorted by ARN. */
  async all(): Promise<Role[]> {
    let count = -1;
    while (count !== this.roles.size) {
      count = this.roles.size;
      await Promise.all(this.roles.values());
    }
    return (await Promise.all(this.roles.values())).sort((a, b) => a.Arn.localeCompare(b.Arn));
  }

  // -------------------------------------------------------------------------------------------
  // Per role

  private async readRole(roleArn: string): Promise<Role> {
    const RoleName = roleNameFromArn(roleArn);
    const parts: Parts = { roleArn, problems: [] };
    // The three reads are independent: start them together.
    const getRole = this.reads.attempt('iam', 'GetRole', roleArn, async () => {
      try {
        return (await this.iam.send(new GetRoleCommand({ RoleName }))).Role ?? {};
      } catch (error) {
        if (isNoSuchEntity(error)) return MISSING;
        throw error;
      }
    });
    const attached = this.attachedPolicies(RoleName, roleArn, parts);
    const inline = this.inlinePolicies(RoleName, roleArn, parts);
    const got = await getRole;
    await Promise.all([attached, inline]);
    if (got.ok && got.value === MISSING) return { RoleName, Arn: roleArn, Missing: true, Unreadable: null, AttachedPolicies: [], InlinePolicies: [] };
    if (got.ok) parts.got = got.value as Parts['got'];
    else parts.problems.unshift(problem(got.gap));
    return this.finish(parts);
  }

  private async attachedPolicies(RoleName: string, roleArn: string, parts: Parts): Promise<void> {
    const found: { PolicyArn: string; PolicyName?: string }[] = [];
    const gap = await this.reads.pages('iam', 'ListAttachedRolePolicies', roleArn, () => paginateListAttachedRolePolicies({ client: this.iam }, { RoleName }), (page) => {
      for (const p of page.AttachedPolicies ?? []) {
        if (p.PolicyArn) found.push(p.PolicyName ? { PolicyArn: p.PolicyArn, PolicyName: p.PolicyName } : { PolicyArn: p.PolicyArn });
      }
    });
    if (gap) parts.problems.push(`attached policies: ${problem(gap)}`);
    parts.attached = found;
  }

  private async inlinePolicies(RoleName: string, roleArn: string, parts: Parts): Promise<void> {
    const names: string[] = [];
    const gap = await this.reads.pages('iam', 'ListRolePolicies', roleArn, () => paginateListRolePolicies({ client: this.iam }, { RoleName }), (page) => {
      names.push(...(page.PolicyNames ?? []));
    });
    if (gap) parts.problems.push(`inline policies: ${problem(gap)}`);
    const read = await Promise.all(
      names.map(async (PolicyName) => {
        const got = await this.reads.attempt('iam', 'GetRolePolicy', roleArn, () => this.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })));
        if (!got.ok) {
          parts.problems.push(`inline policy ${PolicyName}: ${problem(got.gap)}`);
          return undefined;
        }
        const policy: InlinePolicy = { PolicyName, PolicyDocument: got.value.PolicyDocument ?? '{}' };
        return policy;
      }),
    );
    parts.inline = read.filter((p): p is InlinePolicy => p !== undefined);
  }

  /** The default version's document of a managed policy (GetPolicy, then GetPolicyVersion); read once per ARN. */
  private policyDocument(policyArn: string): Promise<PolicyRead> {
    let document = this.policies.get(policyArn);
    if (!document) {
      document = (async () => {
        const policy = await this.reads.attempt('iam', 'GetPolicy', policyArn, () => this.iam.send(new GetPolicyCommand({ PolicyArn: policyArn })));
        if (!policy.ok) return { gap: policy.gap };
        const VersionId = policy.value.Policy?.DefaultVersionId ?? 'v1';
        const version = await this.reads.attempt('iam', 'GetPolicyVersion', policyArn, () => this.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId })));
        if (!version.ok) return { gap: version.gap };
        return { document: version.value.PolicyVersion?.Document ?? '{}' };
      })();
      this.policies.set(policyArn, document);
    }
    return document;
  }

  /** Resolves managed documents and turns the parts into the snapshot's Role. */
  private async finish(parts: Parts): Promise<Role> {
    const { got, roleArn } = parts;
    const role: Role = { RoleName: got?.RoleName ?? roleNameFromArn(roleArn), Arn: got?.Arn ?? roleArn, Missing: false, Unreadable: null };
    if (got?.AssumeRolePolicyDocument) role.AssumeRolePolicyDocument = got.AssumeRolePolicyDocument;
    const boundaryArn = got?.PermissionsBoundary?.PermissionsBoundaryArn;
    if (boundaryArn) {
      const read = await this.policyDocument(boundaryArn);
      if ('gap' in read) parts.problems.push(`boundary ${boundaryArn}: ${problem(read.gap)}`);
      role.PermissionsBoundary = { PermissionsBoundaryArn: boundaryArn, Document: 'gap' in read ? null : read.document };
    }
    role.AttachedPolicies = await Promise.all(
      (parts.attached ?? []).map(async (p): Promise<AttachedPolicy> => {
        const read = await this.policyDocument(p.PolicyArn);
        if ('gap' in read) parts.problems.push(`policy ${p.PolicyArn}: ${problem(read.gap)}`);
        const entry: AttachedPolicy = { PolicyArn: p.PolicyArn, Document: 'gap' in read ? null : read.document };
        if (p.PolicyName) entry.PolicyName = p.PolicyName;
        return entry;
      }),
    );
    role.InlinePolicies = parts.inline ?? [];
    if (parts.problems.length > 0) role.Unreadable = parts.problems.join('; ');
    return role;
  }

  // -------------------------------------------------------------------------------------------
  // The whole account at once

  private async readViaAccount(roleArn: string): Promise<Role> {
    this.account ??= this.readAccount();
    const details = await this.account;
    const detail = details?.roles.get(roleArn);
    // Not in the account's list (another account's role, one created since) or no account read:
    // read it on its own (GetRole says NoSuchEntity for a role that does not exist).
    if (!details || !detail) return this.readRole(roleArn);
    this.usedAccountDetails = true;
    return this.finish({
      roleArn,
      got: {
        ...(detail.RoleName ? { RoleName: detail.RoleName } : {}),
        ...(detail.Arn ? { Arn: detail.Arn } : {}),
        ...(detail.AssumeRolePolicyDocument ? { AssumeRolePolicyDocument: detail.AssumeRolePolicyDocument } : {}),
        ...(detail.PermissionsBoundary?.PermissionsBoundaryArn ? { PermissionsBoundary: { PermissionsBoundaryArn: detail.PermissionsBoundary.PermissionsBoundaryArn } } : {}),
      },
      attached: (detail.AttachedManagedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyName ? { PolicyArn: p.PolicyArn, PolicyName: p.PolicyName } : { PolicyArn: p.PolicyArn }] : [])),
      inline: (detail.RolePolicyList ?? []).flatMap((p) => (p.PolicyName ? [{ PolicyName: p.PolicyName, PolicyDocument: p.PolicyDocument ?? '{}' }] : [])),
      problems: [],
    });
  }

  /** Every role and customer managed policy of the account, or null when the read failed. */
  private async readAccount(): Promise<AccountDetails | null> {
    const roles = new Map<string, RoleDetail>();
    try {
      const pages = paginateGetAccountAuthorizationDetails({ client: this.iam, pageSize: 1000 }, { Filter: ['Role', 'LocalManagedPolicy'] });
      for await (const page of pages) {
        for (const role of page.RoleDetailList ?? []) if (role.Arn) roles.set(role.Arn, role);
        for (const policy of page.Policies ?? []) {
          const current = policy.PolicyVersionList?.find((v) => v.IsDefaultVersion) ?? policy.PolicyVersionList?.find((v) => v.VersionId === policy.DefaultVersionId);
          if (policy.Arn && current?.Document !== undefined) this.policies.set(policy.Arn, Promise.resolve({ document: current.Document }));
        }
      }
    } catch (error) {
      // Denied, unsupported or failed: the per-role reads take over. A cancelled or stopped scan
      // still stops (fail() rethrows those); anything else is not a gap, nothing is lost.
      this.reads.rethrowIfFatal(error, 'iam', 'GetAccountAuthorizationDetails');
      return null;
    }
    return { roles };
  }
}

interface AccountDetails {
  roles: Map<string, RoleDetail>;
}

/** "AccessDenied: <message>", the snapshot's `Unreadable` text. */
function problem(gap: ScanGap): string {
  return `${gap.error}: ${gap.message}`;
}
