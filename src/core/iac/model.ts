// The definition model: what a CloudFormation/SAM template, a CDK cloud assembly or a Terraform
// folder defines, in one shape for both readers. Every field is a source node (with its range),
// in CloudFormation's / the AWS API's shape; the readers translate Terraform's names and blocks.
// snapshotBuilder.ts resolves the nodes into the engine's snapshot.
import type { Node, SourceFile, Span } from './source.ts';
import type { DefinedResource, SymbolTable } from './symbols.ts';

/** A value a check needs that is not known before deploy. */
export class Unknown {
  constructor(
    /** Where it is written. */
    readonly node: Node,
    /** How the file writes it (`!ImportValue SharedPool`, `var.pool_id`, `!If [...]`). */
    readonly shown: string,
    /** Why it is unknown: "a parameter without a default", "an import from another stack", ... */
    readonly reason: string,
  ) {}
}

/** A resolved value: JSON with Unknown where something cannot be known before deploy. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | Unknown;

/** Turns nodes into values in the definition's own language (intrinsics, Terraform expressions). */
export interface Resolver {
  resolve(node: Node): Value;
  /** The scope (stack, module) its nodes belong to: a reference can be written only within it. */
  readonly scope: string;
}

/** Every Unknown inside a value. */
export function unknownsIn(value: Value, out: Unknown[] = []): Unknown[] {
  if (value instanceof Unknown) out.push(value);
  else if (Array.isArray(value)) for (const v of value) unknownsIn(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) unknownsIn(v, out);
  return out;
}

interface Def {
  resource: DefinedResource;
  ctx: Resolver;
}

/** A policy document as written: a node in IAM's JSON shape, or why it cannot be read. */
export type DocumentSource = { node: Node } | { unknown: Unknown };

export interface UserPoolDef extends Def {
  /** The synthetic user pool id. */
  id: string;
  /** Custom and standard attributes: CloudFormation names custom ones without `custom:`. */
  schema: { name?: Node; mutable?: Node; span: Span }[];
  allowAdminCreateUserOnly?: Node;
  preTokenGeneration?: Node;
  preTokenGenerationConfig?: { lambdaArn?: Node; lambdaVersion?: Node; span: Span };
}

export interface ClientDef extends Def {
  id: string;
  userPoolId?: Node;
  name?: Node;
  explicitAuthFlows?: Node;
  generateSecret?: Node;
  writeAttributes?: Node;
  readAttributes?: Node;
  allowedOAuthFlows?: Node;
}

export interface GroupDef extends Def {
  userPoolId?: Node;
  groupName?: Node;
  /** The name when the definition sets none (CloudFormation's logical id stands in). */
  defaultName: string;
  precedence?: Node;
  roleArn?: Node;
}

export interface ProviderDef {
  span: Span;
  providerName?: Node;
  clientId?: Node;
  serverSideTokenCheck?: Node;
}

export interface IdentityPoolDef extends Def {
  id: string;
  allowUnauthenticated?: Node;
  allowClassicFlow?: Node;
  providers: ProviderDef[];
  /** The node holding the providers (for findings about them). */
  providersNode?: Node;
  supportedLoginProviders?: Node;
  openIdConnectProviderArns?: Node;
  samlProviderArns?: Node;
  developerProviderName?: Node;
}

export interface RuleDef {
  span: Span;
  claim?: Node;
  matchType?: Node;
  value?: Node;
  roleArn?: Node;
}

export interface RoleMappingDef {
  span: Span;
  identityProvider?: Node;
  type?: Node;
  ambiguousRoleResolution?: Node;
  rules: RuleDef[];
}

export interface RoleAttachmentDef extends Def {
  identityPoolId?: Node;
  authenticated?: Node;
  unauthenticated?: Node;
  /** The node holding the roles, when there is one. */
  rolesNode?: Node;
  mappings: RoleMappingDef[];
}

export interface PrincipalTagDef extends Def {
  identityPoolId?: Node;
  providerName?: Node;
  principalTags?: Node;
  useDefaults?: Node;
}

export interface InlinePolicyDef {
  name: string;
  document: DocumentSource;
  span: Span;
}

export interface RoleDef extends Def {
  arn: string;
  name: string;
  trust?: DocumentSource;
  inline: InlinePolicyDef[];
  managedPolicyArns: Node[];
  boundaryArn?: Node;
}

/** An inline policy defined on its own and given to roles (AWS::IAM::Policy, aws_iam_role_policy). */
export interface RolePolicyDef extends Def {
  name: string;
  document: DocumentSource;
  roles: Node[];
}

/** A customer managed policy (AWS::IAM::ManagedPolicy, aws_iam_policy). */
export interface ManagedPolicyDef extends Def {
  arn: string;
  name: string;
  document: DocumentSource;
  /** Roles it is attached to by the policy itself (CloudFormation's `Roles`). */
  roles: Node[];
}

/** aws_iam_role_policy_attachment / aws_iam_policy_attachment. */
export interface PolicyAttachmentDef extends Def {
  roles: Node[];
  policyArn?: Node;
}

export interface TableDef extends Def {
  name: string;
  arn: string;
  keySchema: { name?: Node; type?: Node }[];
  resourcePolicy?: DocumentSource;
}

export interface UserDef extends Def {
  userPoolId?: Node;
  username?: Node;
}

export interface UserInGroupDef extends Def {
  userPoolId?: Node;
  username?: Node;
  groupName?: Node;
}

/** A custom resource or script that may set an identity pool's roles or mappings. */
export interface OutsideDef extends Def {
  /** Nodes that name identity pools (resolved to find which). */
  identityPools: Node[];
  what: string;
}

/** Something the reader does not read, named in the output. */
export interface Unsupported {
  span: Span;
  what: string;
  /** Why, or what happens instead. */
  reason: string;
}

export type DefinitionKind = 'cloudformation' | 'sam' | 'serverless' | 'cdk' | 'terraform';

export interface Definition {
  kind: DefinitionKind;
  /** The path given (file or folder). */
  root: string;
  files: SourceFile[];
  region: string;
  accountId: string;
  symbols: SymbolTable;
  userPools: UserPoolDef[];
  clients: ClientDef[];
  groups: GroupDef[];
  identityPools: IdentityPoolDef[];
  roleAttachments: RoleAttachmentDef[];
  principalTags: PrincipalTagDef[];
  roles: RoleDef[];
  rolePolicies: RolePolicyDef[];
  managedPolicies: ManagedPolicyDef[];
  policyAttachments: PolicyAttachmentDef[];
  tables: TableDef[];
  users: UserDef[];
  userGroups: UserInGroupDef[];
  outside: OutsideDef[];
  unsupported: Unsupported[];
  /** Unknown values the readers met outside any resource field (e.g. a nested stack's parameters). */
  unknowns: Unknown[];
}

export function emptyDefinition(kind: DefinitionKind, root: string, symbols: SymbolTable, region: string, accountId: string): Definition {
  return {
    kind, root, files: [], region, accountId, symbols,
    userPools: [], clients: [], groups: [], identityPools: [], roleAttachments: [], principalTags: [], roles: [], rolePolicies: [],
    managedPolicies: [], policyAttachments: [], tables: [], users: [], userGroups: [], outside: [], unsupported: [], unknowns: [],
  };
}
