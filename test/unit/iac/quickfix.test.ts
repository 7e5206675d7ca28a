// Quick fixes are real fixes: applying a finding's edits to the file (what an editor's code
// action would do) gives a definition that still parses and no longer has that finding, in
// YAML with short tags, JSON, and Terraform (jsonencode, a policy document, a heredoc).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TemplateFinding } from '../../../src/core/iac/index.ts';
import { diagnoseTemplate, parseTemplate, parseTemplateText } from '../../../src/core/iac/index.ts';
import type { Template } from './books.ts';
import { books, readPolicy, ref, trust } from './books.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/iac/', import.meta.url));

/** The text with the finding's quick fix applied (edits of one file, last first). */
function apply(text: string, finding: TemplateFinding): string {
  assert.ok(finding.quickFix, `${finding.code} has no quick fix`);
  let out = text;
  for (const edit of [...finding.quickFix.edits].sort((a, b) => b.location.startOffset - a.location.startOffset)) {
    out = out.slice(0, edit.location.startOffset) + edit.newText + out.slice(edit.location.endOffset);
  }
  return out;
}

describe('quick fixes fix', () => {
  for (const name of ['cloudformation/books-broken.yaml', 'cloudformation/books-broken.json', 'cloudformation/books-sam-broken.yaml']) {
    it(`${name}: TRUST_AUD_IS_USER_POOL_ID`, async () => {
      const path = join(fixtures, name);
      const finding = diagnoseTemplate(await parseTemplate(path)).findings.find((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID')!;
      const fixed = diagnoseTemplate(parseTemplateText(path, apply(readFileSync(path, 'utf8'), finding)));
      assert.deepEqual(fixed.findings.map((f) => f.code), []);
    });
  }

  for (const [folder, subject] of [['jsonencode-broken', 'aws_iam_role.books_read'], ['document-broken', 'aws_iam_role.books_read'], ['forms', 'aws_iam_role.heredoc']] as const) {
    it(`terraform/${folder}: TRUST_AUD_IS_USER_POOL_ID of ${subject}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cai-fix-'));
      cpSync(join(fixtures, 'terraform', folder), dir, { recursive: true });
      const finding = diagnoseTemplate(await parseTemplate(dir)).findings.find((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID' && f.subject.id === subject)!;
      const file = finding.location.file;
      const fixed = await parseTemplate(dir, { overlay: new Map([[file, apply(readFileSync(file, 'utf8'), finding)]]) });
      assert.ok(!diagnoseTemplate(fixed).findings.some((f) => f.subject.id === subject && f.code.startsWith('TRUST_')));
    });
  }

  type Props = Record<string, unknown>;
  const statement = (t: Template): Props => ((t.Resources['BooksReadAccess']!.Properties['AssumeRolePolicyDocument'] as Props)['Statement'] as Props[])[0]!;
  const policy = (t: Template): Props => (t.Resources['BooksReadAccess']!.Properties['Policies'] as Props[])[0]!['PolicyDocument'] as Props;
  const COGNITO = 'cognito-identity.amazonaws.com';
  const cases: [string, (t: Template) => void][] = [
    ['TRUST_WRONG_ACTION', (t) => (statement(t)['Action'] = 'sts:AssumeRole')],
    ['TRUST_KEY_MISSPELLED', (t) => (statement(t)['Condition'] = { StringEquals: { [`${COGNITO}:aud`]: ref('IdentityPool') }, 'ForAnyValue:StringLike': { 'cognito-identity.amazon.com:amr': 'authenticated' } })],
    ['TRUST_AMR_SINGLE_VALUE_OPERATOR', (t) => (statement(t)['Condition'] = { StringEquals: { [`${COGNITO}:aud`]: ref('IdentityPool') }, StringLike: { [`${COGNITO}:amr`]: 'authenticated' } })],
    ['TRUST_AMR_MISMATCH', (t) => (t.Resources['BooksReadAccess']!.Properties['AssumeRolePolicyDocument'] = trust(ref('IdentityPool'), 'unauthenticated'))],
    ['TRUST_AUD_OTHER_POOL', (t) => {
      t.Resources['OtherPool'] = { Type: 'AWS::Cognito::IdentityPool', Properties: { AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [] } };
      t.Resources['BooksReadAccess']!.Properties['AssumeRolePolicyDocument'] = trust(ref('OtherPool'));
    }],
    ['FGAC_WRONG_VARIABLE', (t) => Object.assign((policy(t)['Statement'] as Props[])[0]!, { Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } } })],
    ['FGAC_LEADINGKEYS_NOT_FORALLVALUES', (t) => Object.assign((policy(t)['Statement'] as Props[])[0]!, { Condition: { StringEquals: { 'dynamodb:LeadingKeys': [`\${${COGNITO}:sub}`] } } })],
    ['POLICY_VARIABLES_WITHOUT_VERSION', (t) => {
      t.Resources['BooksReadAccess']!.Properties['Policies'] = [{ PolicyName: 'read-books', PolicyDocument: { ...readPolicy({ Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`\${${COGNITO}:sub}`] } } }), Version: '2008-10-17' } }];
    }],
    ['POOL_UNAUTH_NO_ROLE', (t) => (t.Resources['IdentityPool']!.Properties['AllowUnauthenticatedIdentities'] = true)],
    ['POOL_BASIC_FLOW_ENABLED', (t) => (t.Resources['IdentityPool']!.Properties['AllowClassicFlow'] = true)],
  ];
  for (const [code, change] of cases) {
    for (const syntax of ['json', 'yaml'] as const) {
      it(`${code} (${syntax})`, async () => {
        const t = books();
        change(t);
        const { stringify } = await import('yaml');
        const text = syntax === 'json' ? JSON.stringify(t, null, 2) : stringify(t);
        const path = `books.${syntax}`;
        const finding = diagnoseTemplate(parseTemplateText(path, text)).findings.find((f) => f.code === code)!;
        assert.ok(finding, code);
        const fixed = diagnoseTemplate(parseTemplateText(path, apply(text, finding)));
        assert.ok(!fixed.findings.some((f) => f.code === code), `${code} still there after ${JSON.stringify(finding.quickFix)}`);
      });
    }
  }
});
