/** Runs the built `mcplex` CLI (dist/cli.js) as a real process, as a user would. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';

export const REPO_ROOT = join(__dirname, '..', '..');
export const CLI_PATH = join(REPO_ROOT, 'dist', 'cli.js');

/**
 * The developer's own user configuration (~/.config/mcplex/config.jsonc) must never reach a
 * test: its servers would join every configuration a test runs. Every test that starts the
 * CLI imports this module (for CLI_PATH), and the CLIs it starts inherit this process's
 * environment, so an empty config home set here covers them all; a test that needs a user
 * configuration sets XDG_CONFIG_HOME (or HOME) of its own.
 */
export const TEST_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'mcplex-test-config-'));
process.env['XDG_CONFIG_HOME'] = TEST_CONFIG_HOME;
process.once('exit', () => rmSync(TEST_CONFIG_HOME, { recursive: true, force: true }));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runMcplex(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcplex ${args.join(' ')} did not finish in time\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * An SDK client of `mcplex <args…>` over stdio (the CLI as a client's config starts it),
 * announcing `capabilities` (none by default): over stdio they are what the upstream is told.
 */
export async function stdioClient(args: readonly string[], env: Record<string, string> = {}, capabilities: ClientCapabilities = {}): Promise<Client> {
  const client = new Client({ name: 'test', version: '0' }, { capabilities });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, ...args],
    env: { ...(process.env as Record<string, string>), ...env },
    cwd: REPO_ROOT,
    stderr: 'ignore',
  });
  await client.connect(transport);
  return client;
}

/**
 * A client's `initialize` as one stdio line: over stdio `serve` and `wrap` start their
 * upstreams once the client's initialize says what it supports.
 */
export function initializeLine(capabilities: ClientCapabilities = {}): string {
  const params = { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 'test', version: '0' } };
  return `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params })}\n`;
}
