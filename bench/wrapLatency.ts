/**
 * Per-call latency of `tools/call` (server-everything's echo) direct over stdio and through
 * `mcplex wrap`, interleaved in one run. A measurement, not a test: run with
 * `node --import tsx bench/wrapLatency.ts [calls] [rounds]` after `npm run build`.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const CLI = join(ROOT, 'dist', 'cli.js');
const calls = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 5);

type Config = { name: string; args: string[]; tool: string };
const configs: Config[] = [
  { name: 'direct stdio', args: [EVERYTHING, 'stdio'], tool: 'echo' },
  { name: 'mcplex wrap', args: [CLI, 'wrap', '--prefix', 'bench', '--', process.execPath, EVERYTHING, 'stdio'], tool: 'bench__echo' },
];

async function measure(config: Config): Promise<number[]> {
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: config.args, stderr: 'ignore' }));
  for (let i = 0; i < 200; i++) await client.callTool({ name: config.tool, arguments: { message: 'warm' } });
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = process.hrtime.bigint();
    await client.callTool({ name: config.tool, arguments: { message: 'hello' } });
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  await client.close();
  return samples.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const p50s = new Map<string, number[]>(configs.map((c) => [c.name, []]));
  const p99s = new Map<string, number[]>(configs.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const config of configs) {
      const samples = await measure(config);
      p50s.get(config.name)?.push(percentile(samples, 0.5));
      p99s.get(config.name)?.push(percentile(samples, 0.99));
    }
  }
  console.log(`tools/call echo, ${calls} sequential calls × ${rounds} rounds (µs, median of rounds [min–max])`);
  for (const config of configs) {
    const p50 = p50s.get(config.name) ?? [];
    const p99 = p99s.get(config.name) ?? [];
    console.log(`${config.name.padEnd(14)} p50 ${median(p50).toFixed(0)} [${Math.min(...p50).toFixed(0)}–${Math.max(...p50).toFixed(0)}]  p99 ${median(p99).toFixed(0)}`);
  }
}

void main();
