/**
 * Which configuration files a command reads, and its workspace folder. The folder's file is
 * `--config FILE`, else the nearest `.mcplex.jsonc` from the current folder upward
 * (configLocations.ts); the user's file (`~/.config/mcplex/config.jsonc`) is merged under
 * it, as the `mcplex.servers` setting is in VS Code (core/runtime loadFolder). The folder
 * is where the folder's file is, else the current folder: `${workspaceFolder}` means the
 * same in the user's file as in VS Code, the folder of the project in use.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SubstitutionContext } from '../core/config';
import { cliContext, cliUserHome, ConfigFileError } from './configFile';
import { folderConfigCandidates, userConfigPath } from './configLocations';
import type { CliIo } from './io';
import type { ConfigChoice } from './options';

export type { ConfigChoice } from './options';

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export interface ConfigSources {
  /** The workspace folder: `${workspaceFolder}`, an upstream's default cwd, the key of its records. */
  readonly folder: string;
  /** The folder's file: `--config`, or the `.mcplex.jsonc` found; absent when only the user's file was found. */
  readonly file?: SourceFile;
  /** The user's configuration, when it exists and is not turned off. */
  readonly userFile?: SourceFile;
  readonly context: SubstitutionContext;
}

export async function readConfigSources(choice: ConfigChoice, io: CliIo): Promise<ConfigSources> {
  const userHome = cliUserHome(io);
  const userOff = choice.noUserConfig === true || io.env['MCPLEX_NO_USER_CONFIG'] === '1';
  const userPath = userConfigPath(io.env, userHome);
  const userFile = userOff ? undefined : await readIfPresent(userPath);
  const file = choice.config === undefined ? await findFolderFile(io.cwd, userHome) : await readGiven(resolve(io.cwd, choice.config));
  if (file === undefined && userFile === undefined) {
    const candidates = folderConfigCandidates(io.cwd, userHome);
    const top = dirname(candidates.at(-1) ?? io.cwd);
    const parents = top === resolve(io.cwd) ? '' : ` or its parents up to ${top}`;
    const user = userOff ? `the user configuration is turned off (${choice.noUserConfig === true ? '--no-user-config' : 'MCPLEX_NO_USER_CONFIG=1'})` : `no user configuration ${userPath}`;
    throw new ConfigFileError(`no configuration found: no .mcplex.jsonc in ${resolve(io.cwd)}${parents}, and ${user} (create ./.mcplex.jsonc, or pass --config FILE)`);
  }
  const folder = file === undefined ? resolve(io.cwd) : dirname(file.path);
  return { folder, ...(file !== undefined && { file }), ...(userFile !== undefined && { userFile }), context: cliContext(io, folder) };
}

/** One line for `check` and `list`: the files read, and the folder when no folder file says it. */
export function describeSources(sources: ConfigSources, show: (file: string) => string): string {
  const user = sources.userFile === undefined ? undefined : `the user configuration ${show(sources.userFile.path)}`;
  if (sources.file === undefined) return `configuration: ${user ?? 'none'} alone, for the folder ${sources.folder}`;
  return `configuration: ${show(sources.file.path)}${user === undefined ? '' : `, over ${user}`}`;
}

async function findFolderFile(cwd: string, userHome: string): Promise<SourceFile | undefined> {
  for (const candidate of folderConfigCandidates(cwd, userHome)) {
    const found = await readIfPresent(candidate);
    if (found === undefined) continue;
    await refuseForeignOwner(candidate);
    return found;
  }
  return undefined;
}

async function readGiven(path: string): Promise<SourceFile> {
  const found = await readIfPresent(path);
  if (found === undefined) throw new ConfigFileError(`cannot read ${path}: no such file (the path given to --config)`);
  return found;
}

/** The file's text; undefined when there is none (nor a folder on its way); any other failure names the file. */
async function readIfPresent(path: string): Promise<SourceFile | undefined> {
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigFileError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * A file found by the search, not named by the user, runs the commands it lists as this
 * user: one another user owns (a `/tmp/.mcplex.jsonc` above a scratch folder) is refused, as
 * git refuses a repository another user owns. Root's files are trusted (root could change
 * anything of ours anyway); Windows has no uid to compare.
 */
async function refuseForeignOwner(path: string): Promise<void> {
  const me = process.getuid?.();
  if (me === undefined) return;
  const { uid } = await stat(path);
  if (uid === me || uid === 0) return;
  throw new ConfigFileError(`${path} belongs to another user (uid ${uid}) and would run commands as you; pass --config ${path} to use it anyway`);
}
