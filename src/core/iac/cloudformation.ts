// CloudFormation and SAM templates (also Serverless Framework `resources:` sections and CDK's
// synthesized templates) -> the definition model. Two passes: first every resource gets its
// synthetic values (so references resolve in any order), then each modelled resource is read.
import type { ExportLookup, ResourceValues } from './cfnResolver.ts';
import { CfnResolver, scalarText } from './cfnResolver.ts';
import type { Definition, DocumentSource, ProviderDef, RoleMappingDef, RuleDef } from './model.ts';
import { Unknown } from './model.ts';
import type { MapEntry, Node, SourceFile, Span } from './source.ts';
import { entry, items, TemplateInputError } from './source.ts';
import type { DefinedResource } from './symbols.ts';
import type { SyntheticIds } from './syntheticIds.ts';

/** Resource types read into the model; other Cognito, IAM and DynamoDB types are named as unsupported. */
const MODELLED = new Set([
  'AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolGroup', 'AWS::Cognito::IdentityPool',
  'AWS::Cognito::IdentityPoolRoleAttachment', 'AWS::Cognito::IdentityPoolPrincipalTag', 'AWS::Cognito::UserPoolUser',
  'AWS::Cognito::UserPoolUserToGroupAttachment', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::RolePolicy', 'AWS::IAM::ManagedPolicy',
  'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable',
]);
/** Types that change nothing the checks read (their absence is not a gap). */
const IRRELEVANT = new Set([
  'AWS::Cognito::UserPoolDomain', 'AWS::Cognito::UserPoolUICustomizationAttachment', 'AWS::Cognito::UserPoolResourceServer',
  'AWS::Cognito::UserPoolRiskConfigurationAttachment', 'AWS::Cognito::LogDeliveryConfiguration', 'AWS::Cognito::ManagedLoginBranding',
  'AWS::IAM::InstanceProfile', 'AWS::IAM::ServiceLinkedRole', 'AWS::IAM::AccessKey', 'AWS::IAM::User', 'AWS::IAM::Group',
  'AWS::IAM::UserToGroupAddition', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy', 'AWS::IAM::VirtualMFADevice',
]);
const NAMESPACES = /^AWS::(Cognito|IAM|DynamoDB)::/;

export interface TemplateInput {
  file: SourceFile;
  root: Node;
  /** The stack's name (CDK artifact id, or the file's base name). */
  stackName: string;
  scope: string;
  definition: Definition;
  ids: SyntheticIds;
  exports?: ExportLookup;
  /** Export names -> where they come from, filled as templates are read. */
  exportTable?: Map<string, { resolver: CfnResolver; node: Node }>;
  parent?: { resolver: CfnResolver; parameters?: Node };
  /** CDK: the nested stack template of an AWS::CloudFormation::Stack resource, if the assembly has it. */
  nestedTemplate?: (resource: Node, resolver: CfnResolver) => { file: SourceFile; root: Node } | undefined;
  /** CDK: construct path and creation site by logical id. */
  constructs?: Map<string, { path: string; createdAt?: string }>;
}

/** The part of a document that is the template: itself, or a Serverless file's `resources`. */
export function templateBody(root: Node, file: SourceFile): { body: Node; serverless: boolean; sam: boolean } {
  if (root.t !== 'map') throw new TemplateInputError(`${file.path}: not a CloudFormation template (the document is not a map)`);
  const resources = entry(root, 'resources');
  if (!entry(root, 'Resources') && resources && entry(root, 'service')) {
    if (resources.t !== 'map') throw new TemplateInputError(`${file.path}: the Serverless "resources" section is not a map (a list of files is not read)`);
    return { body: resources, serverless: true, sam: false };
  }
  if (!entry(root, 'Resources')) throw new TemplateInputError(`${file.path}: not a CloudFormation template (no Resources section)`);
  const transform = entry(root, 'Transform');
  const sam = items(transform).some((t) => t.t === 'scalar' && typeof t.value === 'string' && t.value.startsWith('AWS::Serverless'));
  return { body: root, serverless: false, sam };
}

export function readTemplate(input: TemplateInput): CfnResolver {
  const { file, definition, ids } = input;
  const { body, serverless } = templateBody(input.root, file);
  const resourcesNode = entry(body, 'Resources');
  const resourceEntries: MapEntry[] = resourcesNode?.t === 'map' ? resourcesNode.entries : [];
  const values = new Map<string, ResourceValues>();
  const resolver = new CfnResolver({
    scope: input.scope, region: ids.region, accountId: ids.accountId, stackName: input.stackName,
    parameters: entry(body, 'Parameters'), mappings: entry(body, 'Mappings'), conditions: entry(body, 'Conditions'),
    resources: values, parent: input.parent, exports: input.exports, serverless,
  });
  const transform = entry(input.root, 'Transform');
  for (const t of items(transform)) {
    const name = t.t === 'scalar' ? String(t.value) : '';
    if (!name.startsWith('AWS::Serverless')) definition.unsupported.push({ span: t.span, what: `the transform ${name || '(computed)'}`, reason: 'a macro rewrites the template at deploy; the template is read as written' });
  }

  // Pass 1: the synthetic values of every resource.
  const defined = new Map<string, DefinedResource>();
  for (const e of resourceEntries) {
    const type = scalarText(resolver.resolve(entry(e.value, 'Type') ?? e.value)) ?? '';
    const resource: DefinedResource = { name: e.key, type, span: e.keySpan, scope: input.scope };
    const construct = input.constructs?.get(e.key);
    if (construct) {
      resource.constructPath = construct.path;
      if (construct.createdAt) resource.createdAt = construct.createdAt;
    }
    defined.set(e.key, resource);
    values.set(e.key, symbolsOf(resource, e.value, resolver, input));
  }

  // Pass 2: the modelled resources.
  for (const e of resourceEntries) {
    const resource = defined.get(e.key)!;
    if (!included(e, resolver, definition, resource)) continue;
    readResource(resource, e.value, values.get(e.key)!, resolver, input);
  }

  // Exports, for Fn::ImportValue between stacks of one assembly.
  const outputs = entry(body, 'Outputs');
  if (outputs?.t === 'map' && input.exportTable) {
    for (const o of outputs.entries) {
      const name = entry(entry(o.value, 'Export'), 'Name');
      const value = entry(o.value, 'Value');
      const exportName = name ? scalarText(resolver.resolve(name)) : undefined;
      if (exportName && value) input.exportTable.set(exportName, { resolver, node: value });
    }
  }
  return resolver;
}

/** False when the resource's Condition is known to be false; a condition that depends on deploy is named. */
function included(e: MapEntry, resolver: CfnResolver, definition: Definition, resource: DefinedResource): boolean {
  const condition = entry(e.value, 'Condition');
  if (!condition) return true;
  const name = scalarText(resolver.resolve(condition));
  const holds = resolver.condition(condition, name);
  if (holds === false) return false;
  if (holds instanceof Unknown && (MODELLED.has(resource.type) || NAMESPACES.test(resource.type))) {
    definition.unsupported.push({ span: condition.span, what: `resource ${resource.name} (condition ${name ?? '?'})`, reason: `it exists only when condition ${name ?? '?'} holds, which depends on deploy-time values; it is read as if it exists` });
  }
  return true;
}

function symbolsOf(resource: DefinedResource, node: Node, resolver: CfnResolver, input: TemplateInput): ResourceValues {
  const { ids, definition } = input;
  const props = entry(node, 'Properties');
  const literal = (key: string): string | undefined => {
    const v = entry(props, key);
    if (!v) return undefined;
    const value = resolver.resolve(v);
    return typeof value === 'string' && value ? value : undefined;
  };
  const symbols = definition.symbols;
  const add = (value: string, attribute?: string): string => {
    symbols.add({ value, resource, syntax: input.file.syntax, reference: attribute ? { kind: 'cfn', fn: 'GetAtt', target: resource.name, attribute } : { kind: 'cfn', fn: 'Ref', target: resource.name } });
    return value;
  };
  switch (resource.type) {
    case 'AWS::Cognito::UserPool': {
      const id = add(ids.userPoolId());
      return { type: resource.type, ref: id, attributes: { Arn: add(ids.userPoolArn(id), 'Arn'), ProviderName: add(ids.providerName(id), 'ProviderName'), ProviderURL: add(`https://${ids.providerName(id)}`, 'ProviderURL'), UserPoolId: id } };
    }
    case 'AWS::Cognito::UserPoolClient': {
      const id = add(ids.clientId());
      return { type: resource.type, ref: id, attributes: { ClientId: id, Name: literal('ClientName') ?? resource.name } };
    }
    case 'AWS::Cognito::UserPoolGroup':
      return { type: resource.type, ref: literal('GroupName') ?? resource.name, attributes: {} };
    case 'AWS::Cognito::IdentityPool': {
      const id = add(ids.identityPoolId());
      return { type: resource.type, ref: id, attributes: { Name: literal('IdentityPoolName') ?? resource.name, Id: id } };
    }
    case 'AWS::IAM::Role': {
      const name = ids.unique(literal('RoleName') ?? resource.name);
      const arn = add(ids.roleArn(name, literal('Path')), 'Arn');
      return { type: resource.type, ref: name, attributes: { Arn: arn, RoleId: ids.opaque('AROASYM') } };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const arn = add(ids.policyArn(ids.unique(literal('ManagedPolicyName') ?? resource.name), literal('Path')));
      return { type: resource.type, ref: arn, attributes: { PolicyArn: arn } };
    }
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::RolePolicy':
      return { type: resource.type, ref: ids.opaque('policy-'), attributes: {} };
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::Serverless::SimpleTable': {
      const name = literal('TableName') ?? ids.unique(resource.name);
      const arn = add(ids.tableArn(name), 'Arn');
      return { type: resource.type, ref: name, attributes: { Arn: arn, StreamArn: `${arn}/stream/sym` } };
    }
    default:
      return { type: resource.type, attributes: {}, opaque: `the values of ${resource.name} (${resource.type || 'no type'}) are known only after deploy` };
  }
}

function readResource(resource: DefinedResource, node: Node, values: ResourceValues, resolver: CfnResolver, input: TemplateInput): void {
  const d = input.definition;
  const props = entry(node, 'Properties');
  const p = (key: string): Node | undefined => entry(props, key);
  const base = { resource, ctx: resolver };
  switch (resource.type) {
    case 'AWS::Cognito::UserPool': {
      const lambda = p('LambdaConfig');
      const config = entry(lambda, 'PreTokenGenerationConfig');
      d.userPools.push({
        ...base, id: values.ref!,
        schema: items(p('Schema')).map((s) => ({ name: entry(s, 'Name'), mutable: entry(s, 'Mutable'), span: s.span })),
        allowAdminCreateUserOnly: entry(p('AdminCreateUserConfig'), 'AllowAdminCreateUserOnly'),
        preTokenGeneration: entry(lambda, 'PreTokenGeneration'),
        preTokenGenerationConfig: config ? { lambdaArn: entry(config, 'LambdaArn'), lambdaVersion: entry(config, 'LambdaVersion'), span: config.span } : undefined,
      });
      return;
    }
    case 'AWS::Cognito::UserPoolClient':
      d.clients.push({
        ...base, id: values.ref!, userPoolId: p('UserPoolId'), name: p('ClientName'), explicitAuthFlows: p('ExplicitAuthFlows'), generateSecret: p('GenerateSecret'),
        writeAttributes: p('WriteAttributes'), readAttributes: p('ReadAttributes'), allowedOAuthFlows: p('AllowedOAuthFlows'),
      });
      return;
    case 'AWS::Cognito::UserPoolGroup':
      d.groups.push({ ...base, userPoolId: p('UserPoolId'), groupName: p('GroupName'), defaultName: resource.name, precedence: p('Precedence'), roleArn: p('RoleArn') });
      return;
    case 'AWS::Cognito::IdentityPool':
      d.identityPools.push({
        ...base, id: values.ref!, allowUnauthenticated: p('AllowUnauthenticatedIdentities'), allowClassicFlow: p('AllowClassicFlow'),
        providers: items(p('CognitoIdentityProviders')).map((x): ProviderDef => ({ span: x.span, providerName: entry(x, 'ProviderName'), clientId: entry(x, 'ClientId'), serverSideTokenCheck: entry(x, 'ServerSideTokenCheck') })),
        providersNode: p('CognitoIdentityProviders'), supportedLoginProviders: p('SupportedLoginProviders'),
        openIdConnectProviderArns: p('OpenIdConnectProviderARNs'), samlProviderArns: p('SamlProviderARNs'), developerProviderName: p('DeveloperProviderName'),
      });
      return;
    case 'AWS::Cognito::IdentityPoolRoleAttachment': {
      const roles = p('Roles');
      const mappings = p('RoleMappings');
      d.roleAttachments.push({
        ...base, identityPoolId: p('IdentityPoolId'), authenticated: entry(roles, 'authenticated'), unauthenticated: entry(roles, 'unauthenticated'), rolesNode: roles,
        mappings: mappings?.t === 'map' ? mappings.entries.map((m) => roleMapping(m)) : [],
      });
      if (mappings && mappings.t !== 'map') d.unsupported.push({ span: mappings.span, what: `the RoleMappings of ${resource.name}`, reason: 'they are computed (not a map of mappings); the role choice of this identity pool is not judged' });
      return;
    }
    case 'AWS::Cognito::IdentityPoolPrincipalTag':
      d.principalTags.push({ ...base, identityPoolId: p('IdentityPoolId'), providerName: p('IdentityProviderName'), principalTags: p('PrincipalTags'), useDefaults: p('UseDefaults') });
      return;
    case 'AWS::Cognito::UserPoolUser':
      d.users.push({ ...base, userPoolId: p('UserPoolId'), username: p('Username') });
      return;
    case 'AWS::Cognito::UserPoolUserToGroupAttachment':
      d.userGroups.push({ ...base, userPoolId: p('UserPoolId'), username: p('Username'), groupName: p('GroupName') });
      return;
    case 'AWS::IAM::Role':
      d.roles.push({
        ...base, arn: values.attributes['Arn']!, name: values.ref!, trust: documentOf(p('AssumeRolePolicyDocument'), resolver, node),
        inline: items(p('Policies')).map((x, i) => ({ name: scalarText(resolver.resolve(entry(x, 'PolicyName') ?? x)) ?? `${resource.name}-inline-${i}`, document: documentOf(entry(x, 'PolicyDocument'), resolver, x), span: x.span })),
        managedPolicyArns: items(p('ManagedPolicyArns')), boundaryArn: p('PermissionsBoundary'),
      });
      return;
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::RolePolicy':
      d.rolePolicies.push({
        ...base, name: scalarText(resolver.resolve(p('PolicyName') ?? node)) ?? resource.name, document: documentOf(p('PolicyDocument'), resolver, node),
        roles: resource.type === 'AWS::IAM::Policy' ? items(p('Roles')) : items(p('RoleName')),
      });
      return;
    case 'AWS::IAM::ManagedPolicy':
      d.managedPolicies.push({ ...base, arn: values.ref!, name: values.ref!.slice(values.ref!.lastIndexOf('/') + 1), document: documentOf(p('PolicyDocument'), resolver, node), roles: items(p('Roles')) });
      return;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::Serverless::SimpleTable': {
      const primary = p('PrimaryKey');
      const keySchema = primary ? [{ name: entry(primary, 'Name'), type: { t: 'scalar', value: 'HASH', span: primary.span, syntax: primary.syntax } as Node }] : items(p('KeySchema')).map((k) => ({ name: entry(k, 'AttributeName'), type: entry(k, 'KeyType') }));
      const policy = entry(p('ResourcePolicy') ?? entry(items(p('Replicas'))[0], 'ResourcePolicy'), 'PolicyDocument');
      d.tables.push({ ...base, name: values.ref!, arn: values.attributes['Arn']!, keySchema, resourcePolicy: policy ? documentOf(policy, resolver, node) : undefined });
      return;
    }
    case 'AWS::CloudFormation::Stack': {
      const nested = input.nestedTemplate?.(node, resolver);
      if (!nested) {
        d.unsupported.push({ span: resource.span, what: `nested stack ${resource.name}`, reason: 'its template is not part of this definition (only a CDK cloud assembly carries nested templates); its resources are not read' });
        return;
      }
      const child = readTemplate({ ...input, file: nested.file, root: nested.root, stackName: `${input.stackName}-${resource.name}`, scope: `${input.scope}/${resource.name}`, parent: { resolver, parameters: p('Parameters') }, constructs: undefined });
      resolver.nested.set(resource.name, { resolver: child, outputs: entry(nested.root, 'Outputs') });
      return;
    }
  }
  if (resource.type.startsWith('Custom::') || resource.type === 'AWS::CloudFormation::CustomResource') {
    d.outside.push({ ...base, identityPools: props ? [props] : [], what: `custom resource ${resource.name} (${resource.type})` });
    return;
  }
  if (NAMESPACES.test(resource.type) && !IRRELEVANT.has(resource.type)) {
    d.unsupported.push({ span: resource.span, what: `${resource.type} ${resource.name}`, reason: 'this resource type is not read' });
  }
}

function roleMapping(m: MapEntry): RoleMappingDef {
  const rules = items(entry(entry(m.value, 'RulesConfiguration'), 'Rules')).map((r): RuleDef => ({
    span: r.span, claim: entry(r, 'Claim'), matchType: entry(r, 'MatchType'), value: entry(r, 'Value'), roleArn: entry(r, 'RoleARN'),
  }));
  return { span: spanOf(m), identityProvider: entry(m.value, 'IdentityProvider'), type: entry(m.value, 'Type'), ambiguousRoleResolution: entry(m.value, 'AmbiguousRoleResolution'), rules };
}

function spanOf(m: MapEntry): Span {
  return { file: m.keySpan.file, start: m.keySpan.start, end: m.value.span.end };
}

/** A policy document property: an object (the usual), a JSON string, or something only deploy knows. */
export function documentOf(node: Node | undefined, resolver: CfnResolver, near: Node): DocumentSource {
  if (!node) return { unknown: new Unknown(near, 'the policy document', 'the resource has no policy document') };
  if (node.t === 'map') return { node };
  const value = resolver.resolve(node);
  if (value instanceof Unknown) return { unknown: value };
  if (typeof value === 'string') return { node: { t: 'scalar', value, span: node.span, syntax: node.syntax } };
  return { unknown: new Unknown(node, 'the policy document', 'it is computed by a function') };
}
