/**
 * Keeps a set of upstreams running for the relays: one `UpstreamSource` per instance,
 * started in parallel (all at once, or each on demand), a failed start retried with
 * jittered exponential backoff, a dead upstream restarted, and every process tree stopped
 * on `stop`/`close`.
 *
 * A start that fails for a reason a retry may cure (the server exited before its handshake,
 * did not answer in time, its URL did not answer) is retried for ever by default, at most
 * every `retry.maxDelayMs` (30 s): the instance comes back on its own once the server
 * does. Each failure is reported (state `down{restarting: true}` with the real error
 * message, and a `failed` event with `retryInMs`). With `retry.maxAttempts` the supervisor
 * gives up after that many consecutive failures.
 *
 * A start a retry cannot cure is not retried: a command that is missing (ENOENT) or not
 * executable (EACCES, ENOTDIR; see `isPermanentStartFailure`) ends the series at the first
 * attempt, with a `failed` event marked `permanent` and no `retryInMs`. Retrying would only
 * fill the log with the same message.
 *
 * Given up, for either reason, the state is `down{restarting: false}` with the reason, and
 * stays so until `start` or `restart` is called again (the user restarts the instance,
 * or a changed configuration replaces it).
 *
 * `stop`/`close` abort a start under way (its process is stopped within the grace time)
 * rather than wait out a handshake that may never finish, then close what it opened.
 */
import { RELAY_CLIENT_CAPABILITIES, type UpstreamSource, type UpstreamState } from '../mux';
import { resolveRetryPolicy } from './backoff';
import { SupervisedUpstream } from './supervisedUpstream';
import { REAL_TIMERS, type SupervisedInstance, type SupervisorOptions } from './supervisionTypes';

export type { SupervisedInstance, SupervisorEvent, SupervisorOptions, Timers } from './supervisionTypes';
export type { RetryPolicy } from './backoff';
export { describeSupervisorEvent } from './describeSupervisorEvent';

export class SupervisorClosedError extends Error {
  readonly code = 'supervisor-closed';
  constructor(what: string) {
    super(`Cannot ${what}: the supervisor is closed; create a new one.`);
    this.name = 'SupervisorClosedError';
  }
}

export class UnknownInstanceError extends Error {
  readonly code = 'unknown-instance';
  constructor(
    readonly key: string,
    known: readonly string[],
  ) {
    super(`No supervised instance "${key}"; known: ${known.length === 0 ? '(none)' : known.map((k) => `"${k}"`).join(', ')}.`);
    this.name = 'UnknownInstanceError';
  }
}

/**
 * The upstreams of one relay host (a CLI process, a VS Code window). Sources are created
 * with the supervisor and live as long as it does; nothing starts until `start`/`startAll`.
 */
export class Supervisor {
  private readonly upstreams = new Map<string, SupervisedUpstream>();
  private closing: Promise<void> | undefined;

  constructor(instances: readonly SupervisedInstance[], options: SupervisorOptions = {}) {
    const upstreamOptions = {
      ...options,
      clientCapabilities: options.clientCapabilities ?? RELAY_CLIENT_CAPABILITIES,
      retryPolicy: resolveRetryPolicy(options.retry),
      timers: options.timers ?? REAL_TIMERS,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
    };
    for (const instance of instances) {
      if (this.upstreams.has(instance.key)) throw new Error(`Two supervised instances share the key "${instance.key}"; keys must be unique.`);
      this.upstreams.set(instance.key, new SupervisedUpstream(instance, upstreamOptions));
    }
  }

  /** The source a relay consumes for `key`; the same object for the supervisor's life. */
  source(key: string): UpstreamSource {
    return this.get(key);
  }

  /** Every source, in the order the instances were given. */
  sources(): readonly UpstreamSource[] {
    return [...this.upstreams.values()];
  }

  states(): ReadonlyMap<string, UpstreamState> {
    return new Map([...this.upstreams].map(([key, upstream]) => [key, upstream.state()]));
  }

  /**
   * Starts `key` unless it is already up, starting or waiting to retry. Resolves once this
   * attempt settles (`up` or `down`); never rejects for a failing upstream.
   */
  async start(key: string): Promise<void> {
    this.assertOpen(`start "${key}"`);
    await this.get(key).start();
  }

  /** Starts every instance at once; resolves when each first attempt has settled. */
  async startAll(): Promise<void> {
    this.assertOpen('start the instances');
    await Promise.all([...this.upstreams.values()].map((upstream) => upstream.start()));
  }

  /** Stops `key` and its process tree; a pending retry is cancelled. Idempotent. */
  stop(key: string): Promise<void> {
    return this.get(key).stop();
  }

  /** Stops `key`, then starts it afresh (a new backoff series). Resolves when that start settles. */
  async restart(key: string): Promise<void> {
    this.assertOpen(`restart "${key}"`);
    await this.get(key).restart();
  }

  /** Stops everything; afterwards no process and no timer of the supervisor is left. Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([...this.upstreams.values()].map((upstream) => upstream.stop())).then(() => undefined);
    return this.closing;
  }

  private get(key: string): SupervisedUpstream {
    const upstream = this.upstreams.get(key);
    if (upstream === undefined) throw new UnknownInstanceError(key, [...this.upstreams.keys()]);
    return upstream;
  }

  private assertOpen(what: string): void {
    if (this.closing !== undefined) throw new SupervisorClosedError(what);
  }
}

export function createSupervisor(instances: readonly SupervisedInstance[], options: SupervisorOptions = {}): Supervisor {
  return new Supervisor(instances, options);
}
