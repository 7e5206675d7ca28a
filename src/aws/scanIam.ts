// Reads IAM roles for the snapshot: trust policy, permissions boundary, attached policies (the
// default version's document) and inline policies. Each role is read once however many groups,
// pools and rules name it, and each managed policy once however many roles attach it.
// NoSuchEntity on GetRole -> `Missing: true`; AccessDenied anywhere -> `Unreadable` with what
// could be read; any other error bubbles up and ends the scan.
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { roleNameFromArn, type AttachedPolicy, type InlinePolicy, type Role } from '../core/snapshot.ts';
import { describeError, isAccessDenied, isNoSuchEntity } from './errors.ts';

/** Something the scanner was refused; the role is still returned with what it could read. */
class Refused {
  constructor(readonly reason: string) {}
}

async function orRefused<T>(read: () => Promise<T>): Promise<T | Refused> {
  try {
    return await read();
  } catch (error) {
    if (isAccessDenied(error)) return new Refused(describeError(error));
    throw error;
  }
}

export class RoleScanner {
  private readonly roles = new Map<string, Promise<Role>>();
  private readonly policies = new Map<string, Promise<Record<string, unknown> | string | Refused>>();

  /**
   * @param iam a client already limited and carrying the scan's abort signal
   * @param onRole called once per role when it has been read (progress, table discovery)
   */
  constructor(
    private readonly iam: IAMClient,
    private readonly onRole: (role: Role) => void = () => undefined,
  ) {}

  /** Starts reading the role unless already started; returns the same promise every time. */
  request(roleArn: string): Promise<Role> {
    let role = this.roles.get(roleArn);
    if (!role) {
      role = this.read(roleArn).then((r) => {
        this.onRole(r);
        return r;
      });
      // Errors surface through `all()`; avoid an unhandled rejection in between.
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

  private async read(roleArn: string): Promise<Role> {
    const RoleName = roleNameFromArn(roleArn);
    // The three reads are independent: start them together, settle GetRole first.
    const getRole = this.iam.send(new GetRoleCommand({ RoleName }));
    const attached = orRefused(() => this.attachedPolicies(RoleName));
    const inline = orRefused(() => this.inlinePolicies(RoleName));
    attached.catch(() => undefined);
    inline.catch(() => undefined);

    let got;
    try {
      got = (await getRole).Role;
    } catch (error) {
      await Promise.allSettled([attached, inline]);
      if (isNoSuchEntity(error)) return { RoleName, Arn: roleArn, Missing: true, Unreadable: null, AttachedPolicies: [], InlinePolicies: [] };
      if (isAccessDenied(error)) return { RoleName, Arn: roleArn, Missing: false, Unreadable: describeError(error), AttachedPolicies: [], InlinePolicies: [] };
      throw error;
    }
    const refusals: string[] = [];
    const role: Role = { RoleName: got?.RoleName ?? RoleName, Arn: got?.Arn ?? roleArn, Missing: false, Unreadable: null };
    if (got?.AssumeRolePolicyDocument) role.AssumeRolePolicyDocument = got.AssumeRolePolicyDocument;

    const boundaryArn = got?.PermissionsBoundary?.PermissionsBoundaryArn;
    if (boundaryArn) {
      const document = await this.policyDocument(boundaryArn);
      if (document instanceof Refused) refusals.push(`boundary ${boundaryArn}: ${document.reason}`);
      role.PermissionsBoundary = { PermissionsBoundaryArn: boundaryArn, Document: document instanceof Refused ? null : document };
    }

    const attachedList = await attached;
    if (attachedList instanceof Refused) {
      refusals.push(`attached policies: ${attachedList.reason}`);
      role.AttachedPolicies = [];
    } else {
      role.AttachedPolicies = await Promise.all(
        attachedList.map(async (p): Promise<AttachedPolicy> => {
          const document = await this.policyDocument(p.PolicyArn);
          if (document instanceof Refused) refusals.push(`policy ${p.PolicyArn}: ${document.reason}`);
          const entry: AttachedPolicy = { PolicyArn: p.PolicyArn, Document: document instanceof Refused ? null : document };
          if (p.PolicyName) entry.PolicyName = p.PolicyName;
          return entry;
        }),
      );
    }
    const inlineList = await inline;
    if (inlineList instanceof Refused) {
      refusals.push(`inline policies: ${inlineList.reason}`);
      role.InlinePolicies = [];
    } else {
      role.InlinePolicies = inlineList;
    }
    if (refusals.length > 0) role.Unreadable = refusals.join('; ');
    return role;
  }

  private async attachedPolicies(RoleName: string): Promise<{ PolicyArn: string; PolicyName?: string }[]> {
    const found: { PolicyArn: string; PolicyName?: string }[] = [];
    for await (const page of paginateListAttachedRolePolicies({ client: this.iam }, { RoleName })) {
      for (const p of page.AttachedPolicies ?? []) {
        if (p.PolicyArn) found.push(p.PolicyName ? { PolicyArn: p.PolicyArn, PolicyName: p.PolicyName } : { PolicyArn: p.PolicyArn });
      }
    }
    return found;
  }

  private async inlinePolicies(RoleName: string): Promise<InlinePolicy[]> {
    const names: string[] = [];
    for await (const page of paginateListRolePolicies({ client: this.iam }, { RoleName })) names.push(...(page.PolicyNames ?? []));
    return Promise.all(
      names.map(async (PolicyName) => {
        const got = await this.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
        return { PolicyName, PolicyDocument: got.PolicyDocument ?? '{}' };
      }),
    );
  }

  /** The default version's document of a managed policy (GetPolicy, then GetPolicyVersion); read once per ARN. */
  private policyDocument(policyArn: string): Promise<Record<string, unknown> | string | Refused> {
    let document = this.policies.get(policyArn);
    if (!document) {
      document = orRefused(async () => {
        const policy = await this.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
        const VersionId = policy.Policy?.DefaultVersionId;
        if (!VersionId) throw new Error(`IAM GetPolicy ${policyArn} returned no DefaultVersionId`);
        const version = await this.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId }));
        return version.PolicyVersion?.Document ?? '{}';
      });
      this.policies.set(policyArn, document);
    }
    return document;
  }
}
