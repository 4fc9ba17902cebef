/**
 * How a command is spawned on Windows when it is a batch file: `npx`, `npm`, `pnpm` and
 * every `node_modules/.bin` shim are `.cmd` files there. Since the fix of CVE-2024-27980
 * Node refuses to spawn a `.cmd`/`.bat` without a shell (EINVAL), and libuv's own PATH
 * search only tries `.com` and `.exe`, so `npx` alone is not even found.
 *
 * Chosen: find the command as cmd.exe would (the working folder, then PATH, each name with
 * PATHEXT's extensions) and, for a batch file, run `cmd.exe /d /s /c "<line>"` with every
 * character cmd treats specially escaped, given to the process verbatim. Not chosen:
 * reading npm's `.cmd` shim to run its node script directly — it works only for shims
 * whose layout we know (npm's, cmd-shim's) and every other `.bat` would still need cmd.
 *
 * The quoting is cross-spawn's (after https://qntm.org/cmd): each argument is quoted for
 * CommandLineToArgvW, then every cmd metacharacter (quotes included) gets a caret, so cmd
 * sees no quoted section and no operator: `&`, `|`, `<`, `>` stay text, and `%VAR%`
 * becomes `^%VAR^%`, which names no variable on a command line and so is not expanded.
 * Batch files escape twice: a shim hands `%*` to a second command, which cmd parses again.
 * `!` is escaped too, in case delayed expansion is on by default (registry). Line breaks
 * cannot be passed through cmd at all, so an argument with one is refused.
 */
import * as path from 'node:path';
import { statSync } from 'node:fs';

/** What to hand to `spawn`: the file, its arguments, and whether they are already quoted. */
export interface SpawnTarget {
  readonly file: string;
  readonly args: readonly string[];
  /** True when `args` is one cmd line Node must pass as it is (`windowsVerbatimArguments`). */
  readonly verbatim: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** cmd's metacharacters, and those CommandLineToArgvW reads: each gets a caret. */
const CMD_META = /([()\][%!^"`<>&|;, *?])/g;
const BATCH = /\.(cmd|bat)$/i;

/** Thrown for an argument cmd cannot carry; the caller names the command. */
export class UnquotableArgumentError extends Error {
  readonly code = 'unquotable-argument';
}

/**
 * The spawn of `command args` on Windows: unchanged unless the command is (or resolves
 * to) a batch file, which goes through `cmd.exe /d /s /c`. `exists` is the file test
 * (injected for tests on Linux).
 */
export function windowsSpawnTarget(
  command: string,
  args: readonly string[],
  env: Env,
  cwd: string | undefined,
  exists: (file: string) => boolean = isFile,
): SpawnTarget {
  const resolved = resolveWindowsCommand(command, env, cwd, exists) ?? command;
  if (!BATCH.test(resolved)) return { file: command, args, verbatim: false };
  for (const arg of args) {
    if (/[\r\n\0]/.test(arg)) {
      throw new UnquotableArgumentError(`argument ${JSON.stringify(arg)} holds a line break or NUL, which cmd.exe cannot pass to a batch file`);
    }
  }
  const line = [escapeCommand(resolved), ...args.map((arg) => quoteCmdArgument(arg, true))].join(' ');
  // /d: no AutoRun commands from the registry; /s /c "…": cmd strips exactly the outer quotes.
  return { file: envValue(env, 'ComSpec') ?? 'cmd.exe', args: ['/d', '/s', '/c', `"${line}"`], verbatim: true };
}

/**
 * Where cmd.exe would find `command`: as given when it has a folder in it, else in the
 * working folder then each PATH entry; each candidate as written, then with each of
 * PATHEXT's extensions. Undefined when nothing is found (spawn will then say ENOENT).
 */
export function resolveWindowsCommand(command: string, env: Env, cwd: string | undefined, exists: (file: string) => boolean = isFile): string | undefined {
  const win = path.win32;
  const extensions = (envValue(env, 'PATHEXT') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((ext) => ext !== '');
  const hasExtension = win.extname(command) !== '';
  const withExtensions = (base: string): string[] => [...(hasExtension ? [base] : []), ...extensions.map((ext) => base + ext.toLowerCase())];
  const hasFolder = /[\\/]/.test(command) || win.isAbsolute(command);
  const folders = hasFolder ? [''] : [cwd ?? '', ...(envValue(env, 'PATH') ?? '').split(';').map((entry) => entry.replace(/^"(.*)"$/, '$1'))];
  for (const folder of folders) {
    if (!hasFolder && folder === '') continue;
    for (const candidate of withExtensions(hasFolder ? command : win.join(folder, command))) {
      if (exists(candidate)) return candidate;
    }
  }
  return undefined;
}

/** One argument for a cmd line; `batch` escapes twice, for a shim's `%*`. */
export function quoteCmdArgument(arg: string, batch: boolean): string {
  // CommandLineToArgvW: backslashes before a quote (or the closing quote) are doubled.
  const argv = `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\*)$/, '$1$1')}"`;
  const once = argv.replace(CMD_META, '^$1');
  return batch ? once.replace(CMD_META, '^$1') : once;
}

/** The batch file's own path on the cmd line: spaces and metacharacters escaped, not quoted. */
export function escapeCommand(file: string): string {
  return path.win32.normalize(file).replace(CMD_META, '^$1');
}

/** Windows' environment names ignore case (`Path`, `PATH`). */
function envValue(env: Env, name: string): string | undefined {
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name.toUpperCase());
  const value = key === undefined ? undefined : env[key];
  return value === '' ? undefined : value;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
