/**
 * One supervised upstream: starts it, retries a failed start with backoff, restarts it when
 * it dies, stops it with its whole process tree, and tells a relay each change of state.
 *
 * Every start, stop and restart bumps `epoch`; an attempt that finishes under an older epoch
 * was overtaken and closes whatever it opened, so a late connection never comes back to life
 * and never leaks a process.
 */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { Disposable, UpstreamSource, UpstreamState } from '../mux';
import { backoffDelay, type ResolvedRetryPolicy } from './backoff';
import { connectUpstream, type UpstreamConnection } from './connect';
import { isPermanentStartFailure, ProcessExitedError } from './errors';
import { MessageTooLargeError } from '../wire';
import type { SupervisedInstance, SupervisorEvent, SupervisorOptions, Timers } from './supervisionTypes';

export interface SupervisedUpstreamOptions extends SupervisorOptions {
  readonly clientCapabilities: ClientCapabilities | (() => ClientCapabilities);
  readonly retryPolicy: ResolvedRetryPolicy;
  readonly timers: Timers;
  readonly random: () => number;
  readonly now: () => number;
}

export class SupervisedUpstream implements UpstreamSource {
  readonly key: string;
  private current: UpstreamState = { kind: 'stopped' };
  private readonly listeners = new Set<(state: UpstreamState) => void>();
  private settledWaiters: (() => void)[] = [];
  private epoch = 0;
  /** Consecutive failures of the current series: failed starts and short-lived runs. */
  private failures = 0;
  private retryTimer: { handle: unknown } | undefined;
  private connection: UpstreamConnection | undefined;
  private upSince = 0;
  /** Aborts the start under way: a stop or restart does not wait out a handshake that may never end. */
  private pendingStart: AbortController | undefined;
  /** Connect attempts and closes under way: stop() waits for them, so no process outlives it. */
  private readonly work = new Set<Promise<void>>();
  /** Relays whose clients are behind (see mux/pressure): while any, the upstream's output is not read. */
  private readingHolds = 0;

  constructor(
    private readonly instance: SupervisedInstance,
    private readonly options: SupervisedUpstreamOptions,
  ) {
    this.key = instance.key;
  }

  // ---- UpstreamSource ------------------------------------------------------------------

  state(): UpstreamState {
    return this.current;
  }

  onStateChange(listener: (state: UpstreamState) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  holdReading(paused: boolean): void {
    const before = this.readingHolds > 0;
    this.readingHolds = Math.max(0, this.readingHolds + (paused ? 1 : -1));
    if (before !== this.readingHolds > 0) pauseReading(this.connection, this.readingHolds > 0);
  }

  /** Waits while a start is under way; an instance never started (`stopped`) is settled. */
  whenSettled(): Promise<void> {
    if (this.current.kind !== 'starting') return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  // ---- control ---------------------------------------------------------------------------

  /** Starts it unless it is running, starting or waiting to retry; resolves once that start settles. */
  start(): Promise<void> {
    if (this.current.kind === 'stopped' || (this.current.kind === 'down' && !this.current.restarting)) {
      this.epoch++;
      this.failures = 0;
      this.attempt();
    }
    return this.whenSettled();
  }

  /** Stops it and waits until its process tree is gone. Idempotent. */
  async stop(): Promise<void> {
    this.epoch++;
    this.abandonStart('the instance was stopped');
    this.cancelRetry();
    this.disconnect();
    if (this.current.kind !== 'stopped') {
      this.setState({ kind: 'stopped' });
      this.emit({ type: 'stopped', key: this.key });
    }
    await this.drain();
  }

  /**
   * Stops the current upstream (waiting until its tree is gone, so two copies of one account
   * never run at once) and starts a fresh one with a new backoff series. Resolves once that
   * start settles.
   */
  async restart(): Promise<void> {
    const epoch = ++this.epoch;
    this.abandonStart('the instance was restarted');
    this.cancelRetry();
    this.failures = 0;
    this.disconnect();
    this.setState({ kind: 'down', reason: 'a restart was requested', restarting: true });
    this.emit({ type: 'restarting', key: this.key, why: 'requested', attempt: 1, inMs: 0 });
    await this.drain();
    if (epoch !== this.epoch) return; // stopped or restarted again meanwhile
    this.attempt();
    await this.whenSettled();
  }

  // ---- the cycle ---------------------------------------------------------------------------

  private attempt(): void {
    this.retryTimer = undefined;
    const epoch = this.epoch;
    const attempt = this.failures + 1;
    this.setState({ kind: 'starting' });
    this.emit({ type: 'starting', key: this.key, attempt });
    const abort = new AbortController();
    this.pendingStart = abort;
    this.track(
      this.open(abort.signal).finally(() => {
        if (this.pendingStart === abort) this.pendingStart = undefined;
      }).then(
        (connection) => this.opened(connection, epoch, attempt),
        (error: unknown) => this.startFailed(toError(error), epoch, attempt),
      ),
    );
  }

  private open(signal: AbortSignal): Promise<UpstreamConnection> {
    const { options, key } = this;
    const connect = options.connect ?? connectUpstream;
    return connect(this.instance.spec, {
      instance: key,
      capabilities: typeof options.clientCapabilities === 'function' ? options.clientCapabilities() : options.clientCapabilities,
      ...(options.clientInfo !== undefined && { clientInfo: options.clientInfo }),
      ...(options.onStderr !== undefined && { onStderr: (line: string) => options.onStderr?.(key, line) }),
      ...(options.connectTimeoutMs !== undefined && { timeoutMs: options.connectTimeoutMs }),
      ...(options.graceMs !== undefined && { graceMs: options.graceMs }),
      ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
      signal,
    });
  }

  private async opened(connection: UpstreamConnection, epoch: number, attempt: number): Promise<void> {
    if (epoch !== this.epoch) {
      await connection.close().catch(() => undefined); // overtaken by stop() or restart()
      return;
    }
    const { client } = connection;
    let lastError: Error | undefined;
    client.onerror = (error) => {
      // Either says why the connection is about to close (the calls in flight fail with it).
      if (error instanceof ProcessExitedError || error instanceof MessageTooLargeError) lastError = error;
      // Once we close it ourselves, what it could no longer send (an answer to its own
      // pending request) is the stop, not a problem worth a warning.
      else if (this.connection === connection) this.emit({ type: 'warning', key: this.key, error });
    };
    client.onclose = () => this.lost(connection, lastError);
    this.connection = connection;
    if (this.readingHolds > 0) pauseReading(connection, true);
    this.upSince = this.options.now();
    this.setState({ kind: 'up', connection });
    this.emit({
      type: 'up',
      key: this.key,
      attempt,
      serverInfo: connection.serverInfo,
      ...(connection.pid !== undefined && { pid: connection.pid }),
    });
    // It may have died between the handshake and our hooking onclose.
    if (client.transport === undefined) this.lost(connection, lastError);
  }

  private startFailed(error: Error, epoch: number, attempt: number): void {
    if (epoch !== this.epoch) return;
    this.failures++;
    // A retry cannot install a command: a missing or non-executable one stops the series at
    // once, whatever the policy; the state says why and waits for a restart.
    const permanent = isPermanentStartFailure(error);
    if (permanent || this.failures >= this.options.retryPolicy.maxAttempts) {
      this.setState({ kind: 'down', reason: error.message, restarting: false, cause: error });
      this.emit({ type: 'failed', key: this.key, attempt, error, ...(permanent && { permanent }) });
      return;
    }
    const delay = this.nextDelay();
    this.setState({ kind: 'down', reason: error.message, restarting: true, cause: error });
    this.emit({ type: 'failed', key: this.key, attempt, error, retryInMs: delay });
    this.scheduleRetry(delay);
  }

  /** The upstream went away without being asked: in-flight calls fail now, a restart follows. */
  private lost(connection: UpstreamConnection, error: Error | undefined): void {
    if (this.connection !== connection) return; // we closed it ourselves
    this.connection = undefined;
    // Tidy the session (a no-op for a process that already exited and was reaped).
    this.track(connection.close().catch(() => undefined));
    const uptimeMs = this.options.now() - this.upSince;
    if (uptimeMs >= this.options.retryPolicy.resetAfterMs) this.failures = 0;
    this.failures++;
    const reason = error?.message ?? 'the upstream closed the connection';
    const attempt = this.failures + 1;
    this.emit({ type: 'exited', key: this.key, reason, uptimeMs, ...(error !== undefined && { error }) });
    if (this.failures >= this.options.retryPolicy.maxAttempts) {
      this.setState({ kind: 'down', reason, restarting: false, ...(error !== undefined && { cause: error }) });
      this.emit({ type: 'gave-up', key: this.key, attempt: this.failures, reason });
      return;
    }
    const delay = this.nextDelay();
    // The relay fails the calls in flight with this state: "being restarted".
    this.setState({ kind: 'down', reason, restarting: true, ...(error !== undefined && { cause: error }) });
    this.emit({ type: 'restarting', key: this.key, why: 'exited', reason, attempt, inMs: delay });
    this.scheduleRetry(delay);
  }

  private nextDelay(): number {
    return backoffDelay(this.failures, this.options.retryPolicy, this.options.random);
  }

  private scheduleRetry(delay: number): void {
    const timer = { handle: undefined as unknown };
    timer.handle = this.options.timers.setTimeout(() => {
      if (this.retryTimer === timer) this.attempt();
    }, delay);
    this.retryTimer = timer;
  }

  private abandonStart(why: string): void {
    const pending = this.pendingStart;
    this.pendingStart = undefined;
    pending?.abort(new Error(`${this.key}: ${why} while it was starting`));
  }

  private cancelRetry(): void {
    if (this.retryTimer === undefined) return;
    this.options.timers.clearTimeout(this.retryTimer.handle);
    this.retryTimer = undefined;
  }

  /** Lets go of the current connection and closes it (its whole process tree) in the background. */
  private disconnect(): void {
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined) this.track(connection.close().catch(() => undefined));
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) => this.emit({ type: 'warning', key: this.key, error: toError(error) }));
    this.work.add(tracked);
    void tracked.finally(() => this.work.delete(tracked));
  }

  /** Waits for every attempt and close under way, including ones they start. */
  private async drain(): Promise<void> {
    while (this.work.size > 0) await Promise.all([...this.work]);
  }

  // ---- reporting -----------------------------------------------------------------------------

  private setState(state: UpstreamState): void {
    this.current = state;
    if (state.kind !== 'starting') {
      const waiters = this.settledWaiters;
      this.settledWaiters = [];
      for (const resolve of waiters) resolve();
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (error) {
        this.emit({ type: 'warning', key: this.key, error: toError(error) });
      }
    }
  }

  private emit(event: SupervisorEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A logger that throws must not break supervision.
    }
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Only a process's output can be paused; a remote upstream is read on (the clients' outboxes bound what waits). */
function pauseReading(connection: UpstreamConnection | undefined, paused: boolean): void {
  const transport = connection?.client.transport as { pauseReading?: (paused: boolean) => void } | undefined;
  transport?.pauseReading?.(paused);
}
