/**
 * The logs, each a `LogOutputChannel` (the user picks the level, VS Code adds timestamps):
 * the window's "mcplex" channel, where every line goes (prefixed with the instance it comes
 * from: `[notes/work] …`), and one "MCPlex: <label>" channel per instance with only its own
 * lines (its state changes, rendered by view/stateRender.ts as the tree does, its lifecycle
 * events, its upstream's stderr). "Show Instance Log" opens the latter: a user expects one
 * instance's story without filtering by hand. An instance's channel is made at its first line.
 *
 * Never a secret value: config values are logged redacted by the core, but an upstream
 * may echo its own API key on stderr. So every line passes through `redact`, which
 * replaces every secret value handed out by the SecretResolver (see secrets.ts) the way
 * the core hides them everywhere (core/redaction).
 */
import type * as vscode from 'vscode';
import type { EndpointSessionExpiry, InstanceStatus } from '../core/runtime';
import { stateLine } from './view';
import { redactValues } from '../core/redaction';
import type { VsCodeApi } from './vscodeApi';

export const LOG_CHANNEL_NAME = 'mcplex';

/** The name of an instance's own channel: `MCPlex: Notes · work`. */
export function instanceChannelName(label: string): string {
  return `MCPlex: ${label}`;
}

export type LogChannel = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'show' | 'dispose'>;

export class McplexLog {
  private readonly instanceChannels = new Map<string, LogChannel>();
  /** Instances' labels by tag (`notes/work` → `Notes · Work`), for their channels' names. */
  private readonly labels = new Map<string, string>();

  constructor(
    private readonly channel: LogChannel,
    /** The secret values to keep out of the log, read at each line (they change). */
    private readonly secretValues: () => Iterable<string> = () => [],
    /** Makes an instance's channel; absent: instance lines go to the window's channel only. */
    private readonly createChannel?: (name: string) => LogChannel,
  ) {}

  static create(api: Pick<VsCodeApi, 'window'>, secretValues?: () => Iterable<string>): McplexLog {
    return new McplexLog(api.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }), secretValues, (name) =>
      api.window.createOutputChannel(name, { log: true }),
    );
  }

  /** What to name the instance's channel, if it has none yet: the runtime knows the labels, told before its lines. */
  nameInstance(instance: string, label: string): void {
    this.labels.set(instance, label);
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
    this.instanceLine(instance, line, 'info');
  }

  /** A lifecycle event's own line (exited after 3 s, restarting in 2 s, up with the server's version…). */
  instanceEvent(instance: string, text: string): void {
    this.instanceLine(instance, text, 'info');
  }

  /** A change of an instance's state, in the words the tree and the status bar use: `running (pid 123)`. */
  instanceState(instance: string, status: InstanceStatus): void {
    this.instanceLine(instance, stateLine(status), status.kind === 'failed' ? 'error' : 'info');
  }

  /** A warning about one instance (two instances signed in as one account). */
  instanceWarning(instance: string, text: string): void {
    this.instanceLine(instance, text, 'warn');
  }

  /**
   * A session the window's host closed by itself (idle, over the cap, stalled), as `serve --http`
   * says it on stderr: in the instance's log when the endpoint is one instance's, else in the
   * window's with the endpoint named. A client that lost its session starts anew; idle is routine.
   */
  sessionExpired(closed: EndpointSessionExpiry, instance: string | undefined): void {
    const level = closed.expiry.reason === 'idle' ? 'info' : 'warn';
    if (instance !== undefined) this.instanceLine(instance, closed.expiry.message, level);
    else this.channel[level](this.redact(`${closed.endpoint}: ${closed.expiry.message}`));
  }

  show(): void {
    this.channel.show(true);
  }

  /** Opens the instance's own channel (made now if it has no line yet); the window's without `createChannel`. */
  showInstance(instance: string, label?: string): void {
    const channel = this.channelOf(instance, label);
    (channel ?? this.channel).show(true);
  }

  redact(text: string): string {
    return redactValues(text, this.secretValues());
  }

  dispose(): void {
    for (const channel of this.instanceChannels.values()) channel.dispose();
    this.instanceChannels.clear();
    this.channel.dispose();
  }

  private instanceLine(instance: string, text: string, level: 'info' | 'warn' | 'error'): void {
    const line = this.redact(text);
    this.channel[level === 'error' ? 'info' : level](`[${instance}] ${line}`);
    this.channelOf(instance)?.[level](line);
  }

  private channelOf(instance: string, label?: string): LogChannel | undefined {
    if (this.createChannel === undefined) return undefined;
    let channel = this.instanceChannels.get(instance);
    if (channel === undefined) {
      channel = this.createChannel(instanceChannelName(label ?? this.labels.get(instance) ?? instance));
      this.instanceChannels.set(instance, channel);
    }
    return channel;
  }
}
