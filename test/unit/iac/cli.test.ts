// `cognito-access diagnose --template` through the built bundle (dist/cli.js): CloudFormation,
// a CDK cloud assembly and Terraform (the parser's WebAssembly found next to the bundle), exit
// statuses, JSON, and SARIF 2.1.0 validated against the official schema (shipped by the
// @microsoft/jest-sarif package as lib/schemas/sarif-2.1.0-rtm.5.json, a JSON Schema draft-04).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/cli.js');
const fixtures = 'test/fixtures/iac';

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, COGNITO_ACCESS_DEBUG: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function sarifValidator(): (log: unknown) => string[] {
  const schemaPath = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Json;
  // unicodeRegExp off: the schema's language pattern (`[a-zA-Z]{2}]?`) is not valid with the u flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

describe('cognito-access diagnose --template (dist/cli.js)', () => {
  const validate = sarifValidator();

  it('the validator rejects what breaks SARIF 2.1.0', () => {
    assert.notDeepEqual(validate({ version: '2.1.0', runs: [{ results: [] }] }), [], 'a run needs its tool');
    assert.notDeepEqual(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), []);
  });

  const broken: [string, string, number, number][] = [
    ['CloudFormation YAML', `${fixtures}/cloudformation/books-broken.yaml`, 55, 53],
    ['a CDK cloud assembly', `${fixtures}/cdk/books-broken.out`, 279, 48],
    ['Terraform (jsonencode)', `${fixtures}/terraform/jsonencode-broken`, 56, 77],
    ['Terraform (aws_iam_policy_document)', `${fixtures}/terraform/document-broken`, 63, 19],
  ];
  for (const [what, path, line, column] of broken) {
    it(`${what}: TRUST_AUD_IS_USER_POOL_ID at ${line}:${column}, exit 1; the SARIF validates`, () => {
      const text = run('diagnose', '--template', path);
      assert.equal(text.code, 1, text.stderr);
      assert.match(text.stdout, new RegExp(`:${line}:${column}: ERROR TRUST_AUD_IS_USER_POOL_ID `));
      assert.match(text.stdout, /\d+ errors?, \d+ warnings?, \d+ infos?\n$/);

      const json = run('diagnose', '--template', path, '--format', 'json');
      assert.equal(json.code, 1);
      const out = JSON.parse(json.stdout) as Json;
      const aud = out.findings.find((f: Json) => f.code === 'TRUST_AUD_IS_USER_POOL_ID');
      assert.deepEqual([aud.location.startLine, aud.location.startColumn], [line, column]);
      assert.ok(!aud.location.file.startsWith('/'), 'paths relative to the working folder');
      assert.deepEqual(Object.keys(out.summary), ['errors', 'warnings', 'infos']);

      const sarif = run('diagnose', '--template', path, '--format', 'sarif');
      assert.equal(sarif.code, 1);
      const log = JSON.parse(sarif.stdout) as Json;
      assert.deepEqual(validate(log), []);
      assert.equal(log.version, '2.1.0');
      assert.equal(log.runs.length, 1);
      const run0 = log.runs[0];
      const rule = run0.tool.driver.rules.find((r: Json) => r.id === 'TRUST_AUD_IS_USER_POOL_ID');
      assert.equal(rule.defaultConfiguration.level, 'error');
      assert.equal(run0.tool.driver.rules.find((r: Json) => r.id === 'TEMPLATE_VALUE_UNKNOWN').defaultConfiguration.level, 'note');
      const result = run0.results.find((r: Json) => r.ruleId === 'TRUST_AUD_IS_USER_POOL_ID');
      assert.equal(run0.tool.driver.rules[result.ruleIndex].id, result.ruleId);
      const location = result.locations[0].physicalLocation;
      assert.equal(location.artifactLocation.uriBaseId, 'SRCROOT');
      assert.ok(!location.artifactLocation.uri.startsWith('/'));
      assert.deepEqual([location.region.startLine, location.region.startColumn], [line, column]);
      assert.match(run0.originalUriBaseIds.SRCROOT.uri, /^file:\/\/.*\/$/);
      assert.equal(result.fixes[0].artifactChanges[0].replacements[0].deletedRegion.startLine, line);
    });
  }

  it('the healthy twins: exit 0', () => {
    for (const path of [`${fixtures}/cloudformation/books-healthy.yaml`, `${fixtures}/cloudformation/books-healthy.json`, `${fixtures}/terraform/jsonencode-healthy`, `${fixtures}/terraform/document-healthy`]) {
      const r = run('diagnose', '--template', path);
      assert.equal(r.code, 0, `${path}: ${r.stdout}`);
      assert.match(r.stdout, /No findings\./);
    }
  });

  it('info findings and a file outside the working folder: SARIF still validates (absolute file URIs)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cai-sarif-'));
    const file = join(dir, 'serverless.yml');
    writeFileSync(file, readFileSync(join(root, fixtures, 'cloudformation/serverless.yml')));
    const log = JSON.parse(run('diagnose', '--template', file, '--format', 'sarif').stdout) as Json;
    assert.deepEqual(validate(log), []);
    const note = log.runs[0].results.find((r: Json) => r.ruleId === 'TEMPLATE_VALUE_UNKNOWN');
    assert.equal(note.level, 'note');
    assert.match(note.locations[0].physicalLocation.artifactLocation.uri, /^file:\/\//);
  });

  it('bad input exits 2 with one line: file:line:col for a syntax error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cai-bad-'));
    writeFileSync(join(dir, 'bad.yaml'), 'Resources:\n  A:\n    Type: [x\n  B: y\n');
    writeFileSync(join(dir, 'bad.json'), '{\n  "Resources": {\n    "A": {"Type": "AWS::IAM::Role",}\n  }\n}\n');
    writeFileSync(join(dir, 'big.yaml'), `Resources: {}\n${' '.repeat(10 * 1024 * 1024 + 1)}`);
    const tf = mkdtempSync(join(tmpdir(), 'cai-badtf-'));
    writeFileSync(join(tf, 'main.tf'), 'resource "aws_iam_role" "r" {\n  name = \n}\n');
    const cases: [string[], RegExp][] = [
      [['--template', join(dir, 'bad.yaml')], /bad\.yaml:\d+:\d+: /],
      [['--template', join(dir, 'bad.json')], /bad\.json:3:36: invalid JSON/],
      [['--template', tf], /main\.tf:2:10: Invalid expression/],
      [['--template', join(dir, 'big.yaml')], /big\.yaml: the file is 10\.0 MB; files over 10 MB are refused/],
      [['--template', join(dir, 'missing.yaml')], /missing\.yaml: no such file or folder/],
      [['--template', dir], /no manifest\.json.*no Terraform files/],
      [['--template', join(dir, 'bad.yaml'), '--format', 'xml'], /--format must be text, json or sarif/],
      [['--template', join(dir, 'bad.yaml'), '--snapshot', 'x.json'], /--snapshot FILE or --template PATH, not both/],
      [['--snapshot', 'x.json', '--format', 'sarif'], /--format must be text or json/],
    ];
    for (const [args, pattern] of cases) {
      const r = run('diagnose', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('a folder without Cognito or IAM resources says so, exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cai-empty-'));
    writeFileSync(join(dir, 'main.tf'), 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n');
    const r = run('diagnose', '--template', dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No Cognito, IAM or DynamoDB resources in .*: nothing to check\./);
  });

  it('--help names --template and sarif', () => {
    const r = run('diagnose', '--help');
    assert.match(r.stdout, /--template PATH/);
    assert.match(r.stdout, /sarif/);
  });
});
