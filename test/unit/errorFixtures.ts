// Real AWS error texts, as people met them, each with where it was published. Account ids,
// names and request ids are the posters' own (some redacted by them); nothing here is a secret.
// Used by errorMessages.test.ts (parsing) and explainError.test.ts (explaining against a snapshot).

export interface ErrorFixture {
  text: string;
  source: string;
}

export const ACCESS_DENIED = {
  /** Implicit deny, the Go SDK v2's wrapping, over several lines. */
  goImplicit: {
    source: 'https://github.com/ministryofjustice/modernisation-platform/pull/6789 (2024)',
    text: `Error message: 2 errors occurred:
	* operation error DynamoDB: PutItem, https response error StatusCode: 400,
RequestID: api error
AccessDeniedException: User:
arn:aws:sts:::assumed-role/github-actions/githubactionsrolesession
is not authorized to perform: dynamodb:PutItem on resource:
arn:aws:dynamodb:eu-west-2::table/modernisation-platform-terraform-state-lock
because no identity-based policy allows the dynamodb:PutItem action
	* Unable to retrieve item from DynamoDB table`,
  },
  /** Implicit deny, the JavaScript SDK's `Name: message`. */
  jsImplicit: {
    source: 'https://github.com/aws-samples/aws-serverless-workshop-innovator-island/issues/97 (2023)',
    text: 'saveToDDB error:  AccessDeniedException: User: arn:aws:sts::321831419467:assumed-role/theme-park-backend-ThemeParkLambdaRole-APGEWB3D9EAH/theme-park-ridetimes is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-west-2:321831419467:table/heme-park-backend-DynamoDBTable-16JZ3N4IKS7MD because no identity-based policy allows the dynamodb:PutItem action',
  },
  /** botocore (PynamoDB) wrapping, BatchWriteItem. */
  pythonImplicit: {
    source: 'https://github.com/chanzuckerberg/napari-hub/pull/1048 (2023)',
    text: 'PutError: Failed to batch write items: An error occurred (AccessDeniedException) on request (K6HQS62M56HDU1BBBDRC5VK543VV4KQNSO5AEMVJF66Q9ASUAAJG) on table (staging-category) when calling the BatchWriteItem operation: User: arn:aws:sts::516466186502:assumed-role/staging-data-workflows/staging-data-workflows is not authorized to perform: dynamodb:BatchWriteItem on resource: arn:aws:dynamodb:us-west-2:516466186502:table/staging-category because no identity-based policy allows the dynamodb:BatchWriteItem action\\',
  },
  /** The older form without a reason, with a Cognito identity's session, the Java (Android) SDK's wrapping. */
  cognitoOldJava: {
    source: 'https://github.com/aws-amplify/aws-sdk-android/issues/784 (2019)',
    text: 'Caused by: com.amazonaws.AmazonServiceException: User: arn:aws:sts::852223263701:assumed-role/Cognito_MyPoolUnauth_Role/CognitoIdentityCredentials is not authorized to perform: dynamodb:DescribeTable on resource: arn:aws:dynamodb:us-east-2:852223263701:table/Device (Service: AmazonDynamoDB; Status Code: 400; Error Code: AccessDeniedException; Request ID: G9EU558R869327KTPDA1DCOKQRVV4KQNSO5AEMVJF66Q9ASUAAJG)',
  },
  /** The older form inside a log's JSON. */
  oldJson: {
    source: 'https://github.com/serverless/serverless/issues/4613 (2017)',
    text: '"err": {\n        "message": "User: arn:aws:sts::869691786575:assumed-role/profile-dev-us-east-1-lambdaRole/profile-dev-list is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:869691786575:table/blackbook-profiles",',
  },
  /** An index resource (AppSync), with the Java SDK v2's wrapping. */
  indexResource: {
    source: 'https://github.com/terraform-aws-modules/terraform-aws-appsync/pull/7 (2020)',
    text: '"message": "User: arn:aws:sts::XXXXXXXXXX:assumed-role/dynamodb-role/APPSYNC_ASSUME_ROLE is not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:eu-central-1:XXXXXXXXXX:table/dynamodb-table/index/GS3 (Service: DynamoDb, Status Code: 400, Request ID: 2FK1667S31A74B546S0FJAOB6JVV4KQNSO5AEMVJF66Q9ASUAAJG, Extended Request ID: null)"',
  },
  /** Explicit deny with no policy type (another service: any service is understood). */
  explicitBare: {
    source: 'https://github.com/hashicorp/terraform-provider-aws/pull/15773 (2020)',
    text: 'skipping acceptance testing: AccessDeniedException: User: arn:aws:sts::463038042756:assumed-role/Developer/1603310654304804000 is not authorized to perform: cognito-identity:ListIdentityPools on resource: arn:aws:cognito-identity:eu-west-1:463038042756:identitypool/ with an explicit deny\n                status code: 400, request id: d5c5009f-0f48-4dde-8344-715e0794ba50',
  },
  /** Explicit deny naming the denying policy's ARN (the AWS Security Blog's example). */
  explicitWithArn: {
    source: 'https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns',
    text: 'An error occurred (AccessDenied) when calling the ListRoles operation: User: arn:aws:iam::123456789012:user/Matt is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/* with an explicit deny in a service control policy: arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd',
  },
} satisfies Record<string, ErrorFixture>;

export const COGNITO = {
  invalidPoolConfigurationJson: {
    source: 'https://github.com/aws/aws-sdk-js/issues/1615 (2017)',
    text: '{"__type":"InvalidIdentityPoolConfigurationException","message":"Invalid identity pool configuration. Check assigned IAM roles for this pool."}',
  },
  invalidPoolConfigurationJs: {
    source: 'https://github.com/amazon-archives/aws-serverless-auth-reference-app/issues/29 (2017)',
    text: 'Uncaught (in promise): InvalidIdentityPoolConfigurationException: Invalid identity pool configuration. Check assigned IAM roles for this pool.',
  },
  unsupportedProvider: {
    source: 'https://github.com/aws-amplify/amplify-flutter/issues/851 (2021)',
    text: 'W/AWSMobileClient(30407): com.amazonaws.services.cognitoidentity.model.NotAuthorizedException: Token is not from a supported provider of this identity pool. (Service: AmazonCognitoIdentity; Status Code: 400; Error Code: NotAuthorizedException; Request ID: ad7cd6c4-e2f0-4355-925d-bee7c8e6d39f)',
  },
  tokenExpired: {
    source: 'https://github.com/aws-amplify/aws-sdk-ios/issues/2570 (2020)',
    text: 'Domain=com.amazonaws.AWSCognitoIdentityErrorDomain Code=8 "(null)" UserInfo={__type=NotAuthorizedException, message=Invalid login token. Token expired: 1589092400 >= 1589092129}',
  },
  issuerMismatch: {
    source: 'https://github.com/amazon-archives/amazon-cognito-identity-js/issues/40 (2016)',
    text: 'NotAuthorizedException: Invalid login token. Issuer doesn\'t match providerName',
  },
  missingAud: {
    source: 'https://github.com/amazon-archives/amazon-cognito-identity-js/issues/7 (2016)',
    text: 'error in autheticatig AWSNotAuthorizedException: Invalid login token. Missing a required claim: aud',
  },
  loginsMismatch: {
    source: 'https://github.com/amazon-archives/amazon-cognito-identity-js/issues/68 (2016)',
    text: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
  },
  guestsDisabled: {
    source: 'https://github.com/aws/aws-sdk-js-v3/issues/3113 (2021)',
    text: 'Uncaught (in promise) NotAuthorizedException: Unauthenticated access is not supported for this identity pool.\n    at http://localhost:3000/static/js/0.chunk.js:5934:51',
  },
  ambiguousDenyShort: {
    source: 'https://github.com/aws-amplify/amplify-js/issues/8644 (2021): the second of the two errors its title quotes, as it quotes it (no provider)',
    text: 'The ambiguous role mapping rules denied this request',
  },
  ambiguousDeny: {
    source: 'cognito-semantics.md section 5 (the verbatim text Cognito answers; the sandbox answers it too)',
    text: 'NotAuthorizedException: The ambiguous role mapping rules for: cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BOOKS1234 denied this request.',
  },
  identityForbidden: {
    source: 'cognito-semantics.md section 5',
    text: "NotAuthorizedException: Access to Identity 'eu-central-1:0e0e0001-0000-4000-8000-000000000001' is forbidden.",
  },
  basicFlow: {
    source: 'cognito-semantics.md section 5 (Cognito Identity API reference, GetOpenIdToken)',
    text: 'InvalidParameterException: Basic (classic) flow is not enabled, please use enhanced flow.',
  },
} satisfies Record<string, ErrorFixture>;

export const NOT_PERMISSIONS = {
  expiredTokenGo: {
    source: 'https://github.com/guregu/dynamo/issues/68 (2018)',
    text: '2018/03/21 19:06:17 {"__type":"com.amazon.coral.service#ExpiredTokenException","message":"The security token included in the request is expired"}',
  },
  expiredTokenBoto: {
    source: 'https://github.com/aws-samples/aws-iot-twinmaker-samples/issues/147 (2023)',
    text: 'botocore.exceptions.ClientError: An error occurred (ExpiredToken) when calling the CreateRole operation: The security token included in the request is expired',
  },
  conditionalJs: {
    source: 'https://github.com/awslabs/aws-lambda-redshift-loader/issues/155 (2018)',
    text: "{ ConditionalCheckFailedException: The conditional request failed\nat Request.extractError (/var/runtime/node_modules/aws-sdk/lib/protocol/json.js:48:27)\nmessage: 'The conditional request failed',\ncode: 'ConditionalCheckFailedException',",
  },
  transactionCancelled: {
    source: 'test/sandbox/dynamodb.test.ts (the sandbox answers as DynamoDB does, DynamoDB Developer Guide transaction-apis)',
    text: 'TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
  },
} satisfies Record<string, ErrorFixture>;

export const NOT_UNDERSTOOD = {
  userPoolPassword: {
    source: 'https://github.com/qqaatw/JciHitachiHA/issues/33 (2022): a user pool sign-in error, not an identity-pool or IAM one',
    text: 'An error occurred when signing into AWS Cognito Service: NotAuthorizedException Incorrect username or password.',
  },
  invalidClientToken: {
    source: 'https://github.com/aws/aws-sdk-net/issues/1660 (2020)',
    text: 'Amazon.DynamoDBv2.AmazonDynamoDBException : The security token included in the request is invalid.',
  },
} satisfies Record<string, ErrorFixture>;
