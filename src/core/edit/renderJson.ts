/**
 * Renders a JSON value the way people write `.mcplex.jsonc` by hand: objects one key
 * per line, arrays of plain values on one line (`["-y", "some-server"]`), empty ones as
 * `{}` and `[]`. `baseIndent` is the indentation of the line the value starts on.
 */
import type { TextStyle } from './textStyle';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export function renderJson(value: JsonValue, baseIndent: string, style: TextStyle): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value as readonly JsonValue[];
    if (items.length === 0) return '[]';
    if (items.every((item) => item === null || typeof item !== 'object')) return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
    const inner = baseIndent + style.indent;
    return `[${style.eol}${items.map((item) => inner + renderJson(item, inner, style)).join(`,${style.eol}`)}${style.eol}${baseIndent}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: JsonValue });
  if (entries.length === 0) return '{}';
  const inner = baseIndent + style.indent;
  const lines = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${renderJson(item, inner, style)}`);
  return `{${style.eol}${lines.join(`,${style.eol}`)}${style.eol}${baseIndent}}`;
}

/** On one line, with a space after `:` and `,`: for objects the user wrote on one line. */
export function renderInline(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(renderInline).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: JsonValue });
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${renderInline(item)}`).join(', ')} }`;
}
