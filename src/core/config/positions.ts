/**
 * Offsets → 1-based line/column, and the one place that turns "this node is wrong"
 * into a Problem. Columns count UTF-16 code units, as editors and jsonc-parser do.
 */
import type { JsonPath, Problem, Severity } from '../problems';
import { BYTE_ORDER_MARK } from './jsonText';
import type { SourceLocation } from './model';

export class LineIndex {
  /** Offset at which each line starts; line 1 starts at 0. */
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    // A byte order mark is no column: editors do not show it, so line 1 starts after it.
    if (text.startsWith(BYTE_ORDER_MARK)) this.lineStarts[0] = 1;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      // \r\n counts once; a lone \r is a line break too (as in VS Code).
      if (ch === 0x0a || (ch === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** 1-based line and column of a zero-based offset (clamped into the text). */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    const start = this.lineStarts[low] ?? 0;
    return { line: low + 1, column: Math.max(0, offset - start) + 1 };
  }
}

/** A span of the text: where a problem or a value sits. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** Collects problems for one file; validators call `error`/`warning` and keep going. */
export class ProblemSink {
  readonly problems: Problem[] = [];
  private readonly lines: LineIndex;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  get errorCount(): number {
    return this.problems.filter((problem) => problem.severity === 'error').length;
  }

  push(problem: Problem): void {
    this.problems.push(problem);
  }

  error(code: string, span: Span, path: JsonPath, message: string, replacement?: string): void {
    this.add('error', code, span, path, message, replacement);
  }

  warning(code: string, span: Span, path: JsonPath, message: string): void {
    this.add('warning', code, span, path, message);
  }

  location(span: Span, path: JsonPath): SourceLocation {
    const { line, column } = this.lines.position(span.offset);
    return { file: this.file, path, offset: span.offset, length: span.length, line, column };
  }

  private add(severity: Severity, code: string, span: Span, path: JsonPath, message: string, replacement?: string): void {
    this.problems.push({ severity, code, message, ...this.location(span, path), ...(replacement !== undefined && { replacement }) });
  }
}

/** A problem at a location already computed (later stages no longer have the text). */
export function problemAt(
  severity: Severity,
  code: string,
  location: SourceLocation,
  message: string,
): Problem {
  return { severity, code, message, ...location };
}

/**
 * The location of `[start, end)` inside a string value at `location`, when the string
 * is written without escapes (its text is then the value plus two quotes, on one line);
 * otherwise the whole string, since escapes make character and text offsets differ.
 */
export function locationInString(
  location: SourceLocation,
  value: string,
  start: number,
  end: number,
): SourceLocation {
  if (location.length !== value.length + 2) return location;
  return {
    ...location,
    offset: location.offset + 1 + start,
    length: end - start,
    column: location.column + 1 + start,
  };
}

/** `servers.google.instances.work`, for messages; odd keys are quoted. */
export function formatPath(path: JsonPath): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!/^[A-Za-z_$][\w$-]*$/.test(segment)) return `[${JSON.stringify(segment)}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}
