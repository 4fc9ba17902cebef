const OUTSIDE_NAME_CHARACTERS = /[^A-Za-z0-9_-]+/gu;

/**
 * `name` with every run of characters outside `[A-Za-z0-9_-]` (dots, colons, spaces,
 * any non-ASCII letter) replaced by one `_`. Never empty: an empty name becomes `_`.
 * Lossy on purpose; callers that need uniqueness compare the result with the input.
 */
export function sanitizeName(name: string): string {
  const sanitized = name.replace(OUTSIDE_NAME_CHARACTERS, '_');
  return sanitized === '' ? '_' : sanitized;
}
