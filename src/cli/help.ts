// The command line's help: every command, option and environment variable it reads
// (shared/spec/cli.md: "`--help` of each command lists every option and environment variable").
// The README's command-line section says the same; test/unit/cli.test.ts checks both against
// the option specs, so neither can fall behind.

const EXIT = `Exit status: 0 done (a partial scan is done: its gaps are in the file and on stderr);
1 diagnose found an error-level finding, or the AWS side failed (one line naming the service,
operation, endpoint and AWS error code); 2 bad usage or bad input; 3 an internal error (a bug:
"internal error:" and one line; --debug adds the stack); 130 interrupted (Ctrl-C).`;

const AWS_ENV = `Environment: AWS_PROFILE, AWS_REGION / AWS_DEFAULT_REGION, AWS_CONFIG_FILE,
AWS_SHARED_CREDENTIALS_FILE, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (and the rest of the AWS SDK's credential chain:
SSO, credential_process, web identity); COGNITO_ACCESS_DEBUG=1 (same as --debug).`;

const SIGN_IN_ENV = `Sign-in: COGNITO_ACCESS_PASSWORD (else a hidden prompt; never an argument),
COGNITO_ACCESS_CLIENT_SECRET (for a client with a secret; else a prompt), COGNITO_ACCESS_ID_TOKEN
(an ID token got elsewhere: no sign-in; same as --id-token-file).`;

const USER_OPTIONS = `  --user-pool ID          the user pool (required, unless --provider)
  --client ID             the app client (required, unless --provider)
  --username NAME         the test user (required, unless --provider)
  --identity-pool ID      the identity pool (default: the one that trusts this client)
  --custom-role-arn ARN   ask for this role (CustomRoleArn), as an app may
  --auth-flow MODE        auto (default: SRP, else USER_PASSWORD_AUTH), srp or password
  --id-token-file FILE    use this ID token instead of signing in
  --provider NAME         sign in through this OIDC provider of the identity pool instead (its host
                          or IAM ARN; the Logins key is the host) with its ID token from
                          --id-token-file or COGNITO_ACCESS_ID_TOKEN; needs --identity-pool
  --basic-flow --role ARN the basic (classic) flow: GetOpenIdToken, then STS
                          AssumeRoleWithWebIdentity of this role (the pool must allow it)
  --profile P, --region R the inspector's AWS credentials and region (the scan it compares with)
  --timeout SECONDS       time limit of each AWS call, retries included (default 30)
  --format text|json      output (default text)
  --debug                 print the stack of an internal error`;

export const HELP: Record<string, string> = {
  diagnose: `Usage: cognito-access diagnose --snapshot FILE [--format text|json]
       cognito-access diagnose --template PATH [--format text|json|sarif]

Every finding of the fault catalog over an account snapshot, with the real values and a fix; or,
before deploy, over a definition: each finding at the file, line and column of the offending value.
  --snapshot FILE         the snapshot (written by scan, or by hand: shared/spec/snapshot.md)
  --template PATH         a CloudFormation or SAM template (JSON or YAML, also a Serverless file's
                          resources), a CDK cloud assembly (cdk.out, or a folder holding one) or a
                          Terraform folder (its .tf files, terraform.tfvars, local modules one level
                          deep). What only deploy knows (a parameter without default, an import) and
                          what is not read are info findings; files over 10 MB are refused
  --format text|json|sarif
                          output (default text; sarif: SARIF 2.1.0, --template only)

${EXIT}
Environment: COGNITO_ACCESS_DEBUG=1 prints the stack of an internal error.
`,
  simulate: `Usage: cognito-access simulate --snapshot FILE [options]

What happens when this user signs in, and may the credentials do this?
  --snapshot FILE         the snapshot
  --user-pool ID, --client ID, --identity-pool ID
                          needed only where the snapshot has several
  --user NAME | --groups A,B,... | --provider NAME | --guest
                          who signs in (--user takes the groups from the snapshot's Users)
  --provider NAME         a login from another provider of the identity pool: a social one
                          (accounts.google.com, graph.facebook.com, www.amazon.com,
                          appleid.apple.com), an OIDC provider's host (or its ARN), a SAML
                          provider ARN, or the developer provider; its claims come from --claim
  --claim KEY=VALUE       an extra token claim, for Rules mappings and principal tags (repeat it)
  --custom-role-arn ARN   ask for this role
  --basic-flow --role ARN the basic (classic) flow: GetOpenIdToken, then the client asks STS for
                          this role itself (no role mappings, no Cognito session policy)
  --override-groups A,B   a pre token generation trigger's answer: replaces cognito:groups
  --override-roles ARN,ARN                  ... replaces cognito:roles
  --override-preferred-role ARN             ... replaces cognito:preferred_role
  --action dynamodb:ACTION --table NAME [--partition own|other|VALUE]
                          evaluate a DynamoDB request with the resulting role (and its session
                          tags, aws:PrincipalTag/<key>)
  --format text|json      output (default text); JSON: claims, resolution (with sessionTags and
                          notes), access, sessionTags, trigger, provider, flow

${EXIT}
Environment: COGNITO_ACCESS_DEBUG=1 prints the stack of an internal error.
`,
  explain: `Usage: cognito-access explain --snapshot FILE (--message TEXT | --stdin) [options]

Explains an AWS error text against a snapshot: AccessDenied (the role of the assumed-role ARN,
evaluated with its identity pool's Cognito context: the deciding statements and the smallest
change that would allow it), InvalidIdentityPoolConfigurationException (every role the pool hands
out, most reached first, with the trust fault and the corrected trust policy), the identity pool's
NotAuthorizedException messages, ExpiredToken and ConditionalCheckFailed (their cause and the
configuration values behind it). The SDK's wrapping around the message does not matter.
  --snapshot FILE         the snapshot
  --message TEXT          the error text
  --stdin                 read the error text from standard input instead
  --identity-pool ID      the identity pool (id or name): the one InvalidIdentityPoolConfiguration
                          came from (needed where the snapshot has several), or whose Cognito
                          context AccessDenied is evaluated with (default: one that hands out the role)
  --format text|json      output (default text)

Exit status: 0 explained; 1 an error-level finding explains it (e.g. a trust fault behind
InvalidIdentityPoolConfiguration); 2 bad usage or bad input, also a text that is none of the
understood forms (stderr lists them); 3 an internal error (a bug; --debug adds the stack).
Environment: COGNITO_ACCESS_DEBUG=1 prints the stack of an internal error.
`,
  'access-matrix': `Usage: cognito-access access-matrix --snapshot FILE [--table NAME] [--format text|json|csv]

Who can do what: every way into a role (each group's role through a Token mapping, each rule, the
authenticated and guest roles of each identity pool) against each DynamoDB action on each table:
allowed, allowed on the caller's own partition only (a dynamodb:LeadingKeys condition on
\${cognito-identity.amazonaws.com:sub}), denied, or no credentials this way (the trust policy
refuses, guests not allowed).
  --snapshot FILE         the snapshot
  --table NAME            only this table
  --format text|json|csv  output (default text; csv: one line per cell)

${EXIT}
Environment: COGNITO_ACCESS_DEBUG=1 prints the stack of an internal error.
`,
  scan: `Usage: cognito-access scan [options] --out FILE

Reads the account's user pools, identity pools, the roles they hand out and the tables those
roles name into a snapshot. A read that fails (denied, unsupported, throttled past the retries,
timed out) is recorded in the snapshot's scanGaps and summarised on stderr; everything else the
scan read is kept. The least-privilege policy for scan is in the README.
  --out FILE              where to write the snapshot (checked before scanning)
  --profile P             an AWS profile of the shared config (default: AWS_PROFILE, else default)
  --region R              the region (default: AWS_REGION, else the profile's region)
  --user-pool ID          only this user pool (repeat it)
  --identity-pool ID      only this identity pool (repeat it); with no --user-pool, the user
                          pools it trusts
  --users                 also list users and their groups
  --concurrency N         AWS calls in flight at once (default 8)
  --timeout SECONDS       time limit of each AWS call, retries included (default 30; connecting
                          is limited to 5 s)
  --iam-strategy S        auto (default), per-role or account (GetAccountAuthorizationDetails)
  --fail-on-gaps          exit 1 when anything could not be read
  --format text|json      summary on stdout (default text)
  --debug                 print the stack of an internal error

${EXIT}
${AWS_ENV}
COGNITO_ACCESS_PROGRESS=1 prints each item read on stderr.
`,
  'test-user': `Usage: cognito-access test-user --user-pool ID --client ID --username NAME [options]
       cognito-access test-user --provider NAME --identity-pool ID --id-token-file FILE [options]

Signs the test user in, trades the ID token at the identity pool, and compares the live result
with the engine's prediction from a fresh scan. No keys or tokens in the output.
${USER_OPTIONS}

${EXIT}
${SIGN_IN_ENV}
${AWS_ENV}
`,
  probe: `Usage: cognito-access probe --user-pool ID --client ID --username NAME --table NAME [options]

Signs the test user in and tries the role's DynamoDB actions on each table without changing any
data, next to the engine's decision and its explanation.
  --table NAME            a table to probe (repeat it)
${USER_OPTIONS}

${EXIT}
${SIGN_IN_ENV}
${AWS_ENV}
`,
};
