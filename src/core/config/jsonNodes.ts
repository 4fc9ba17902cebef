/**
 * Reading jsonc-parser's `Node` tree: an object's entries (reporting duplicate and
 * unknown keys on the way), and plain-words names for JSON types in messages.
 */
import type { Node } from 'jsonc-parser';
import type { JsonPath } from '../problems';
import { didYouMean } from './didYouMean';
import type { ProblemSink } from './positions';

export interface Entry {
  readonly key: string;
  readonly keyNode: Node;
  readonly valueNode: Node;
  readonly path: JsonPath;
}

/** `a string`, `an array`, … — what the user wrote, for "must be X, not Y". */
export function describeType(node: Node): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return node.value === true ? '`true`' : '`false`';
    case 'null':
      return '`null`';
    default:
      return node.type;
  }
}

/**
 * The entries of an object node, first occurrence of each key only. Later duplicates
 * are errors (JSON parsers disagree on which one wins, so we never guess silently).
 * With `allowed`, other keys are `unknown-key` errors with a suggestion when one is
 * close. Properties whose value is missing (a syntax error, already reported) are
 * skipped.
 */
export function objectEntries(
  node: Node,
  path: JsonPath,
  sink: ProblemSink,
  where: string,
  allowed?: readonly string[],
): Entry[] {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || typeof keyNode.value !== 'string') continue;
    const key = keyNode.value;
    const entryPath = [...path, key];
    if (seen.has(key)) {
      sink.error(
        'duplicate-key',
        keyNode,
        entryPath,
        `\`${key}\` appears more than once in ${where}; keep only one (this later one is ignored).`,
      );
      continue;
    }
    seen.add(key);
    if (allowed && !allowed.includes(key)) {
      const guess = didYouMean(key, allowed);
      const fix = guess
        ? `Did you mean \`${guess}\`?`
        : `Allowed keys: ${allowed.map((name) => `\`${name}\``).join(', ')}.`;
      // The key node's span holds its quotes: the replacement is the guess as JSON.
      sink.error('unknown-key', keyNode, entryPath, `Unknown key \`${shownKey(key)}\` in ${where}. ${fix}`, guess === undefined ? undefined : JSON.stringify(guess));
      continue;
    }
    if (valueNode) entries.push({ key, keyNode, valueNode, path: entryPath });
  }
  return entries;
}

/** Past this, a key is shown by its start and its length: a message is read, not scrolled. */
const SHOWN_KEY_LENGTH = 80;

function shownKey(key: string): string {
  return key.length <= SHOWN_KEY_LENGTH ? key : `${key.slice(0, SHOWN_KEY_LENGTH)}… (${key.length} characters)`;
}

/** Whether any of the offsets lies inside the node's text. */
export function containsOffset(node: Node, offsets: readonly number[]): boolean {
  return offsets.some((offset) => offset >= node.offset && offset < node.offset + node.length);
}
