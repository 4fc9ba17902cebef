// Linux process bookkeeping for the end-to-end runner, read from /proc.
// Every process a session starts carries an environment marker (MCPLEX_E2E_RUN=<id>) that
// its descendants inherit, so a process that outlived its parent (reparented to init) is
// still found and named as this run's leftover.
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const RUN_MARKER_VARIABLE = 'MCPLEX_E2E_RUN';

export interface ProcessInfo {
  readonly pid: number;
  readonly parentPid: number;
  /** Start time in clock ticks since boot: tells a pid apart from a later reuse of it. */
  readonly startTime: number;
  readonly commandLine: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may itself hold spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined; // exited, only not reaped yet
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return {
      pid,
      parentPid: Number(fields[1]),
      startTime: Number(fields[19]),
      commandLine,
    };
  } catch {
    return undefined; // gone between the listing and the read
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Living processes whose environment holds `MCPLEX_E2E_RUN=<runId>`. */
export function processesOfRun(runId: string): ProcessInfo[] {
  const needle = `${RUN_MARKER_VARIABLE}=${runId}`;
  const found: ProcessInfo[] = [];
  for (const pid of allPids()) {
    if (pid === process.pid) continue;
    let environment: string;
    try {
      environment = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (!environment.split('\0').includes(needle)) continue;
    const info = readProcess(pid);
    if (info) found.push(info);
  }
  return found;
}

/** Living descendants of `rootPid` (not the root itself), found by walking parent links. */
export function descendantsOf(rootPid: number): ProcessInfo[] {
  const processes = allPids().flatMap((pid) => readProcess(pid) ?? []);
  const children = new Map<number, ProcessInfo[]>();
  for (const info of processes) {
    const siblings = children.get(info.parentPid) ?? [];
    siblings.push(info);
    children.set(info.parentPid, siblings);
  }
  const result: ProcessInfo[] = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result;
}

/** Whether this very process (same pid and start time) is still running. */
export function isAlive(info: ProcessInfo): boolean {
  return readProcess(info.pid)?.startTime === info.startTime;
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Polls until `check` returns true or `timeoutMs` passes; returns the last answer. */
export async function pollUntil(check: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
