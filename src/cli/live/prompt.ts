// Terminal questions for the live commands: passwords hidden, never echoed or logged.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { rememberSecret } from '../../core/redact.ts';

export type Prompt = (question: string, hidden: boolean) => Promise<string>;

/** Thrown when a secret is needed and there is no terminal to ask on. */
export class NoTerminalError extends Error {
  override name = 'NoTerminalError';
}

/** Asks on the terminal (stderr for the question, so stdout stays clean for JSON). */
export const terminalPrompt: Prompt = (question, hidden) => {
  if (!process.stdin.isTTY) return Promise.reject(new NoTerminalError(`${question.replace(/:\s*$/, '')}: no terminal to ask on`));
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise<string>((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer);
    });
    muted = hidden;
  });
};

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
