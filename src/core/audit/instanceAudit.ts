/**
 * One instance's audit: what the relay calls around each `tools/call` (the mux's
 * `CallAudit` port), over the instance's trail on disk (AuditWriter) and a short memory
 * of the last calls for the views (the tree's "Recent calls"). Owned by the instance's
 * runner, so it outlives a swapped relay and follows a changed `audit` setting in place
 * (`update`): the setting is neither launch nor surface, and a change of it must not
 * restart the upstream nor make clients list the tools again.
 */
import { Redactor } from '../redaction';
import { AuditWriter } from './auditWriter';
import { entryOf, lineOf } from './entryLine';
import { DEFAULT_AUDIT, type AuditSettings } from '../config';
import type { AuditEntry, CallRecord } from './model';

/** How many calls `recent()` remembers. */
export const RECENT_CALLS = 10;

export interface InstanceAuditOptions {
  /** `server/instance`. */
  readonly instance: string;
  /** The instance's records folder; absent: nothing can be written (a `required` audit then refuses every call). */
  readonly dir?: string;
  readonly settings?: AuditSettings;
  /** The instance's known secret values (`UpstreamSpec.secretValues`): never written. */
  readonly secrets?: Iterable<string>;
  /** The trail cannot be written: a line for the log. */
  readonly onProblem?: (message: string) => void;
  readonly maxBytes?: number;
  readonly keep?: number;
}

/** Thrown by `admit` when `audit.required` is on and the call could not be recorded. */
export class AuditUnavailableError extends Error {
  override readonly name = 'AuditUnavailableError';
  readonly code = 'audit-unavailable';
}

export class InstanceAudit {
  readonly instance: string;
  private settings: AuditSettings;
  private readonly redactor = new Redactor();
  private readonly writer: AuditWriter | undefined;
  private readonly last: AuditEntry[] = [];
  private readonly listeners = new Set<(entry: AuditEntry) => void>();

  constructor(private readonly options: InstanceAuditOptions) {
    this.instance = options.instance;
    this.settings = options.settings ?? DEFAULT_AUDIT;
    this.redactor.addAll(options.secrets ?? []);
    this.writer =
      options.dir === undefined
        ? undefined
        : new AuditWriter({
            dir: options.dir,
            ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
            ...(options.keep !== undefined && { keep: options.keep }),
            onProblem: (error) => this.problem(error),
          });
    // Checked at the start, so a folder that cannot be written is in the log before the first call.
    if (this.settings.enabled) void this.writer?.writable();
  }

  /** The file the trail is written to; absent without a records folder. */
  get file(): string | undefined {
    return this.writer?.file;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** A changed `audit` setting, taken without a restart. */
  update(settings: AuditSettings): void {
    this.settings = settings;
  }

  /**
   * Before a call is forwarded: `undefined` (go ahead, nothing awaited) unless the audit
   * is required, then a promise that rejects with `AuditUnavailableError` when the trail
   * cannot take the call's line: the call fails closed.
   */
  admit(): Promise<void> | undefined {
    if (!this.settings.enabled || !this.settings.required) return undefined;
    const writer = this.writer;
    if (writer === undefined) return Promise.reject(new AuditUnavailableError(`Instance "${this.instance}" requires an audit trail (audit.required) but has no records folder; the call was not forwarded.`));
    return writer.writable().then((error) => {
      if (error !== undefined) {
        throw new AuditUnavailableError(`Instance "${this.instance}" requires an audit trail (audit.required), and ${this.redactor.redact(error.message)}; the call was not forwarded. Make the folder writable, or turn audit.required off.`, { cause: error });
      }
    });
  }

  /** After the call: queued for the file, kept for the views; returns at once. */
  record(call: CallRecord): void {
    if (!this.settings.enabled) return;
    const entry = entryOf(this.instance, call, this.settings.arguments, this.redactor);
    this.writer?.append(lineOf(entry, this.redactor));
    // The views show no arguments: they are for the file and who asked for them there.
    const { arguments: _hidden, ...shown } = entry;
    this.last.unshift(shown);
    if (this.last.length > RECENT_CALLS) this.last.length = RECENT_CALLS;
    for (const listener of this.listeners) listener(shown);
  }

  /** The last calls, newest first. */
  recent(): readonly AuditEntry[] {
    return this.last;
  }

  onRecord(listener: (entry: AuditEntry) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves once every recorded line is on disk (or lost); for tests and orderly stops. */
  flushed(): Promise<void> {
    return this.writer?.flushed() ?? Promise.resolve();
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.writer?.close();
  }

  private problem(error: Error): void {
    const what = this.settings.required ? 'calls are refused until it can be written (audit.required)' : 'calls go on unrecorded';
    this.options.onProblem?.(`${this.instance}: its audit trail ${this.writer?.file ?? ''} cannot be written (${this.redactor.redact(error.message)}): ${what}`);
  }
}
