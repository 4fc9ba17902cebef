/**
 * The callback port of one instance's OAuth client, and what happens when it is taken
 * (issue 14, item 12). A client mcplex registered itself moves to the next derived
 * candidate and must be registered again (its redirect URI names the port); the stored
 * registration then says which candidate it uses, so the next run follows it. A pinned
 * `callbackPort`, or a client the user registered (`clientId`), cannot move: the error
 * says which process holds the port.
 */
import { callbackPortAttempt, callbackPortOf, CALLBACK_PORT_CANDIDATES, defaultCallbackPort, nextCallbackPort } from './callbackPort';
import { OAuthCallbackError } from './errors';
import { describePortHolder } from './portHolder';

export interface CallbackPortOptions {
  readonly instance: string;
  readonly url: string;
  readonly prefix: string;
  /** `auth.callbackPort`. */
  readonly pinned?: number | undefined;
  /** `auth.clientId`: registered by the user, with its redirect URI. */
  readonly configuredClient: boolean;
}

export class CallbackPortChoice {
  private current: number;
  private moves = 0;

  constructor(private readonly options: CallbackPortOptions) {
    this.current = options.pinned ?? defaultCallbackPort(options.url, options.prefix);
  }

  get port(): number {
    return this.current;
  }

  private get movable(): boolean {
    return this.options.pinned === undefined && !this.options.configuredClient;
  }

  /** A stored registration of ours names the candidate an earlier run moved to: use it. */
  follow(registration: unknown): void {
    if (!this.movable || typeof registration !== 'object' || registration === null) return;
    const uris = (registration as { redirect_uris?: unknown }).redirect_uris;
    const first = Array.isArray(uris) && typeof uris[0] === 'string' ? callbackPortOf(uris[0]) : undefined;
    if (first !== undefined && callbackPortAttempt(this.options.url, this.options.prefix, first) !== undefined) this.current = first;
  }

  /** A listener is up on the port: the next clash starts counting again. */
  listening(): void {
    this.moves = 0;
  }

  /**
   * The port is taken. Movable: the next candidate becomes the port (register again).
   * Otherwise, or once every candidate was tried: an error that names the holder.
   */
  async taken(cause: unknown): Promise<void> {
    const { instance, url, prefix } = this.options;
    const next = this.movable && this.moves < CALLBACK_PORT_CANDIDATES - 1 ? nextCallbackPort(url, prefix, this.current) : undefined;
    if (next !== undefined) {
      this.moves += 1;
      this.current = next;
      return;
    }
    const holder = await describePortHolder(this.current);
    const why = this.movable
      ? `every callback port mcplex derives for it is in use (the last, ${this.current}, by ${holder}); free one, or set \`auth.callbackPort\``
      : `port ${this.current} is in use by ${holder}; ${this.options.pinned !== undefined ? 'stop it or choose another `auth.callbackPort`' : 'stop it, or set `auth.callbackPort` to the port of the registered redirect URI'}`;
    this.moves = 0;
    throw new OAuthCallbackError(instance, `${instance}: cannot receive the sign-in: ${why}`, { cause });
  }
}
