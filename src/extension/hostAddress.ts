/**
 * Where the window's host listens. On Linux and macOS a unix socket in a private
 * directory of its own (VS Code reaches it through a `unix:///…#/path` definition URI),
 * so no other user and no web page can reach it; on Windows a named pipe of its own,
 * `\\.\pipe\mcplex-<id>` (VS Code reaches it through `pipe:///mcplex-<id>#/path`): no web
 * page can reach a pipe, and Windows' default access lets only the user, SYSTEM and
 * Administrators write to it (Node cannot set a pipe's access list; the window's token
 * guards it as it guards the socket). A socket path must stay under the platform's limit
 * (108 bytes on Linux, 104 on macOS); if the temp folder is too deep, /tmp is used, and
 * loopback TCP (Host/Origin checks and the token) if even that is too long.
 */
import { join } from 'node:path';
import type { ListenAddress } from '../core/host';

/** Below macOS's 104 with room to spare. */
export const MAX_SOCKET_PATH = 100;
export const SOCKET_FILE = 'host.sock';

export interface HostAddressInputs {
  readonly platform: NodeJS.Platform;
  readonly tmpdir: string;
  /** A random id (hex), so two windows never share a directory. */
  readonly randomId: string;
}

export function chooseListenAddress(inputs: HostAddressInputs): ListenAddress {
  if (inputs.platform === 'win32') return { kind: 'socket', path: `\\\\.\\pipe\\mcplex-${inputs.randomId}` };
  for (const base of [inputs.tmpdir, '/tmp']) {
    const path = join(base, `mcplex-${inputs.randomId}`, SOCKET_FILE);
    if (Buffer.byteLength(path) < MAX_SOCKET_PATH) return { kind: 'socket', path };
  }
  return { kind: 'tcp', host: '127.0.0.1', port: 0 };
}
