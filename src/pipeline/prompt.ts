// How the pipeline asks for what it needs (a password, a code): a Prompt is the terminal in the
// CLI (src/cli/live/prompt.ts) and input boxes in the extension. Secrets are registered for redaction.
import { rememberSecret } from '../core/redact.ts';

export type Prompt = (question: string, hidden: boolean) => Promise<string>;

/** Thrown when a secret is needed and there is no terminal (or other way) to ask. */
export class NoTerminalError extends Error {
  override name = 'NoTerminalError';
}

/** A secret from the environment, else asked (hidden); an empty answer is refused. Registered for redaction. */
export async function secretFrom(env: NodeJS.ProcessEnv, variable: string, prompt: Prompt, question: string): Promise<string> {
  const fromEnv = env[variable];
  rememberSecret(fromEnv);
  if (fromEnv) return fromEnv;
  let answer: string;
  try {
    answer = await prompt(question, true);
  } catch (error) {
    if (error instanceof NoTerminalError) throw new NoTerminalError(`${error.message}; set ${variable}`);
    throw error;
  }
  if (!answer) throw new NoTerminalError(`no answer to "${question.trim()}"; set ${variable}`);
  rememberSecret(answer);
  return answer;
}
