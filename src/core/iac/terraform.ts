// A Terraform folder -> the definition model: every .tf file of the root module (each parsed by
// hcl2json and outlined for positions), terraform.tfvars / *.auto.tfvars, and local modules one
// level deep (a module call's arguments become the module's variables). Resources become
// definitions in terraformResources.ts.
import { resolve } from 'node:path';
import { hclSyntaxError, parseHcl } from './hclParser.ts';
import type { ConvertContext } from './hclNodes.ts';
import { blockNode, exprNode } from './hclNodes.ts';
import type { HclBlock, HclBody } from './hclOutline.ts';
import { outlineFile } from './hclOutline.ts';
import type { Definition, Resolver } from './model.ts';
import type { MapNode, Node, SourceFile, Span } from './source.ts';
import { entry } from './source.ts';
import type { SyntheticIds } from './syntheticIds.ts';
import { readModuleResources, type TfResource } from './terraformResources.ts';
import type { TfScope } from './tfResolver.ts';
import { TfResolver } from './tfResolver.ts';

/** How the reader reaches the file system (the CLI's loader; an editor may overlay unsaved text). */
export interface TerraformFiles {
  /** The `.tf` (and `.tfvars`) files of a folder, read. */
  folder(dir: string): Promise<SourceFile[]>;
  /** A JSON file named by file("..."), or undefined. */
  json(path: string): Promise<SourceFile | undefined>;
  isDirectory(path: string): Promise<boolean>;
}

interface ParsedModule {
  resources: TfResource[];
  data: { type: string; name: string; node: MapNode }[];
  variables: Map<string, Node | undefined>;
  locals: Map<string, Node>;
  outputs: Map<string, Node>;
  modules: { name: string; node: MapNode; span: Span }[];
  providers: MapNode[];
  tfvars: Map<string, Node>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The region a root module's aws provider names, if it names one literally (or through a variable's default). */
export async function readTerraform(dir: string, files: SourceFile[], d: Definition, ids: SyntheticIds, fs: TerraformFiles): Promise<void> {
  const root = await parseModule(dir, files, dir, fs);
  for (const file of files) d.files.push(file);
  await buildModule(root, '', dir, dir, d, ids, fs, undefined, 0);
}

/** The aws provider's region in a module, when it is written as a literal. */
export async function providerRegion(files: SourceFile[], dir: string, fs: TerraformFiles): Promise<string | undefined> {
  const parsed = await parseModule(dir, files, dir, fs);
  for (const provider of parsed.providers) {
    const region = entry(provider, 'region');
    if (region?.t === 'scalar' && typeof region.value === 'string') return region.value;
    if (region?.t === 'expr') {
      const variable = /^\$\{var\.([\w-]+)\}$/.exec(region.template);
      const value = variable ? (parsed.tfvars.get(variable[1]!) ?? parsed.variables.get(variable[1]!)) : undefined;
      if (value?.t === 'scalar' && typeof value.value === 'string') return value.value;
    }
  }
  return undefined;
}

const parsedCache = new WeakMap<SourceFile[], Promise<ParsedModule>>();

function parseModule(dir: string, files: SourceFile[], rootDir: string, fs: TerraformFiles): Promise<ParsedModule> {
  let parsed = parsedCache.get(files);
  if (!parsed) {
    parsed = parseFiles(dir, files, rootDir, fs);
    parsedCache.set(files, parsed);
  }
  return parsed;
}

async function parseFiles(dir: string, files: SourceFile[], rootDir: string, fs: TerraformFiles): Promise<ParsedModule> {
  const out: ParsedModule = { resources: [], data: [], variables: new Map(), locals: new Map(), outputs: new Map(), modules: [], providers: [], tfvars: new Map() };
  for (const file of files) {
    let json: Record<string, unknown>;
    try {
      json = await parseHcl(file.path, file.text);
    } catch (error) {
      throw hclSyntaxError(error, file.path);
    }
    const outline = outlineFile(file.text);
    const ctx: ConvertContext = { file, moduleDir: dir, rootDir, readJson: (p) => fs.json(p) };
    const whole: Span = { file, start: 0, end: Math.min(file.text.length, 1) };
    if (file.path.endsWith('.tfvars')) {
      for (const [name, value] of Object.entries(json)) {
        const attribute = outline.attributes.find((a) => a.name === name);
        out.tfvars.set(name, await exprNode(value, attribute?.expr, whole, ctx));
      }
      continue;
    }
    for (const [type, byName] of labelled(json['resource'])) {
      for (const [name, body] of byName) out.resources.push({ type, name, node: await blockNode(body, find(outline, 'resource', [type, name]), whole, ctx), file });
    }
    for (const [type, byName] of labelled(json['data'])) {
      for (const [name, body] of byName) out.data.push({ type, name, node: await blockNode(body, find(outline, 'data', [type, name]), whole, ctx) });
    }
    for (const [name, body] of single(json['variable'])) {
      const block = find(outline, 'variable', [name]);
      const node = await blockNode(body, block, whole, ctx);
      out.variables.set(name, entry(node, 'default'));
    }
    for (const [name, body] of single(json['output'])) {
      const value = entry(await blockNode(body, find(outline, 'output', [name]), whole, ctx), 'value');
      if (value) out.outputs.set(name, value);
    }
    for (const [name, body] of single(json['module'])) {
      const block = find(outline, 'module', [name]);
      out.modules.push({ name, node: await blockNode(body, block, whole, ctx), span: block ? { file, start: block.start, end: block.headerEnd } : whole });
    }
    const localBlocks = outline.blocks.filter((b) => b.type === 'locals');
    const locals = Array.isArray(json['locals']) ? json['locals'] : [];
    for (const [i, body] of locals.entries()) {
      if (!isObject(body)) continue;
      const node = await blockNode(body, localBlocks[i], whole, ctx);
      for (const e of node.t === 'map' ? node.entries : []) out.locals.set(e.key, e.value);
    }
    for (const [name, body] of single(json['provider'])) {
      if (name === 'aws') out.providers.push(await blockNode(body, find(outline, 'provider', ['aws']), whole, ctx));
    }
  }
  return out;
}

/** `{type: {name: [body]}}` -> [type, [[name, body]]]. */
function labelled(value: unknown): [string, [string, Record<string, unknown>][]][] {
  if (!isObject(value)) return [];
  return Object.entries(value).map(([type, byName]) => [type, single(byName)]);
}

/** `{name: [body, ...]}` -> [[name, body]] (every body of a name). */
function single(value: unknown): [string, Record<string, unknown>][] {
  if (!isObject(value)) return [];
  const out: [string, Record<string, unknown>][] = [];
  for (const [name, bodies] of Object.entries(value)) {
    for (const body of Array.isArray(bodies) ? bodies : [bodies]) if (isObject(body)) out.push([name, body]);
  }
  return out;
}

function find(body: HclBody, type: string, labels: string[]): HclBlock | undefined {
  return body.blocks.find((b) => b.type === type && b.labels.length === labels.length && b.labels.every((l, i) => l === labels[i]));
}

async function buildModule(
  parsed: ParsedModule, address: string, dir: string, rootDir: string, d: Definition, ids: SyntheticIds, fs: TerraformFiles,
  caller: { resolver: Resolver; node: MapNode } | undefined, depth: number,
): Promise<{ resolver: TfResolver; outputs: Map<string, Node> }> {
  const scope: TfScope = {
    address, dir, rootDir, region: ids.region, accountId: ids.accountId,
    resources: new Map(), data: new Map(), variables: new Map(), locals: parsed.locals, modules: new Map(),
  };
  const resolver = new TfResolver(scope);
  for (const [name, fallback] of parsed.variables) {
    const passed = entry(caller?.node, name);
    if (passed && caller) scope.variables.set(name, { node: passed, resolver: caller.resolver });
    else if (parsed.tfvars.has(name) && !caller) scope.variables.set(name, { node: parsed.tfvars.get(name)!, resolver });
    else scope.variables.set(name, fallback ? { node: fallback, resolver } : undefined);
  }
  for (const module of parsed.modules) {
    const source = entry(module.node, 'source');
    const path = source?.t === 'scalar' && typeof source.value === 'string' ? source.value : undefined;
    if (!path || !(path.startsWith('./') || path.startsWith('../'))) {
      d.unsupported.push({ span: module.span, what: `module ${module.name}${path ? ` (${path})` : ''}`, reason: 'only local modules (source "./..." or "../...") are read; its resources are not' });
      continue;
    }
    if (depth >= 1) {
      d.unsupported.push({ span: module.span, what: `module ${module.name} inside module ${address}`, reason: 'local modules are read one level deep; its resources are not read' });
      continue;
    }
    const childDir = resolve(dir, path);
    if (!(await fs.isDirectory(childDir))) {
      d.unsupported.push({ span: module.span, what: `module ${module.name} (${path})`, reason: 'its folder does not exist here; its resources are not read' });
      continue;
    }
    const files = (await fs.folder(childDir)).filter((f) => f.path.endsWith('.tf'));
    for (const file of files) d.files.push(file);
    if (entry(module.node, 'count') || entry(module.node, 'for_each')) {
      d.unsupported.push({ span: module.span, what: `module ${module.name} with count or for_each`, reason: 'read as one symbolic instance' });
    }
    const child = await parseModule(childDir, files, rootDir, fs);
    scope.modules.set(module.name, await buildModule(child, `${address ? `${address}.` : ''}module.${module.name}`, childDir, rootDir, d, ids, fs, { resolver, node: module.node }, depth + 1));
  }
  readModuleResources(parsed.resources, parsed.data, scope, resolver, d, ids);
  return { resolver, outputs: parsed.outputs };
}
