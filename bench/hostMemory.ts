/**
 * Child process of the benchmark: the extension host's engine (WindowRuntime) with N
 * per-instance definitions of the lean fixture, on a unix socket. It prints its
 * definitions as one JSON line, waits for the parent to connect a session to each, and on
 * `measure` collects garbage and prints its own memory (upstream processes are separate
 * processes and are not counted). Run: node --expose-gc --import tsx bench/hostMemory.ts N
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WindowRuntime } from '../src/core/runtime';
import { FIXTURE } from './lib/configs';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-hostmem-'));
  const runtime = await WindowRuntime.start({
    listen: { kind: 'socket', path: join(dir, 'h.sock') },
    secrets: { get: async () => undefined },
    env: process.env,
    userHome: dir,
    startup: 'eager',
  });
  const instances = Object.fromEntries(Array.from({ length: count }, (_, i) => [`i${i}`, { label: `Instance ${i}` }]));
  await runtime.update(
    [{ id: 'file:///bench', name: 'bench', path: dir, settingsServers: { bench: { command: process.execPath, args: [FIXTURE], instances } }, options: { toolPrefix: false, exposure: 'instances' } }],
    true,
  );
  const deadline = Date.now() + 60_000;
  while (!runtime.instances().every((instance) => instance.status.kind === 'running' && instance.tools !== undefined)) {
    if (Date.now() > deadline) throw new Error('instances did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.stdout.write(`${JSON.stringify(runtime.definitions().map((d) => ({ url: d.url, headers: d.headers })))}\n`);
  const gc = (globalThis as { gc?: () => void }).gc;
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'measure') {
      for (let i = 0; i < 3; i++) gc?.();
      const memory = process.memoryUsage();
      process.stdout.write(`${JSON.stringify({ rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external })}\n`);
    } else if (line === 'exit') {
      void runtime.close().then(() => process.exit(0));
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
