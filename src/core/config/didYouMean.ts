/**
 * "Did you mean `command`?" for misspelt keys. The key sets are a dozen words, so a
 * plain Levenshtein distance is enough; a dependency would be heavier than the code.
 *
 * The word comes from the user's file and may be any size (a 1 MB key once took seconds
 * and hundreds of MB here), so the work is bounded before any distance is computed: a
 * guess is offered only within 3 edits, which two words whose lengths differ by more can
 * never be, and nobody misspells a word longer than `MAX_GUESSED_LENGTH`.
 */

/** Longer words get no guess: no key, command or value we suggest comes near this. */
export const MAX_GUESSED_LENGTH = 64;

/** Edit distance (insert, delete, substitute; a swap of neighbours counts as one). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The closest candidate, if it is close enough to be a typo: at most a third of the
 * word's length in edits (min 1, max 3), compared case-insensitively. A far-off guess
 * is worse than none, so nothing is offered then. `distance` is for tests that count
 * the work done.
 */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  distance: (a: string, b: string) => number = editDistance,
): string | undefined {
  if (word.length > MAX_GUESSED_LENGTH) return undefined;
  const lower = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: too far apart to be a typo.
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const found = distance(lower, candidate.toLowerCase());
    if (found < bestDistance) {
      best = candidate;
      bestDistance = found;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
