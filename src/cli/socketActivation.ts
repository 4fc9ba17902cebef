/**
 * systemd socket activation (sd_listen_fds(3)): the one place `LISTEN_PID`, `LISTEN_FDS`
 * and `LISTEN_FDNAMES` are read. systemd binds the socket, starts mcplex at the first
 * connection (or at boot) and hands the listening socket over as fd 3 (then 4, …);
 * `serve --http`/`--socket` then listens on it instead of binding its own.
 */
import { didYouMean } from '../core/config';
import { ServeOptionError } from './serveErrors';

/** The first descriptor systemd passes (SD_LISTEN_FDS_START). */
export const LISTEN_FDS_START = 3;

const LISTEN_VARIABLES = ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES'] as const;

export interface ListenFd {
  readonly fd: number;
  /** From `LISTEN_FDNAMES` (the unit's `FileDescriptorName=`, else the .socket unit's name). */
  readonly name?: string;
}

/**
 * The sockets passed to process `pid`, or undefined when none were: no `LISTEN_FDS`,
 * `LISTEN_FDS=0`, or `LISTEN_PID` naming another process (they were meant for a parent, as
 * sd_listen_fds ignores them). Malformed values are an error naming the variable.
 */
export function listenFds(env: Readonly<Record<string, string | undefined>>, pid: number): readonly ListenFd[] | undefined {
  const { LISTEN_PID: listenPid, LISTEN_FDS: count, LISTEN_FDNAMES: names } = env;
  if (listenPid === undefined || count === undefined) return undefined;
  if (!/^\d+$/.test(listenPid)) throw new ServeOptionError(`LISTEN_PID is not a process id (got "${listenPid}"): it is systemd's, set by a .socket unit`);
  if (Number(listenPid) !== pid) return undefined;
  if (!/^\d+$/.test(count) || !Number.isSafeInteger(Number(count))) {
    throw new ServeOptionError(`LISTEN_FDS is not a number of sockets (got "${count}"): it is systemd's, set by a .socket unit`);
  }
  const total = Number(count);
  if (total === 0) return undefined;
  const named = names === undefined ? undefined : names.split(':');
  if (named !== undefined && named.length !== total) {
    throw new ServeOptionError(`LISTEN_FDNAMES names ${named.length} sockets but LISTEN_FDS says ${total}: they are systemd's, set by a .socket unit`);
  }
  return Array.from({ length: total }, (_, index) => {
    const name = named?.[index];
    return { fd: LISTEN_FDS_START + index, ...(name !== undefined && name !== '' && { name }) };
  });
}

/**
 * The socket `serve` listens on: the one named `wanted` (`--listen-fd-name`), else the only
 * one. Several without a name, or a name none has, is an error listing the names.
 */
export function chooseListenFd(fds: readonly ListenFd[], wanted: string | undefined): ListenFd {
  const names = fds.map((fd) => fd.name ?? `(unnamed fd ${fd.fd})`);
  if (wanted === undefined) {
    const [only] = fds;
    if (only !== undefined && fds.length === 1) return only;
    throw new ServeOptionError(`systemd passed ${fds.length} sockets (${names.join(', ')}): choose one with --listen-fd-name NAME (FileDescriptorName= in the .socket unit)`);
  }
  const found = fds.find((fd) => fd.name === wanted);
  if (found !== undefined) return found;
  const guess = didYouMean(
    wanted,
    fds.flatMap((fd) => (fd.name === undefined ? [] : [fd.name])),
  );
  throw new ServeOptionError(`--listen-fd-name ${wanted}: systemd passed no socket of that name (it passed ${names.join(', ')})${guess === undefined ? '' : `; did you mean ${guess}?`}`);
}

/**
 * Removes the variables from `env`, as sd_listen_fds(unset_environment=1) does: they
 * describe this process's descriptors, and the upstreams it starts inherit its environment.
 */
export function forgetListenFds(env: Record<string, string | undefined>): void {
  for (const name of LISTEN_VARIABLES) Reflect.deleteProperty(env, name);
}

/** How messages name a passed socket: `fd 3 (mcplex.socket)`. */
export function describeListenFd(fd: ListenFd): string {
  return `systemd's socket fd ${fd.fd}${fd.name === undefined ? '' : ` (${fd.name})`}`;
}
