// The command line's contract (shared/spec/cli.md, "Exit status, every command"): each error
// maps to one exit status and one line; --help and the README list every option and every
// environment variable; the classification of failed AWS calls that scan gaps rely on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { classifyFailure } from '../../src/aws/errors.ts';
import { exitFor } from '../../src/cli/exit.ts';
import { HELP } from '../../src/cli/help.ts';
import { SPECS } from '../../src/cli/live.ts';
import { OFFLINE_OPTIONS } from '../../src/cli/offline.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const ENVIRONMENT = ['COGNITO_ACCESS_PASSWORD', 'COGNITO_ACCESS_CLIENT_SECRET', 'COGNITO_ACCESS_ID_TOKEN', 'COGNITO_ACCESS_PROGRESS', 'COGNITO_ACCESS_DEBUG'];

function named(name: string, extra: Record<string, unknown> = {}): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return Object.assign(error, extra);
}

describe('--help and the README list every option and environment variable', () => {
  const commands: [string, Record<string, unknown>][] = [...Object.entries(OFFLINE_OPTIONS), ...Object.entries(SPECS)];
  for (const [command, options] of commands) {
    it(`${command}`, () => {
      const help = HELP[command];
      assert.ok(help, `no help for ${command}`);
      for (const option of Object.keys(options)) {
        if (option === 'help') continue;
        assert.ok(help.includes(`--${option}`), `${command} --help does not mention --${option}`);
        assert.ok(readme.includes(`--${option}`), `README does not mention --${option}`);
      }
    });
  }
  it('every environment variable the live commands read', () => {
    for (const name of ENVIRONMENT) {
      assert.ok(Object.values(HELP).some((h) => h.includes(name)), `no --help mentions ${name}`);
      assert.ok(readme.includes(name), `README does not mention ${name}`);
    }
  });
  it('the README publishes the scan policy with every action the scanner uses', async () => {
    const { SCAN_ACTIONS } = await import('../../src/core/gaps.ts');
    for (const action of SCAN_ACTIONS) assert.ok(readme.includes(`"${action}"`), `README's scan policy lacks ${action}`);
  });
});

describe('exit status and one line', () => {
  it('bad usage and bad input: 2', () => {
    for (const name of ['UsageError', 'LiveUsageError', 'NoTerminalError', 'SnapshotError', 'SimulationInputError']) assert.equal(exitFor(named(name)).code, 2, name);
  });
  it('the AWS side: 1, naming service, operation, endpoint and error code', () => {
    const denied = named('AccessDeniedException', { $callSite: { service: 'cognito-identity', operation: 'ListIdentityPools', endpoint: 'http://127.0.0.1:4577' }, $metadata: {} });
    assert.deepEqual(exitFor(denied), { code: 1, line: 'cognito-identity ListIdentityPools at http://127.0.0.1:4577 failed: AccessDeniedException: AccessDeniedException happened' });
    const html = Object.assign(new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'), { $callSite: { service: 'iam', operation: 'GetRole', endpoint: 'https://iam.amazonaws.com' } });
    assert.match(exitFor(html).line, /^iam GetRole at https:\/\/iam\.amazonaws\.com failed: NotAnAwsResponse/);
    assert.equal(exitFor(named('AwsSetupError')).code, 1);
    assert.equal(exitFor(named('ScanStoppedError')).code, 1);
  });
  it('anything else is a bug: 3, "internal error:", one line', () => {
    const bug = new TypeError('Cannot read properties of undefined (reading \'x\')\n    at somewhere');
    assert.deepEqual(exitFor(bug), { code: 3, line: 'internal error: TypeError: Cannot read properties of undefined (reading \'x\')' });
    assert.equal(exitFor(new SyntaxError('Invalid regular expression: /x/: Regular expression too large')).code, 3);
    assert.equal(exitFor('a string').code, 3);
  });
});

describe('classifying a failed read', () => {
  it('denied, throttled, timeout, network, credentials, not an AWS answer, unsupported', () => {
    assert.equal(classifyFailure(named('AccessDeniedException')).kind, 'denied');
    assert.equal(classifyFailure(named('AccessDenied')).kind, 'denied');
    assert.deepEqual(classifyFailure(named('ThrottlingException')).kind, 'throttled');
    assert.equal(classifyFailure(named('TooManyRequestsException')).kind, 'throttled');
    assert.deepEqual({ ...classifyFailure(named('TimeoutError')), message: '' }, { kind: 'timeout', code: 'Timeout', message: '' });
    assert.equal(classifyFailure(named('AbortError')).code, 'Timeout');
    assert.deepEqual(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })).code, 'NetworkError');
    assert.equal(classifyFailure(named('ExpiredTokenException')).kind, 'credentials');
    assert.equal(classifyFailure(named('UnrecognizedClientException')).kind, 'credentials');
    const html = Object.assign(new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'), { $metadata: { httpStatusCode: 500 } });
    assert.deepEqual([classifyFailure(html).kind, classifyFailure(html).code], ['unsupported', 'NotAnAwsResponse']);
    assert.match(classifyFailure(html).message, /^HTTP 500: the answer is not an AWS API response/);
    assert.equal(classifyFailure(named('UnknownOperationException')).kind, 'unsupported');
    assert.equal(classifyFailure(Object.assign(named('NotFound'), { $metadata: { httpStatusCode: 404 } })).kind, 'unsupported');
    assert.equal(classifyFailure(named('InternalFailure')).kind, 'other');
  });
  it('messages are one line and bounded', () => {
    const long = classifyFailure(new Error(`a\nb ${'x'.repeat(1000)}`));
    assert.ok(!long.message.includes('\n'));
    assert.ok(long.message.length <= 300);
  });
});
