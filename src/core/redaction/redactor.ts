/**
 * Keeping secret values out of everything shown to people: error messages, the VS Code
 * log, the CLI's stderr. One placeholder and one rule everywhere, so a value hidden in
 * one place is hidden the same way in every other.
 */

/** What a secret value becomes. */
export const REDACTED = '‹secret›';

/**
 * Shorter values are not hidden: replacing every `a` or `42` would make the text
 * unreadable, and a secret that short protects nothing.
 */
export const MIN_REDACTED_LENGTH = 4;

/**
 * `text` with every occurrence of any of `values` (long enough to be worth hiding)
 * replaced by the placeholder. Longest first, so a value that contains another is hidden
 * whole rather than leaving its tail behind.
 */
export function redactValues(text: string, values: Iterable<string>): string {
  return replaceAll(text, hideable(values));
}

/**
 * A set of secret values that grows while the process runs (a secret read later, an
 * OAuth token refreshed, a credential helper run again): every value ever added stays,
 * since something may still print an old one.
 */
export class Redactor {
  private readonly known = new Set<string>();
  /** Longest first; rebuilt only when a value is added. */
  private sorted: readonly string[] | undefined = [];

  /** Remembers `value` as secret; `undefined` and values too short to hide are ignored. */
  add(value: string | undefined): void {
    if (value === undefined || value.length < MIN_REDACTED_LENGTH || this.known.has(value)) return;
    this.known.add(value);
    this.sorted = undefined;
  }

  addAll(values: Iterable<string>): void {
    for (const value of values) this.add(value);
  }

  redact(text: string): string {
    this.sorted ??= hideable(this.known);
    return replaceAll(text, this.sorted);
  }

  values(): Iterable<string> {
    return this.known.values();
  }
}

function hideable(values: Iterable<string>): string[] {
  return [...new Set(values)].filter((value) => value.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
}

function replaceAll(text: string, longestFirst: readonly string[]): string {
  let result = text;
  for (const value of longestFirst) {
    if (result.includes(value)) result = result.split(value).join(REDACTED);
  }
  return result;
}

/**
 * The secret values a credential header carries: the whole value, and for
 * `Authorization: <scheme> <credentials>` the credentials alone too, since a server that
 * echoes a rejected token rarely repeats the scheme.
 */
export function headerSecrets(name: string, value: string): string[] {
  const credentials = /^(?:proxy-)?authorization$/i.test(name) ? /^[A-Za-z][\w.+-]*\s+(\S+)\s*$/.exec(value)?.[1] : undefined;
  return credentials === undefined ? [value] : [value, credentials];
}
