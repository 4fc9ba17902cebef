/**
 * An instance's pinned tool definitions on disk: `pins.json` in the instance's records
 * folder (`ResolvedInstance.recordsDir`, never the upstream's `${instanceDir}`: an upstream
 * must not be able to rewrite what was approved). Written whole to a temporary file and
 * renamed over the old one (a reader never sees half a file), 0600 in a 0700 folder.
 *
 * The relay (`check`) and the accepting side (`accept`: the CLI, the tree) may be two
 * processes; they meet in the file, and the relay watches it to hear of an accept.
 * Without a folder (an instance that has none, a unit test) the record lives in memory:
 * pinning still holds for the life of the relay instead of silently not pinning.
 */
import { watch, type FSWatcher } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { definitionOf, toolDigest, type PinnableTool } from './digest';
import type { PinBook, PinDisposable, PinnedDefinition, PinsRecord } from './model';

export const PINS_FILE = 'pins.json';

export class PinsFileError extends Error {
  readonly code = 'invalid-pins';
}

export class PinStore implements PinBook {
  private memory: PinsRecord | undefined;
  private watcher: FSWatcher | undefined;
  private readonly listeners = new Set<() => void>();
  /** Writes of this process, one after the other. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The last text this process wrote, so its own write is not reported as a change. */
  private lastWritten: string | undefined;

  constructor(readonly dir: string | undefined) {}

  get file(): string | undefined {
    return this.dir === undefined ? undefined : path.join(this.dir, PINS_FILE);
  }

  /** The record, or `undefined` before the first list; a damaged file is an error naming it. */
  async read(): Promise<PinsRecord | undefined> {
    const file = this.file;
    if (file === undefined) return this.memory;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseRecord(text, file);
  }

  check(tools: readonly PinnableTool[]): Promise<ReadonlyMap<string, string>> {
    return this.serialized(async () => {
      const record = await this.read();
      if (record === undefined) {
        const approved = Object.fromEntries(tools.map((tool) => [tool.name, pinOf(tool)]));
        await this.write({ version: 1, approved, pending: {} });
        return digests(approved);
      }
      const pending: Record<string, PinnedDefinition> = {};
      for (const tool of tools) {
        const pin = pinOf(tool);
        if (record.approved[tool.name]?.digest !== pin.digest) pending[tool.name] = pin;
      }
      if (!samePending(record.pending, pending)) await this.write({ ...record, pending });
      return digests(record.approved);
    });
  }

  /**
   * Approves the pending definitions of `names` (all of them when empty); returns the names
   * accepted. A name with nothing pending is an error that lists what is.
   */
  accept(names: readonly string[]): Promise<string[]> {
    return this.serialized(async () => {
      const record = await this.read();
      const pendingNames = Object.keys(record?.pending ?? {});
      const unknown = names.filter((name) => record?.pending[name] === undefined);
      if (unknown.length > 0) {
        throw new PinsFileError(`Nothing to accept for ${unknown.map((name) => `"${name}"`).join(', ')}: ${pendingNames.length === 0 ? 'no tool is' : `only ${pendingNames.map((name) => `"${name}"`).join(', ')} ${pendingNames.length === 1 ? 'is' : 'are'}`} waiting for approval.`);
      }
      if (record === undefined || pendingNames.length === 0) return [];
      const chosen = names.length === 0 ? pendingNames : [...names];
      const approved = { ...record.approved };
      const pending = { ...record.pending };
      for (const name of chosen) {
        const pin = pending[name];
        if (pin !== undefined) approved[name] = pin;
        delete pending[name];
      }
      await this.write({ version: 1, approved, pending });
      this.notify();
      return chosen;
    });
  }

  onChange(listener: () => void): PinDisposable {
    this.listeners.add(listener);
    this.startWatching();
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.listeners.clear();
    this.watcher?.close();
    this.watcher = undefined;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(record: PinsRecord): Promise<void> {
    const { dir, file } = this;
    if (dir === undefined || file === undefined) {
      this.memory = record;
      return;
    }
    const text = `${JSON.stringify(record, null, 2)}\n`;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, text, { mode: 0o600 });
    this.lastWritten = text;
    await rename(temporary, file);
    this.startWatching();
  }

  /** Watches the folder (a rename replaces the file, so the file itself cannot be watched). */
  private startWatching(): void {
    if (this.watcher !== undefined || this.listeners.size === 0 || this.dir === undefined) return;
    try {
      this.watcher = watch(this.dir, (_event, name) => {
        if (name === PINS_FILE) void this.changedOnDisk();
      });
      this.watcher.on('error', () => this.dispose());
    } catch {
      // No folder yet: the first write creates it and starts watching.
    }
  }

  private async changedOnDisk(): Promise<void> {
    const file = this.file;
    if (file === undefined) return;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined && text === this.lastWritten) return;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function pinOf(tool: PinnableTool): PinnedDefinition {
  return { digest: toolDigest(tool), definition: definitionOf(tool) };
}

function digests(pins: Readonly<Record<string, PinnedDefinition>>): ReadonlyMap<string, string> {
  return new Map(Object.entries(pins).map(([name, pin]) => [name, pin.digest]));
}

function samePending(a: Readonly<Record<string, PinnedDefinition>>, b: Readonly<Record<string, PinnedDefinition>>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => a[name]?.digest === b[name]?.digest);
}

/** Refuses anything but the shape this module writes: a hand-edited file must not approve by accident. */
function parseRecord(text: string, file: string): PinsRecord {
  const fix = `delete it to pin the next tool list afresh`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PinsFileError(`The pinned tool definitions in ${file} are not valid JSON (${error instanceof Error ? error.message : String(error)}); ${fix}.`);
  }
  const record = value as Partial<PinsRecord> | null;
  if (record === null || typeof record !== 'object' || record.version !== 1 || !isPinMap(record.approved) || !isPinMap(record.pending)) {
    throw new PinsFileError(`The pinned tool definitions in ${file} are not in the form mcplex writes; ${fix}.`);
  }
  return record as PinsRecord;
}

function isPinMap(value: unknown): value is Record<string, PinnedDefinition> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((pin) => pin !== null && typeof pin === 'object' && typeof (pin as PinnedDefinition).digest === 'string');
}
