/**
 * Appends lines to one instance's `audit.jsonl` without ever holding up a call: a line is
 * queued and written by one drain at a time (lines that arrive meanwhile go out together),
 * through one file handle kept open. The folder is created 0700 and the file 0600: the
 * arguments of a call are the user's data.
 *
 * Rotation by size: when the next write would take the file past `maxBytes`, it becomes
 * `audit.1.jsonl` (the older ones move up one, the oldest past `keep` is overwritten) and
 * a new file starts, so a trail never grows past (keep + 1) × maxBytes.
 *
 * An open or a write that fails (its lines are lost) is told once through `onProblem`
 * until one works again, and closes the handle, so the next line tries a fresh open: a
 * folder made writable again heals without a restart. `writable()` is the check of `audit.required`.
 */
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { DEFAULT_KEEP, DEFAULT_MAX_BYTES, rotatedFile } from './model';

export interface AuditWriterOptions {
  /** The instance's records folder. */
  readonly dir: string;
  readonly maxBytes?: number;
  /** Rotated files kept beside the current one. */
  readonly keep?: number;
  /** A write failed (once per run of failures); the lines it carried are lost. */
  readonly onProblem?: (error: Error) => void;
}

const WRITABLE = Promise.resolve(undefined);

export class AuditWriter {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private queue: string[] = [];
  private draining: Promise<void> | undefined;
  private handle: FileHandle | undefined;
  private opening: Promise<FileHandle> | undefined;
  private size = 0;
  /** Set by a failed open or write, cleared by the next one that works. */
  private failure: Error | undefined;
  /** Whether `onProblem` has heard of the current run of failures. */
  private told = false;
  private closed = false;

  constructor(private readonly options: AuditWriterOptions) {
    this.file = path.join(options.dir, rotatedFile(0));
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    // At least one rotated file: rotating is renaming, never deleting what was just written.
    this.keep = Math.max(1, options.keep ?? DEFAULT_KEEP);
  }

  /** Queues `line` (with its newline); returns at once. */
  append(line: string): void {
    if (this.closed) return;
    this.queue.push(line);
    this.draining ??= this.drain();
  }

  /**
   * `undefined` when a line can be written now, else why not. Answers from memory while
   * the file is open and the last write worked (the hot path); otherwise tries to open it.
   */
  writable(): Promise<Error | undefined> {
    if (this.handle !== undefined && this.failure === undefined) return WRITABLE;
    return this.ensureOpen().then(
      () => undefined,
      (error: unknown) => asError(error),
    );
  }

  /** Resolves when every queued line has been written (or lost). */
  async flushed(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const text = this.queue.join('');
        this.queue = [];
        await this.write(text);
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async write(text: string): Promise<void> {
    const bytes = Buffer.byteLength(text);
    try {
      let handle = await this.ensureOpen();
      if (this.size > 0 && this.size + bytes > this.maxBytes) {
        await this.rotate();
        handle = await this.ensureOpen();
      }
      await handle.write(text);
      this.size += bytes;
      this.failure = undefined;
      this.told = false;
    } catch (error) {
      this.failed(error);
      await this.drop();
    }
  }

  private failed(error: unknown): void {
    this.failure = asError(error);
    if (this.told) return;
    this.told = true;
    this.options.onProblem?.(this.failure);
  }

  private ensureOpen(): Promise<FileHandle> {
    if (this.handle !== undefined) return Promise.resolve(this.handle);
    this.opening ??= this.openFile().then(
      (handle) => {
        this.opening = undefined;
        this.handle = handle;
        this.failure = undefined;
        this.told = false;
        return handle;
      },
      (error: unknown) => {
        this.opening = undefined;
        this.failed(error);
        throw error;
      },
    );
    return this.opening;
  }

  private async openFile(): Promise<FileHandle> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const handle = await open(this.file, 'a', 0o600);
    try {
      // A file made by someone else (or an older mcplex) is made private too.
      await handle.chmod(0o600);
      this.size = (await handle.stat()).size;
      return handle;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  private async rotate(): Promise<void> {
    await this.drop();
    const at = (index: number): string => path.join(this.options.dir, rotatedFile(index));
    for (let index = this.keep - 1; index >= 1; index--) await rename(at(index), at(index + 1)).catch(ignoreMissing);
    await rename(at(0), at(1));
    this.size = 0;
  }

  private async drop(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
