/**
 * The one place where an upstream's private folders are made and its environment is
 * assembled: `${instanceDir}` (0700), and for `isolate` the XDG homes, HOME and TMPDIR
 * under it. Layout of a state folder:
 *
 *     <instanceDir>/home/           HOME / USERPROFILE (`home`)
 *     <instanceDir>/home/.config    XDG_CONFIG_HOME, and .local/share, .local/state, .cache
 *     <instanceDir>/home/AppData/   APPDATA (Roaming) and LOCALAPPDATA (Local) on Windows
 *     <instanceDir>/tmp/            TMPDIR / TEMP / TMP (`home`)
 *
 * What users expect to stay shared stays shared: npm's cache and .npmrc (so `npx` still
 * works offline and keeps its registry and auth), Playwright's browsers and uv's cache and
 * tools, each pointed at the user's own unless already set. The config's own `env` always
 * wins over all of this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Isolation } from '../config';

type Env = Readonly<Record<string, string | undefined>>;

/** The environment a process starts with: the parent's, the isolation's, then the config's. */
export function launchEnvironment(
  parent: Env,
  explicit: Readonly<Record<string, string>>,
  stateDir: string | undefined,
  isolate: Isolation | undefined,
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const base = definedOnly(parent);
  const isolation = stateDir !== undefined && isolate !== undefined ? isolationEnv(parent, stateDir, isolate, platform) : {};
  return { ...base, ...isolation, ...explicit };
}

/** The variables `isolate` sets (pure; `launchEnvironment` puts the config's `env` over them). */
export function isolationEnv(parent: Env, stateDir: string, isolate: Isolation, platform: NodeJS.Platform): Record<string, string> {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const realHome = userHomeOf(parent, platform);
  const home = join(stateDir, 'home');
  const env: Record<string, string> = {
    ...sharedTools(parent, realHome, platform),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
  if (platform === 'win32') {
    env['APPDATA'] = join(home, 'AppData', 'Roaming');
    env['LOCALAPPDATA'] = join(home, 'AppData', 'Local');
  }
  if (isolate.mode === 'home') {
    const tmp = join(stateDir, 'tmp');
    env['HOME'] = home;
    env['TMPDIR'] = tmp;
    if (platform === 'win32') Object.assign(env, { USERPROFILE: home, TEMP: tmp, TMP: tmp });
  }
  return env;
}

/** Caches and settings shared by every instance: the user's own, unless already set. */
function sharedTools(env: Env, realHome: string, platform: NodeJS.Platform): Record<string, string> {
  // An empty value counts as unset, as the tools themselves treat it.
  const parent = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const windows = platform === 'win32';
  const localAppData = parent('LOCALAPPDATA') ?? join(realHome, 'AppData', 'Local');
  const appData = parent('APPDATA') ?? join(realHome, 'AppData', 'Roaming');
  const xdgCache = parent('XDG_CACHE_HOME') ?? join(realHome, '.cache');
  const xdgData = parent('XDG_DATA_HOME') ?? join(realHome, '.local', 'share');
  const playwright =
    windows ? join(localAppData, 'ms-playwright')
    : platform === 'darwin' ? join(realHome, 'Library', 'Caches', 'ms-playwright')
    : join(xdgCache, 'ms-playwright');
  return {
    npm_config_cache: parent('npm_config_cache') ?? parent('NPM_CONFIG_CACHE') ?? (windows ? join(localAppData, 'npm-cache') : join(realHome, '.npm')),
    npm_config_userconfig: parent('npm_config_userconfig') ?? parent('NPM_CONFIG_USERCONFIG') ?? join(realHome, '.npmrc'),
    PLAYWRIGHT_BROWSERS_PATH: parent('PLAYWRIGHT_BROWSERS_PATH') ?? playwright,
    UV_CACHE_DIR: parent('UV_CACHE_DIR') ?? (windows ? join(localAppData, 'uv', 'cache') : join(xdgCache, 'uv')),
    UV_TOOL_DIR: parent('UV_TOOL_DIR') ?? (windows ? join(appData, 'uv', 'tools') : join(xdgData, 'uv', 'tools')),
  };
}

function userHomeOf(parent: Env, platform: NodeJS.Platform): string {
  const home = platform === 'win32' ? (parent['USERPROFILE'] || parent['HOME']) : parent['HOME'];
  return home || (platform === 'win32' ? 'C:\\' : '/');
}

function definedOnly(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}

/**
 * Creates the state folder (0700) and, for `isolate`, the folders its variables name, and
 * the `share` links. Synchronous and idempotent: it runs just before each spawn.
 *
 * A shared entry is a symlink from the private home to the real one: the upstream can
 * read and write that entry exactly as the user can (e.g. `.ssh` exposes every private
 * key in it), so share only what the server needs.
 */
export function prepareStateDir(stateDir: string, isolate: Isolation | undefined, env: Readonly<Record<string, string>>, parent: Env): void {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by the umask and leaves an existing folder as it was.
  fs.chmodSync(stateDir, 0o700);
  if (isolate === undefined) return;
  const under = (name: string): string | undefined => {
    const value = env[name];
    return value !== undefined && isInside(stateDir, value) ? value : undefined;
  };
  const names = ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'APPDATA', 'LOCALAPPDATA', 'HOME', 'USERPROFILE', 'TMPDIR'];
  for (const name of names) {
    const folder = under(name);
    if (folder !== undefined) fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  }
  const home = under(process.platform === 'win32' ? 'USERPROFILE' : 'HOME');
  if (isolate.mode !== 'home' || home === undefined) return;
  const realHome = userHomeOf(parent, process.platform);
  for (const entry of isolate.share) linkShared(path.join(realHome, entry), path.join(home, entry));
}

/** Links one entry of the real home into the private one; a private copy already there is kept. */
function linkShared(target: string, link: string): void {
  if (!fs.existsSync(target)) return;
  const existing = fs.lstatSync(link, { throwIfNoEntry: false });
  if (existing !== undefined && !existing.isSymbolicLink()) return;
  if (existing !== undefined) fs.unlinkSync(link);
  fs.mkdirSync(path.dirname(link), { recursive: true, mode: 0o700 });
  const type = fs.statSync(target).isDirectory() ? 'junction' : 'file';
  fs.symlinkSync(target, link, process.platform === 'win32' ? type : undefined);
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
