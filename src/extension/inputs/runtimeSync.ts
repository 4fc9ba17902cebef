/**
 * Keeps the runtime in step with the workspace: on every (debounced) change it re-reads
 * the inputs, calls `runtime.update` once, shows the problems, and tells the provider
 * when the definitions changed. Updates never overlap: a change during an update queues
 * one more, and any number of changes meanwhile still lead to one.
 */
import { type Problem, formatProblem } from '../../core';
import type { UpdateResult } from '../../core/runtime';
import { Debouncer, realTimers, type Timers } from './debounce';
import type { RuntimePort } from '../runtimePort';
import type { WorkspaceInputs } from './workspaceInputs';

/** Long enough to cover a save (several watcher events), short enough to feel immediate. */
export const SYNC_DELAY_MS = 150;

export interface SyncLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RuntimeSyncOptions {
  readonly runtime: Pick<RuntimePort, 'update'>;
  readonly readInputs: () => Promise<WorkspaceInputs>;
  readonly isTrusted: () => boolean;
  /** Shows the problems; returns those it could not place (no file), for the log. */
  readonly publishProblems: (problems: UpdateResult['problems'], texts: ReadonlyMap<string, string>) => readonly Problem[];
  readonly onDefinitionsChanged: () => void;
  /** Called after an update in an untrusted workspace that has something to run. */
  readonly onUntrustedConfig: () => void;
  /** Called after every update (status bar, later the tree). */
  readonly onSynced?: () => void;
  readonly log: SyncLog;
  readonly timers?: Timers;
  readonly delayMs?: number;
}

export class RuntimeSync {
  private readonly debouncer: Debouncer;
  /** The update running now (or settled); the next one chains on it. */
  private current: Promise<void> = Promise.resolve();
  /** An update waiting for the current one; further requests join it. */
  private queued: Promise<void> | undefined;
  private readonly reasons: string[] = [];
  private firstDone!: () => void;
  /** Settles when the first update has finished (well or not). */
  readonly ready: Promise<void>;
  private disposed = false;

  constructor(private readonly options: RuntimeSyncOptions) {
    this.ready = new Promise((resolve) => {
      this.firstDone = resolve;
    });
    this.debouncer = new Debouncer(() => void this.syncNow(), options.delayMs ?? SYNC_DELAY_MS, options.timers ?? realTimers);
  }

  /** Something may have changed: update after the burst settles. */
  trigger(reason: string): void {
    if (this.disposed) return;
    this.reasons.push(reason);
    this.debouncer.trigger();
  }

  /** Updates now (after the running update, if any). Never rejects: failures are logged. */
  syncNow(): Promise<void> {
    if (this.queued !== undefined) return this.queued;
    const next = this.current.then(() => {
      this.queued = undefined;
      return this.sync();
    });
    this.queued = next;
    this.current = next;
    return next;
  }

  private async sync(): Promise<void> {
    if (this.disposed) return;
    const reasons = this.reasons.splice(0);
    const { log } = this.options;
    try {
      const inputs = await this.options.readInputs();
      for (const failure of inputs.readFailures) log.error(`Cannot read ${failure.path}: ${failure.message}`);
      const trusted = this.options.isTrusted();
      if (reasons.length > 0) log.info(`Updating: ${[...new Set(reasons)].join('; ')}`);
      const result = await this.options.runtime.update(inputs.folders, trusted);
      if (this.disposed) return;
      const unplaced = this.options.publishProblems(result.problems, inputs.texts);
      for (const problem of unplaced) {
        if (problem.severity === 'error') log.error(formatProblem(problem));
        else log.warn(formatProblem(problem));
      }
      logChanges(log, result);
      if (result.definitionsChanged) this.options.onDefinitionsChanged();
      if (!trusted && inputs.folders.some((folder) => folder.file !== undefined || folder.settingsServers !== undefined)) {
        this.options.onUntrustedConfig();
      }
      this.options.onSynced?.();
    } catch (error) {
      log.error(`Updating the MCP servers failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.firstDone();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.debouncer.dispose();
    this.firstDone();
  }
}

function logChanges(log: SyncLog, result: UpdateResult): void {
  const parts = [
    ['started', result.started],
    ['stopped', result.stopped],
    ['restarted', result.restarted],
    ['reconfigured', result.reconfigured],
  ] as const;
  for (const [verb, ids] of parts) {
    if (ids.length > 0) log.info(`${verb}: ${ids.join(', ')}`);
  }
}
