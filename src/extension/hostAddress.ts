/**
 * Where the window's host listens. On Linux and macOS a unix socket in a private
 * directory of its own (VS Code reaches it through a `unix:///…#/path` definition URI),
 * so no other user and no web page can reach it; on Windows loopback TCP (the host adds
 * its Host/Origin checks and the token there). A socket path must stay under the
 * platform's limit (108 bytes on Linux, 104 on macOS); if the temp folder is too deep,
 * /tmp is used, and TCP if even that is too long.
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
  if (inputs.platform === 'win32') return { kind: 'tcp', host: '127.0.0.1', port: 0 };
  for (const base of [inputs.tmpdir, '/tmp']) {
    const path = join(base, `mcplex-${inputs.randomId}`, SOCKET_FILE);
    if (Buffer.byteLength(path) < MAX_SOCKET_PATH) return { kind: 'socket', path };
  }
  return { kind: 'tcp', host: '127.0.0.1', port: 0 };
}
