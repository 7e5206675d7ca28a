// The IAM evaluator's public surface: one evaluator for trust policies and permissions.
export type * from './types.ts';
export { parsePolicy } from './policy.ts';
export { evaluateCondition, evaluateConditionBlock } from './conditions.ts';
export { evaluateStatement, actionMatches, resourceMatches } from './statement.ts';
export { authorize, evaluateTrust } from './authorize.ts';
export { decide, decideTrust } from './decide.ts';
export { formatDecisionText, statementLabel, statementJson, statementRef } from './explain.ts';
export { parseOperator } from './operators.ts';
export { matchPrincipal } from './principal.ts';
export { POLICY_VARIABLES_VERSION, variablesIn } from './patterns.ts';
export { parseAccessDenied, type AccessDenied, type DenialKind } from './accessDenied.ts';
export { buildDynamoRequest, defaultIdentityId, COGNITO_IDENTITY } from './dynamodbContext.ts';
