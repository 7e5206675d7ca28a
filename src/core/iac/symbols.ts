// Symbolic values: what a definition cannot know before deploy (the id of a user pool, the ARN of a
// role, a client id) becomes a synthetic value of the right shape, so the engine runs unchanged
// and still compares them (`aud` = the user pool's id is TRUST_AUD_IS_USER_POOL_ID). The table
// maps each synthetic value back to how the file writes it (`!Ref IdentityPool`,
// `{"Ref": "IdentityPool"}`, `aws_cognito_identity_pool.main.id`), for messages and quick fixes.
import type { Span, Syntax } from './source.ts';

/** A resource of a definition: a CloudFormation logical id or a Terraform address. */
export interface DefinedResource {
  /** `ReadRole` (CloudFormation), `aws_iam_role.read` or `module.auth.aws_iam_role.read` (Terraform). */
  name: string;
  /** `AWS::IAM::Role`, `aws_iam_role`. */
  type: string;
  /** The logical id's key or the block's header. */
  span: Span;
  /** Which template (stack) or Terraform module it belongs to: references work only within one. */
  scope: string;
  /** CDK: the construct path (`BooksStack/ReadRole/Resource`) and where the app created it, when the assembly says. */
  constructPath?: string;
  createdAt?: string;
}

/** How a file refers to a value. */
export type Reference =
  | { kind: 'cfn'; fn: 'Ref'; target: string }
  | { kind: 'cfn'; fn: 'GetAtt'; target: string; attribute: string }
  | { kind: 'tf'; expression: string };

export interface SourceSymbol {
  /** The synthetic value the engine sees. */
  value: string;
  resource: DefinedResource;
  reference: Reference;
  /** The file's syntax where the resource is defined (how `display` is written). */
  syntax: Syntax;
}

/** The reference as a whole value in `syntax`, or undefined when that syntax cannot refer to it. */
export function referenceText(reference: Reference, syntax: Syntax): string | undefined {
  if (reference.kind === 'tf') {
    if (syntax === 'hcl') return reference.expression;
    if (syntax === 'hcl-string') return `\${${reference.expression}}`;
    return undefined;
  }
  if (syntax === 'yaml') return reference.fn === 'Ref' ? `!Ref ${reference.target}` : `!GetAtt ${reference.target}.${reference.attribute}`;
  if (syntax === 'json') return reference.fn === 'Ref' ? `{"Ref": ${JSON.stringify(reference.target)}}` : `{"Fn::GetAtt": [${JSON.stringify(reference.target)}, ${JSON.stringify(reference.attribute)}]}`;
  return undefined;
}

/** The reference inside a string (`${IdentityPool}` for !Sub, `${aws_x.y.id}` in Terraform). */
export function inlineText(reference: Reference): string {
  if (reference.kind === 'tf') return `\${${reference.expression}}`;
  return reference.fn === 'Ref' ? `\${${reference.target}}` : `\${${reference.target}.${reference.attribute}}`;
}

// Shapes of the values a definition makes up; `rewrite` finds them in messages by shape, then
// looks them up (one pass per message, whatever the number of symbols).
const REGION = String.raw`[a-z]{2}(?:-[a-z]+)+-\d`;
const SHAPES = [
  String.raw`arn:aws[\w-]*:[a-z0-9-]+:(?:${REGION})?:(?:\d{12}|aws)?:[\w+=,.@/:*-]+`,
  String.raw`cognito-idp\.${REGION}\.amazonaws\.com/${REGION}_[A-Za-z0-9]+`,
  String.raw`${REGION}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`,
  String.raw`${REGION}_[A-Za-z0-9]+`,
  String.raw`symclient\d+`,
];
const SHAPE = new RegExp(`"?(?:${SHAPES.join('|')})"?`, 'g');

export class SymbolTable {
  private readonly byValue = new Map<string, SourceSymbol>();
  /** Placeholders for the region and account when the definition does not fix them. */
  private readonly placeholders = new Map<string, string>();

  add(symbol: SourceSymbol): SourceSymbol {
    if (!this.byValue.has(symbol.value)) this.byValue.set(symbol.value, symbol);
    return symbol;
  }

  get(value: string): SourceSymbol | undefined {
    return this.byValue.get(value);
  }

  get size(): number {
    return this.byValue.size;
  }

  values(): IterableIterator<SourceSymbol> {
    return this.byValue.values();
  }

  /** A made-up region or account id and how to show it (`${AWS::Region}`, `<region>`). */
  placeholder(value: string, shown: string): void {
    this.placeholders.set(value, shown);
  }

  /** The symbol a synthetic value, or a value that starts with one (`<table ARN>/index/*`), stands for. */
  lookup(value: string): { symbol: SourceSymbol; rest: string } | undefined {
    let candidate = value;
    for (;;) {
      const symbol = this.byValue.get(candidate);
      if (symbol) return { symbol, rest: value.slice(candidate.length) };
      const cut = candidate.lastIndexOf('/');
      if (cut <= 0) return undefined;
      candidate = candidate.slice(0, cut);
    }
  }

  /** Text for people: every synthetic value replaced by how the file writes it. */
  rewrite(text: string): string {
    let out = text.replace(SHAPE, (whole) => {
      // A sentence's full stop or comma after an unquoted value is not part of it.
      const tail = whole.endsWith('"') ? '' : (/[.,:]+$/.exec(whole)?.[0] ?? '');
      const match = whole.slice(0, whole.length - tail.length);
      const quoted = match.length > 1 && match.startsWith('"') && match.endsWith('"');
      const inner = match.replace(/^"|"$/g, '');
      const found = this.lookup(inner);
      if (!found) return whole;
      const reference = found.symbol.reference;
      const lead = match.startsWith('"') && !quoted ? '"' : '';
      const trail = match.endsWith('"') && !quoted ? '"' : '';
      if (found.rest === '') return `${lead}${referenceText(reference, found.symbol.syntax) ?? inlineText(reference)}${trail}${tail}`;
      return `${match.startsWith('"') ? '"' : ''}${inlineText(reference)}${found.rest}${match.endsWith('"') ? '"' : ''}${tail}`;
    });
    for (const [value, shown] of this.placeholders) out = out.split(value).join(shown);
    return out;
  }
}
