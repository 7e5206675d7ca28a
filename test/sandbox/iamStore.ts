// The sandbox's IAM state, built once from the seed: roles with their attached, inline and
// boundary policies, and customer managed policies with versions. The IAM handlers read it as
// AWS's IAM would answer; the authorizer reads it to decide requests of issued credentials.

import { createHash } from 'node:crypto';
import {
  ACCOUNT_ID, MANAGED_POLICIES, OIDC_PROVIDERS, ROLES, policyArn, roleArn, type PolicyDocument, type SeedManagedPolicy, type SeedOidcProvider, type SeedRole,
} from './seed.ts';

export interface StoredRole extends SeedRole { Arn: string; RoleId: string; CreateDate: string }
export interface StoredOidcProvider extends SeedOidcProvider { Arn: string; CreateDate: string }
export interface StoredPolicy extends SeedManagedPolicy { Arn: string; PolicyId: string; CreateDate: string; AttachmentCount: number; BoundaryCount: number }

const CREATED = '2026-01-01T00:00:00Z';
/** Stable AWS-looking ids (AROA..., ANPA...) derived from the name, so they survive a restart. */
const stableId = (prefix: string, name: string): string =>
  prefix + createHash('sha256').update(name).digest('hex').toUpperCase().replace(/[^A-Z2-7]/g, '').padEnd(17, 'Q').slice(0, 17);

export class IamStore {
  readonly roles: StoredRole[];
  readonly policies: StoredPolicy[];
  /** IAM OpenID Connect providers (arn:aws:iam::<account>:oidc-provider/<Url>). */
  readonly oidcProviders: StoredOidcProvider[];

  constructor(roles: SeedRole[] = ROLES, policies: SeedManagedPolicy[] = MANAGED_POLICIES, oidcProviders: SeedOidcProvider[] = OIDC_PROVIDERS) {
    this.oidcProviders = oidcProviders.map((o) => ({ ...o, Arn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${o.Url}`, CreateDate: CREATED }));
    this.roles = roles.map((r) => ({ ...r, Arn: roleArn(r.RoleName), RoleId: stableId('AROA', r.RoleName), CreateDate: CREATED }));
    this.policies = policies.map((p) => ({
      ...p, Arn: policyArn(p.PolicyName), PolicyId: stableId('ANPA', p.PolicyName), CreateDate: CREATED,
      AttachmentCount: roles.filter((r) => r.Attached.includes(p.PolicyName)).length,
      BoundaryCount: roles.filter((r) => r.Boundary === p.PolicyName).length,
    }));
  }

  role(name: string): StoredRole | undefined {
    return this.roles.find((r) => r.RoleName === name);
  }

  roleByArn(arn: string): StoredRole | undefined {
    return this.roles.find((r) => r.Arn === arn);
  }

  policy(arn: string): StoredPolicy | undefined {
    return this.policies.find((p) => p.Arn === arn);
  }

  oidcProvider(arn: string): StoredOidcProvider | undefined {
    return this.oidcProviders.find((o) => o.Arn === arn);
  }

  defaultDocument(policy: StoredPolicy): PolicyDocument {
    const version = policy.Versions.find((v) => v.VersionId === policy.DefaultVersionId);
    if (!version) throw new Error(`seed: ${policy.PolicyName} has no version ${policy.DefaultVersionId}`);
    return version.Document;
  }

  /** The identity policies of a role: attached (default versions) then inline, with names. */
  identityPolicies(role: StoredRole): { name: string; policy: PolicyDocument }[] {
    const attached = role.Attached.map((name) => {
      const p = this.policy(policyArn(name));
      if (!p) throw new Error(`seed: role ${role.RoleName} attaches unknown policy ${name}`);
      return { name: p.Arn, policy: this.defaultDocument(p) };
    });
    const inline = Object.entries(role.Inline).map(([name, policy]) => ({ name: `${role.RoleName}/${name}`, policy }));
    return [...attached, ...inline];
  }

  boundary(role: StoredRole): { name: string; policy: PolicyDocument } | undefined {
    if (!role.Boundary) return undefined;
    const p = this.policy(policyArn(role.Boundary));
    if (!p) throw new Error(`seed: role ${role.RoleName} has unknown boundary ${role.Boundary}`);
    return { name: p.Arn, policy: this.defaultDocument(p) };
  }
}
