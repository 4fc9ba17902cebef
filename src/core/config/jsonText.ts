/**
 * What must hold of a JSON-with-comments text before jsonc-parser reads it, shared by the
 * config loader and the editors of `.mcplex.jsonc` (core/edit):
 *
 * - A UTF-8 byte order mark is not content (Windows editors write one); jsonc-parser calls
 *   it an invalid symbol. It becomes a space, so every offset still points into the text
 *   as read, and an edit applied to that text keeps the mark.
 * - jsonc-parser recurses once per `{`/`[`, so a file nested a few thousand levels deep
 *   overflows the stack. A non-recursive scan finds that first, so it is a problem with a
 *   position rather than a crash.
 */
import { createScanner } from 'jsonc-parser';

/** jsonc-parser's `SyntaxKind` values (a const enum, which `verbatimModuleSyntax` cannot import). */
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/** U+FEFF, as a UTF-8 BOM reads when the bytes are decoded without stripping it. */
export const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Deeper nesting is refused before parsing. An mcplex configuration needs about eight
 * levels; this leaves room for any hand-written value and far from the stack's limit.
 */
export const MAX_NESTING = 128;

/** `text` with a leading byte order mark turned into a space (same length, same offsets). */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? ` ${text.slice(1)}` : text;
}

/** The offset of the first `{` or `[` that opens a level deeper than `max`, if any. */
export function tooDeepAt(text: string, max: number = MAX_NESTING): number | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === OPEN_BRACE || kind === OPEN_BRACKET) {
      depth += 1;
      if (depth > max) return scanner.getTokenOffset();
    } else if (kind === CLOSE_BRACE || kind === CLOSE_BRACKET) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** The message of a too-deep problem, the same from the loader and the editors. */
export function tooDeepMessage(max: number = MAX_NESTING): string {
  return `The file nests objects and arrays more than ${max} levels deep here, which mcplex does not read; a configuration needs fewer than ten. Remove the extra brackets.`;
}
