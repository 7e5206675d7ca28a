// Third-party notices for what esbuild bundles into dist/. "Bundled" comes from esbuild's
// metafiles: every node_modules input that contributes bytes to an output, mapped to its package
// root (the nearest package.json with a name). esbuild.mjs calls this after every build; the
// production build writes THIRD-PARTY-NOTICES.txt, which the .vsix ships.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

export const NOTICES_FILE = 'THIRD-PARTY-NOTICES.txt';
/** Separates the packages in the notices file (vsix.test.ts splits on it). */
export const SECTION = '='.repeat(80);
const RULE = '-'.repeat(80);
const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-][\w.-]*)?$/i;

/**
 * @typedef {{ name: string, version: string, license: string, dir: string, outputs: string[],
 *   licenceFiles: string[], repository?: string }} BundledPackage
 */

/** The package root of a bundled file: the nearest package.json that has a name. */
function packageRoot(file, root) {
  for (let dir = dirname(file); dir.length >= root.length; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8'));
      if (typeof json.name === 'string' && json.name) return { dir, json };
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(`${relative(root, file)}: no package.json with a name above it`);
}

/** The SPDX expression of a manifest, including the old `license: {type}` / `licenses: [...]` forms. */
function licenceOf(json) {
  if (typeof json.license === 'string') return json.license;
  if (json.license && typeof json.license.type === 'string') return json.license.type;
  if (Array.isArray(json.licenses)) return json.licenses.map((l) => l.type ?? l).join(' OR ');
  return '';
}

function repositoryOf(json) {
  const repo = typeof json.repository === 'string' ? json.repository : json.repository?.url;
  if (typeof repo !== 'string') return undefined;
  const url = repo.replace(/^git\+/, '').replace(/\.git$/, '');
  // npm's shorthand: "owner/name" or "github:owner/name" is a GitHub repository.
  return /^(github:)?[\w.-]+\/[\w.-]+$/.test(url) ? `https://github.com/${url.replace(/^github:/, '')}` : url;
}

/**
 * Every package with at least one file in an output, from esbuild metafiles (paths in them are
 * relative to `root`, esbuild's absWorkingDir). One entry per name@version.
 * @param {import('esbuild').Metafile[]} metafiles
 * @param {string} root
 * @returns {BundledPackage[]}
 */
export function bundledPackages(metafiles, root) {
  /** @type {Map<string, BundledPackage>} */
  const packages = new Map();
  for (const metafile of metafiles) {
    for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
        if (bytesInOutput === 0 || !input.split(/[\\/]/).includes('node_modules')) continue;
        const { dir, json } = packageRoot(join(root, input), root);
        const key = `${json.name}@${json.version}`;
        let pkg = packages.get(key);
        if (!pkg) {
          const licenceFiles = readdirSync(dir).filter((f) => LICENCE_FILE.test(f) && statSync(join(dir, f)).isFile()).sort();
          pkg = { name: json.name, version: String(json.version ?? ''), license: licenceOf(json), dir: relative(root, dir).split(sep).join('/'), outputs: [], licenceFiles, repository: repositoryOf(json) };
          packages.set(key, pkg);
        }
        const out = basename(dirname(output)) === 'webview' ? `webview/${basename(output)}` : basename(output);
        if (!pkg.outputs.includes(out)) pkg.outputs.push(out);
      }
    }
  }
  for (const pkg of packages.values()) pkg.outputs.sort();
  return [...packages.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/**
 * True when every alternative of the SPDX expression is GPL or AGPL ("MIT OR GPL-3.0" lets us
 * take MIT; LGPL is not matched).
 */
export function isCopyleft(expression) {
  return expression.replace(/[()]/g, ' ').split(/\s+OR\s+/i).every((alternative) => /(^|[^L])GPL/i.test(alternative));
}

/**
 * Why these packages must not ship: GPL/AGPL, no licence at all, or a devDependency of
 * package.json (what the bundle contains is a dependency).
 * @param {BundledPackage[]} packages
 * @param {{ devDependencies?: Record<string, string> }} manifest
 */
export function licenceProblems(packages, manifest) {
  const problems = [];
  for (const pkg of packages) {
    const id = `${pkg.name}@${pkg.version} (${pkg.dir})`;
    if (!pkg.license) problems.push(`${id} declares no licence`);
    else if (isCopyleft(pkg.license)) problems.push(`${id} is ${pkg.license}: nothing GPL or AGPL may be bundled`);
    else if (manifest.devDependencies?.[pkg.name]) problems.push(`${id} is bundled but a devDependency: move it to dependencies`);
  }
  return problems;
}

/**
 * The notices file: for each package its name, version, licence identifier and the full text of
 * its LICENSE/LICENCE/COPYING/NOTICE files (or a line saying it ships none).
 * @param {BundledPackage[]} packages
 * @param {string} root
 * @param {string} product
 */
export function noticesText(packages, root, product) {
  const parts = [
    `${product}: third-party notices\n\n` +
      `The bundles in dist/ include the following ${packages.length} packages. Each section gives the\n` +
      `package, its version, its licence (SPDX identifier from its package.json) and the licence\n` +
      `and notice files it ships. Generated by esbuild.mjs from esbuild's metafiles; do not edit.\n`,
  ];
  for (const pkg of packages) {
    const header = [`${pkg.name}@${pkg.version}`, `License: ${pkg.license}`];
    if (pkg.repository) header.push(`Repository: ${pkg.repository}`);
    header.push(`Bundled into: ${pkg.outputs.map((o) => `dist/${o}`).join(', ')}`);
    const texts = pkg.licenceFiles.length
      ? pkg.licenceFiles.map((f) => `${pkg.licenceFiles.length > 1 ? `(${f})\n` : ''}${readFileSync(join(root, pkg.dir, f), 'utf8').replace(/\r\n/g, '\n').trimEnd()}`)
      : [`This package ships no licence file. It is licensed under ${pkg.license} (SPDX identifier from its package.json).`];
    parts.push(`${SECTION}\n${header.join('\n')}\n${RULE}\n${texts.join('\n\n')}\n`);
  }
  return parts.join('\n');
}
