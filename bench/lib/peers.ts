/**
 * The peers are installed from the npm registry into bench/.peers (its own package.json,
 * pinned versions), never into mcplex's dependencies. Installed once; reused after.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEERS, ROOT } from './configs';

export const PEER_VERSIONS = { 'mcp-hub': '4.2.1', supergateway: '4.0.0', 'mcp-proxy': '6.7.19' } as const;

export async function ensurePeers(log: (text: string) => void): Promise<void> {
  const missing = Object.keys(PEER_VERSIONS).filter((name) => !existsSync(join(PEERS, name, 'package.json')));
  if (missing.length === 0) return;
  const dir = join(ROOT, 'bench', '.peers');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'mcplex-bench-peers', private: true, description: 'Peers the benchmark compares mcplex with; installed by bench/lib/peers.ts, never product dependencies.', dependencies: PEER_VERSIONS }, null, 2)}\n`,
  );
  log(`installing ${missing.join(', ')} into bench/.peers`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
}
