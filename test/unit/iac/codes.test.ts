// Every finding code that can be judged before deploy has a template case: a change of the
// healthy books template (test/unit/iac/books.ts) that must raise it, located in the file.
//
// Codes that cannot be judged from a definition, and why:
//   GROUP_ROLE_MISSING, POOL_ROLE_MISSING: they say a role does not exist in IAM ("Missing": true);
//     a definition can only say a role is not defined in it (ROLE_NOT_CAPTURED).
//   ROLE_UNREADABLE, SCAN_INCOMPLETE: about what a scanner could not read; nothing is scanned.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FINDING_CODES } from '../../../src/core/findings.ts';
import { setKnownActions } from '../../../src/core/iamActions.ts';
import { iamActionData } from '../../../scripts/iam-actions.mjs';
import type { Template } from './books.ts';
import { codesOf, diagnoseBooks, getAtt, readPolicy, ref, trust } from './books.ts';

const COGNITO = 'cognito-identity.amazonaws.com';
setKnownActions(iamActionData()); // the IAM service reference, as the bundles carry it (POLICY_UNKNOWN_ACTION)
const NOT_BEFORE_DEPLOY: Record<string, string> = {
  GROUP_ROLE_MISSING: 'needs IAM to say the role does not exist',
  POOL_ROLE_MISSING: 'needs IAM to say the role does not exist',
  ROLE_UNREADABLE: 'about a scanner permission',
  SCAN_INCOMPLETE: 'about a scan',
};

type Props = Record<string, unknown>;
const props = (t: Template, name: string): Props => t.Resources[name]!.Properties;
const statement = (t: Template, role = 'BooksReadAccess'): Props => ((props(t, role)['AssumeRolePolicyDocument'] as Props)['Statement'] as Props[])[0]!;
const policyStatement = (t: Template, role = 'BooksReadAccess'): Props => (((props(t, role)['Policies'] as Props[])[0]!['PolicyDocument'] as Props)['Statement'] as Props[])[0]!;
const secondRole = (t: Template, name: string): void => {
  t.Resources[name] = { Type: 'AWS::IAM::Role', Properties: { RoleName: name, AssumeRolePolicyDocument: trust(), Policies: [{ PolicyName: 'read', PolicyDocument: readPolicy() }] } };
};
const user = (t: Template, name: string, groups: string[]): void => {
  t.Resources[name] = { Type: 'AWS::Cognito::UserPoolUser', Properties: { UserPoolId: ref('UserPool'), Username: name } };
  for (const g of groups) t.Resources[`${name}In${g}`] = { Type: 'AWS::Cognito::UserPoolUserToGroupAttachment', Properties: { UserPoolId: ref('UserPool'), Username: name, GroupName: g } };
};
const tieGroups = (t: Template): void => {
  secondRole(t, 'BooksWriteAccess');
  t.Resources['BooksWrite'] = { Type: 'AWS::Cognito::UserPoolGroup', Properties: { UserPoolId: ref('UserPool'), GroupName: 'BooksWrite', Precedence: 1, RoleArn: getAtt('BooksWriteAccess', 'Arn') } };
};
/** The books mapping as a Rules mapping with one rule on `claim`, giving BooksReadAccess. */
const rulesMapping = (t: Template, claim: string): void => {
  Object.assign((props(t, 'RoleAttachment')['RoleMappings'] as Record<string, Props>)['books']!, {
    Type: 'Rules', RulesConfiguration: { Rules: [{ Claim: claim, MatchType: 'Equals', Value: 'admin', RoleARN: getAtt('BooksReadAccess', 'Arn') }] },
  });
};
const ownPartition = (operator = 'ForAllValues:StringEquals', variable = `\${${COGNITO}:sub}`): Props => ({ Condition: { [operator]: { 'dynamodb:LeadingKeys': [variable] } } });

const CASES: Record<string, (t: Template) => void> = {
  GROUP_PRECEDENCE_TIE: tieGroups,
  GROUP_ROLE_WITHOUT_PRECEDENCE: (t) => delete props(t, 'BooksRead')['Precedence'],
  GROUP_ROLES_IGNORED: (t) => delete props(t, 'RoleAttachment')['RoleMappings'],
  GROUP_ROLE_NOT_ASSUMABLE: (t) => (props(t, 'BooksReadAccess')['AssumeRolePolicyDocument'] = trust(ref('UserPool'))),
  POOL_NO_AUTHENTICATED_ROLE: (t) => {
    delete props(t, 'RoleAttachment')['Roles'];
    delete props(t, 'RoleAttachment')['RoleMappings'];
  },
  POOL_UNAUTH_NO_ROLE: (t) => (props(t, 'IdentityPool')['AllowUnauthenticatedIdentities'] = true),
  POOL_AMBIGUOUS_DENY: (t) => ((props(t, 'RoleAttachment')['RoleMappings'] as Record<string, Props>)['books']!['AmbiguousRoleResolution'] = 'Deny'),
  POOL_NO_PROVIDERS: (t) => (props(t, 'IdentityPool')['CognitoIdentityProviders'] = []),
  TRUST_NO_COGNITO_PRINCIPAL: (t) => (statement(t)['Principal'] = { Service: 'lambda.amazonaws.com' }),
  TRUST_WRONG_ACTION: (t) => (statement(t)['Action'] = 'sts:AssumeRole'),
  TRUST_AUD_IS_USER_POOL_ID: (t) => (props(t, 'BooksReadAccess')['AssumeRolePolicyDocument'] = trust(ref('UserPool'))),
  TRUST_AUD_OTHER_POOL: (t) => {
    t.Resources['OtherPool'] = { Type: 'AWS::Cognito::IdentityPool', Properties: { AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [] } };
    props(t, 'BooksReadAccess')['AssumeRolePolicyDocument'] = trust(ref('OtherPool'));
  },
  TRUST_AUD_MISSING: (t) => delete (statement(t)['Condition'] as Props)['StringEquals'],
  TRUST_KEY_MISSPELLED: (t) => (statement(t)['Condition'] = { StringEquals: { [`${COGNITO}:aud`]: ref('IdentityPool') }, 'ForAnyValue:StringLike': { 'cognito-identity.amazon.com:amr': 'authenticated' } }),
  TRUST_AMR_MISMATCH: (t) => (props(t, 'BooksReadAccess')['AssumeRolePolicyDocument'] = trust(ref('IdentityPool'), 'unauthenticated')),
  TRUST_AMR_SINGLE_VALUE_OPERATOR: (t) => (statement(t)['Condition'] = { StringEquals: { [`${COGNITO}:aud`]: ref('IdentityPool') }, StringLike: { [`${COGNITO}:amr`]: 'authenticated' } }),
  TRUST_EXPLICIT_DENY: (t) => ((props(t, 'BooksReadAccess')['AssumeRolePolicyDocument'] as Props)['Statement'] as Props[]).push({ Effect: 'Deny', Principal: { Federated: COGNITO }, Action: 'sts:AssumeRoleWithWebIdentity' }),
  POLICY_VARIABLES_WITHOUT_VERSION: (t) => {
    Object.assign(policyStatement(t), ownPartition());
    delete ((props(t, 'BooksReadAccess')['Policies'] as Props[])[0]!['PolicyDocument'] as Props)['Version'];
  },
  FGAC_WRONG_VARIABLE: (t) => Object.assign(policyStatement(t), ownPartition('ForAllValues:StringEquals', '${aws:username}')),
  FGAC_LEADINGKEYS_NOT_FORALLVALUES: (t) => Object.assign(policyStatement(t), ownPartition('StringEquals')),
  FGAC_SCAN_BYPASS: (t) => Object.assign(policyStatement(t), ownPartition(), { Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'] }),
  ROLE_NOT_CAPTURED: (t) => (props(t, 'BooksRead')['RoleArn'] = 'arn:aws:iam::123456789012:role/DefinedElsewhere'),
  USER_NO_PREFERRED_ROLE: (t) => {
    tieGroups(t);
    user(t, 'tied', ['BooksRead', 'BooksWrite']);
  },
  USER_SIGN_IN_FAILS: (t) => {
    props(t, 'BooksReadAccess')['AssumeRolePolicyDocument'] = trust(ref('UserPool'));
    user(t, 'reader', ['BooksRead']);
  },
  POLICY_MALFORMED: (t) => (policyStatement(t)['Effect'] = 'Permit'),
  MAPPING_UNKNOWN_PROVIDER: (t) => {
    (props(t, 'RoleAttachment')['RoleMappings'] as Props)['other'] = { IdentityProvider: { 'Fn::Join': [':', [getAtt('UserPool', 'ProviderName'), 'someotherclient']] }, Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' };
  },
  POOL_DUPLICATE_ROLE_ATTACHMENT: (t) => {
    t.Resources['SecondAttachment'] = { Type: 'AWS::Cognito::IdentityPoolRoleAttachment', Properties: { IdentityPoolId: ref('IdentityPool'), Roles: { authenticated: getAtt('BooksDefaultAuth', 'Arn') } } };
  },
  MAPPING_SET_OUTSIDE_DEFINITION: (t) => {
    delete t.Resources['RoleAttachment'];
    t.Resources['SetRoles'] = { Type: 'Custom::SetIdentityPoolRoles', Properties: { ServiceToken: 'arn:aws:lambda:eu-central-1:123456789012:function:set-roles', IdentityPoolId: ref('IdentityPool') } };
  },
  TEMPLATE_VALUE_UNKNOWN: (t) => (props(t, 'BooksReadAccess')['AssumeRolePolicyDocument'] = trust({ 'Fn::ImportValue': 'shared-identity-pool-id' })),
  TEMPLATE_UNSUPPORTED: (t) => {
    t.Resources['Google'] = { Type: 'AWS::Cognito::UserPoolIdentityProvider', Properties: { UserPoolId: ref('UserPool'), ProviderName: 'Google', ProviderType: 'Google' } };
  },
  // Beyond the article (cognito-semantics.md section 6).
  POOL_BASIC_FLOW_ENABLED: (t) => (props(t, 'IdentityPool')['AllowClassicFlow'] = true),
  USER_POOL_TOKEN_TRIGGER: (t) => (props(t, 'UserPool')['LambdaConfig'] = { PreTokenGeneration: 'arn:aws:lambda:eu-central-1:123456789012:function:token' }),
  TRUST_NO_TAG_SESSION: (t) => {
    t.Resources['Tags'] = { Type: 'AWS::Cognito::IdentityPoolPrincipalTag', Properties: { IdentityPoolId: ref('IdentityPool'), IdentityProviderName: getAtt('UserPool', 'ProviderName'), UseDefaults: true } };
  },
  PRINCIPAL_TAG_NOT_MAPPED: (t) => Object.assign(policyStatement(t), { Condition: { StringEquals: { 'aws:PrincipalTag/dept': 'books' } } }),
  PRINCIPAL_TAG_VALUE_INVALID: (t) => {
    t.Resources['Tags'] = { Type: 'AWS::Cognito::IdentityPoolPrincipalTag', Properties: { IdentityPoolId: ref('IdentityPool'), IdentityProviderName: getAtt('UserPool', 'ProviderName'), UseDefaults: false, PrincipalTags: { 'bad key!': 'sub' } } };
  },
  TRUST_AMR_PROVIDER_MISMATCH: (t) => {
    ((props(t, 'BooksReadAccess')['AssumeRolePolicyDocument'] as Props)['Statement'] as Props[])[0]!['Condition'] = {
      StringEquals: { [`${COGNITO}:aud`]: ref('IdentityPool') },
      'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Wrong1' },
    };
  },
  MAPPING_TOKEN_UNSUPPORTED_PROVIDER: (t) => {
    props(t, 'IdentityPool')['SupportedLoginProviders'] = { 'accounts.google.com': '123-abc.apps.googleusercontent.com' };
    (props(t, 'RoleAttachment')['RoleMappings'] as Props)['google'] = { IdentityProvider: 'accounts.google.com', Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' };
  },
  // Found in real definitions (src/core/diagnoseDefinitions.ts, diagnoseActions.ts).
  MAPPING_RULE_ON_WRITABLE_CLAIM: (t) => {
    props(t, 'UserPool')['Schema'] = [{ Name: 'role', AttributeDataType: 'String', Mutable: true }];
    props(t, 'WebClient')['WriteAttributes'] = ['email', 'custom:role'];
    rulesMapping(t, 'custom:role');
  },
  MAPPING_RULE_CLAIM_NEVER_PRESENT: (t) => {
    props(t, 'UserPool')['Schema'] = [{ Name: 'role', AttributeDataType: 'String', Mutable: false }];
    rulesMapping(t, 'custom:dept');
  },
  POLICY_UNKNOWN_ACTION: (t) => (policyStatement(t)['Action'] = ['dynamodb:GetItems', 'dynamodb:Query']),
  ROLE_GRANTS_NOTHING: (t) => (policyStatement(t)['Effect'] = 'Deny'),
  PROVIDER_CLIENT_NO_ID_TOKEN: (t) => Object.assign(props(t, 'WebClient'), { ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'], AllowedOAuthFlows: ['client_credentials'], GenerateSecret: true }),
};

describe('every finding code that can be judged before deploy has a template case', () => {
  it('the healthy books template has no findings', () => {
    assert.deepEqual(codesOf(diagnoseBooks()), []);
  });

  it('each code is either cased here or named as not judgeable before deploy', () => {
    const missing = Object.keys(FINDING_CODES).filter((code) => !CASES[code] && !NOT_BEFORE_DEPLOY[code]);
    assert.deepEqual(missing, [], 'new finding codes need a template case in test/unit/iac/codes.test.ts (or a reason they cannot be judged before deploy)');
  });

  for (const [code, change] of Object.entries(CASES)) {
    it(code, () => {
      const d = diagnoseBooks(change);
      const found = d.findings.find((f) => f.code === code);
      assert.ok(found, `${code} not raised; found ${codesOf(d).join(', ') || 'nothing'}`);
      assert.ok(found.location.startLine >= 1 && found.location.startColumn >= 1, 'located');
      assert.ok(!/zz-region-1|5e1ec7ed|symclient|000000000000/.test(`${found.message} ${found.fix} ${found.subject.id}`), `synthetic values leak into the text: ${found.message}`);
    });
  }
});
