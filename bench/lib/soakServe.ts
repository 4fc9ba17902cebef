/**
 * The soak's endpoint: one `mcplex serve --http` aggregate of real processes, its stderr,
 * its memory and file descriptors from /proc, and its upstream processes found by the
 * `SOAK_MEMBER` each one's environment carries (so one can be killed and its restart seen).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, EVERYTHING, ROOT } from './configs';

const NODE = process.execPath;
export const SOAK_TOKEN = 'soak-token-0123456789abcdef';
const fixture = (name: string): string => join(ROOT, 'test', 'fixtures', 'servers', `${name}.mjs`);

/** Members of the aggregate: two server-everything accounts, a lean SDK server, a flood of log lines. */
export const MEMBERS = ['ev1', 'ev2', 'echo', 'flood'] as const;
export type MemberKey = (typeof MEMBERS)[number];

/** Log lines the flood member writes a second, and their size: ~1 MB/s into every session's GET stream. */
export const FLOOD = { rate: 500, bytes: 2000 } as const;

export function writeSoakConfig(dir: string): string {
  const member = (key: MemberKey, env: Record<string, string> = {}): Record<string, unknown> => ({ label: key, env: { ...env, SOAK_MEMBER: key } });
  const config = {
    servers: {
      everything: { command: NODE, args: [EVERYTHING, 'stdio'], instances: { ev1: member('ev1'), ev2: member('ev2') } },
      echo: { command: NODE, args: [fixture('echo')], instances: { echo: member('echo') } },
      flood: {
        command: NODE,
        args: [fixture('flood')],
        instances: { flood: member('flood', { FLOOD_AT_START: '1', FLOOD_RATE: String(FLOOD.rate), FLOOD_BYTES: String(FLOOD.bytes) }) },
      },
    },
  };
  const file = join(dir, '.mcplex.jsonc');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export interface SoakServe {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** mcplex's own lines (`mcplex: …`) so far; the upstreams' stderr goes to the log file only. */
  mcplexLines(): readonly string[];
  readonly logFile: string;
  /** SIGTERM; the exit code, or `killed` past `graceMs`. */
  stop(graceMs?: number): Promise<number | 'killed' | null>;
}

export interface ServeSettings {
  readonly stallMs: number;
  readonly sessionIdleSeconds: number;
}

export async function startSoakServe(config: string, dir: string, settings: ServeSettings): Promise<SoakServe> {
  const args = [CLI, 'serve', '--config', config, '--http', '127.0.0.1:0', '--token-env', 'SOAK_TOKEN', '--session-idle-timeout', String(settings.sessionIdleSeconds)];
  const child = spawn(NODE, args, {
    cwd: dir,
    env: { ...process.env, SOAK_TOKEN, MCPLEX_STALL_TIMEOUT_MS: String(settings.stallMs) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logFile = join(dir, 'mcplex.stderr.log');
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    log.write(chunk);
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) if (line.startsWith('mcplex:')) lines.push(line);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mcplex serve printed no endpoint in 60 s (see ${logFile})`)), 60_000);
    const poll = setInterval(() => {
      const match = lines.map((line) => / at (http:\/\/\S+)/.exec(line)).find((found) => found !== null);
      if (match?.[1] === undefined) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve(match[1]);
    }, 20);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`mcplex serve exited (${code}) before it listened (see ${logFile})`));
    });
  });
  return {
    child,
    pid: child.pid!,
    url,
    logFile,
    mcplexLines: () => lines,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const result = await Promise.race([exited, new Promise<'killed'>((resolve) => setTimeout(() => resolve('killed'), graceMs))]);
      if (result === 'killed') child.kill('SIGKILL');
      log.end();
      return result;
    },
  };
}

/** Resident memory of `pid` in bytes and its peak since the last reset (VmHWM). */
export { memoryOf, resetPeak } from './proc';

export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return Number.NaN;
  }
}

/** The upstream processes under `pid` (any depth), by the member their environment names. */
export function memberPids(pid: number): Map<MemberKey, number> {
  const found = new Map<MemberKey, number>();
  const visit = (parent: number, depth: number): void => {
    if (depth > 4) return;
    for (const child of childrenOf(parent)) {
      const member = memberOf(child);
      if (member !== undefined && !found.has(member)) found.set(member, child);
      visit(child, depth + 1);
    }
  };
  visit(pid, 0);
  return found;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .filter((text) => text.trim() !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}

function memberOf(pid: number): MemberKey | undefined {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((variable) => variable.startsWith('SOAK_MEMBER='));
    const key = entry?.slice('SOAK_MEMBER='.length);
    return (MEMBERS as readonly string[]).includes(key ?? '') ? (key as MemberKey) : undefined;
  } catch {
    return undefined;
  }
}
