// Waiting for files that another process writes (the probe's report, a server's output).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves with the text of `path` once it exists and is not empty; rejects after `timeoutMs`. */
export async function waitForFile(path: string, timeoutMs: number, intervalMs = 100): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = readFileSync(path, 'utf8');
      if (text.length > 0) return text;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (Date.now() >= deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
