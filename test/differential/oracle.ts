// The oracle: @cloud-copilot/iam-simulate (AGPL, devDependency, tests only — never imported from src/).
// Its public runUnsafeSimulation skips input validation and context-key filtering (runSimulation
// drops context keys it thinks are not valid for the action, e.g. cognito-identity.amazonaws.com:*
// on DynamoDB calls), but it ignores session policies. So this adapter calls the same internal
// `authorize` that runUnsafeSimulation calls, adding the session policy. The modules are loaded by
// file path because the package's `exports` only expose the index.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DecisionKind } from '../../src/core/iam/types.ts';

const require = createRequire(import.meta.url);
// require.resolve gives dist/cjs/index.js; absolute paths bypass the `exports` map.
const root = dirname(require.resolve('@cloud-copilot/iam-simulate'));
const load = (path: string): unknown => require(join(root, path));

/* eslint-disable @typescript-eslint/no-explicit-any -- the oracle's internals are untyped JavaScript */
const core = (load('core_engine/CoreSimulatorEngine.js')) as any;
const requestMod = (load('request/request.js')) as any;
const contextMod = (load('requestContext.js')) as any;
const discovery = (load('context_keys/discoveryContextKeyConstraints.js')) as any;
const policyLib = require('@cloud-copilot/iam-policy') as any;

export interface OracleCase {
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  context: Record<string, string | string[]>;
  identity: unknown[];
  boundary?: unknown;
  resourcePolicy?: unknown;
  session?: unknown;
}

const MAP: Record<string, DecisionKind> = { Allowed: 'allowed', ImplicitlyDenied: 'implicit-deny', ExplicitlyDenied: 'explicit-deny' };

export function oracleDecide(c: OracleCase): DecisionKind {
  const request = new requestMod.AwsRequestImpl(c.principal, { resource: c.resource, accountId: c.resourceAccount }, c.action, new contextMod.RequestContextImpl(c.context));
  const result = core.authorize({
    request,
    sessionPolicy: c.session ? policyLib.loadPolicy(c.session, { name: 'session' }) : undefined,
    identityPolicies: c.identity.map((p, i) => policyLib.loadPolicy(p, { name: `identity${i}` })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: c.resourcePolicy ? policyLib.loadPolicy(c.resourcePolicy, { name: 'resource' }) : undefined,
    permissionBoundaries: c.boundary ? [policyLib.loadPolicy(c.boundary, { name: 'boundary' })] : undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new discovery.DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} },
  });
  const decision = MAP[result.result as string];
  if (!decision) throw new Error(`oracle returned ${String(result.result)}`);
  return decision;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Loads the policies once and returns a decide function, for the benchmark (fair against our parse-once set). */
export function prepareOracle(policies: Pick<OracleCase, 'identity' | 'boundary' | 'resourcePolicy' | 'session'>): (request: Omit<OracleCase, 'identity' | 'boundary' | 'resourcePolicy' | 'session'>) => DecisionKind {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const identityPolicies = policies.identity.map((p, i) => policyLib.loadPolicy(p, { name: `identity${i}` }));
  const sessionPolicy = policies.session ? policyLib.loadPolicy(policies.session, { name: 'session' }) : undefined;
  const resourcePolicy = policies.resourcePolicy ? policyLib.loadPolicy(policies.resourcePolicy, { name: 'resource' }) : undefined;
  const permissionBoundaries = policies.boundary ? [policyLib.loadPolicy(policies.boundary, { name: 'boundary' })] : undefined;
  const simulationParameters = { simulationMode: 'Strict', discoveryContextKeyConstraints: new discovery.DiscoveryContextKeyConstraints([]) };
  return (c) => {
    const request = new requestMod.AwsRequestImpl(c.principal, { resource: c.resource, accountId: c.resourceAccount }, c.action, new contextMod.RequestContextImpl(c.context));
    const result = core.authorize({ request, sessionPolicy, identityPolicies, serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy, permissionBoundaries, vpcEndpointPolicies: undefined, simulationParameters, serviceSettings: { s3: {} } }) as any;
    return MAP[result.result as string]!;
  };
  /* eslint-enable @typescript-eslint/no-explicit-any */
}
