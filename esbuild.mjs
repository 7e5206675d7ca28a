// Bundles the extension and the command line. `--production` minifies and drops sourcemaps;
// `--watch` rebuilds on change. Type-checking is its own step (`npm run typecheck`).
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
  define: { __VERSION__: JSON.stringify(version) },
};

/**
 * The engine and the AWS adapters are their own files, loaded on first use: the dynamic imports
 * in src/vscode/lazy.ts become require('./engine.js') / require('./aws.js') at run time.
 */
const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /^\.\/(engine|awsAdapters)\.ts$/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.importer.endsWith('lazy.ts')) return undefined;
      return { path: args.path.includes('engine') ? './engine.js' : './aws.js', external: true };
    });
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyModules] },
  { ...common, entryPoints: ['src/vscode/engine.ts'], outfile: 'dist/engine.js' },
  { ...common, entryPoints: ['src/vscode/awsAdapters.ts'], outfile: 'dist/aws.js' },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The panels' pages run in the webview (a browser): one script each, no Node, no vscode.
  ...['testUser', 'probe'].map((page) => ({
    ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: [`src/webview/${page}.ts`], outfile: `dist/webview/${page}.js`,
  })),
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
