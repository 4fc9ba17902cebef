/**
 * Parity targets that are real processes: server-everything spoken to directly, and the
 * built `mcplex` CLI (`wrap` over stdio, `serve` over HTTP with a token).
 *
 * Behind the CLI the suite cannot wrap the upstream's transport, so the upstream command
 * runs under a tap: a few lines of node that pass stdin and stdout through unchanged and
 * append each direction to a file. What the upstream received is then read from the file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { CLI_PATH, REPO_ROOT } from './cli';
import { EVERYTHING_STDIO, parityClient, recordSent, type ParityTarget } from './parityTarget';
import { startServe } from './serveProcess';

// `node -e TAP LOG COMMAND ARGS…`. Plain JS, no `${`: it also travels inside a config file.
// Pipes are synchronous on Linux, so exiting right after the child does loses nothing.
const TAP = `
const { spawn } = require('node:child_process');
const { appendFileSync } = require('node:fs');
const [log, command, ...args] = process.argv.slice(1);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.on('data', (chunk) => { appendFileSync(log + '.in', chunk); child.stdin.write(chunk); });
process.stdin.on('end', () => child.stdin.end());
child.stdout.on('data', (chunk) => { appendFileSync(log + '.out', chunk); process.stdout.write(chunk); });
child.on('exit', (code) => process.exit(code ?? 1));
`;

/** The upstream command, tapped into `<log>.in` / `<log>.out`. */
function tapped(log: string): { command: string; args: string[] } {
  return { command: process.execPath, args: ['-e', TAP, log, EVERYTHING_STDIO.command, ...EVERYTHING_STDIO.args] };
}

function readMessages(file: string): JSONRPCMessage[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as JSONRPCMessage);
}

/** What a tapped upstream received, and the capabilities its initialize result announced. */
function tapView(log: string): Pick<ParityTarget, 'upstreamReceived' | 'upstreamCapabilities'> {
  return {
    upstreamReceived: () => readMessages(`${log}.in`),
    upstreamCapabilities: () => {
      for (const message of readMessages(`${log}.out`)) {
        const result = 'result' in message ? (message.result as { capabilities?: ServerCapabilities }) : undefined;
        if (result?.capabilities !== undefined) return result.capabilities;
      }
      throw new Error(`the upstream tapped into ${log} sent no initialize result`);
    },
  };
}

export async function directTarget(): Promise<ParityTarget> {
  const client = parityClient();
  const transport = new StdioClientTransport({ ...EVERYTHING_STDIO, args: [...EVERYTHING_STDIO.args], stderr: 'ignore' });
  const received = recordSent(transport);
  await client.connect(transport);
  return {
    client,
    upstreamReceived: () => received,
    upstreamCapabilities: () => client.getServerCapabilities() ?? {},
    tool: (name) => name,
    uri: (uri) => uri,
    close: () => client.close(),
  };
}

/** `mcplex wrap --prefix ev -- <server-everything>` as the client's stdio server. */
export async function cliWrapTarget(): Promise<ParityTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-parity-wrap-'));
  const log = join(dir, 'ev');
  const upstream = tapped(log);
  const client = parityClient();
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI_PATH, 'wrap', '--prefix', 'ev', '--label', 'Everything', '--', upstream.command, ...upstream.args],
      cwd: REPO_ROOT,
      stderr: 'ignore',
    }),
  );
  return {
    client,
    ...tapView(log),
    tool: (name) => `ev__${name}`,
    uri: (uri) => uri,
    close: async () => {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `mcplex serve --http 0 --token-env …` of a config with two instances of server-everything. */
export async function cliServeTarget(): Promise<ParityTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-parity-serve-'));
  const instance = (key: string): unknown => ({ label: key.toUpperCase(), ...tapped(join(dir, key)) });
  const config = { servers: { everything: { label: 'Everything', instances: { a: instance('a'), b: instance('b') } } } };
  const file = join(dir, '.mcplex.jsonc');
  writeFileSync(file, `// written by the parity suite\n${JSON.stringify(config, null, 2)}\n`);
  const token = randomBytes(16).toString('hex');
  const serve = await startServe(['--config', file, '--http', '0', '--token-env', 'PARITY_TOKEN'], { PARITY_TOKEN: token });
  const client = parityClient();
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(serve.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  } catch (error) {
    await serve.stop();
    throw error;
  }
  return {
    client,
    ...tapView(join(dir, 'a')),
    tool: (name) => `a__${name}`,
    uri: (uri) => `mcplex://a/${uri}`,
    close: async () => {
      await client.close();
      const code = await serve.stop();
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`mcplex serve exited with ${code}:\n${serve.stderr()}`);
    },
  };
}
