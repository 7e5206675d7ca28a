// What the probe's engine side needs of a test user's session besides the role: the session tags,
// the provider and the flow (src/aws/probe.ts ProbeRun). Type imports only, so the editor's panels
// can use it without loading the AWS SDK.
import type { Session } from './session.ts';

export interface ProbeContext {
  /** The session's principal tags: the live ones when known, else the engine's prediction. */
  sessionTags?: Record<string, string>;
  /** The login's provider (its Logins key goes in amr), when not a user pool. */
  provider?: string;
  basicFlow?: boolean;
}

export function probeContextOf(session: Pick<Session, 'comparison' | 'provider' | 'flow'>): ProbeContext {
  const tags = session.comparison.sessionTags?.live ?? session.comparison.sessionTags?.predicted;
  return {
    ...(tags && Object.keys(tags).length > 0 ? { sessionTags: tags } : {}),
    ...(session.provider ? { provider: session.provider } : {}),
    ...(session.flow === 'basic' ? { basicFlow: true } : {}),
  };
}
