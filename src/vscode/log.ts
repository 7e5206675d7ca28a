// The "Cognito Access" log: a LogOutputChannel with a [component] tag on every line, and every
// line redacted before it is written: the secret values the session registered (rememberSecret in
// src/core/redact.ts: passwords, client secrets, tokens, a test user's keys) and whatever looks
// like a token, key or secret.
import type * as vscode from 'vscode';
import { redact } from '../core/redact.ts';

export class Log {
  constructor(
    private readonly channel: vscode.LogOutputChannel,
    private readonly component = 'extension',
  ) {}

  /** The same channel, tagged with another component. */
  for(component: string): Log {
    return new Log(this.channel, component);
  }

  info(message: string): void {
    this.channel.info(this.line(message));
  }

  warn(message: string): void {
    this.channel.warn(this.line(message));
  }

  error(message: string | Error): void {
    this.channel.error(this.line(message instanceof Error ? message.message : message));
  }

  debug(message: string): void {
    this.channel.debug(this.line(message));
  }

  show(): void {
    this.channel.show(true);
  }

  private line(message: string): string {
    return `[${this.component}] ${redact(message)}`;
  }
}
