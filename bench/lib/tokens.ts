/**
 * The context cost of `tools/list` (issue 18): what a client puts in front of the model on
 * every turn, counted in tokens with a real tokenizer (`gpt-tokenizer`, o200k_base, the
 * encoding of GPT-4o and later), for a realistic catalog — three servers from npm, three
 * accounts each — in each exposure. The tools are counted as the JSON the server sends
 * (`JSON.stringify(tools)`); a client wraps them in its own template, the same for every
 * exposure, so the comparison holds.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, EVERYTHING, ROOT, scratch } from './configs';
import { handshake, StdioRpc } from './rawClient';
import { countTokens } from './tokenCount';

export { countTokens };

const NODE = process.execPath;
const MEMORY = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');
const FILESYSTEM = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');
export const ACCOUNTS = ['work', 'personal', 'client'] as const;
export const SERVERS = ['everything', 'memory', 'files'] as const;
/** The instance id (and tool prefix) of `account` of `server`: ids are unique in a file. */
const SHORT: Record<(typeof SERVERS)[number], string> = { everything: 'ev', memory: 'mem', files: 'fs' };
export const instanceKey = (server: (typeof SERVERS)[number], account: string): string => `${server}/${SHORT[server]}_${account}`;

/** Three real servers × three accounts, each account with its own state (memory file, folder). */
export function catalogConfig(): string {
  const dir = join(scratch, 'tokens');
  const instances = (server: (typeof SERVERS)[number], extra: (account: string) => object = () => ({})): Record<string, object> =>
    Object.fromEntries(
      ACCOUNTS.map((account) => [`${SHORT[server]}_${account}`, { label: account[0]!.toUpperCase() + account.slice(1), env: { ACCOUNT: account }, ...extra(account) }]),
    );
  for (const account of ACCOUNTS) mkdirSync(join(dir, account), { recursive: true });
  const servers = {
    everything: { label: 'Everything', command: NODE, args: [EVERYTHING, 'stdio'], instances: instances('everything') },
    memory: {
      label: 'Memory',
      command: NODE,
      args: [MEMORY],
      instances: instances('memory', (account) => ({ env: { ACCOUNT: account, MEMORY_FILE_PATH: '${instanceDir}/memory.jsonl' } })),
    },
    files: { label: 'Files', command: NODE, args: [FILESYSTEM], instances: instances('files', (account) => ({ args: [FILESYSTEM, join(dir, account)] })) },
  };
  const path = join(dir, '.mcplex.jsonc');
  writeFileSync(path, JSON.stringify({ servers }, null, 2));
  return path;
}

export interface Listed {
  readonly tools: readonly { name: string }[];
  readonly tokens: number;
}

/** `mcplex serve --config CONFIG …args` over stdio: its tools/list once all `expected` tools are listed (or it stops growing). */
export async function listThrough(config: string, args: readonly string[], expected?: number, probe?: (client: StdioRpc) => Promise<void>): Promise<Listed> {
  const client = new StdioRpc(NODE, [CLI, 'serve', '--config', config, ...args]);
  try {
    await handshake(client);
    let tools: { name: string }[] = [];
    // An aggregate lists the instances that are up; on a loaded machine some start later.
    const deadline = Date.now() + 60_000;
    for (;;) {
      tools = ((await client.request('tools/list', {})) as { tools: { name: string }[] }).tools;
      if (expected === undefined || tools.length >= expected || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await probe?.(client);
    return { tools, tokens: countTokens(tools) };
  } finally {
    await client.close();
  }
}

/** Whether this build's `serve` accepts `--exposure NAME` (`accounts` is built on another branch). */
export async function exposureAccepted(name: string): Promise<boolean> {
  const child = spawn(NODE, [CLI, 'serve', '--config', join(scratch, 'none.jsonc'), '--exposure', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  await new Promise((resolve) => child.once('exit', resolve));
  return !/--exposure is /.test(stderr);
}
