// CloudFormation, SAM and Serverless templates (test/fixtures/iac/cloudformation/): the article's
// fault and its healthy twin in YAML with short tags, JSON, SAM, JSON inside .yml (Amplify) and a
// Serverless file; positions of the offending aud value; quick fixes in the file's own syntax;
// the intrinsic functions; what stays unknown; bad input.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TemplateFinding } from '../../../src/core/iac/index.ts';
import { diagnoseTemplate, parseTemplate, parseTemplateText, TemplateInputError, TemplateSyntaxError } from '../../../src/core/iac/index.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/iac/cloudformation/', import.meta.url));
const fixture = (name: string): string => join(fixtures, name);

async function diagnosed(name: string): Promise<TemplateFinding[]> {
  return diagnoseTemplate(await parseTemplate(fixture(name))).findings;
}

function only(findings: TemplateFinding[], code: string): TemplateFinding {
  const found = findings.filter((f) => f.code === code);
  assert.equal(found.length, 1, `${code}: ${found.length} findings among ${findings.map((f) => f.code).join(', ')}`);
  return found[0]!;
}

/** The text a finding's location covers. */
function text(f: { location: { file: string; startOffset: number; endOffset: number } }): string {
  return readFileSync(f.location.file, 'utf8').slice(f.location.startOffset, f.location.endOffset);
}

function template(body: string, name = 'inline.yaml'): TemplateFinding[] {
  return diagnoseTemplate(parseTemplateText(name, body)).findings;
}

describe('the article\'s fault in every CloudFormation form', () => {
  const cases: [string, string, number, number, string, string][] = [
    // file, healthy twin, line, column of the aud value, its text, the quick fix
    ['books-broken.yaml', 'books-healthy.yaml', 55, 53, '!Ref UserPool', '!Ref IdentityPool'],
    ['books-broken.json', 'books-healthy.json', 112, 57, '{\n                    "Ref": "UserPool"\n                  }', '{"Ref": "IdentityPool"}'],
    ['books-sam-broken.yaml', 'books-sam-healthy.yaml', 68, 53, '!Ref UserPool', '!Ref IdentityPool'],
    ['amplify-broken.yml', 'books-healthy.json', 112, 57, '{\n                    "Ref": "UserPool"\n                  }', '{"Ref": "IdentityPool"}'],
  ];
  for (const [broken, healthy, line, column, written, fix] of cases) {
    it(`${broken}: TRUST_AUD_IS_USER_POOL_ID at ${line}:${column}, GROUP_ROLE_NOT_ASSUMABLE; ${healthy}: nothing`, async () => {
      const findings = await diagnosed(broken);
      const aud = only(findings, 'TRUST_AUD_IS_USER_POOL_ID');
      assert.deepEqual([aud.location.startLine, aud.location.startColumn], [line, column]);
      assert.equal(text(aud), written);
      assert.equal(aud.subject.id, 'BooksReadAccess');
      assert.equal(aud.quickFix?.edits[0]?.newText, fix);
      assert.deepEqual([aud.quickFix!.edits[0]!.location.startOffset, aud.quickFix!.edits[0]!.location.endOffset], [aud.location.startOffset, aud.location.endOffset]);
      assert.match(aud.message, new RegExp(`aud is ${fix === '!Ref IdentityPool' ? '!Ref UserPool' : '\\{"Ref": "UserPool"\\}'}: that is a user pool id`));
      const group = only(findings, 'GROUP_ROLE_NOT_ASSUMABLE');
      assert.equal(group.subject.id, 'BooksRead');
      assert.match(text(group), /BooksReadAccess/);
      assert.equal(findings.filter((f) => f.severity === 'error').length, 2);
      assert.deepEqual((await diagnosed(healthy)).map((f) => f.code), []);
    });
  }

  it('a Serverless file: its resources section, with the fault; a Serverless variable is not known before deploy', async () => {
    const findings = await diagnosed('serverless.yml');
    const aud = only(findings, 'TRUST_AUD_IS_USER_POOL_ID');
    assert.equal(text(aud), '!Ref UserPool');
    const unknown = only(findings, 'TEMPLATE_VALUE_UNKNOWN');
    assert.equal(text(unknown), '${self:custom.sharedPoolId}');
    assert.match(unknown.message, /Serverless Framework variable/);
    assert.equal(unknown.severity, 'info');
  });

  it('the model: snapshot with symbolic ids, symbols in the file\'s syntax, resources with locations', async () => {
    const model = await parseTemplate(fixture('books-broken.yaml'));
    assert.equal(model.kind, 'cloudformation');
    const role = model.snapshot.roles.find((r) => r.RoleName === 'BooksReadAccess')!;
    const aud = JSON.stringify(role.AssumeRolePolicyDocument);
    const userPoolId = model.snapshot.userPools[0]!.Id;
    assert.ok(aud.includes(userPoolId), 'aud holds the user pool symbol');
    assert.match(userPoolId, /^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/, 'shaped like a user pool id');
    assert.match(model.snapshot.identityPools[0]!.IdentityPoolId, /^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f-]{36}$/);
    assert.equal(model.symbols.rewrite(`"${userPoolId}"`), '!Ref UserPool');
    assert.equal(model.symbols.rewrite(model.snapshot.identityPools[0]!.CognitoIdentityProviders[0]!.ProviderName), '!GetAtt UserPool.ProviderName');
    assert.equal(model.symbols.rewrite(model.snapshot.tables[0]!.TableArn + '/index/*'), '${BookTable.Arn}/index/*');
    const group = model.resources.find((r) => r.name === 'BooksRead')!;
    assert.deepEqual([group.type, group.location.startLine, group.location.startColumn], ['AWS::Cognito::UserPoolGroup', 35, 3]);
    assert.deepEqual(model.unsupported, []);
  });
});

describe('intrinsic functions and values known only at deploy', () => {
  const header = `Parameters:
  Stage: { Type: String, Default: prod }
  PoolFromOutside: { Type: String }
  SsmPool: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /books/pool }
Mappings:
  Env: { prod: { Aud: known } }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  Deployed: !Equals [!Ref PoolFromOutside, x]
Resources:
  UserPool:
    Type: AWS::Cognito::UserPool
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties: { UserPoolId: !Ref UserPool }
  IdentityPool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: false
      CognitoIdentityProviders: [{ ClientId: !Ref Client, ProviderName: !GetAtt UserPool.ProviderName }]
`;
  const role = (name: string, aud: string): string => `  ${name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Federated: cognito-identity.amazonaws.com }
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                cognito-identity.amazonaws.com:aud: ${aud}
`;
  const attach = (name: string): string => `  Attach${name}:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties: { IdentityPoolId: !Ref IdentityPool, Roles: { authenticated: !GetAtt ${name}.Arn } }
`;
  const unknownsOf = (aud: string): TemplateFinding[] => template(header + role('R', aud) + attach('R')).filter((f) => f.code === 'TEMPLATE_VALUE_UNKNOWN');

  it('Sub, Join, Select/Split, If on a known condition and FindInMap resolve', () => {
    for (const aud of [
      '!Sub "${IdentityPool}"',
      "!Join ['', [!Ref IdentityPool]]",
      "!Select [0, !Split [',', !Join [',', [!Ref IdentityPool, other]]]]",
      '!If [IsProd, !Ref IdentityPool, other]',
      "{ 'Fn::If': [IsProd, { Ref: IdentityPool }, other] }",
    ]) {
      const findings = template(header + role('R', aud) + attach('R'));
      assert.deepEqual(findings.map((f) => f.code), [], `${aud}: ${findings.map((f) => f.message).join('; ')}`);
    }
    const mapped = template(header + role('R', '!FindInMap [Env, !Ref Stage, Aud]') + attach('R'));
    assert.equal(only(mapped, 'TRUST_AUD_OTHER_POOL').message.includes('"known"'), true);
  });

  it('a parameter without default, an SSM parameter, an import, a condition on them, an unknown tag or function: unknown, never a guess', () => {
    const cases: [string, RegExp][] = [
      ['!Ref PoolFromOutside', /parameter PoolFromOutside has no default/],
      ['!Ref SsmPool', /read from SSM Parameter Store/],
      ['!ImportValue shared-pool', /an export of another stack \(shared-pool\)/],
      ['!If [Deployed, !Ref IdentityPool, other]', /depends on condition Deployed/],
      ['!Frobnicate IdentityPool', /!Frobnicate is not a function this reader knows/],
      ["{ 'Fn::Frobnicate': IdentityPool }", /Fn::Frobnicate is not a function this reader knows/],
      ['!GetAZs ""', /computed at deploy/],
    ];
    for (const [aud, reason] of cases) {
      const findings = unknownsOf(aud);
      assert.equal(findings.length, 1, `${aud}: ${findings.length}`);
      assert.match(findings[0]!.message, reason);
      assert.match(findings[0]!.message, /^Cannot tell before deploy: the trust policy of R is .*so its trust is not checked\.$/);
      const body = header + role('R', aud);
      assert.equal(findings[0]!.location.startLine, body.split('\n').findIndex((l) => l.includes('amazonaws.com:aud:')) + 1, aud);
    }
    // The role is left out ("not captured"): no claim about its trust, and no ROLE_NOT_CAPTURED either.
    assert.deepEqual(template(header + role('R', '!Ref PoolFromOutside') + attach('R')).map((f) => f.code), ['TEMPLATE_VALUE_UNKNOWN']);
  });

  it('an identity pool id written out: it may be the id a pool defined here got at an earlier deploy, so no claim', () => {
    const findings = template(header + role('R', "'eu-central-1:11111111-2222-3333-4444-555555555555'") + attach('R'));
    assert.deepEqual(findings.map((f) => f.code), ['TEMPLATE_VALUE_UNKNOWN']);
    assert.match(findings[0]!.message, /an identity pool id written out/);
  });

  it('pseudo parameters: a role ARN written with !Sub matches the role defined here', () => {
    const body = `${header}${role('Reader', '!Ref IdentityPool')}    Properties2: {}
  AttachReader:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref IdentityPool
      Roles: { authenticated: !Sub 'arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/Reader-\${Stage}' }
`.replace('  Reader:\n    Type: AWS::IAM::Role\n    Properties:\n', '  Reader:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub Reader-${Stage}\n');
    const findings = template(body);
    assert.deepEqual(findings.map((f) => f.code), []);
  });

  it('a resource that exists only under a deploy-time condition, a macro, a nested stack: named as not read', () => {
    const findings = template(`Transform: AWS::LanguageExtensions
${header.replace('Resources:\n', `Resources:
  Nested:
    Type: AWS::CloudFormation::Stack
    Properties: { TemplateURL: https://example.com/nested.yaml }
`)}${role('R', '!Ref IdentityPool').replace('    Type: AWS::IAM::Role\n', '    Type: AWS::IAM::Role\n    Condition: Deployed\n')}`);
    const unsupported = findings.filter((f) => f.code === 'TEMPLATE_UNSUPPORTED').map((f) => f.message);
    assert.equal(unsupported.length, 3, unsupported.join('\n'));
    assert.ok(unsupported.some((m) => /transform AWS::LanguageExtensions/.test(m)));
    assert.ok(unsupported.some((m) => /nested stack Nested/.test(m)));
    assert.ok(unsupported.some((m) => /condition Deployed/.test(m)));
  });

  it('a template fragment with only Resources', () => {
    const findings = template(`Resources:\n${role('R', '!GetAtt Other.Arn')}  Other:\n    Type: AWS::Lambda::Function\n    Properties: {}\n${attach('R')}  IdentityPool:\n    Type: AWS::Cognito::IdentityPool\n    Properties: { AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [] }\n`);
    assert.equal(only(findings, 'TEMPLATE_VALUE_UNKNOWN').message.includes('known only after deploy'), true);
  });
});

describe('bad input', () => {
  it('a YAML syntax error is one error with file:line:col', () => {
    assert.throws(() => parseTemplateText('broken.yaml', 'Resources:\n  A:\n    Type: [x\n  B: y\n'), (error: unknown) => {
      assert.ok(error instanceof TemplateSyntaxError);
      assert.match(error.message, /broken\.yaml:\d+:\d+: /);
      assert.ok(error.line >= 3);
      return true;
    });
  });

  it('a JSON syntax error is one error with file:line:col', () => {
    assert.throws(() => parseTemplateText('broken.json', '{\n  "Resources": {\n    "A": { "Type": "AWS::IAM::Role", }\n  }\n}\n'), (error: unknown) => {
      assert.ok(error instanceof TemplateSyntaxError);
      assert.deepEqual([error.line, error.column], [3, 38]);
      assert.match(error.message, /broken\.json:3:38: invalid JSON/);
      return true;
    });
  });

  it('not a template, a missing file, an empty folder, a file over 10 MB', async () => {
    assert.throws(() => parseTemplateText('x.yaml', 'a: 1\n'), TemplateInputError);
    await assert.rejects(parseTemplate(join(tmpdir(), 'no-such-template.yaml')), /no such file or folder/);
    const dir = mkdtempSync(join(tmpdir(), 'cai-iac-'));
    await assert.rejects(parseTemplate(dir), /no manifest\.json.*no Terraform files/);
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `Resources: {}\n${' '.repeat(10 * 1024 * 1024)}`);
    await assert.rejects(parseTemplate(big), /files over 10 MB are refused/);
  });

  it('a template without Cognito, IAM or DynamoDB resources: nothing read, nothing found', () => {
    const d = diagnoseTemplate(parseTemplateText('bucket.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n'));
    assert.deepEqual([d.resources, d.findings.length], [0, 0]);
  });
});
