/**
 * Text → jsonc-parser tree, with syntax errors as problems. Comments and trailing
 * commas are allowed, as in VS Code's own `.jsonc` files.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { tooDeepAt, tooDeepMessage, withoutByteOrderMark } from './jsonText';
import type { ProblemSink } from './positions';

const SYNTAX_MESSAGES: Readonly<Record<string, string>> = {
  InvalidSymbol: 'Unexpected character; check for a missing quote or a stray character here.',
  InvalidNumberFormat: 'This is not a valid number.',
  PropertyNameExpected: 'A property name in double quotes is expected here, e.g. `"command"`.',
  ValueExpected: 'A value is expected here (a string in double quotes, number, object, array, true, false or null).',
  ColonExpected: 'A `:` is expected after the property name.',
  CommaExpected: 'A `,` is expected here, between two values or properties.',
  CloseBraceExpected: 'A closing `}` is expected here.',
  CloseBracketExpected: 'A closing `]` is expected here.',
  EndOfFileExpected: 'Nothing may follow the top-level object; remove the extra text.',
  InvalidCommentToken: 'This comment is not valid; use `// …` or `/* … */`.',
  UnexpectedEndOfComment: 'This `/*` comment is not closed; add `*/`.',
  UnexpectedEndOfString: 'This string is not closed; add the closing `"`.',
  UnexpectedEndOfNumber: 'This number is cut short.',
  InvalidUnicode: 'This `\\u` escape is not valid; it needs four hex digits.',
  InvalidEscapeCharacter: 'This escape is not valid in JSON; write `\\\\` for a backslash.',
  InvalidCharacter: 'This character is not allowed in a string; escape it (e.g. `\\n`, `\\t`).',
};

export interface ParsedText {
  readonly root: Node | undefined;
  /** Offsets of the syntax errors, so the validator can distrust what contains them. */
  readonly syntaxErrors: readonly number[];
}

export function parseText(written: string, sink: ProblemSink): ParsedText {
  const text = withoutByteOrderMark(written);
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    // A `syntax` problem, so the window keeps the folder's last good load, as for any file that does not parse.
    sink.error('syntax', { offset: deep, length: 1 }, [], `Syntax error: ${tooDeepMessage()}`);
    return { root: undefined, syntaxErrors: [deep] };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const reported = new Set<number>();
  for (const error of errors) {
    // The parser can report two errors at one spot; the first is the cause.
    if (reported.has(error.offset)) continue;
    reported.add(error.offset);
    const name = printParseErrorCode(error.error);
    sink.error('syntax', error, [], `Syntax error: ${SYNTAX_MESSAGES[name] ?? name}`);
  }
  return { root, syntaxErrors: errors.map((error) => error.offset) };
}
