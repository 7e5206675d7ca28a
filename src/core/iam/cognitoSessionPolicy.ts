// The scope-down session policy Cognito adds to guest (unauthenticated) credentials in the
// enhanced flow. Guests get the intersection of their role's policies and this policy; signed-in
// users never get it. Sources: Amazon Cognito Developer Guide, iam-roles.html ("Access policies":
// the enhanced flow limits unauthenticated identities with a session policy), and the AWS managed
// policy reference page for AmazonCognitoUnAuthedIdentitiesSessionPolicy, version v3 (default,
// edited 2024-11-01), whose document is copied below. It names no DynamoDB action, so a guest's
// DynamoDB calls are implicitly denied whatever the role allows (cognito-semantics.md section 2
// marks this "unconfirmed" until observed live).
import { parsePolicy } from './policy.ts';
import type { Policy } from './types.ts';

export const COGNITO_GUEST_SESSION_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonCognitoUnAuthedIdentitiesSessionPolicy';

export const COGNITO_GUEST_SESSION_POLICY_DOCUMENT = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'CognitoUnAuthedIdentitiesSessionPolicy',
      Effect: 'Allow',
      Action: [
        'rum:PutRumEvents',
        'sagemaker:InvokeEndpoint',
        'polly:*',
        'comprehend:*',
        'translate:*',
        'transcribe:*',
        'rekognition:*',
        'mobiletargeting:*',
        'firehose:*',
        'personalize:*',
        'geo:GetMap*',
        'geo:SearchPlaceIndex*',
        'geo:GetPlace',
        'geo:CalculateRoute*',
        'geo:*Geofence',
        'geo:*Geofences',
        'geo:*DevicePosition*',
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncryptTo',
        'kms:ReEncryptFrom',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyPair',
        'kms:GenerateDataKeyPairWithoutPlaintext',
        'kms:GenerateDataKeyWithoutPlaintext',
      ],
      Resource: '*',
    },
  ],
} as const;

export function cognitoGuestSessionPolicy(): Policy {
  return parsePolicy(COGNITO_GUEST_SESSION_POLICY_DOCUMENT, {
    name: 'AmazonCognitoUnAuthedIdentitiesSessionPolicy (Cognito guest session policy)',
    kind: 'session',
    arn: COGNITO_GUEST_SESSION_POLICY_ARN,
  });
}
