// CDK cloud assemblies, synthesized here from a TypeScript app (test/fixtures/iac/cdk/booksApp.ts,
// aws-cdk-lib as a devDependency): the article's fault and its healthy twin, located in the
// synthesized template with the construct path; a nested stack whose parameters come from its parent.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { TemplateDiagnosis } from '../../../src/core/iac/index.ts';
import { diagnoseTemplate, parseTemplate } from '../../../src/core/iac/index.ts';
import { synthBooks, synthNested } from '../../fixtures/iac/cdk/booksApp.ts';

const root = mkdtempSync(join(tmpdir(), 'cai-cdk-'));
let broken: TemplateDiagnosis;
let healthy: TemplateDiagnosis;
let nested: TemplateDiagnosis;

/** 1-based line and column just past the first `needle` after `after` in `text`. */
function positionAfter(text: string, after: string, needle: string): [number, number] {
  const offset = text.indexOf(needle, text.indexOf(after)) + needle.length;
  const lines = text.slice(0, offset).split('\n');
  return [lines.length, lines.at(-1)!.length + 1];
}

describe('a CDK cloud assembly (cdk.out)', () => {
  before(async () => {
    broken = diagnoseTemplate(await parseTemplate(synthBooks(join(root, 'broken'), 'broken')));
    healthy = diagnoseTemplate(await parseTemplate(synthBooks(join(root, 'healthy'), 'healthy')));
    nested = diagnoseTemplate(await parseTemplate(synthNested(join(root, 'nested'))));
  });

  it('the article\'s fault: TRUST_AUD_IS_USER_POOL_ID at the aud value of the synthesized template', () => {
    assert.equal(broken.kind, 'cdk');
    const aud = broken.findings.find((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID')!;
    assert.ok(aud, broken.findings.map((f) => f.code).join(', '));
    assert.ok(aud.location.file.endsWith('BooksStack.template.json'));
    const text = readFileSync(aud.location.file, 'utf8');
    const roleKey = /"BooksReadAccess[0-9A-F]{8}": \{/.exec(text)![0];
    assert.deepEqual([aud.location.startLine, aud.location.startColumn], positionAfter(text, roleKey, '"cognito-identity.amazonaws.com:aud": '));
    assert.match(text.slice(aud.location.startOffset, aud.location.endOffset), /^\{\s*"Ref": "UserPool[0-9A-F]{8}"\s*\}$/);
    assert.match(aud.quickFix!.edits[0]!.newText, /^\{"Ref": "IdentityPool[0-9A-F]{8}"\}$/);
    assert.match(aud.message, /aud is \{"Ref": "UserPool[0-9A-F]{8}"\}: that is a user pool id, but aud holds the identity pool id \{"Ref": "IdentityPool[0-9A-F]{8}"\}/);
    assert.equal(aud.resource?.constructPath, 'BooksStack/BooksReadAccess/Resource');
    assert.equal(aud.severity, 'error');
    assert.ok(broken.findings.some((f) => f.code === 'GROUP_ROLE_NOT_ASSUMABLE' && f.subject.id === 'BooksRead'));
  });

  it('the healthy twin: nothing (the role mapping with its mapping key, the L2 identity pool\'s own roles)', () => {
    assert.deepEqual(healthy.findings.map((f) => f.code), []);
    assert.ok(healthy.resources >= 9);
  });

  it('a nested stack: read through its asset template, the parent\'s values passed as parameters', () => {
    const aud = nested.findings.find((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID')!;
    assert.ok(aud, nested.findings.map((f) => `${f.code} ${f.message}`).join('\n'));
    assert.match(aud.location.file, /\.nested\.template\.json$/);
    assert.equal(nested.files.length, 2);
    assert.equal(aud.quickFix, undefined, 'the identity pool is in the parent stack: the nested template cannot !Ref it');
  });
});
