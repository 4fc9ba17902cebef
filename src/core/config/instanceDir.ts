/**
 * Where `${instanceDir}` points: one private folder per configuration folder, server and
 * instance, stable across restarts:
 *
 *     <stateRoot>/instances/<folder name>-<8 hex of sha256(folder path)>/<server>/<instance>
 *
 * The folder name keeps the layout readable; the hash keeps two folders of the same name
 * apart. Server and instance ids are already safe path segments (`ID_PATTERN`). Only the
 * path is computed here: the folder is created when the instance starts, so checking a
 * configuration never writes anything.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';

/**
 * `$XDG_STATE_HOME/mcplex`, else `~/.local/state/mcplex` (the CLI's root); on Windows
 * `%LOCALAPPDATA%\mcplex\state`, where Windows programs keep per-machine state, unless
 * XDG_STATE_HOME says otherwise.
 */
export function defaultStateRoot(env: Readonly<Record<string, string | undefined>>, userHome: string, platform: NodeJS.Platform = process.platform): string {
  const xdgState = env['XDG_STATE_HOME'];
  const localAppData = env['LOCALAPPDATA'];
  if (platform === 'win32' && (xdgState === undefined || !path.isAbsolute(xdgState)) && localAppData !== undefined && path.win32.isAbsolute(localAppData)) {
    return path.win32.join(localAppData, 'mcplex', 'state');
  }
  const base = xdgState !== undefined && path.isAbsolute(xdgState) ? xdgState : path.join(userHome, '.local', 'state');
  return path.join(base, 'mcplex');
}

export function instanceDirOf(stateRoot: string, folder: string, serverId: string, instanceId: string): string {
  return path.join(stateRoot, 'instances', folderSegment(folder), serverId, instanceId);
}

/**
 * What mcplex itself keeps about an instance (its audit trail, its pinned tool
 * definitions): beside the `${instanceDir}` folders, never inside one, because the
 * upstream owns its `${instanceDir}` and must not be able to rewrite what mcplex approved
 * or recorded of it.
 *
 *     <stateRoot>/records/<folder name>-<8 hex>/<server>/<instance>
 */
export function instanceRecordsOf(stateRoot: string, folder: string, serverId: string, instanceId: string): string {
  return path.join(stateRoot, 'records', folderSegment(folder), serverId, instanceId);
}

function folderSegment(folder: string): string {
  const resolved = path.resolve(folder);
  const hash = createHash('sha256').update(resolved).digest('hex').slice(0, 8);
  const name = path.basename(resolved).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '') || 'root';
  return `${name}-${hash}`;
}
