/**
 * How a command is spawned on Windows when it is a batch file: `npx`, `npm`, `pnpm` and
 * every `node_modules/.bin` shim are `.cmd` files there. Since the fix of CVE-2024-27980
 * Node refuses to spawn a `.cmd`/`.bat` without a shell (EINVAL), and libuv's own PATH
 * search only tries `.com` and `.exe`, so `npx` alone is not even found.
 *
 * The command is found as cmd.exe would find it (the working folder, then PATH, each name
 * with PATHEXT's extensions). A batch file is then started in one of two ways:
 *
 * 1. npm's shims (npm.cmd and npx.cmd beside node.exe, and cmd-shim's `node_modules/.bin`
 *    files, which is what `npx`, `npm exec` and every locally installed server are) are
 *    read and their node script run directly with node: no shell, so no quoting at all and
 *    every argument arrives exactly as written. Nearly every MCP server on Windows is one.
 * 2. Any other batch file runs as `cmd.exe /d /s /c ""<file>" <args>"`, every argument
 *    quoted for CommandLineToArgvW and every cmd metacharacter (quotes included) escaped
 *    with a caret, as cross-spawn does (after https://qntm.org/cmd): cmd sees no quoted
 *    section and no operator, so `&`, `|`, `<`, `>` stay text and `%VAR%` becomes
 *    `^%VAR^%`, which names no variable on a command line and is not expanded. Twice,
 *    because a batch file hands `%*` to a second command, which cmd parses again. `!` is
 *    escaped too, for delayed expansion turned on in the registry. A line break cannot
 *    pass through cmd at all, so an argument with one is refused.
 *
 * Why both: the shell-free way is exact but knows only npm's shim layouts; cmd runs every
 * batch file but its parsing has corners (and wine's cmd, where the suite runs, parses
 * `%`, `!` and parentheses after a caret unlike Windows' own, so case 2 is proven there
 * only for spaces, quotes, `&`, `|` and `^`; the rest by the model in the unit test).
 */
import * as path from 'node:path';
import { readFileSync, statSync } from 'node:fs';

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

/** The file system as the resolution needs it (injected for tests on Linux). */
export interface FileProbe {
  exists(file: string): boolean;
  /** The text of a small file, or undefined. */
  read(file: string): string | undefined;
}

const DISK: FileProbe = { exists: isFile, read: readSmall };

/**
 * The spawn of `command args` on Windows: unchanged unless the command is (or resolves
 * to) a batch file: an npm shim runs its node script with node, any other batch file
 * goes through `cmd.exe /d /s /c`.
 */
export function windowsSpawnTarget(command: string, args: readonly string[], env: Env, cwd: string | undefined, files: FileProbe = DISK): SpawnTarget {
  const resolved = resolveWindowsCommand(command, env, cwd, files.exists) ?? command;
  if (!BATCH.test(resolved)) return { file: command, args, verbatim: false };
  const shim = npmShimTarget(resolved, files);
  if (shim !== undefined) return { file: shim.program, args: [shim.script, ...args], verbatim: false };
  for (const arg of args) {
    if (/[\r\n\0]/.test(arg)) {
      throw new UnquotableArgumentError(`argument ${JSON.stringify(arg)} holds a line break or NUL, which cmd.exe cannot pass to a batch file`);
    }
  }
  const line = [`"${path.win32.normalize(resolved)}"`, ...args.map((arg) => quoteCmdArgument(arg, true))].join(' ');
  // /d: no AutoRun commands from the registry; /s /c "…": cmd strips exactly the outer quotes.
  return { file: envValue(env, 'ComSpec') ?? 'cmd.exe', args: ['/d', '/s', '/c', `"${line}"`], verbatim: true };
}

/**
 * The node script behind an npm shim, and the program to run it with (the node.exe beside
 * the shim, else `node` from PATH, as the shim itself chooses). Two layouts: npm's own
 * `npm.cmd`/`npx.cmd` next to node.exe, and cmd-shim's `"%_prog%"  "%dp0%\<script>" %*`.
 * Undefined for anything else, or when the script is not there.
 */
export function npmShimTarget(shim: string, files: FileProbe): { readonly program: string; readonly script: string } | undefined {
  const text = files.read(shim);
  if (text === undefined) return undefined;
  const win = path.win32;
  const folder = win.dirname(shim);
  const beside = (program: string): string => (files.exists(win.join(folder, `${program}.exe`)) ? win.join(folder, `${program}.exe`) : program);
  const npm = /SET "NP([MX])_CLI_JS=%~dp0\\node_modules\\npm\\bin\\np[mx]-cli\.js"/i.exec(text);
  if (npm !== null) {
    const script = win.join(folder, 'node_modules', 'npm', 'bin', `np${(npm[1] as string).toLowerCase()}-cli.js`);
    return files.exists(script) ? { program: beside('node'), script } : undefined;
  }
  // cmd-shim: the program as it falls back to without an .exe beside it, then the one line that runs it.
  const program = /SET "_prog=([A-Za-z0-9._-]+)"/.exec(text)?.[1];
  const target = /"%_prog%"\s+"%dp0%\\([^"%]+)"\s+%\*/.exec(text)?.[1];
  if (program === undefined || target === undefined) return undefined;
  const script = win.join(folder, target);
  return files.exists(script) ? { program: beside(program), script } : undefined;
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

/** Windows' environment names ignore case (`Path`, `PATH`). */
function envValue(env: Env, name: string): string | undefined {
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name.toUpperCase());
  const value = key === undefined ? undefined : env[key];
  return value === '' ? undefined : value;
}

function readSmall(file: string): string | undefined {
  try {
    return statSync(file).size <= 65_536 ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
