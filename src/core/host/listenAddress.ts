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
import { listenInherited, type InheritedListen } from './inheritedSocket';

export type ListenAddress =
  | { readonly kind: 'tcp'; readonly host?: LoopbackHost; readonly port?: number }
  | { readonly kind: 'socket'; readonly path: string }
  /** A socket handed over already listening (systemd socket activation): see `inheritedSocket.ts`. */
  | InheritedListen;

/** Only loopback: the host serves this machine's clients, never the network. */
export type LoopbackHost = '127.0.0.1' | '::1' | 'localhost';

export type BoundAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  /** `inherited`: the socket file is its creator's (systemd's), to be left in place on close. */
  | { readonly kind: 'socket'; readonly path: string; readonly inherited?: true };

const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

export function isNamedPipe(path: string): boolean {
  return /^[\\/][\\/][.?][\\/]pipe[\\/]/i.test(path);
}

export async function listen(server: Server, address: ListenAddress): Promise<BoundAddress> {
  if (address.kind === 'inherited') return listenInherited(server, address);
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

/**
 * Removes the socket file (not a named pipe, which has none, nor an inherited socket's:
 * systemd listens on it again once mcplex is gone). Never throws.
 */
export function removeSocketFile(address: BoundAddress): void {
  if (address.kind === 'socket' && address.inherited !== true && !isNamedPipe(address.path)) {
    rmSync(address.path, { force: true });
  }
}

function listenOn(server: Server, options: { host: string; port: number } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(listenError(options, error));
    server.once('error', onError);
    server.listen(options, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Why the address cannot be used, in words that name it and say what to do. */
function listenError(options: { host: string; port: number } | { path: string }, error: Error): HostError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = describe(options);
  const cause = { cause: error };
  if (code === 'EADDRINUSE') {
    return 'path' in options
      ? new HostError('address-in-use', `${where} is in use (EADDRINUSE): another process listens on it; stop it or choose another socket path.`, cause)
      : new HostError('address-in-use', `${where} is in use (EADDRINUSE): another process listens there; stop it or choose another port.`, cause);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return 'path' in options
      ? new HostError('address-not-permitted', `${where} cannot be created (${code}, permission denied): choose a socket path in a folder you can write to.`, cause)
      : new HostError('address-not-permitted', `${where} cannot be used (${code}, permission denied): ports below 1024 need privileges; choose a port from 1024 up.`, cause);
  }
  if (code === 'EADDRNOTAVAIL') {
    return new HostError('invalid-listen-address', `${where} cannot be used (EADDRNOTAVAIL): this machine has no such address; use 127.0.0.1.`, cause);
  }
  return new HostError('invalid-listen-address', `Cannot listen on ${where}: ${error.message}`, cause);
}

/**
 * Creates the socket's directory private when it does not exist. An existing directory is
 * left as it is (it may be /tmp or the user's own); the socket's 0600 still guards it.
 */
function prepareSocketDirectory(path: string): void {
  const directory = dirname(path);
  let created: string | undefined;
  try {
    created = mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    // EEXIST from a recursive mkdir: a file, not a folder, stands where a folder must be.
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? `a file that is not a folder is in its path (${code})` : `it cannot be made (${code})`;
    throw new HostError('address-not-permitted', `socket ${path} cannot be created: its folder ${directory}: ${why}; choose a socket path in a folder you can write to.`, { cause: error });
  }
  if (created !== undefined) {
    // mkdir's mode passes through the umask; say exactly what we mean.
    chmodSync(directory, 0o700);
  }
}

/**
 * A socket file nobody answers on is what a host that died (killed, crashed) leaves
 * behind: it is removed and replaced. One a server answers on is refused.
 */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) {
    throw new HostError('socket-path-not-a-socket', `socket ${path} cannot be created: a file that is not a socket is there; choose another socket path or remove that file.`);
  }
  const probe = await probeSocket(path);
  if (probe === 'live') {
    throw new HostError('socket-in-use', `socket ${path} is in use: a server is listening on it (another mcplex?); stop it or choose another socket path.`);
  }
  if (probe !== 'stale') {
    throw new HostError('socket-in-use', `socket ${path} cannot be checked (${probe}): it may belong to another user; choose another socket path.`);
  }
  rmSync(path, { force: true });
}

/** `live` when a server accepts, `stale` when the connection is refused, else the error's code. */
function probeSocket(path: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve('live');
    });
    // Only a refused connection proves the file is stale; any other failure (a socket
    // of another user, say) is not ours to delete.
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'stale' : (error.code ?? error.message)));
  });
}

function describe(options: { host: string; port: number } | { path: string }): string {
  return 'path' in options ? `socket ${options.path}` : `port ${options.port} on ${options.host}`;
}
