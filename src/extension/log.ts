/**
 * The "mcplex" log channel (a `LogOutputChannel`, so the user picks the level and VS Code
 * adds timestamps). Each state change of an instance (rendered by view/stateRender.ts, as
 * the tree does), the lifecycle events' own lines and each upstream's stderr go here,
 * prefixed with the instance they come from (`[notes/work] …`).
 *
 * Never a secret value: config values are logged redacted by the core, but an upstream
 * may echo its own API key on stderr. So every line passes through `redact`, which
 * replaces every secret value handed out by the SecretResolver (see secrets.ts) the way
 * the core hides them everywhere (core/redaction).
 */
import type * as vscode from 'vscode';
import type { InstanceStatus } from '../core/runtime';
import { stateLine } from './view';
import { redactValues } from '../core/redaction';
import type { VsCodeApi } from './vscodeApi';

export const LOG_CHANNEL_NAME = 'mcplex';

export type LogChannel = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'show' | 'dispose'>;

export class McplexLog {
  constructor(
    private readonly channel: LogChannel,
    /** The secret values to keep out of the log, read at each line (they change). */
    private readonly secretValues: () => Iterable<string> = () => [],
  ) {}

  static create(api: Pick<VsCodeApi, 'window'>, secretValues?: () => Iterable<string>): McplexLog {
    return new McplexLog(api.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }), secretValues);
  }

  info(message: string): void {
    this.channel.info(this.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redact(message));
  }

  error(message: string): void {
    this.channel.error(this.redact(message));
  }

  /** A line an instance's upstream wrote on stderr. */
  upstream(instance: string, line: string): void {
    this.channel.info(this.redact(`[${instance}] ${line}`));
  }

  /** A lifecycle event's own line (exited after 3 s, restarting in 2 s, up with the server's version…). */
  instanceEvent(instance: string, text: string): void {
    this.channel.info(this.redact(`[${instance}] ${text}`));
  }

  /** A change of an instance's state, in the words the tree and the status bar use: `running (pid 123)`. */
  instanceState(instance: string, status: InstanceStatus): void {
    this.channel.info(this.redact(`[${instance}] ${stateLine(status)}`));
  }

  show(): void {
    this.channel.show(true);
  }

  redact(text: string): string {
    return redactValues(text, this.secretValues());
  }

  dispose(): void {
    this.channel.dispose();
  }
}
