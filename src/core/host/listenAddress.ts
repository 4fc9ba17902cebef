/**
 * Where an HTTP host listens, and the file-system care a unix socket needs: its directory
 * created private (0700), a stale socket left by a crashed host removed, the socket made
 * private (0600), and the file removed on close. A Windows named pipe takes the same
 * `listen(path)` path without the file-system steps.
 */
import { chmodSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { HostError } from './errors';

export type ListenAddress =
  | { readonly kind: 'tcp'; readonly host?: LoopbackHost; readonly port?: number }
  | { readonly kind: 'socket'; readonly path: string };

/** Only loopback: the host serves this machine's clients, never the network. */
export type LoopbackHost = '127.0.0.1' | '::1' | 'localhost';

export type BoundAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'socket'; readonly path: string };

const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

export function isNamedPipe(path: string): boolean {
  return /^[\\/][\\/][.?][\\/]pipe[\\/]/i.test(path);
}

export async function listen(server: Server, address: ListenAddress): Promise<BoundAddress> {
  if (address.kind === 'tcp') {
    const host = address.host ?? '127.0.0.1';
    const port = address.port ?? 0;
    if (!LOOPBACK_HOSTS.includes(host)) {
      throw new HostError('invalid-listen-address', `Cannot listen on ${host}: use 127.0.0.1, ::1 or localhost.`);
    }
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new HostError('invalid-listen-address', `Port ${port} is not a TCP port: use 0 (any free port) to 65535.`);
    }
    await listenOn(server, { host, port });
    const bound = server.address();
    if (bound === null || typeof bound === 'string') {
      throw new HostError('invalid-listen-address', `Listening on ${host}:${port} gave no TCP address.`);
    }
    return { kind: 'tcp', host: bound.address, port: bound.port };
  }

  const { path } = address;
  if (isNamedPipe(path)) {
    await listenOn(server, { path });
    return { kind: 'socket', path };
  }
  prepareSocketDirectory(path);
  await removeStaleSocket(path);
  await listenOn(server, { path });
  // The directory is 0700, so nobody else can reach the socket in the moment before this.
  chmodSync(path, 0o600);
  return { kind: 'socket', path };
}

/** Removes the socket file (not a named pipe, which has none). Never throws. */
export function removeSocketFile(address: BoundAddress): void {
  if (address.kind === 'socket' && !isNamedPipe(address.path)) {
    rmSync(address.path, { force: true });
  }
}

function listenOn(server: Server, options: { host: string; port: number } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(new HostError('invalid-listen-address', `Cannot listen on ${describe(options)}: ${error.message}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(options, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Creates the socket's directory private when it does not exist. An existing directory is
 * left as it is (it may be /tmp or the user's own); the socket's 0600 still guards it.
 */
function prepareSocketDirectory(path: string): void {
  const directory = dirname(path);
  const created = mkdirSync(directory, { recursive: true, mode: 0o700 });
  if (created !== undefined) {
    // mkdir's mode passes through the umask; say exactly what we mean.
    chmodSync(directory, 0o700);
  }
}

/** A socket file nobody answers on is what a crashed host leaves behind: remove it. */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) {
    throw new HostError('socket-path-not-a-socket', `${path} exists and is not a socket: choose another socket path or remove that file.`);
  }
  if (await somethingAnswers(path)) {
    throw new HostError('socket-in-use', `${path} is in use (another process listens on it, or it belongs to someone else): stop that process or choose another socket path.`);
  }
  rmSync(path, { force: true });
}

function somethingAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    // Only a refused connection proves the file is stale; any other failure (a socket
    // of another user, say) is not ours to delete.
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'ECONNREFUSED'));
  });
}

function describe(options: { host: string; port: number } | { path: string }): string {
  return 'path' in options ? options.path : `${options.host}:${options.port}`;
}
