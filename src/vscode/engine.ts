// The engine, bundled on its own (dist/engine.js) and loaded on first use, so activation does not
// pay for it. Everything the extension needs from src/core goes through here.
export { diagnose } from '../core/diagnose.ts';
export type { Diagnosis } from '../core/diagnose.ts';
export { parseSnapshot, SnapshotError, decodePolicyDocument, roleNameFromArn, providerNameFor, parseProviderName } from '../core/snapshot.ts';
export { predictClaims, comparePrecedence, formatPrecedence } from '../core/groups.ts';
export { simulate, SimulationInputError } from '../core/simulate.ts';
export { readTrustPolicy } from '../core/trust.ts';
export { parsePolicy } from '../core/iam/index.ts';
