// HashiCorp's HCL parser (Go, compiled to WebAssembly, shipped by @cdktf/hcl2json) turning a .tf
// file into JSON. Loaded on first use only: the Terraform reader is the one caller, so neither the
// extension's activation nor a CloudFormation diagnosis pays for the ~2 MB module.
//
// The package's own bridge starts loading the .wasm when it is required and looks for it next to
// its own source file; bundled, that file is gone. So this module drives the same Go runtime
// (the package's wasm_exec.js) itself and finds the .wasm where esbuild.mjs copies it (next to
// the bundle: dist/hcl2json.wasm.gz), else in node_modules (sources run through tsx). A failure
// to start is an error, not a hang.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { TemplateSyntaxError } from './source.ts';

/** The file name esbuild.mjs gives the parser next to the bundles. */
export const HCL_WASM_FILE = 'hcl2json.wasm.gz';

type ParseFunction = (fileName: string, text: string, callback: (error: string | null, result?: string) => void) => void;

interface GoRuntime {
  importObject: WebAssembly.Imports;
  run(instance: WebAssembly.Instance): Promise<void>;
}

let loading: Promise<ParseFunction> | undefined;

function wasmPath(): string {
  const beside = join(__dirname, HCL_WASM_FILE);
  if (existsSync(beside)) return beside;
  // createRequire: a lookup at run time (esbuild leaves it alone), for the sources run through tsx.
  return join(dirname(createRequire(__filename).resolve('@cdktf/hcl2json/package.json')), 'main.wasm.gz');
}

async function load(): Promise<ParseFunction> {
  const path = wasmPath();
  const bytes = gunzipSync(await readFile(path));
  // Defines globalThis.Go: Go's own wasm_exec.js. (The package's bridge_wasm_exec.js around it only
  // adds polyfills that Node 20 does not need, and a require('performance') that bundlers reject.)
  await import('@cdktf/hcl2json/wasm/wasm_exec.js');
  const Go = (globalThis as unknown as { Go: new () => GoRuntime }).Go;
  const go = new Go();
  const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
  const exported: Record<string, unknown> = {};
  // The Go program registers its functions on this object when it starts.
  (globalThis as Record<string, unknown>)['__parse_terraform_config_wasm__'] = exported;
  void go.run(instance);
  for (let i = 0; i < 500 && typeof exported['parse'] !== 'function'; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (typeof exported['parse'] !== 'function') throw new Error(`the HCL parser (${path}) did not start`);
  return exported['parse'] as ParseFunction;
}

/** Parses one .tf file (or an HCL fragment) into hcl2json's JSON; a syntax error is an HclError (see hclSyntaxError). */
export async function parseHcl(fileName: string, text: string): Promise<Record<string, unknown>> {
  loading ??= load();
  let parse: ParseFunction;
  try {
    parse = await loading;
  } catch (error) {
    loading = undefined;
    throw error;
  }
  const result = await new Promise<string>((resolve, reject) => {
    parse(fileName, text, (error, output) => (error ? reject(new HclError(error)) : resolve(output ?? 'null')));
  });
  return JSON.parse(result) as Record<string, unknown>;
}

class HclError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HclError';
  }
}

/**
 * hcl2json's error (`parse config: [main.tf:2,7-3,1: Invalid expression; Expected the start of an
 * expression, but found an invalid expression token.]`) as a syntax error of `file`.
 */
export function hclSyntaxError(error: unknown, file: string): Error {
  if (!(error instanceof HclError)) return error as Error;
  const match = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^;\]]+)(?:; ([^\]]*))?/.exec(error.message);
  if (!match) return new TemplateSyntaxError(file, 1, 1, error.message.replace(/^parse config: /, ''));
  const detail = match[4] ? `${match[3]!.trim()}: ${match[4].trim()}` : match[3]!.trim();
  return new TemplateSyntaxError(file, Number(match[1]), Number(match[2]), detail);
}
