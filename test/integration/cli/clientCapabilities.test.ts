// Issue 14 item 6: mcplex announces upstream what its client supports, no more. Through
// `wrap` and `serve` over stdio (one client for the process's life) server-everything lists
// the same tools as for a direct connection of the same client, whatever its capabilities;
// on a multi-session endpoint (`serve --http`), which announces what its sessions support
// (and never less afterwards), a request that no connected session can serve is answered at
// once, as a client without the capability answers it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, type ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { CLI_PATH, REPO_ROOT } from '../../helpers/cli';
import { EVERYTHING_ENTRY, freePort } from '../../helpers/everything';
import { startServe, type ServeProcess } from '../../helpers/serveProcess';
import { teachUpstream } from '../../helpers/sessionsTeach';

const dir = mkdtempSync(join(tmpdir(), 'mcplex-caps-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CONFIG = join(dir, '.mcplex.jsonc');
writeFileSync(CONFIG, JSON.stringify({ servers: { everything: { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'], instances: { e: {} } } } }));

const CASES: Readonly<Record<string, ClientCapabilities>> = {
  'no capabilities': {},
  'form elicitation only': { elicitation: { form: {} } },
  'form and url elicitation': { elicitation: { form: {}, url: {} } },
  'sampling and roots': { sampling: {}, roots: { listChanged: true } },
};

/** The sorted tool names a client with `capabilities` lists through `command args…` over stdio. */
async function toolNames(capabilities: ClientCapabilities, args: readonly string[]): Promise<string[]> {
  const client = new Client({ name: 'caps', version: '0' }, { capabilities });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [...args], cwd: REPO_ROOT, stderr: 'ignore' }));
  try {
    return (await client.listTools()).tools.map((tool) => tool.name).sort();
  } finally {
    await client.close();
  }
}

describe('the upstream is told what the one client supports (wrap, serve over stdio)', () => {
  for (const [name, capabilities] of Object.entries(CASES)) {
    it(`${name}: the same tools as direct`, async () => {
      const [direct, wrapped, served] = await Promise.all([
        toolNames(capabilities, [EVERYTHING_ENTRY, 'stdio']),
        toolNames(capabilities, [CLI_PATH, 'wrap', '--prefix', 'e', '--tool-prefix', 'none', '--', process.execPath, EVERYTHING_ENTRY, 'stdio']),
        toolNames(capabilities, [CLI_PATH, 'serve', '--config', CONFIG, '--instance', 'e', '--tool-prefix', 'none']),
      ]);
      assert.ok(direct.length > 0);
      assert.deepEqual(wrapped, direct, 'wrap');
      assert.deepEqual(served, direct, 'serve over stdio');
    });
  }
});

describe('a request no session can serve is answered at once (serve --http)', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await startServe(['--config', CONFIG, '--instance', 'e', '--tool-prefix', 'none', '--http', String(await freePort())]);
  });
  after(() => serve.stop());

  const transports = new Map<Client, StreamableHTTPClientTransport>();
  async function httpClient(capabilities: ClientCapabilities): Promise<Client> {
    const client = new Client({ name: 'caps-http', version: '0' }, { capabilities });
    const transport = new StreamableHTTPClientTransport(new URL(serve.url));
    await client.connect(transport);
    transports.set(client, transport);
    return client;
  }

  /** Ends the session (DELETE): a session left open is still served, and holds back a re-announce for the next. */
  async function end(client: Client): Promise<void> {
    await transports.get(client)?.terminateSession();
    await client.close();
  }

  /** The call's outcome as text (a tool error result or a JSON-RPC error) and how long it took. */
  async function outcome(client: Client, name: string, args: Record<string, unknown>): Promise<{ text: string; ms: number }> {
    const started = Date.now();
    try {
      const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 20_000 });
      return { text: JSON.stringify(result), ms: Date.now() - started };
    } catch (error) {
      return { text: String(error), ms: Date.now() - started };
    }
  }

  it('sampling, to a client without it: Method not found, at once', async () => {
    const alone = await httpClient({});
    try {
      const { tools } = await alone.listTools();
      assert.ok(!tools.some((tool) => tool.name === 'trigger-sampling-request'), 'no session has sampling: the upstream is not told it');
    } finally {
      await end(alone);
    }
    // A client with sampling came and went: the upstream was told sampling, and still is.
    await teachUpstream(serve.url, { sampling: {} }, 'trigger-sampling-request');
    const client = await httpClient({});
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.some((tool) => tool.name === 'trigger-sampling-request'), 'told sampling for the client that left');
      const { text, ms } = await outcome(client, 'trigger-sampling-request', { prompt: 'hi', maxTokens: 10 });
      assert.ok(ms < 5_000, `answered in ${ms} ms`);
      assert.match(text, new RegExp(`${ErrorCode.MethodNotFound}|sampling`));
    } finally {
      await end(client);
    }
  });

  it('url elicitation, to a client with form only: refused as the SDK client refuses it, at once', async () => {
    await teachUpstream(serve.url, { elicitation: { form: {}, url: {} } }, 'trigger-url-elicitation');
    const client = await httpClient({ elicitation: { form: {} } });
    try {
      const { text, ms } = await outcome(client, 'trigger-url-elicitation', { url: 'https://example.com/', message: 'open it' });
      assert.ok(ms < 5_000, `answered in ${ms} ms`);
      assert.match(text, /URL-mode elicitation/);
    } finally {
      await end(client);
    }
  });
});
