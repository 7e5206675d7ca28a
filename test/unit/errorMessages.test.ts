// Taking apart AWS error texts as people paste them (src/core/errorMessages.ts): every form of
// cognito-semantics.md sections 4 and 5, in the real texts of errorFixtures.ts (sources there),
// whatever SDK wrapped them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAwsError, parseCaller, UNDERSTOOD_FORMS } from '../../src/core/errorMessages.ts';
import { ACCESS_DENIED, COGNITO, NOT_PERMISSIONS, NOT_UNDERSTOOD } from './errorFixtures.ts';

describe('AccessDenied, any form and wrapping', () => {
  it('implicit deny in the Go SDK\'s multi-line wrapping (no account in the ARNs)', () => {
    const p = parseAwsError(ACCESS_DENIED.goImplicit.text);
    assert.equal(p.kind, 'access-denied');
    assert.equal(p.code, 'AccessDeniedException');
    assert.equal(p.operation, 'PutItem');
    assert.deepEqual({ ...p.accessDenied, caller: undefined }, {
      principal: 'arn:aws:sts:::assumed-role/github-actions/githubactionsrolesession', action: 'dynamodb:PutItem',
      resource: 'arn:aws:dynamodb:eu-west-2::table/modernisation-platform-terraform-state-lock', denial: 'implicit', policyType: 'identity-based', caller: undefined,
    });
    assert.deepEqual(p.accessDenied?.caller, { kind: 'assumed-role', arn: 'arn:aws:sts:::assumed-role/github-actions/githubactionsrolesession', accountId: null, roleName: 'github-actions', sessionName: 'githubactionsrolesession' });
  });

  it('implicit deny behind the JavaScript SDK\'s name and botocore\'s "An error occurred (...)"', () => {
    const js = parseAwsError(ACCESS_DENIED.jsImplicit.text);
    assert.equal(js.accessDenied?.caller.roleName, 'theme-park-backend-ThemeParkLambdaRole-APGEWB3D9EAH');
    assert.equal(js.accessDenied?.resource, 'arn:aws:dynamodb:us-west-2:321831419467:table/heme-park-backend-DynamoDBTable-16JZ3N4IKS7MD');
    const py = parseAwsError(ACCESS_DENIED.pythonImplicit.text);
    assert.equal(py.code, 'AccessDeniedException', 'the AWS code, not the wrapper\'s PutError');
    assert.equal(py.operation, 'BatchWriteItem');
    assert.equal(py.accessDenied?.action, 'dynamodb:BatchWriteItem');
    assert.equal(py.accessDenied?.resource, 'arn:aws:dynamodb:us-west-2:516466186502:table/staging-category', 'the trailing backslash is not part of the ARN');
  });

  it('the older form without a reason: a Cognito identity\'s session, Java\'s (Service: ...) after it, JSON around it', () => {
    const java = parseAwsError(ACCESS_DENIED.cognitoOldJava.text);
    assert.equal(java.accessDenied?.denial, 'unknown');
    assert.equal(java.accessDenied?.policyType, null);
    assert.equal(java.accessDenied?.resource, 'arn:aws:dynamodb:us-east-2:852223263701:table/Device');
    assert.deepEqual(java.accessDenied?.caller, { kind: 'assumed-role', arn: 'arn:aws:sts::852223263701:assumed-role/Cognito_MyPoolUnauth_Role/CognitoIdentityCredentials', accountId: '852223263701', roleName: 'Cognito_MyPoolUnauth_Role', sessionName: 'CognitoIdentityCredentials' });
    assert.equal(parseAwsError(ACCESS_DENIED.oldJson.text).accessDenied?.resource, 'arn:aws:dynamodb:us-east-1:869691786575:table/blackbook-profiles', 'no closing quote in the ARN');
    assert.equal(parseAwsError(ACCESS_DENIED.indexResource.text).accessDenied?.resource, 'arn:aws:dynamodb:eu-central-1:XXXXXXXXXX:table/dynamodb-table/index/GS3');
  });

  it('explicit deny: without a policy type (any service), and with the denying policy\'s ARN', () => {
    const bare = parseAwsError(ACCESS_DENIED.explicitBare.text);
    assert.equal(bare.accessDenied?.denial, 'explicit');
    assert.equal(bare.accessDenied?.policyType, null);
    assert.equal(bare.accessDenied?.action, 'cognito-identity:ListIdentityPools');
    const arn = parseAwsError(ACCESS_DENIED.explicitWithArn.text);
    assert.equal(arn.accessDenied?.policyType, 'service control');
    assert.equal(arn.accessDenied?.policyArn, 'arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd');
    assert.equal(arn.accessDenied?.caller.kind, 'user');
  });

  it('every policy type the IAM User Guide lists, in both phrasings', () => {
    const head = 'User: arn:aws:sts::123456789012:assumed-role/BooksReadAccess/CognitoIdentityCredentials is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-central-1:123456789012:table/book-table';
    for (const type of ['identity-based', 'session', 'permissions boundary', 'resource-based', 'service control', 'resource control', 'VPC endpoint']) {
      const implicit = parseAwsError(`${head} because no ${type}${type === 'permissions boundary' ? '' : ' policy'} allows the dynamodb:PutItem action`);
      assert.deepEqual([implicit.accessDenied?.denial, implicit.accessDenied?.policyType], ['implicit', type], type);
      const explicit = parseAwsError(`${head} with an explicit deny in ${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type}${type === 'permissions boundary' ? '' : ' policy'}`);
      assert.deepEqual([explicit.accessDenied?.denial, explicit.accessDenied?.policyType], ['explicit', type], type);
    }
  });

  it('callers: a role session, an IAM user, anything else', () => {
    assert.equal(parseCaller('arn:aws:sts::123456789012:assumed-role/R/S/extra').sessionName, 'S/extra');
    assert.equal(parseCaller('arn:aws:iam::123456789012:user/Matt').kind, 'user');
    assert.equal(parseCaller('anonymous').kind, 'other');
  });
});

describe('the identity pool\'s errors (cognito-semantics.md section 5)', () => {
  it('InvalidIdentityPoolConfigurationException, on the wire and in the JavaScript SDK', () => {
    for (const f of [COGNITO.invalidPoolConfigurationJson, COGNITO.invalidPoolConfigurationJs]) {
      const p = parseAwsError(f.text);
      assert.equal(p.kind, 'invalid-identity-pool-configuration', f.source);
      assert.equal(p.message, 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
    }
  });

  it('each NotAuthorizedException message, with its fields', () => {
    const cases: [keyof typeof COGNITO, string][] = [
      ['unsupportedProvider', 'unsupported-provider'], ['tokenExpired', 'token-expired'], ['issuerMismatch', 'issuer-mismatch'], ['missingAud', 'missing-aud'],
      ['loginsMismatch', 'logins-mismatch'], ['guestsDisabled', 'guests-disabled'], ['ambiguousDeny', 'ambiguous-deny'], ['ambiguousDenyShort', 'ambiguous-deny'], ['identityForbidden', 'identity-forbidden'],
    ];
    for (const [key, reason] of cases) {
      const p = parseAwsError(COGNITO[key].text);
      assert.equal(p.kind, 'not-authorized', key);
      assert.equal(p.code, 'NotAuthorizedException', key);
      assert.equal(p.notAuthorized?.reason, reason, key);
    }
    // The first number is the check, the second the token's exp (4.5 minutes before it).
    assert.deepEqual(parseAwsError(COGNITO.tokenExpired.text).notAuthorized, { reason: 'token-expired', checkedAt: '2020-05-10T06:33:20.000Z', expiredAt: '2020-05-10T06:28:49.000Z' });
    assert.equal(parseAwsError(COGNITO.ambiguousDeny.text).notAuthorized?.provider, 'cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234');
    assert.equal(parseAwsError(COGNITO.identityForbidden.text).notAuthorized?.identityId, 'eu-central-1:0e0e0001-0000-4000-8000-000000000001');
    assert.equal(parseAwsError(COGNITO.guestsDisabled.text).message, 'Unauthenticated access is not supported for this identity pool.', 'the stack trace after it is not the message');
    assert.equal(parseAwsError(COGNITO.unsupportedProvider.text).message, 'Token is not from a supported provider of this identity pool.');
  });

  it('the basic flow disabled (InvalidParameterException)', () => {
    const p = parseAwsError(COGNITO.basicFlow.text);
    assert.deepEqual([p.kind, p.code], ['basic-flow-disabled', 'InvalidParameterException']);
  });
});

describe('not a permissions problem, and not understood', () => {
  it('ExpiredToken(Exception): the wire\'s com.amazon.coral.service#, botocore\'s code', () => {
    const go = parseAwsError(NOT_PERMISSIONS.expiredTokenGo.text);
    assert.deepEqual([go.kind, go.code, go.message], ['expired-token', 'ExpiredTokenException', 'The security token included in the request is expired']);
    const py = parseAwsError(NOT_PERMISSIONS.expiredTokenBoto.text);
    assert.deepEqual([py.kind, py.code, py.operation], ['expired-token', 'ExpiredToken', 'CreateRole']);
  });

  it('ConditionalCheckFailed, alone and as a cancelled transaction\'s reason', () => {
    const alone = parseAwsError(NOT_PERMISSIONS.conditionalJs.text);
    assert.deepEqual([alone.kind, alone.code, alone.message], ['conditional-check-failed', 'ConditionalCheckFailedException', 'The conditional request failed']);
    const transaction = parseAwsError(NOT_PERMISSIONS.transactionCancelled.text);
    assert.equal(transaction.code, 'TransactionCanceledException');
    assert.deepEqual(transaction.cancellationReasons, ['ConditionalCheckFailed', 'None']);
  });

  it('anything else is unknown, and the understood forms cover every kind', () => {
    for (const f of Object.values(NOT_UNDERSTOOD)) assert.equal(parseAwsError(f.text).kind, 'unknown', f.source);
    assert.equal(parseAwsError('').kind, 'unknown');
    const kinds = new Set(UNDERSTOOD_FORMS.map((f) => f.kind));
    for (const kind of ['access-denied', 'invalid-identity-pool-configuration', 'not-authorized', 'basic-flow-disabled', 'expired-token', 'conditional-check-failed']) assert.ok(kinds.has(kind as never), kind);
  });
});
