// The article's books app as a CloudFormation template object (JSON, long-form intrinsics), to be
// changed case by case: each finding code's template case starts from this healthy scenario.
import { diagnoseTemplate, parseTemplateText } from '../../../src/core/iac/index.ts';
import type { TemplateDiagnosis, TemplateFinding } from '../../../src/core/iac/index.ts';

type Json = Record<string, unknown>;
export type Template = { Resources: Record<string, { Type: string; Properties: Json; [key: string]: unknown }>; [key: string]: unknown };

export const ref = (name: string): Json => ({ Ref: name });
export const getAtt = (name: string, attribute: string): Json => ({ 'Fn::GetAtt': [name, attribute] });
const COGNITO = 'cognito-identity.amazonaws.com';

export function trust(aud: unknown = ref('IdentityPool'), amr = 'authenticated', extra: Json = {}): Json {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: COGNITO },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${COGNITO}:aud`]: aud }, 'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: amr } },
      ...extra,
    }],
  };
}

export function readPolicy(statement: Json = {}): Json {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: getAtt('BookTable', 'Arn'), ...statement }] };
}

/** The healthy scenario: user pool, client, identity pool with a Token mapping, group BooksRead and its role, the table. */
export function books(): Template {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      UserPool: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolName: 'books' } },
      WebClient: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: ref('UserPool'), ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } },
      IdentityPool: {
        Type: 'AWS::Cognito::IdentityPool',
        Properties: { AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [{ ClientId: ref('WebClient'), ProviderName: getAtt('UserPool', 'ProviderName') }] },
      },
      RoleAttachment: {
        Type: 'AWS::Cognito::IdentityPoolRoleAttachment',
        Properties: {
          IdentityPoolId: ref('IdentityPool'),
          Roles: { authenticated: getAtt('BooksDefaultAuth', 'Arn') },
          RoleMappings: { books: { IdentityProvider: { 'Fn::Join': [':', [getAtt('UserPool', 'ProviderName'), ref('WebClient')]] }, Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } },
        },
      },
      BooksRead: { Type: 'AWS::Cognito::UserPoolGroup', Properties: { UserPoolId: ref('UserPool'), GroupName: 'BooksRead', Precedence: 1, RoleArn: getAtt('BooksReadAccess', 'Arn') } },
      BooksReadAccess: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'BooksReadAccess', AssumeRolePolicyDocument: trust(), Policies: [{ PolicyName: 'read-books', PolicyDocument: readPolicy() }] } },
      BooksDefaultAuth: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust(), Policies: [{ PolicyName: 'read-books', PolicyDocument: readPolicy() }] } },
      BookTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { TableName: 'book-table', KeySchema: [{ AttributeName: 'author', KeyType: 'HASH' }, { AttributeName: 'title', KeyType: 'RANGE' }] },
      },
    },
  };
}

/** A change of the healthy scenario, diagnosed as a JSON template. */
export function diagnoseBooks(change: (t: Template) => void = () => {}, path = 'books.json'): TemplateDiagnosis {
  const t = books();
  change(t);
  return diagnoseTemplate(parseTemplateText(path, JSON.stringify(t, null, 2)));
}

export function codesOf(d: TemplateDiagnosis): string[] {
  return [...new Set(d.findings.map((f) => f.code))].sort();
}

export function only(d: TemplateDiagnosis, code: string): TemplateFinding {
  const found = d.findings.filter((f) => f.code === code);
  if (found.length === 0) throw new Error(`no ${code} among ${codesOf(d).join(', ') || 'no findings'}`);
  return found[0]!;
}
