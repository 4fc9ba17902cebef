/** Runs the built `mcplex` CLI (dist/cli.js) as a real process, as a user would. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { approve } from '../fixtures/oauth';

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

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
  /** Piped to the CLI's stdin, then closed; without it stdin is closed empty. */
  readonly stdin?: string;
}

export function runMcplex(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runCli(args, options, () => undefined);
}

/**
 * `runMcplex`, with each sign-in URL the CLI prints on stderr approved in the OAuth fixture's
 * stand-in browser, as a user would.
 */
export function runMcplexSigningIn(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runCli(args, options, signInApprover().hear);
}

export interface SignInApprover {
  /** Takes the CLI's stderr chunk by chunk; a URL split across chunks is seen once whole. */
  readonly hear: (chunk: string) => void;
  /** Every distinct sign-in URL printed so far, in order. */
  readonly urls: readonly string[];
}

/**
 * Watches a CLI's stderr for "open this page in a browser:" and approves each new URL once
 * (the fixture's `approve`), while `approving()` says the user is there to click.
 */
export function signInApprover(approving: () => boolean = () => true): SignInApprover {
  const urls: string[] = [];
  let stderr = '';
  const hear = (chunk: string): void => {
    stderr += chunk;
    for (const match of stderr.matchAll(/open this page in a browser:\n {2}(\S+)\n/g)) {
      const url = match[1] ?? '';
      if (urls.includes(url)) continue;
      urls.push(url);
      if (approving()) void approve(url);
    }
  };
  return { hear, urls };
}

function runCli(args: readonly string[], options: RunOptions, onStderr: (chunk: string) => void): Promise<CliResult> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      onStderr(chunk);
    });
    // No stdin given: closed at once, so the CLI reads end-of-input as from /dev/null.
    child.stdin.end(options.stdin ?? '');
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
