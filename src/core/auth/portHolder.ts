/**
 * Who holds a TCP port, for the message of a pinned callback port that is taken. Linux
 * only, best effort: the listening socket's inode from /proc/net/tcp{,6}, then the process
 * whose /proc/<pid>/fd links to it (only processes the user may inspect). Anything unknown
 * reads "another process". The command line is shortened and flag values that look like
 * secrets are hidden: it ends up in a log.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { REDACTED } from '../redaction';

export interface PortHolder {
  readonly pid: number;
  readonly commandLine: string;
}

const LISTEN = '0A';
const MAX_COMMAND_LINE = 200;
const SECRET_FLAG = /(token|secret|password|passwd|key|auth|credential)/i;

/** "process 1234 (node server.js)", or "another process" when it cannot be told. */
export async function describePortHolder(port: number, proc = '/proc'): Promise<string> {
  const holder = await findPortHolder(port, proc).catch(() => undefined);
  return holder === undefined ? 'another process' : `process ${holder.pid} (${holder.commandLine})`;
}

export async function findPortHolder(port: number, proc = '/proc'): Promise<PortHolder | undefined> {
  if (process.platform !== 'linux') return undefined;
  const inodes = new Set<string>();
  for (const table of ['net/tcp', 'net/tcp6']) {
    const text = await readFile(`${proc}/${table}`, 'utf8').catch(() => '');
    for (const inode of listeningInodes(text, port)) inodes.add(inode);
  }
  if (inodes.size === 0) return undefined;
  for (const entry of await readdir(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`${proc}/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`${proc}/${entry}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode === undefined || !inodes.has(inode)) continue;
      const raw = await readFile(`${proc}/${entry}/cmdline`, 'utf8').catch(() => '');
      return { pid: Number(entry), commandLine: redactCommandLine(raw.split('\0').filter((arg) => arg !== '')) };
    }
  }
  return undefined;
}

/** The inodes of sockets listening on `port` in one /proc/net/tcp table. */
export function listeningInodes(table: string, port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(`:${hex}`) === true && fields[3] === LISTEN)
    .flatMap((fields) => (fields[9] === undefined || fields[9] === '0' ? [] : [fields[9]]));
}

/** The arguments joined, the values of secret-looking flags hidden, at most 200 characters. */
export function redactCommandLine(args: readonly string[]): string {
  const shown: string[] = [];
  let hideNext = false;
  for (const arg of args) {
    if (hideNext) {
      shown.push(REDACTED);
      hideNext = false;
      continue;
    }
    const flag = /^(--?[^=\s]+)(=.*)?$/.exec(arg);
    if (flag?.[1] !== undefined && SECRET_FLAG.test(flag[1])) {
      if (flag[2] !== undefined) shown.push(`${flag[1]}=${REDACTED}`);
      else {
        shown.push(arg);
        hideNext = true;
      }
      continue;
    }
    shown.push(arg);
  }
  const text = shown.join(' ');
  return text.length > MAX_COMMAND_LINE ? `${text.slice(0, MAX_COMMAND_LINE - 1)}…` : text;
}
