// parseTemplate(path): a CloudFormation/SAM/Serverless file, a CDK cloud assembly or a Terraform
// folder -> the engine's snapshot, the symbol table, where every resource is, and what was not
// read. The kind comes from the path and the content. Files are read through a small file-system
// interface, so an editor can hand in unsaved text (`overlay`).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Snapshot } from '../snapshot.ts';
import { assemblyStacks, readAssembly } from './cdk.ts';
import { readTemplate, templateBody } from './cloudformation.ts';
import type { Definition, DefinitionKind } from './model.ts';
import { emptyDefinition } from './model.ts';
import { buildSnapshot, type Trace } from './snapshotBuilder.ts';
import type { SourceFile, SourceLocation } from './source.ts';
import { TemplateInputError, toLocation } from './source.ts';
import { SymbolTable } from './symbols.ts';
import { PLACEHOLDER_ACCOUNT, PLACEHOLDER_REGION, SyntheticIds } from './syntheticIds.ts';
import { providerRegion, readTerraform } from './terraform.ts';
import { looksLikeJson, parseYamlOrJson } from './yamlSource.ts';

/** Files larger than this are refused (a template is at most 1 MB for CloudFormation; 10 MB leaves room for CDK output). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface ParseOptions {
  /** Text to use instead of what is on disk, by absolute path (an editor's unsaved documents). */
  overlay?: ReadonlyMap<string, string>;
  /** Defaults to MAX_FILE_BYTES. */
  maxFileBytes?: number;
}

export interface ResourceLocation {
  /** `ReadRole` (CloudFormation logical id) or `aws_iam_role.read` (Terraform address). */
  name: string;
  type: string;
  location: SourceLocation;
  /** CDK: the construct path, and where the app created it (`app.ts:24:1`) when the assembly recorded it. */
  constructPath?: string;
  createdAt?: string;
}

export interface TemplateModel {
  kind: DefinitionKind;
  /** The path given, absolute. */
  root: string;
  /** Every file read, absolute. */
  files: string[];
  /** The engine's input: synthetic ids stand for what only deploy knows (see `symbols`). */
  snapshot: Snapshot;
  /** Synthetic value -> how the file writes it (`!Ref IdentityPool`, `aws_cognito_identity_pool.main.id`). */
  symbols: SymbolTable;
  /** The Cognito, IAM and DynamoDB resources read, with where each is defined. */
  resources: ResourceLocation[];
  /** What was not read, and why. */
  unsupported: { what: string; reason: string; location: SourceLocation }[];
  /** Internals diagnoseTemplate needs: the definition model and how the snapshot maps back to it. */
  readonly definition: Definition;
  readonly trace: Trace;
}

interface Loader {
  text(path: string): Promise<SourceFile>;
  exists(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
  list(dir: string): Promise<string[]>;
}

function loader(options: ParseOptions): Loader {
  const limit = options.maxFileBytes ?? MAX_FILE_BYTES;
  const info = async (path: string): Promise<{ directory: boolean; size: number } | undefined> => {
    if (options.overlay?.has(path)) return { directory: false, size: options.overlay.get(path)!.length };
    try {
      const s = await stat(path);
      return { directory: s.isDirectory(), size: s.size };
    } catch {
      return undefined;
    }
  };
  return {
    async text(path) {
      const found = await info(path);
      if (!found) throw new TemplateInputError(`${path}: cannot read the file (no such file)`);
      if (found.directory) throw new TemplateInputError(`${path}: cannot read the file (it is a folder)`);
      if (found.size > limit) throw new TemplateInputError(`${path}: the file is ${(found.size / 1024 / 1024).toFixed(1)} MB; files over ${Math.round(limit / 1024 / 1024)} MB are refused`);
      const text = options.overlay?.get(path) ?? (await readFile(path, 'utf8'));
      return { path, text: text.replace(/^\uFEFF/, ''), syntax: syntaxOf(path, text) };
    },
    exists: async (path) => (await info(path)) !== undefined,
    isDirectory: async (path) => (await info(path))?.directory === true,
    list: async (dir) => (await readdir(dir)).sort(),
  };
}

function syntaxOf(path: string, text: string): SourceFile['syntax'] {
  if (path.endsWith('.tf') || path.endsWith('.tfvars')) return 'hcl';
  return looksLikeJson(text) ? 'json' : 'yaml';
}

/** Reads a definition: a template file, a cdk.out folder (or a folder holding one), or a Terraform folder or file. */
export async function parseTemplate(path: string, options: ParseOptions = {}): Promise<TemplateModel> {
  const root = resolve(path);
  const fs = loader(options);
  if (!(await fs.exists(root))) throw new TemplateInputError(`${path}: no such file or folder`);
  if (await fs.isDirectory(root)) {
    if (await fs.exists(join(root, 'manifest.json'))) return parseAssembly(root, fs);
    if (await fs.exists(join(root, 'cdk.out', 'manifest.json'))) return parseAssembly(join(root, 'cdk.out'), fs);
    const names = await fs.list(root);
    if (names.some((n) => n.endsWith('.tf'))) return parseTerraform(root, undefined, fs);
    throw new TemplateInputError(`${path}: not a CDK cloud assembly (no manifest.json) and no Terraform files (*.tf) in it; for a CloudFormation or SAM template, give the file`);
  }
  if (basename(root) === 'manifest.json') return parseAssembly(dirname(root), fs);
  if (root.endsWith('.tf')) return parseTerraform(dirname(root), basename(root), fs);
  return parseCloudFormation(await fs.text(root));
}

/** One CloudFormation/SAM/Serverless document from text (an editor's buffer), no file system needed. Terraform: parseTemplate with `overlay`. */
export function parseTemplateText(path: string, text: string): TemplateModel {
  if (path.endsWith('.tf')) throw new TemplateInputError(`${path}: Terraform is read by folder: use parseTemplate(folder, { overlay }) for unsaved text`);
  const file: SourceFile = { path: resolve(path), text: text.replace(/^\uFEFF/, ''), syntax: syntaxOf(path, text) };
  return parseCloudFormation(file);
}

function parseCloudFormation(file: SourceFile): TemplateModel {
  const root = parseYamlOrJson(file);
  const { serverless, sam } = templateBody(root, file);
  const symbols = new SymbolTable();
  symbols.placeholder(PLACEHOLDER_REGION, '${AWS::Region}');
  symbols.placeholder(PLACEHOLDER_ACCOUNT, '${AWS::AccountId}');
  const ids = new SyntheticIds(PLACEHOLDER_REGION, PLACEHOLDER_ACCOUNT);
  const d = emptyDefinition(serverless ? 'serverless' : sam ? 'sam' : 'cloudformation', file.path, symbols, ids.region, ids.accountId);
  d.files.push(file);
  const stackName = basename(file.path, extname(file.path));
  readTemplate({ file, root, stackName, scope: stackName, definition: d, ids });
  return finish(d);
}

async function parseAssembly(dir: string, fs: Loader): Promise<TemplateModel> {
  const stacks = await assemblyStacks(dir, { read: (p) => fs.text(p), exists: (p) => fs.exists(p) });
  if (stacks.length === 0) throw new TemplateInputError(`${dir}: the cloud assembly has no CloudFormation stacks`);
  const region = stacks.find((s) => s.region)?.region;
  const account = stacks.find((s) => s.account)?.account;
  const symbols = new SymbolTable();
  if (!region) symbols.placeholder(PLACEHOLDER_REGION, '${AWS::Region}');
  if (!account) symbols.placeholder(PLACEHOLDER_ACCOUNT, '${AWS::AccountId}');
  const ids = new SyntheticIds(region ?? PLACEHOLDER_REGION, account ?? PLACEHOLDER_ACCOUNT);
  const d = emptyDefinition('cdk', dir, symbols, ids.region, ids.accountId);
  await readAssembly(stacks, d, ids, { read: (p) => fs.text(p), exists: (p) => fs.exists(p) });
  return finish(d);
}

async function parseTerraform(dir: string, single: string | undefined, fs: Loader): Promise<TemplateModel> {
  const tfFiles = async (folder: string): Promise<SourceFile[]> => {
    const names = (await fs.list(folder)).filter((n) => n.endsWith('.tf') || n === 'terraform.tfvars' || n.endsWith('.auto.tfvars'));
    return Promise.all(names.map((n) => fs.text(join(folder, n))));
  };
  const all = await tfFiles(dir);
  // A single file given: that file (and the folder's variable values).
  const chosen = single ? all.filter((f) => basename(f.path) === single || f.path.endsWith('.tfvars')) : all;
  const jsonFiles: SourceFile[] = [];
  const tfFs = {
    folder: (folder: string) => tfFiles(folder),
    json: async (path: string): Promise<SourceFile | undefined> => {
      if (!(await fs.exists(path))) return undefined;
      const file: SourceFile = { ...(await fs.text(path)), syntax: 'plain-json' };
      jsonFiles.push(file);
      return file;
    },
    isDirectory: (path: string) => fs.isDirectory(path),
  };
  const region = await providerRegion(chosen, dir, tfFs);
  const symbols = new SymbolTable();
  if (!region) symbols.placeholder(PLACEHOLDER_REGION, '<region>');
  symbols.placeholder(PLACEHOLDER_ACCOUNT, '<account>');
  const ids = new SyntheticIds(region ?? PLACEHOLDER_REGION, PLACEHOLDER_ACCOUNT);
  const d = emptyDefinition('terraform', dir, symbols, ids.region, ids.accountId);
  await readTerraform(dir, chosen, d, ids, tfFs);
  for (const file of jsonFiles) if (!d.files.some((f) => f.path === file.path)) d.files.push(file);
  for (const name of (await fs.list(dir)).filter((n) => n.endsWith('.tf.json'))) {
    const file = await fs.text(join(dir, name));
    d.unsupported.push({ span: { file, start: 0, end: 0 }, what: `${name} (Terraform JSON syntax)`, reason: 'files in JSON syntax are not read' });
  }
  return finish(d);
}

function finish(d: Definition): TemplateModel {
  const { snapshot, trace } = buildSnapshot(d);
  const resources: ResourceLocation[] = [];
  const seen = new Set<string>();
  const all = [...d.userPools, ...d.clients, ...d.groups, ...d.identityPools, ...d.roleAttachments, ...d.principalTags, ...d.roles, ...d.rolePolicies, ...d.managedPolicies, ...d.policyAttachments, ...d.tables, ...d.users, ...d.userGroups];
  for (const def of all) {
    const r = def.resource;
    const key = `${r.scope}|${r.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const location: ResourceLocation = { name: r.name, type: r.type, location: toLocation(r.span) };
    if (r.constructPath) location.constructPath = r.constructPath;
    if (r.createdAt) location.createdAt = r.createdAt;
    resources.push(location);
  }
  return {
    kind: d.kind, root: d.root, files: d.files.map((f) => f.path), snapshot, symbols: d.symbols, resources,
    unsupported: d.unsupported.map((u) => ({ what: u.what, reason: u.reason, location: toLocation(u.span) })),
    definition: d, trace,
  };
}
