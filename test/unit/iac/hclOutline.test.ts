// The Terraform outline (positions that hcl2json does not give): blocks, attributes and the parts
// of expressions a finding points at, through comments, strings with braces, heredocs and
// for-expressions; and Terraform's string templates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HclExpr } from '../../../src/core/iac/hclOutline.ts';
import { outlineFile } from '../../../src/core/iac/hclOutline.ts';
import { splitTemplate } from '../../../src/core/iac/tfResolver.ts';

const TEXT = `# a comment with { braces
resource "aws_iam_role" "r" { // another
  name = "x-\${var.env == "}" ? "a" : "b"}" /* { */
  policy = <<-EOT
    { "a": "}" }
  EOT
  tags = { "a:b" = 1, (var.k) = 2, c = [for s in var.l : s] }
  inline_policy {
    name = "p"
  }
  oneline { a = 1 }
  list = [aws_x.y.id, "z", jsonencode({ k = "v" })]
}
`;

const slice = (e: { start: number; end: number }): string => TEXT.slice(e.start, e.end);

describe('the Terraform outline', () => {
  const body = outlineFile(TEXT);
  const block = body.blocks[0]!;
  const attr = (name: string): HclExpr => block.body.attributes.find((a) => a.name === name)!.expr;

  it('blocks with labels and their header', () => {
    assert.deepEqual([block.type, block.labels], ['resource', ['aws_iam_role', 'r']]);
    assert.equal(TEXT.slice(block.start, block.headerEnd).trim(), 'resource "aws_iam_role" "r"');
    assert.deepEqual(block.body.blocks.map((b) => b.type), ['inline_policy', 'oneline']);
  });

  it('a string with an interpolation holding a quoted brace, then a comment', () => {
    assert.equal(slice(attr('name')), '"x-${var.env == "}" ? "a" : "b"}"');
  });

  it('a heredoc: the whole of it, and its content', () => {
    const heredoc = attr('policy');
    assert.equal(heredoc.k, 'string');
    assert.ok(heredoc.k === 'string' && heredoc.heredoc);
    if (heredoc.k === 'string' && heredoc.heredoc) assert.equal(TEXT.slice(heredoc.heredoc.contentStart, heredoc.heredoc.contentEnd), '    { "a": "}" }\n');
  });

  it('an object: quoted, computed and plain keys; a for-expression is one opaque value', () => {
    const tags = attr('tags');
    assert.equal(tags.k, 'object');
    if (tags.k !== 'object') return;
    assert.deepEqual(tags.items.map((i) => i.key), ['a:b', undefined, 'c']);
    assert.equal(slice({ start: tags.items[0]!.keyStart, end: tags.items[0]!.keyEnd }), '"a:b"');
    assert.equal(tags.items[2]!.value.k, 'other');
    assert.equal(slice(tags.items[2]!.value), '[for s in var.l : s]');
  });

  it('a tuple: a traversal, a string, a call with its argument', () => {
    const list = attr('list');
    assert.equal(list.k, 'tuple');
    if (list.k !== 'tuple') return;
    assert.deepEqual(list.items.map((i) => [i.k, slice(i)]), [['other', 'aws_x.y.id'], ['string', '"z"'], ['call', 'jsonencode({ k = "v" })']]);
  });
});

describe('Terraform string templates', () => {
  it('interpolations, escapes and directives', () => {
    assert.deepEqual(splitTemplate('a-${var.x}-$${literal}-%%{y}'), ['a-', { expr: 'var.x', directive: false }, '-${literal}-%{y}']);
    assert.deepEqual(splitTemplate('${format("%s}", x)}'), [{ expr: 'format("%s}", x)', directive: false }]);
    assert.deepEqual(splitTemplate('%{ if x }y%{ endif }'), [{ expr: ' if x ', directive: true }, 'y', { expr: ' endif ', directive: true }]);
  });
});
