/**
 * Reading trails back (`mcplex audit`): the whole history of one instance, oldest first,
 * and following its current file as lines are added, across rotations. A line that is not
 * an entry (cut short by a crash, written by hand) is skipped, never fatal.
 */
import { open, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { CALL_OUTCOMES, DEFAULT_KEEP, rotatedFile, type AuditEntry } from './model';

/** An entry, or `undefined` for a line that is not one. */
export function parseEntry(line: string): AuditEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const entry = value as Record<string, unknown>;
  const ok =
    typeof entry['time'] === 'string' &&
    typeof entry['instance'] === 'string' &&
    typeof entry['tool'] === 'string' &&
    typeof entry['durationMs'] === 'number' &&
    CALL_OUTCOMES.includes(entry['outcome'] as AuditEntry['outcome']);
  return ok ? (entry as unknown as AuditEntry) : undefined;
}

/**
 * The rotated files of a trail, oldest first (without the current one: `followTrail`
 * reads that from its start). `keep` bounds the search; files beyond are not looked for.
 */
export async function readRotated(dir: string, keep = DEFAULT_KEEP * 4): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let index = keep; index >= 1; index--) entries.push(...(await readEntries(path.join(dir, rotatedFile(index)))));
  return entries;
}

/** The whole trail of one instance, oldest first. */
export async function readTrail(dir: string): Promise<AuditEntry[]> {
  return [...(await readRotated(dir)), ...(await readEntries(path.join(dir, rotatedFile(0))))];
}

async function readEntries(file: string): Promise<AuditEntry[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text.split('\n').flatMap((line) => {
    const entry = line === '' ? undefined : parseEntry(line);
    return entry === undefined ? [] : [entry];
  });
}

export interface Follower {
  stop(): void;
}

/**
 * Calls `onEntry` for every entry of the current file from its start, then for each one
 * added, polling every `intervalMs` (polling, not fs.watch: it behaves the same on every
 * platform and through a rename). When the file is rotated away, the rest of the old one
 * (now `audit.1.jsonl`) is read before the new one starts.
 */
export function followTrail(dir: string, onEntry: (entry: AuditEntry) => void, intervalMs = 250): Follower {
  const current = path.join(dir, rotatedFile(0));
  const previous = path.join(dir, rotatedFile(1));
  let ino: number | undefined;
  let offset = 0;
  let partial = '';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const emit = (text: string): void => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const entry = line === '' ? undefined : parseEntry(line);
      if (entry !== undefined && !stopped) onEntry(entry);
    }
  };
  const readFrom = async (file: string, from: number): Promise<number> => {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (size <= from) return size;
      const buffer = Buffer.alloc(size - from);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
      emit(buffer.subarray(0, bytesRead).toString('utf8'));
      return from + bytesRead;
    } finally {
      await handle.close();
    }
  };
  const tick = async (): Promise<void> => {
    const now = await stat(current).catch(() => undefined);
    if (now === undefined) return;
    if (ino !== undefined && now.ino !== ino) {
      // Rotated: finish the old file where it now lives, if it is still the one we read.
      const old = await stat(previous).catch(() => undefined);
      if (old?.ino === ino) await readFrom(previous, offset).catch(() => undefined);
      partial = '';
      offset = 0;
    }
    if (now.size < offset) offset = 0; // truncated by hand: start over
    ino = now.ino;
    offset = await readFrom(current, offset);
  };
  const loop = (): void => {
    void tick()
      .catch(() => undefined)
      .then(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  loop();
  return {
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
