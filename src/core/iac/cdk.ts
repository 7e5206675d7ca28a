// A CDK cloud assembly (a `cdk.out` folder): manifest.json names the stacks (artifacts of type
// aws:cloudformation:stack) and their templateFile; nested stacks are asset templates named by
// their AWS::CloudFormation::Stack resource's `aws:asset:path` metadata; stages are nested
// assemblies. Every stack is read as a CloudFormation template, with Fn::ImportValue resolved
// across the assembly's stacks, and each resource knows its construct path (and, when the app ran
// with stack traces, where it was created).
import { join } from 'node:path';
import type { CfnResolver } from './cfnResolver.ts';
import { readTemplate } from './cloudformation.ts';
import type { Definition } from './model.ts';
import type { Node, SourceFile } from './source.ts';
import { entry, TemplateInputError } from './source.ts';
import type { SyntheticIds } from './syntheticIds.ts';
import { parseYamlOrJson } from './yamlSource.ts';

export interface AssemblyFiles {
  /** Reads a file of the assembly as JSON text (size-checked by the caller's loader). */
  read(path: string): Promise<SourceFile>;
  exists(path: string): Promise<boolean>;
}

export interface StackArtifact {
  id: string;
  dir: string;
  templateFile: string;
  /** The assembly's file assets: S3 object key (and asset hash) -> path in the assembly (nested stack templates). */
  assets: Map<string, string>;
  account?: string;
  region?: string;
  metadata: Map<string, { path: string; createdAt?: string }>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every stack of the assembly (and of its stages, one level down). */
export async function assemblyStacks(dir: string, fs: AssemblyFiles, depth = 0): Promise<StackArtifact[]> {
  const manifestFile = await fs.read(join(dir, 'manifest.json'));
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestFile.text);
  } catch (error) {
    throw new TemplateInputError(`${manifestFile.path}: invalid JSON (${(error as Error).message})`);
  }
  const artifacts = isObject(manifest) && isObject(manifest['artifacts']) ? manifest['artifacts'] : undefined;
  if (!artifacts) throw new TemplateInputError(`${manifestFile.path}: not a CDK cloud assembly manifest (no artifacts)`);
  const stacks: StackArtifact[] = [];
  const assets = new Map<string, string>();
  for (const artifact of Object.values(artifacts)) {
    const file = isObject(artifact) && artifact['type'] === 'cdk:asset-manifest' && isObject(artifact['properties']) ? artifact['properties']['file'] : undefined;
    if (typeof file === 'string' && (await fs.exists(join(dir, file)))) await assetsOf(join(dir, file), fs, assets);
  }
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isObject(artifact)) continue;
    const properties = isObject(artifact['properties']) ? artifact['properties'] : {};
    if (artifact['type'] === 'cdk:cloud-assembly' && depth === 0 && typeof properties['directoryName'] === 'string') {
      stacks.push(...(await assemblyStacks(join(dir, properties['directoryName']), fs, depth + 1)));
      continue;
    }
    if (artifact['type'] !== 'aws:cloudformation:stack' || typeof properties['templateFile'] !== 'string') continue;
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(typeof artifact['environment'] === 'string' ? artifact['environment'] : '');
    const stack: StackArtifact = { id, dir, templateFile: join(dir, properties['templateFile']), assets, metadata: await metadataOf(artifact, dir, fs) };
    if (env && /^\d{12}$/.test(env[1]!)) stack.account = env[1];
    if (env && /^[a-z]{2}(-[a-z]+)+-\d$/.test(env[2]!)) stack.region = env[2];
    stacks.push(stack);
  }
  return stacks;
}

/** File assets of an asset manifest: each destination's object key and the asset hash -> the source path. */
async function assetsOf(path: string, fs: AssemblyFiles, out: Map<string, string>): Promise<void> {
  let manifest: unknown;
  try {
    manifest = JSON.parse((await fs.read(path)).text);
  } catch {
    return; // Only nested stacks need it: without it they are named as not read.
  }
  const files = isObject(manifest) && isObject(manifest['files']) ? manifest['files'] : {};
  for (const [hash, asset] of Object.entries(files)) {
    const source = isObject(asset) && isObject(asset['source']) ? asset['source']['path'] : undefined;
    if (typeof source !== 'string') continue;
    out.set(hash, source);
    const destinations = isObject(asset) && isObject(asset['destinations']) ? Object.values(asset['destinations']) : [];
    for (const d of destinations) if (isObject(d) && typeof d['objectKey'] === 'string') out.set(d['objectKey'], source);
  }
}

/** Logical id -> construct path and creation site, from the inline metadata or the additional metadata file. */
async function metadataOf(artifact: Json, dir: string, fs: AssemblyFiles): Promise<Map<string, { path: string; createdAt?: string }>> {
  let metadata: unknown = artifact['metadata'];
  if (typeof artifact['additionalMetadataFile'] === 'string') {
    const path = join(dir, artifact['additionalMetadataFile']);
    if (await fs.exists(path)) {
      try {
        metadata = { ...(isObject(metadata) ? metadata : {}), ...(JSON.parse((await fs.read(path)).text) as Json) };
      } catch {
        // Metadata only adds construct paths to messages: without it the stack is still read.
      }
    }
  }
  const out = new Map<string, { path: string; createdAt?: string }>();
  if (!isObject(metadata)) return out;
  for (const [path, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    const logicalId = entries.find((e) => isObject(e) && e['type'] === 'aws:cdk:logicalId');
    if (!isObject(logicalId) || typeof logicalId['data'] !== 'string') continue;
    const stack = entries.find((e) => isObject(e) && e['type'] === 'aws:cdk:creationStack');
    const frames = isObject(stack) && Array.isArray(stack['data']) ? (stack['data'] as unknown[]) : [];
    const site = frames.map((f) => (typeof f === 'string' ? /\(([^()]+:\d+:\d+)\)\s*$/.exec(f)?.[1] : undefined)).find((f) => f && !f.includes('node_modules'));
    out.set(logicalId['data'], site ? { path: path.replace(/^\//, ''), createdAt: site } : { path: path.replace(/^\//, '') });
  }
  return out;
}

/** Reads every stack into the definition. */
export async function readAssembly(stacks: StackArtifact[], d: Definition, ids: SyntheticIds, fs: AssemblyFiles): Promise<void> {
  const exportTable = new Map<string, { resolver: CfnResolver; node: Node }>();
  const exports = (name: string): { resolver: CfnResolver; node: Node } | undefined => exportTable.get(name);
  for (const stack of stacks) {
    const file = await fs.read(stack.templateFile);
    d.files.push(file);
    const root = parseYamlOrJson(file);
    const nested = await nestedTemplates(stack, fs, d);
    readTemplate({
      file, root, stackName: stack.id, scope: stack.id, definition: d, ids, exports, exportTable, constructs: stack.metadata,
      nestedTemplate: (resource, resolver) => {
        // The asset path metadata when the app recorded it, else the template URL's object key.
        const path = assetPath(resource);
        if (path) return nested.get(path);
        const url = resolver.resolve(entry(entry(resource, 'Properties'), 'TemplateURL') ?? resource);
        const key = typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : undefined;
        const source = key ? stack.assets.get(key) : undefined;
        return source ? nested.get(source) : undefined;
      },
    });
  }
}

function assetPath(resource: Node): string | undefined {
  const path = entry(entry(resource, 'Metadata'), 'aws:asset:path');
  return path?.t === 'scalar' && typeof path.value === 'string' ? path.value : undefined;
}

/** The assembly's other templates (nested stacks), read ahead so the template reader stays synchronous. */
async function nestedTemplates(stack: StackArtifact, fs: AssemblyFiles, d: Definition): Promise<Map<string, { file: SourceFile; root: Node }>> {
  const out = new Map<string, { file: SourceFile; root: Node }>();
  for (const source of new Set(stack.assets.values())) {
    const path = join(stack.dir, source);
    if (!source.endsWith('.template.json') || path === stack.templateFile || out.has(source) || !(await fs.exists(path))) continue;
    const file = await fs.read(path);
    d.files.push(file);
    out.set(source, { file, root: parseYamlOrJson(file) });
  }
  return out;
}
