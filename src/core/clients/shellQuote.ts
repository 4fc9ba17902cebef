/**
 * One argument of a command line a user pastes into a shell, quoted only when it must be:
 * POSIX shells (bash, zsh) take single quotes, in which nothing expands; Windows' cmd.exe
 * and PowerShell both read double quotes (a path there cannot contain `"`).
 */
export type Shell = 'posix' | 'windows';

const PLAIN = /^[A-Za-z0-9_./:@%+=,-]+$/;

export function shellQuote(arg: string, shell: Shell): string {
  if (PLAIN.test(arg)) return arg;
  if (shell === 'windows') return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(args: readonly string[], shell: Shell): string {
  return args.map((arg) => shellQuote(arg, shell)).join(' ');
}
