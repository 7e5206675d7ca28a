// The activation benchmark's baseline: the same extension with everything imported eagerly
// (the engine, jose and the AWS SDK parsed and evaluated at load), as most extensions ship.
export { activate, deactivate } from '../src/extension.ts';
export * as engine from '../src/vscode/engine.ts';
export * as aws from '../src/vscode/awsAdapters.ts';
export * as tokens from '../src/core/tokens.ts';
