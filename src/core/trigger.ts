// The pre token generation trigger (cognito-semantics.md section 6, [CDG/user-pool-lambda-pre-
// token-generation]): a Lambda function that receives the group-based claims in
// `groupConfiguration` (groupsToOverride, iamRolesToOverride, preferredRole) and may replace
// cognito:groups, cognito:roles and cognito:preferred_role in the token. So with a trigger, the
// group prediction is what Cognito sends to the trigger, not necessarily what the token carries.
import type { PredictedClaims } from './groups.ts';
import type { PreTokenGenerationVersion, UserPool } from './snapshot.ts';
import { regionOfUserPoolId } from './claims.ts';

export interface TokenTrigger {
  lambdaArn: string;
  /** LambdaVersion; the legacy `PreTokenGeneration` field alone means V1_0. */
  version: PreTokenGenerationVersion;
  /** What looks wrong with the configuration (another region, not a Lambda ARN, two different ARNs). */
  problems: string[];
}

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?$/;

/** The user pool's pre token generation trigger, or null. `region` is the snapshot's region. */
export function tokenTriggerOf(pool: UserPool, region: string): TokenTrigger | null {
  const config = pool.LambdaConfig;
  const versioned = config?.PreTokenGenerationConfig;
  const legacy = config?.PreTokenGeneration;
  const lambdaArn = versioned?.LambdaArn ?? legacy;
  if (!lambdaArn) return null;
  const problems: string[] = [];
  if (versioned && legacy && versioned.LambdaArn !== legacy) {
    problems.push(`PreTokenGeneration names ${legacy} but PreTokenGenerationConfig names ${versioned.LambdaArn}; the versioned setting is taken (inferred)`);
  }
  const parsed = LAMBDA_ARN.exec(lambdaArn);
  const poolRegion = regionOfUserPoolId(pool.Id) ?? region;
  if (!parsed) {
    problems.push(`${JSON.stringify(lambdaArn)} is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>), so what the trigger does cannot be told`);
  } else if (parsed[1] !== poolRegion) {
    problems.push(`the function is in region ${parsed[1]} but the user pool is in ${poolRegion}; Cognito invokes triggers in the user pool's Region, so check that sign-ins work at all (inferred)`);
  }
  return { lambdaArn, version: versioned?.LambdaVersion ?? 'V1_0', problems };
}

export function describeTrigger(trigger: TokenTrigger): string {
  return `pre token generation trigger ${trigger.lambdaArn} (${trigger.version})`;
}

/** What a simulated trigger answers: each given field replaces that claim (groupOverrideDetails). */
export interface TriggerOverride {
  groups?: string[];
  roles?: string[];
  preferredRole?: string;
}

/** The claims after a (simulated) trigger override, and the sentences that say what changed. */
export function applyOverride(claims: PredictedClaims, override: TriggerOverride): { claims: PredictedClaims; steps: string[] } {
  const out: PredictedClaims = { ...claims };
  const steps: string[] = [];
  if (override.groups) {
    out['cognito:groups'] = [...override.groups];
    steps.push(`The trigger replaces cognito:groups with ${override.groups.length ? override.groups.join(', ') : 'nothing'} (groupsToOverride).`);
  }
  if (override.roles) {
    out['cognito:roles'] = override.roles.length ? [...override.roles] : null;
    steps.push(`The trigger replaces cognito:roles with ${override.roles.length ? override.roles.join(', ') : 'nothing (the claim is absent)'} (iamRolesToOverride).`);
  }
  if (override.preferredRole !== undefined) {
    out['cognito:preferred_role'] = override.preferredRole || null;
    steps.push(`The trigger sets cognito:preferred_role to ${override.preferredRole || 'nothing (the claim is absent)'} (preferredRole).`);
  }
  return { claims: out, steps };
}

export function hasOverride(override: TriggerOverride | undefined): override is TriggerOverride {
  return override !== undefined && (override.groups !== undefined || override.roles !== undefined || override.preferredRole !== undefined);
}
