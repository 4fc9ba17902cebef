/** Processes the benchmark starts: memory from /proc, waiting for a listener, free ports. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';

/** Resident and peak resident memory of `pid` in bytes (Linux), or NaN elsewhere. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return { rss: Number.NaN, peak: Number.NaN };
  }
}

/**
 * CPU time `pid` has used so far, all its threads (the main thread, libuv's pool, V8's GC
 * and compiler threads), in µs: the first field of each thread's `schedstat` (Linux, in ns).
 * NaN elsewhere. Unlike wall time it does not depend on how the scheduler interleaves the
 * client, the relay and the upstream on a few cores.
 */
export function cpuTimeOf(pid: number): number {
  try {
    let ns = 0;
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    }
    return ns / 1000;
  } catch {
    return Number.NaN;
  }
}

/** Resets the kernel's peak-RSS counter of `pid` (VmHWM), so a later peak is this run's. */
export function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not Linux, or not allowed: the peak then includes start-up.
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Resolves once something accepts connections at `port` or `socketPath`. */
export async function waitForListener(where: { port?: number; socketPath?: string }, child: ChildProcess, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before it listened`);
    if (where.socketPath === undefined || existsSync(where.socketPath)) {
      const ok = await new Promise<boolean>((resolve) => {
        const socket = where.socketPath !== undefined ? connect(where.socketPath) : connect(where.port!, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (ok) return;
    }
    if (Date.now() > deadline) throw new Error(`nothing listened at ${where.socketPath ?? where.port} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface Started {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** A server process in its own process group, stopped with the whole group. */
export function startServer(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Started {
  const child = spawn(command, [...args], { stdio: ['ignore', 'ignore', process.env['BENCH_VERBOSE'] ? 'inherit' : 'ignore'], env: { ...process.env, ...options.env }, cwd: options.cwd, detached: true });
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }, 3000);
      await exited;
      clearTimeout(timer);
      // Grandchildren (the upstreams) that ignored SIGTERM.
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone
      }
    },
  };
}
