import { createHash } from 'node:crypto';

/**
 * The first `length` hex digits of the SHA-256 of `parts`. The parts are joined as a
 * JSON array so that `['ab', 'c']` and `['a', 'bc']` never hash alike.
 */
export function shortHash(parts: readonly (string | null)[], length: number): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, length);
}
