import {
  DEFAULT_NAME_BUDGET,
  DEFAULT_SEPARATOR,
  MIN_TOOL_CHARACTERS,
  PREFIX_PATTERN,
} from './constants';

/** The longest prefix that leaves room for tool names with this separator and budget. */
export function maxPrefixLength(
  separator: string = DEFAULT_SEPARATOR,
  budget: number = DEFAULT_NAME_BUDGET,
): number {
  return Math.max(0, budget - separator.length - MIN_TOOL_CHARACTERS);
}

/**
 * What is wrong with `prefix`, in words for the person typing it (the Add Account
 * input box validates as the user types), or `undefined` when it is fine.
 */
export function validatePrefix(
  prefix: string,
  separator: string = DEFAULT_SEPARATOR,
  budget: number = DEFAULT_NAME_BUDGET,
): string | undefined {
  if (prefix === '') {
    return 'Enter a prefix, such as "work" or "personal".';
  }
  if (!PREFIX_PATTERN.test(prefix)) {
    const first = prefix[0] ?? '';
    if (!/[A-Za-z0-9]/.test(first)) {
      return 'Start the prefix with a letter or a digit.';
    }
    const bad = [...prefix].find((char) => !/[A-Za-z0-9_-]/.test(char)) ?? '';
    return `Use only letters, digits, "_" and "-" in a prefix ("${bad}" is not allowed).`;
  }
  const max = maxPrefixLength(separator, budget);
  if (prefix.length > max) {
    return `Shorten the prefix to ${max} characters or fewer, so tool names still fit in the 64 characters clients allow.`;
  }
  return undefined;
}

export interface SeparatorCheck {
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

const PORTABLE_SEPARATOR = /^[A-Za-z0-9_-]+$/;
/** Allowed with a warning: some clients accept them, OpenAI and Claude do not. */
const RISKY_SEPARATOR = /^[A-Za-z0-9_.:-]+$/;

/**
 * Whether `separator` can join a prefix and a tool name: `undefined` when it is fine,
 * a warning for `.` and `:` (common clients reject such names), an error otherwise.
 */
export function validateSeparator(separator: string): SeparatorCheck | undefined {
  if (separator === '') {
    return {
      severity: 'error',
      message: 'Set a separator such as "__": without one, "work" + "x" could not be told from "wor" + "kx".',
    };
  }
  if (PORTABLE_SEPARATOR.test(separator)) {
    return undefined;
  }
  if (RISKY_SEPARATOR.test(separator)) {
    return {
      severity: 'warning',
      message: `The separator "${separator}" contains "." or ":", which OpenAI, Claude and other clients reject in tool names; "__" works everywhere.`,
    };
  }
  return {
    severity: 'error',
    message: `Use only letters, digits, "_", "-" (or "." and ":") in the separator "${separator}"; "__" works everywhere.`,
  };
}
