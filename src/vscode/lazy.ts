// Heavy modules load on first use. In the bundle these dynamic imports become require('./engine.js')
// and require('./aws.js') (separate files, see esbuild.mjs), so activate() parses neither.
export type Engine = typeof import('./engine.ts');
export type AwsAdapters = typeof import('./awsAdapters.ts');

let engine: Promise<Engine> | undefined;
let aws: Promise<AwsAdapters> | undefined;

export function loadEngine(): Promise<Engine> {
  return (engine ??= import('./engine.ts'));
}

export function loadAws(): Promise<AwsAdapters> {
  return (aws ??= import('./awsAdapters.ts'));
}
