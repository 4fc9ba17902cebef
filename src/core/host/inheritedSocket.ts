/**
 * Listening on a socket the process was handed already bound (systemd socket activation)
 * instead of one it binds: the host cannot choose where it listens nor set the socket's
 * mode, so it checks what it got and refuses what it would never have bound itself — a
 * TCP socket on an address other than loopback, a unix socket other users may open, an
 * abstract unix socket (no file, so no mode: any local process may connect), or a socket
 * other than the one the command line names.
 *
 * Node exposes no getsockname for a unix socket; on Linux the socket's path is found in
 * /proc/net/unix by the inode `fstat` gives the descriptor. Elsewhere (no systemd there)
 * the path the command line names is trusted.
 */
import { fstatSync, lstatSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { HostError } from './errors';

/** What the command line says the handed socket is: `--http [HOST:]PORT` or `--socket PATH`. */
export type InheritedExpectation = { readonly kind: 'tcp'; readonly port: number } | { readonly kind: 'socket'; readonly path: string };

export interface InheritedListen {
  readonly kind: 'inherited';
  /** The descriptor (systemd's start at 3). */
  readonly fd: number;
  /** How messages name it, e.g. `fd 3 (mcplex.socket)`. */
  readonly label: string;
  readonly expect: InheritedExpectation;
}

export type InheritedBound =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'socket'; readonly path: string; readonly inherited: true };

export async function listenInherited(server: Server, address: InheritedListen, procNetUnix = '/proc/net/unix'): Promise<InheritedBound> {
  const { fd, label, expect } = address;
  const unixPath = unixSocketPath(fd, label, procNetUnix);
  if (expect.kind === 'socket') {
    const path = checkedSocketPath(unixPath, label, expect.path);
    await listenOnFd(server, fd, label);
    if (typeof server.address() === 'object' && server.address() !== null) {
      throw refused(server, `${label} is a TCP socket, but --socket expects a unix socket: use --http, or ListenStream=PATH in the .socket unit`);
    }
    return { kind: 'socket', path, inherited: true };
  }
  if (unixPath !== undefined) {
    throw new HostError('invalid-listen-address', `${label} is the unix socket ${unixPath}, but --http expects TCP: use --socket ${unixPath}, or ListenStream=127.0.0.1:${expect.port} in the .socket unit`);
  }
  await listenOnFd(server, fd, label);
  const bound = server.address();
  if (bound === null || typeof bound === 'string') {
    throw refused(server, `${label} is not a TCP socket, but --http expects one: use --socket PATH, or ListenStream=127.0.0.1:${expect.port} in the .socket unit`);
  }
  if (!isLoopback(bound.address)) {
    throw refused(
      server,
      `${label} listens on ${bound.address}:${bound.port}, which other machines can reach: mcplex serves this machine only; set ListenStream=127.0.0.1:${bound.port} (or [::1]:${bound.port}) in the .socket unit`,
    );
  }
  // `--http 0` (any port) takes whichever port the unit chose.
  if (expect.port !== 0 && bound.port !== expect.port) {
    throw refused(server, `${label} listens on port ${bound.port}, but --http says ${expect.port}: make the .socket unit's ListenStream= and --http name the same port`);
  }
  return { kind: 'tcp', host: bound.address, port: bound.port };
}

/**
 * The path of the unix socket on `fd`, from /proc/net/unix (Linux); undefined when `fd` is
 * no unix socket or the table cannot be read. An abstract socket's name starts with `@`.
 */
export function unixSocketPath(fd: number, label: string, procNetUnix: string): string | undefined {
  let inode: number;
  try {
    const stat = fstatSync(fd);
    if (!stat.isSocket()) throw new HostError('invalid-listen-address', `${label} is not a socket: check the .socket unit (ListenStream=) and --listen-fd-name`);
    inode = stat.ino;
  } catch (error) {
    if (error instanceof HostError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new HostError('invalid-listen-address', `${label} cannot be used (${code}): it is not open in this process; was mcplex started by its .socket unit?`, { cause: error });
  }
  let table: string;
  try {
    table = readFileSync(procNetUnix, 'utf8');
  } catch {
    return undefined;
  }
  // Num RefCount Protocol Flags Type St Inode Path: the path is the rest of the line.
  for (const line of table.split('\n').slice(1)) {
    const fields = /^\S+:\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+(\d+)(?: (.*))?$/.exec(line.trim());
    if (fields?.[1] === String(inode)) return fields[2] ?? '';
  }
  return undefined;
}

/** The socket's path, checked: the one `--socket` names, a file, open to its owner only. */
function checkedSocketPath(found: string | undefined, label: string, expected: string): string {
  if (found === '' || found?.startsWith('@') === true) {
    throw new HostError(
      'socket-not-private',
      `${label} is an abstract unix socket${found === '' ? '' : ` (${found})`}: it has no file, so no mode keeps other users out; set ListenStream=PATH (a file path) and SocketMode=0600 in the .socket unit`,
    );
  }
  if (found !== undefined && resolve(found) !== resolve(expected)) {
    throw new HostError('invalid-listen-address', `${label} is the socket ${found}, but --socket says ${expected}: make the .socket unit's ListenStream= and --socket name the same path`);
  }
  const path = found ?? expected;
  let mode: number;
  try {
    const stat = lstatSync(path);
    if (!stat.isSocket()) throw new HostError('socket-path-not-a-socket', `${path} is not a socket: --socket must name the .socket unit's ListenStream= path`);
    mode = stat.mode & 0o777;
  } catch (error) {
    if (error instanceof HostError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new HostError('invalid-listen-address', `socket ${path} cannot be checked (${code}): --socket must name the .socket unit's ListenStream= path`, { cause: error });
  }
  // mcplex makes its own sockets 0600; one systemd made is held to the same rule.
  if ((mode & 0o077) !== 0) {
    throw new HostError('socket-not-private', `socket ${path} is open to other users (mode ${mode.toString(8).padStart(4, '0')}): set SocketMode=0600 in the .socket unit`);
  }
  return path;
}

function listenOnFd(server: Server, fd: number, label: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: Error): void => reject(new HostError('invalid-listen-address', `Cannot listen on ${label}: ${error.message}`, { cause: error }));
    server.once('error', onError);
    server.listen({ fd }, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}

/** The error, with the server closed first: nothing is served on a socket that was refused. */
function refused(server: Server, message: string): HostError {
  server.close();
  return new HostError('invalid-listen-address', message);
}

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export function isLoopback(address: string): boolean {
  return /^(?:::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address) || address === '::1';
}
