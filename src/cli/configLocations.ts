/**
 * Where the CLI looks for its configuration, as paths only (reading is configSources.ts'):
 * the user's own file, and the folders a `.mcplex.jsonc` is looked for in.
 */
import * as path from 'node:path';
import { DEFAULT_CONFIG_FILE } from './options';

export const USER_CONFIG_NAME = 'config.jsonc';

/**
 * The user's configuration: `$XDG_CONFIG_HOME/mcplex/config.jsonc`, else on Windows
 * `%APPDATA%\mcplex\config.jsonc` (where Windows programs keep per-user settings that roam),
 * else `~/.config/mcplex/config.jsonc`. A relative XDG_CONFIG_HOME is ignored, as the XDG
 * specification asks (it would make the file depend on the current folder).
 */
export function userConfigPath(env: Readonly<Record<string, string | undefined>>, userHome: string, platform: NodeJS.Platform = process.platform): string {
  const api = platform === 'win32' ? path.win32 : path.posix;
  const xdgConfig = env['XDG_CONFIG_HOME'];
  const appData = env['APPDATA'];
  if (xdgConfig !== undefined && api.isAbsolute(xdgConfig)) return api.join(xdgConfig, 'mcplex', USER_CONFIG_NAME);
  if (platform === 'win32' && appData !== undefined && api.isAbsolute(appData)) return api.join(appData, 'mcplex', USER_CONFIG_NAME);
  return api.join(userHome, '.config', 'mcplex', USER_CONFIG_NAME);
}

/**
 * The `.mcplex.jsonc` files to try, nearest first: the current folder's, then each
 * parent's, as git looks for its repository. Inside the home folder the search ends with
 * the home folder itself: a file above it (`/home/.mcplex.jsonc`) belongs to nobody's
 * project, and whoever could write it would choose the commands this user runs. Outside
 * the home folder (a checkout under /srv, a container's /work) it goes up to the root;
 * configSources.ts refuses a file there that another user owns.
 */
export function folderConfigCandidates(cwd: string, userHome: string, pathApi: path.PlatformPath = path): string[] {
  const start = pathApi.resolve(cwd);
  const home = pathApi.resolve(userHome);
  const candidates: string[] = [];
  for (let folder = start; ; folder = pathApi.dirname(folder)) {
    candidates.push(pathApi.join(folder, DEFAULT_CONFIG_FILE));
    if (sameFolder(folder, home, pathApi) || pathApi.dirname(folder) === folder) return candidates;
  }
}

function sameFolder(a: string, b: string, pathApi: path.PlatformPath): boolean {
  // Windows paths are case-insensitive: C:\Users\Me is c:\users\me.
  return pathApi === path.win32 ? a.toLowerCase() === b.toLowerCase() : a === b;
}
