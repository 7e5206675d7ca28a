// The scope-down session policy Cognito attaches to guest (unauthenticated) credentials of the
// enhanced flow: the AWS managed policy AmazonCognitoUnAuthedIdentitiesSessionPolicy, version v3
// (default since 2024-11-01), copied from its page in the AWS managed policy reference (Amazon
// Cognito Developer Guide, iam-roles.html, "Access policies": guests of the enhanced flow get the
// intersection of their role's policies and this policy; signed-in users never get it).
// The sandbox keeps its own copy (it never imports src/): its oracle, iam-simulate, evaluates
// issued guest sessions with this document as the session policy, so a guest's DynamoDB call is
// implicitly denied "because no session policy allows" it, whatever the role allows. That the
// live service still behaves so is inferred from the documented policy, not observed
// (cognito-semantics.md section 2 marks it unconfirmed).
import type { PolicyDocument } from './seed.ts';

export const GUEST_SESSION_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonCognitoUnAuthedIdentitiesSessionPolicy';

export const GUEST_SESSION_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{
    Sid: 'CognitoUnAuthedIdentitiesSessionPolicy',
    Effect: 'Allow',
    Action: [
      'rum:PutRumEvents', 'sagemaker:InvokeEndpoint', 'polly:*', 'comprehend:*', 'translate:*', 'transcribe:*', 'rekognition:*',
      'mobiletargeting:*', 'firehose:*', 'personalize:*', 'geo:GetMap*', 'geo:SearchPlaceIndex*', 'geo:GetPlace', 'geo:CalculateRoute*',
      'geo:*Geofence', 'geo:*Geofences', 'geo:*DevicePosition*', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptTo', 'kms:ReEncryptFrom',
      'kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext',
    ],
    Resource: '*',
  }],
};
