// Terraform folders (test/fixtures/iac/terraform/): the article's fault and its healthy twin with
// the trust policy as jsonencode(...) and as data "aws_iam_policy_document"; the other ways a
// policy is written (heredoc, file(), a local, count, variables and terraform.tfvars, a function,
// a local module); positions found in the text (hcl2json gives none); bad input.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TemplateFinding } from '../../../src/core/iac/index.ts';
import { diagnoseTemplate, parseTemplate, TemplateSyntaxError } from '../../../src/core/iac/index.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/iac/terraform/', import.meta.url));

async function diagnosed(dir: string): Promise<TemplateFinding[]> {
  return diagnoseTemplate(await parseTemplate(dir)).findings;
}

function text(f: { location: { file: string; startOffset: number; endOffset: number } }): string {
  return readFileSync(f.location.file, 'utf8').slice(f.location.startOffset, f.location.endOffset);
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cai-tf-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const trustWith = (aud: string): string => `jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Federated = "cognito-identity.amazonaws.com" }, Action = "sts:AssumeRoleWithWebIdentity",
      Condition = { StringEquals = { "cognito-identity.amazonaws.com:aud" = ${aud} }, "ForAnyValue:StringLike" = { "cognito-identity.amazonaws.com:amr" = "authenticated" } } }]
  })`;

const POOLS = `resource "aws_cognito_user_pool" "main" {
  name = "books"
}
resource "aws_cognito_user_pool_client" "web" {
  user_pool_id = aws_cognito_user_pool.main.id
}
resource "aws_cognito_identity_pool" "main" {
  identity_pool_name = "books"
  cognito_identity_providers {
    client_id     = aws_cognito_user_pool_client.web.id
    provider_name = aws_cognito_user_pool.main.endpoint
  }
}
`;

describe('the article\'s fault in Terraform', () => {
  const cases: [string, number, number, string][] = [
    ['jsonencode', 56, 77, 'aws_cognito_user_pool.main.id'],
    ['document', 63, 19, 'aws_cognito_user_pool.main.id'],
  ];
  for (const [form, line, column, written] of cases) {
    it(`${form}-broken: TRUST_AUD_IS_USER_POOL_ID at ${line}:${column}; ${form}-healthy: nothing`, async () => {
      const findings = await diagnosed(join(fixtures, `${form}-broken`));
      const aud = findings.find((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID')!;
      assert.ok(aud, findings.map((f) => f.code).join(', '));
      assert.deepEqual([aud.location.startLine, aud.location.startColumn], [line, column]);
      assert.equal(text(aud), written);
      assert.equal(aud.subject.id, 'aws_iam_role.books_read');
      assert.equal(aud.quickFix?.edits[0]?.newText, 'aws_cognito_identity_pool.main.id');
      assert.match(aud.message, /aud is aws_cognito_user_pool\.main\.id: that is a user pool id, but aud holds the identity pool id aws_cognito_identity_pool\.main\.id/);
      const group = findings.find((f) => f.code === 'GROUP_ROLE_NOT_ASSUMABLE')!;
      assert.equal(group.subject.id, 'aws_cognito_user_group.books_read');
      assert.equal(text(group), 'aws_iam_role.books_read.arn');
      assert.deepEqual(findings.map((f) => f.code).sort(), ['GROUP_ROLE_NOT_ASSUMABLE', 'TRUST_AUD_IS_USER_POOL_ID']);
      assert.deepEqual((await diagnosed(join(fixtures, `${form}-healthy`))).map((f) => f.code), []);
    });
  }

  it('the model: region from the provider, symbols in Terraform syntax', async () => {
    const model = await parseTemplate(join(fixtures, 'jsonencode-broken'));
    assert.equal(model.kind, 'terraform');
    assert.equal(model.snapshot.region, 'eu-central-1');
    const pool = model.snapshot.userPools[0]!;
    assert.match(pool.Id, /^eu-central-1_/);
    assert.equal(model.symbols.rewrite(pool.Id), 'aws_cognito_user_pool.main.id');
    assert.equal(model.symbols.rewrite(`x ${model.snapshot.tables[0]!.TableArn}/index/byTitle`), 'x ${aws_dynamodb_table.books.arn}/index/byTitle');
    assert.deepEqual(Object.keys(model.snapshot.identityPools[0]!.RoleMappings).map((k) => model.symbols.rewrite(k)), ['aws_cognito_user_pool.main.endpoint:aws_cognito_user_pool_client.web.id']);
  });
});

describe('every way a policy is written (forms/)', () => {
  let findings: TemplateFinding[];
  const about = (subject: string, code: string): TemplateFinding => {
    const found = findings.find((f) => f.subject.id === subject && f.code === code);
    assert.ok(found, `${code} on ${subject}: ${findings.map((f) => `${f.code} ${f.subject.id}`).join('; ')}`);
    return found;
  };

  it('reads the folder, terraform.tfvars, file() and the local module', async () => {
    const model = await parseTemplate(join(fixtures, 'forms'));
    assert.deepEqual(model.files.map((f) => f.slice(join(fixtures, 'forms').length + 1)).sort(), ['main.tf', 'modules/auth/main.tf', 'policies/trust.json', 'terraform.tfvars']);
    findings = diagnoseTemplate(model).findings;
  });

  it('a heredoc: located inside it, fixed with an interpolation', () => {
    const f = about('aws_iam_role.heredoc', 'TRUST_AUD_IS_USER_POOL_ID');
    assert.equal(text(f), '"${aws_cognito_user_pool.main.id}"');
    assert.equal(f.quickFix?.edits[0]?.newText, '"${aws_cognito_identity_pool.main.id}"');
  });

  it('file(): located in the JSON file, no reference to write there', () => {
    const f = about('aws_iam_role.from_file', 'TRUST_AUD_IS_USER_POOL_ID');
    assert.ok(f.location.file.endsWith('policies/trust.json'));
    assert.deepEqual([f.location.startLine, text(f)], [9, '"eu-central-1_Literal1"']);
    assert.equal(f.quickFix, undefined);
  });

  it('a local, count (one symbolic instance, `[0]` in references): healthy', () => {
    // Healthy trust; the fixture gives the rule role `counted` no policies, which ROLE_GRANTS_NOTHING rightly notes.
    assert.equal(findings.filter((f) => (f.subject.id === 'aws_iam_role.from_local' || f.subject.id === 'aws_iam_role.counted') && f.code !== 'ROLE_GRANTS_NOTHING').length, 0);
  });

  it('terraform.tfvars sets a variable: its value is judged where the variable is used', () => {
    const f = about('aws_iam_role.tfvars_aud', 'TRUST_AUD_IS_USER_POOL_ID');
    assert.equal(text(f), 'var.tfvars_pool');
    assert.match(f.message, /aud is "eu-central-1_FromTfvars1"/);
  });

  it('a variable without default, a function: unknown before deploy, named', () => {
    assert.match(about('aws_iam_role.var_aud', 'TEMPLATE_VALUE_UNKNOWN').message, /var\.pool_id \(variable pool_id has no default/);
    const fn = about('aws_iam_role.fn_aud', 'TEMPLATE_VALUE_UNKNOWN');
    assert.match(fn.message, /the function lower\(\) is evaluated at plan/);
    assert.equal(text(fn), 'lower(aws_cognito_identity_pool.main.id)');
  });

  it('a local module: its arguments are its variables, its role is located in its own file', () => {
    const f = about('module.auth.aws_iam_role.reader', 'TRUST_AUD_IS_USER_POOL_ID');
    assert.ok(f.location.file.endsWith('modules/auth/main.tf'));
    assert.deepEqual([f.location.startLine, f.location.startColumn, text(f)], [13, 77, 'var.user_pool_id']);
  });

  it('a remote module is named as not read', () => {
    assert.match(findings.find((f) => f.code === 'TEMPLATE_UNSUPPORTED')!.message, /module remote \(terraform-aws-modules\/iam\/aws\)/);
  });
});

describe('Terraform resources and arguments', () => {
  it('aws_iam_policy + attachment, &{} variables in a policy document, for_each, dynamic blocks', async () => {
    const dir = folder({
      'main.tf': `${POOLS}
resource "aws_cognito_identity_pool_roles_attachment" "main" {
  identity_pool_id = aws_cognito_identity_pool.main.id
  roles = { authenticated = aws_iam_role.own["a"].arn }
}
resource "aws_iam_role" "own" {
  for_each           = toset(["a", "b"])
  name               = "Own-\${each.key}"
  assume_role_policy = ${trustWith('aws_cognito_identity_pool.main.id')}
}
resource "aws_iam_policy" "own_items" {
  name   = "own-items"
  policy = data.aws_iam_policy_document.own_items.json
}
resource "aws_iam_role_policy_attachment" "own_items" {
  role       = aws_iam_role.own["a"].name
  policy_arn = aws_iam_policy.own_items.arn
}
data "aws_iam_policy_document" "own_items" {
  statement {
    actions   = ["dynamodb:GetItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.books.arn]
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "dynamodb:LeadingKeys"
      values   = ["&{aws:username}"]
    }
  }
}
resource "aws_dynamodb_table" "books" {
  name     = "book-table"
  hash_key = "author"
  dynamic "attribute" {
    for_each = ["author"]
    content {
      name = attribute.value
      type = "S"
    }
  }
}
`,
    });
    const findings = await diagnosed(dir);
    const wrong = findings.find((f) => f.code === 'FGAC_WRONG_VARIABLE')!;
    assert.ok(wrong, findings.map((f) => f.code).join(', '));
    assert.equal(text(wrong), '"&{aws:username}"');
    assert.equal(wrong.quickFix?.edits[0]?.newText, '"&{cognito-identity.amazonaws.com:sub}"');
    assert.match(findings.find((f) => f.code === 'TEMPLATE_UNSUPPORTED')!.message, /dynamic blocks of aws_dynamodb_table\.books/);
  });

  it('two role attachments for one identity pool; roles set by a script', async () => {
    const role = `resource "aws_iam_role" "r" {
  name               = "R"
  assume_role_policy = ${trustWith('aws_cognito_identity_pool.main.id')}
}
`;
    const twice = await diagnosed(folder({
      'main.tf': `${POOLS}${role}
resource "aws_cognito_identity_pool_roles_attachment" "one" {
  identity_pool_id = aws_cognito_identity_pool.main.id
  roles = { authenticated = aws_iam_role.r.arn }
}
resource "aws_cognito_identity_pool_roles_attachment" "two" {
  identity_pool_id = aws_cognito_identity_pool.main.id
  roles = { authenticated = aws_iam_role.r.arn }
}
`,
    }));
    const duplicate = twice.find((f) => f.code === 'POOL_DUPLICATE_ROLE_ATTACHMENT')!;
    assert.ok(duplicate);
    assert.equal(text(duplicate), 'aws_cognito_identity_pool.main.id');
    assert.equal(duplicate.subject.id, 'aws_cognito_identity_pool_roles_attachment.two');
    const script = await diagnosed(folder({
      'main.tf': `${POOLS}${role}
resource "null_resource" "roles" {
  provisioner "local-exec" {
    command = "aws cognito-identity set-identity-pool-roles --identity-pool-id \${aws_cognito_identity_pool.main.id} --roles authenticated=\${aws_iam_role.r.arn}"
  }
}
`,
    }));
    assert.deepEqual(script.map((f) => f.code), ['MAPPING_SET_OUTSIDE_DEFINITION'], 'no POOL_NO_AUTHENTICATED_ROLE: the roles are set outside, not missing');
  });

  it('a syntax error is one error with file:line:col', async () => {
    const dir = folder({ 'main.tf': 'resource "aws_iam_role" "r" {\n  name = \n}\n' });
    await assert.rejects(parseTemplate(dir), (error: unknown) => {
      assert.ok(error instanceof TemplateSyntaxError);
      assert.deepEqual([error.line, error.column], [2, 10]);
      assert.match(error.message, /main\.tf:2:10: Invalid expression/);
      return true;
    });
  });

  it('a folder without Cognito, IAM or DynamoDB resources says so (nothing read)', async () => {
    const d = diagnoseTemplate(await parseTemplate(folder({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' })));
    assert.deepEqual([d.resources, d.findings.length], [0, 0]);
  });

  it('unsaved text (an editor\'s buffer) through overlay: the fixed text has no finding', async () => {
    const dir = join(fixtures, 'jsonencode-broken');
    const file = join(dir, 'main.tf');
    const fixed = readFileSync(file, 'utf8').replace('"cognito-identity.amazonaws.com:aud" = aws_cognito_user_pool.main.id', '"cognito-identity.amazonaws.com:aud" = aws_cognito_identity_pool.main.id');
    const model = await parseTemplate(dir, { overlay: new Map([[file, fixed]]) });
    assert.deepEqual(diagnoseTemplate(model).findings.map((f) => f.code), []);
  });

  it('a single .tf file', async () => {
    const model = await parseTemplate(join(fixtures, 'jsonencode-broken', 'main.tf'));
    assert.equal(model.files.length, 1);
    assert.ok(diagnoseTemplate(model).findings.some((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID'));
  });
});
