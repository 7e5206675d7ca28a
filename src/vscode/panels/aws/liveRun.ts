// SDK side of "Test as user" and the live probe. Bundled into dist/aws.js through
// src/vscode/awsAdapters.ts and reached only through loadAws(): never import this at run time
// from the extension bundle.
// The orchestration is the pipeline's (src/pipeline/session.ts, shared with the CLI: scan, sign in, verify, GetId,
// GetCredentialsForIdentity, GetCallerIdentity, prediction): reused, not written twice. What this
// file adds is what an editor needs around it: each AWS call reported as it starts (a middleware
// on the clients), cancellation, and the tokens kept for the panel (read from the sign-in
// response in memory; never logged, never stored).
import type { AwsContext, AwsCredentials } from '../../../aws/context.ts';
import { createAwsContext } from '../../../aws/context.ts';
import { describeTables, runProbes, type ProbeResult } from '../../../aws/probe.ts';
import type { Snapshot } from '../../../core/snapshot.ts';
import { runSession, type Session, type SessionOptions } from '../../../pipeline/session.ts';
import type { Prompt } from '../../../pipeline/prompt.ts';

/** The steps a person sees, in order. Other calls (the scan's reads) are reported as `scan`. */
export type LiveStep = 'scan' | 'signIn' | 'challenge' | 'signature' | 'GetId' | 'GetCredentialsForIdentity' | 'GetOpenIdToken' | 'AssumeRoleWithWebIdentity' | 'GetCallerIdentity';

export interface TestUserRun {
  profile: string;
  region: string;
  options: SessionOptions;
  /** Exactly one of password and idToken. Held only for the call. */
  password?: string;
  idToken?: string;
  clientSecret?: string;
  /** Challenge answers and a missing client secret are asked through this. */
  prompt: Prompt;
  onStep: (step: LiveStep) => void;
  signal?: AbortSignal;
  /** Time limit of one AWS call in seconds, retries included (setting cognitoAccess.requestTimeoutSeconds). */
  timeoutSeconds?: number;
}

export interface TestUserOutcome {
  session: Session;
  /** In memory only: the panel shows claims, never the raw token. */
  idToken: string;
  accessToken?: string;
  /** Whether the prompt had to ask for the client secret (so the caller may offer to remember it). */
  askedClientSecret: boolean;
}

export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

interface Stack {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string; override?: boolean }): void };
}
type Handler = (args: unknown) => Promise<{ output: Record<string, unknown> }>;

/** Reports every command a client sends and lets a cancelled run stop before the next call. */
function observe(client: unknown, onCommand: (name: string, output?: Record<string, unknown>) => void, signal?: AbortSignal): void {
  (client as Stack).middlewareStack.add(
    (next: Handler, context: { commandName?: string }) => async (args: unknown) => {
      if (signal?.aborted) throw new CancelledError();
      const name = context.commandName?.replace(/Command$/, '') ?? '';
      onCommand(name);
      const result = await next(args);
      onCommand(`${name}:done`, result.output);
      return result;
    },
    { step: 'initialize', name: 'cognitoAccessSteps', override: true },
  );
}

export async function runTestUser(run: TestUserRun): Promise<TestUserOutcome> {
  const context = await createAwsContext({ profile: run.profile, region: run.region, timeoutSeconds: run.timeoutSeconds });
  let idToken = run.idToken;
  let accessToken: string | undefined;
  let lastStep: LiveStep | undefined;
  const step = (s: LiveStep) => {
    if (s !== lastStep) run.onStep(s);
    lastStep = s;
  };
  const onCommand = (name: string, output?: Record<string, unknown>) => {
    if (name === 'InitiateAuth') step('signIn');
    else if (name === 'RespondToAuthChallenge') step('challenge');
    else if (name === 'GetId' || name === 'GetCredentialsForIdentity' || name === 'GetOpenIdToken') step(name);
    else if ((name === 'InitiateAuth:done' || name === 'RespondToAuthChallenge:done') && output) {
      const result = output.AuthenticationResult as { IdToken?: string; AccessToken?: string } | undefined;
      if (result?.IdToken) {
        idToken = result.IdToken;
        accessToken = result.AccessToken;
        step('signature');
      }
    } else if (!name.endsWith(':done') && lastStep === undefined) step('scan');
  };
  observe(context.clients.cognitoIdp, onCommand, run.signal);
  observe(context.clients.cognitoIdentity, onCommand, run.signal);
  observe(context.clients.iam, onCommand, run.signal);
  observe(context.clients.dynamodb, onCommand, run.signal);
  // The inspector's STS client also asks for the account: only the basic flow's call is a step.
  observe(context.clients.sts, (name) => { if (name === 'AssumeRoleWithWebIdentity') step(name); }, run.signal);
  // Only the test user's STS client reports GetCallerIdentity (the inspector's own asks for the account).
  const observed: AwsContext = {
    ...context,
    withCredentials(credentials: AwsCredentials) {
      const pair = context.withCredentials(credentials);
      observe(pair.sts, (name) => { if (name === 'GetCallerIdentity') step('GetCallerIdentity'); }, run.signal);
      return pair;
    },
  };
  let askedClientSecret = false;
  const prompt: Prompt = (question, hidden) => {
    if (/^Client secret/i.test(question)) askedClientSecret = true;
    return run.prompt(question, hidden);
  };
  const env: NodeJS.ProcessEnv = {};
  if (run.idToken) env.COGNITO_ACCESS_ID_TOKEN = run.idToken;
  if (run.password) env.COGNITO_ACCESS_PASSWORD = run.password;
  if (run.clientSecret) env.COGNITO_ACCESS_CLIENT_SECRET = run.clientSecret;
  const aborted = new Promise<never>((_, reject) => {
    if (run.signal?.aborted) reject(new CancelledError());
    run.signal?.addEventListener('abort', () => reject(new CancelledError()), { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const session = await Promise.race([runSession(observed, run.options, env, prompt), aborted]);
    if (!idToken) throw new Error('the sign-in returned no ID token');
    const outcome: TestUserOutcome = { session, idToken, askedClientSecret };
    if (accessToken) outcome.accessToken = accessToken;
    return outcome;
  } finally {
    context.destroy();
  }
}

export interface LiveProbeRun {
  profile: string;
  region: string;
  snapshot: Snapshot;
  credentials: AwsCredentials;
  roleArn: string;
  identityId: string;
  identityPoolId: string;
  tables: string[];
  /** Time limit of one AWS call in seconds, retries included (setting cognitoAccess.requestTimeoutSeconds). */
  timeoutSeconds?: number;
  /** The session's tags, provider and flow, for the engine's side (pipeline/session.ts probeContextOf). */
  sessionTags?: Record<string, string>;
  provider?: string;
  basicFlow?: boolean;
}

/** The probe matrix with the test user's credentials (src/aws/probe.ts: no probe changes data). */
export async function probeLive(run: LiveProbeRun): Promise<{ results: ProbeResult[]; warnings: string[] }> {
  const context = await createAwsContext({ profile: run.profile, region: run.region, timeoutSeconds: run.timeoutSeconds });
  try {
    const described = await describeTables(run.snapshot, run.tables, context.clients.dynamodb);
    const results = await runProbes({
      snapshot: described.snapshot, roleArn: run.roleArn, identityId: run.identityId, identityPoolId: run.identityPoolId,
      tables: run.tables, userDynamo: context.withCredentials(run.credentials).dynamodb, inspectorDynamo: context.clients.dynamodb,
      ...(run.sessionTags ? { sessionTags: run.sessionTags } : {}), ...(run.provider ? { provider: run.provider } : {}), ...(run.basicFlow ? { basicFlow: true } : {}),
    });
    return { results, warnings: described.warnings };
  } finally {
    context.destroy();
  }
}
