// Reading the spawn log that test/e2e/fixtures/record-spawn.mjs writes (one JSON line per
// upstream process started), to tell which instance was (re)started and which was not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './environment';

export const RECORD_SPAWN_HOOK = join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'record-spawn.mjs');
export const SPAWN_LOG_VARIABLE = 'MCPLEX_E2E_SPAWN_LOG';
export const SPAWN_KEYS_VARIABLE = 'MCPLEX_E2E_SPAWN_KEYS';

export interface Spawn {
  readonly pid: number;
  readonly at: number;
  readonly env: Readonly<Record<string, string | null>>;
}

/** Every spawn recorded so far, oldest first; none when the file does not exist yet. */
export function readSpawns(file: string): Spawn[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Spawn);
}

/** The spawns whose recorded `key` is `value`. */
export function spawnsWith(file: string, key: string, value: string): Spawn[] {
  return readSpawns(file).filter((spawn) => spawn.env[key] === value);
}
