// The editor side of diagnose-before-deploy (src/vscode/templates): which documents are templates,
// engine locations as editor ranges, the Problems-panel text and the explanation report.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diagnoseTemplate, parseTemplateText } from '../../src/core/iac/index.ts';
import { diagnosticMessage, pointTuple, severityIndex, templateKindOf, toRangeTuple, tooLarge } from '../../src/vscode/templates/detect.ts';
import { templateFindingMarkdown } from '../../src/vscode/templates/findingReport.ts';

const fixture = (name: string) => `test/fixtures/iac/cloudformation/${name}`;

describe('templateKindOf', () => {
  it('recognises every CloudFormation/SAM/Serverless fixture', () => {
    for (const name of ['books-broken.yaml', 'books-broken.json', 'books-healthy.yaml', 'books-sam-broken.yaml', 'amplify-broken.yml', 'serverless.yml']) {
      assert.equal(templateKindOf(fixture(name), readFileSync(fixture(name), 'utf8')), 'cloudformation', name);
    }
  });
  it('recognises the short forms', () => {
    assert.equal(templateKindOf('a.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\n'), 'cloudformation');
    assert.equal(templateKindOf('a.json', '{ "AWSTemplateFormatVersion": "2010-09-09" }'), 'cloudformation');
    assert.equal(templateKindOf('a.yaml', 'Transform: AWS::Serverless-2016-10-31\n'), 'cloudformation');
    assert.equal(templateKindOf('a.yml', 'Resources:\n  R:\n    Type: AWS::IAM::Role\n'), 'cloudformation');
    assert.equal(templateKindOf('a.json', '{"Resources": {"R": {"Type": "AWS::IAM::Role"}}}'), 'cloudformation');
  });
  it('leaves other YAML/JSON alone', () => {
    assert.equal(templateKindOf('package.json', readFileSync('package.json', 'utf8')), undefined);
    assert.equal(templateKindOf('.github/workflows/ci.yml', 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n'), undefined);
    assert.equal(templateKindOf('media/samples/sample-account.json', readFileSync('media/samples/sample-account.json', 'utf8')), undefined);
    assert.equal(templateKindOf('notes.md', 'AWSTemplateFormatVersion: x'), undefined);
  });
  it('takes every .tf file as Terraform', () => {
    assert.equal(templateKindOf('infra/main.tf', ''), 'terraform');
    assert.equal(templateKindOf('infra/MAIN.TF', 'resource "x" "y" {}'), 'terraform');
  });
});

describe('ranges and messages', () => {
  it('turns 1-based, end-exclusive locations into 0-based editor ranges', () => {
    assert.deepEqual(toRangeTuple({ startLine: 55, startColumn: 53, endLine: 55, endColumn: 66 }), [54, 52, 54, 65]);
    assert.deepEqual(toRangeTuple({ startLine: 2, startColumn: 3, endLine: 4, endColumn: 1 }), [1, 2, 3, 0]);
    assert.deepEqual(toRangeTuple({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }), [0, 0, 0, 0], 'an empty span at the start');
    assert.deepEqual(pointTuple(3, 7), [2, 6, 2, 7]);
  });
  it('maps severities and puts the fix after the message', () => {
    assert.deepEqual(['error', 'warning', 'info'].map(severityIndex), [0, 1, 2]);
    assert.equal(diagnosticMessage({ message: 'Wrong aud.', fix: 'Use the identity pool.' }), 'Wrong aud.\nFix: Use the identity pool.');
    assert.equal(tooLarge(10 * 1024 * 1024 + 1), true);
    assert.equal(tooLarge(1024), false);
  });
  it('the aud finding range covers exactly the value the quick fix replaces', () => {
    const text = readFileSync(fixture('books-broken.yaml'), 'utf8');
    const f = diagnoseTemplate(parseTemplateText(fixture('books-broken.yaml'), text)).findings.find((x) => x.code === 'TRUST_AUD_IS_USER_POOL_ID')!;
    const [line, start, , end] = toRangeTuple(f.location);
    assert.equal(text.split('\n')[line]!.slice(start, end), '!Ref UserPool');
    assert.equal(f.quickFix?.edits[0]?.newText, '!Ref IdentityPool');
    const report = templateFindingMarkdown(f.code, f, 'books-broken.yaml');
    assert.match(report, /^# TRUST_AUD_IS_USER_POOL_ID/);
    assert.match(report, /line 55, column 53/);
    assert.match(report, /Quick fix: Replace with !Ref IdentityPool/);
    assert.match(templateFindingMarkdown('X', undefined, 'a.yaml'), /no longer in the template/);
  });
});
