// Diagnose before deploy (issue 13): a generated CloudFormation YAML template of 2,000 resources
// diagnosed once (goal here: under 2 s), and a 300-resource template diagnosed again after an
// edit, as an editor would on every change (goal: well under 300 ms). Each time is reported with
// two ratios against baselines measured in this same run: the `yaml` package's parse of the same
// text with the CloudFormation tags (what reading it costs at least), and the engine's own
// diagnose of the snapshot the template becomes (what the checks cost without the definition),
// and where the time goes (reading, engine, locating). No timed assertions.
// BENCH_SMOKE=1 (the unit tests' smoke run): 60 and 30 resources, two edits.
import { parseDocument } from 'yaml';
import { diagnose } from '../src/core/diagnose.ts';
import { diagnoseTemplate, parseTemplateText } from '../src/core/iac/index.ts';
import { CUSTOM_TAGS } from '../src/core/iac/yamlSource.ts';
import { EDIT_DEBOUNCE_MS } from '../src/vscode/templates/detect.ts';

const SMOKE = Boolean(process.env.BENCH_SMOKE) && process.env.BENCH_SMOKE !== '0';
const LARGE = SMOKE ? 60 : 2_000;
const EDITED = SMOKE ? 30 : 300;
const EDITS = SMOKE ? 2 : 20;

/**
 * One "app" is 10 resources: user pool, client, identity pool, role attachment (Token mapping),
 * two groups with their roles (one role's aud is the user pool id every 7th app: the article's
 * fault), a default role, the table.
 */
function app(i: number, marker = ''): string {
  const aud = i % 7 === 0 ? `!Ref UserPool${i}` : `!Ref IdentityPool${i}`;
  const trust = (audience: string): string => `      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Federated: cognito-identity.amazonaws.com }
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: { cognito-identity.amazonaws.com:aud: ${audience} }
              ForAnyValue:StringLike: { cognito-identity.amazonaws.com:amr: authenticated }
      Policies:
        - PolicyName: own-items${marker}
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:Query, dynamodb:PutItem]
                Resource: !GetAtt Table${i}.Arn
                Condition:
                  ForAllValues:StringEquals: { dynamodb:LeadingKeys: ['\${cognito-identity.amazonaws.com:sub}'] }
`;
  const group = (name: string, precedence: number): string => `  ${name}${i}:
    Type: AWS::Cognito::UserPoolGroup
    Properties: { UserPoolId: !Ref UserPool${i}, GroupName: ${name}, Precedence: ${precedence}, RoleArn: !GetAtt ${name}Role${i}.Arn }
  ${name}Role${i}:
    Type: AWS::IAM::Role
    Properties:
${trust(name === 'Readers' ? aud : `!Ref IdentityPool${i}`)}`;
  return `  UserPool${i}:
    Type: AWS::Cognito::UserPool
    Properties: { UserPoolName: pool-${i} }
  Client${i}:
    Type: AWS::Cognito::UserPoolClient
    Properties: { UserPoolId: !Ref UserPool${i}, ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH] }
  IdentityPool${i}:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: false
      CognitoIdentityProviders: [{ ClientId: !Ref Client${i}, ProviderName: !GetAtt UserPool${i}.ProviderName }]
  Attachment${i}:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref IdentityPool${i}
      Roles: { authenticated: !GetAtt DefaultRole${i}.Arn }
      RoleMappings:
        users:
          IdentityProvider: !Join [':', [!GetAtt UserPool${i}.ProviderName, !Ref Client${i}]]
          Type: Token
          AmbiguousRoleResolution: AuthenticatedRole
${group('Readers', 1)}${group('Writers', 2)}  DefaultRole${i}:
    Type: AWS::IAM::Role
    Properties:
${trust(`!Ref IdentityPool${i}`)}  Table${i}:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: table-${i}
      KeySchema: [{ AttributeName: owner, KeyType: HASH }]
`;
}

function template(resources: number, marker = ''): string {
  const apps = Math.max(1, Math.round(resources / 10));
  return `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${Array.from({ length: apps }, (_, i) => app(i, i === 0 ? marker : '')).join('')}`;
}

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const row = (label: string, ms: number, yamlMs: number, engineMs: number, goal: string): string =>
  `| ${label.padEnd(44)} | ${ms.toFixed(0).padStart(7)} | ${(ms / yamlMs).toFixed(1).padStart(13)} | ${(ms / engineMs).toFixed(1).padStart(13)} | ${goal.padEnd(10)} |`;

// Warm up the parser and the engine on a small template (JIT), so neither run pays for it.
diagnoseTemplate(parseTemplateText('warmup.yaml', template(20)));

console.log(`Template benchmark: CloudFormation YAML with short tags; ${LARGE} resources once, ${EDITED} resources after each of ${EDITS} edits (median)`);
console.log('| run                                          |      ms |  x yaml parse | x engine only | goal       |');
console.log('|----------------------------------------------|--------:|--------------:|--------------:|------------|');

const parseYaml = (text: string): unknown => parseDocument(text, { customTags: CUSTOM_TAGS, uniqueKeys: false });
const large = template(LARGE);
// Medians of a few runs: the machine may be busy with other work.
const REPEAT = SMOKE ? 1 : 3;
const reads: number[] = [];
const engines: number[] = [];
const totals: number[] = [];
const yamls: number[] = [];
let largeFindings = diagnoseTemplate(parseTemplateText('large.yaml', template(10)));
for (let i = 0; i < REPEAT; i++) {
  yamls.push(time(() => parseYaml(large)).ms);
  const read = time(() => parseTemplateText('large.yaml', large));
  reads.push(read.ms);
  engines.push(time(() => diagnose(read.value.snapshot)).ms);
  const all = time(() => diagnoseTemplate(read.value));
  totals.push(read.ms + all.ms);
  largeFindings = all.value;
}
const [largeMs, largeYaml, largeEngine, largeRead] = [median(totals), median(yamls), median(engines), median(reads)];
console.log(row(`diagnose ${LARGE} resources (${(large.length / 1024).toFixed(0)} KiB)`, largeMs, largeYaml, largeEngine, '< 2000 ms'));

const edited: number[] = [];
const editedYaml: number[] = [];
const editedEngine: number[] = [];
for (let edit = 0; edit < EDITS; edit++) {
  // The edit an editor sends: one policy renamed (the text changes, the size barely).
  const text = template(EDITED, `-v${edit}`);
  editedYaml.push(time(() => parseYaml(text)).ms);
  const run = time(() => diagnoseTemplate(parseTemplateText('edited.yaml', text)));
  edited.push(run.ms);
  const model = parseTemplateText('edited.yaml', text);
  editedEngine.push(time(() => diagnose(model.snapshot)).ms);
}
console.log(row(`re-diagnose ${EDITED} resources after an edit`, median(edited), median(editedYaml), median(editedEngine), '<< 300 ms'));
console.log(row(`  + ${EDIT_DEBOUNCE_MS} ms quiet time: last key to squiggles`, median(edited) + EDIT_DEBOUNCE_MS, median(editedYaml), median(editedEngine), '< 300 ms'));
console.log(`${LARGE} resources, medians: reading ${largeRead.toFixed(0)} ms (the yaml package alone: ${largeYaml.toFixed(0)} ms), engine ${largeEngine.toFixed(0)} ms, locating and rewriting ${Math.max(0, largeMs - largeRead - largeEngine).toFixed(0)} ms`);
console.log(`${largeFindings.findings.length} findings in the large template (${largeFindings.summary.errors} errors); peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
