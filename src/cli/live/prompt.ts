// Terminal questions for the live commands: passwords hidden, never echoed or logged.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { NoTerminalError, type Prompt } from '../../pipeline/prompt.ts';

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
