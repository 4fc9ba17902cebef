/**
 * How a file is written (its indentation unit and line ending), read from the file
 * itself, so that inserted text looks like the user's own: tabs stay tabs, four spaces
 * stay four spaces, CRLF stays CRLF.
 */
export interface TextStyle {
  /** One level of indentation: `\t`, or some spaces. */
  readonly indent: string;
  readonly eol: '\n' | '\r\n';
}

export const DEFAULT_STYLE: TextStyle = { indent: '  ', eol: '\n' };

export function detectStyle(text: string | undefined): TextStyle {
  if (text === undefined || text.trim() === '') return DEFAULT_STYLE;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let smallest: number | undefined;
  for (const line of text.split(/\r?\n/)) {
    const lead = /^[ \t]+(?=\S)/.exec(line)?.[0];
    if (lead === undefined) continue;
    if (lead.startsWith('\t')) return { indent: '\t', eol };
    if (smallest === undefined || lead.length < smallest) smallest = lead.length;
  }
  return { indent: smallest === undefined ? DEFAULT_STYLE.indent : ' '.repeat(smallest), eol };
}

/** The whitespace at the start of the line holding `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

export function lineStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start -= 1;
  return start;
}

export function lineEnd(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end += 1;
  return end;
}
