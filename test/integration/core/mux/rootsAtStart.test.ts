// An upstream that asks for roots as soon as it is initialized — server-everything does, as
// do filesystem servers — asks before any client is connected when mcplex starts it
// eagerly and the client comes later (VS Code, a client of `mcplex serve --http`). The
// question must wait for the client and then reach it, on the GET stream the client opens
// after initializing. (Over stdio the client is connected before the upstream is settled.)
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ListRootsRequestSchema, LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { EVERYTHING_ENTRY } from '../../../helpers/everything';
import { eventually } from '../../../helpers/muxHarness';
import { startServe } from '../../../helpers/serveProcess';

const ROOT = 'file:///roots-at-start/project';
/** What server-everything logs to its client once it has the client's roots. */
const RECEIVED = /Roots updated: 1 root\(s\) received from client/;
/** What it prints on stderr when asking failed (what mcplex used to cause). */
const FAILED = /Failed to request roots/;

/** A client that can answer roots/list from the moment it connects, and keeps the log lines it is sent. */
async function rootsClient(transport: Transport): Promise<{ client: Client; logs: string[] }> {
  const client = new Client({ name: 'roots-test', version: '0' }, { capabilities: { roots: { listChanged: true } } });
  const logs: string[] = [];
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: ROOT, name: 'project' }] }));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void logs.push(String(notification.params.data)));
  await client.connect(transport);
  return { client, logs };
}

describe('roots asked by an upstream before any client is connected', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-roots-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('mcplex serve --http: the question waits for the client, then travels on its GET stream', async () => {
    const config = join(dir, '.mcplex.jsonc');
    writeFileSync(config, JSON.stringify({ servers: { everything: { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'], instances: { a: {} } } } }));
    const serve = await startServe(['--config', config, '--http', '0']);
    try {
      // The upstream is up, and has asked (server-everything asks 350 ms after it is
      // initialized), before the client connects.
      await eventually(() => /instance "a": up/.test(serve.stderr()), 15_000).catch((error: unknown) => {
        throw new Error(`${String(error)}: ${serve.stderr()}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const { client, logs } = await rootsClient(new StreamableHTTPClientTransport(new URL(serve.url)));
      try {
        await eventually(() => logs.some((line) => RECEIVED.test(line)), 15_000).catch((error: unknown) => {
          throw new Error(`${String(error)}; logs ${JSON.stringify(logs)}; stderr: ${serve.stderr()}`);
        });
        assert.doesNotMatch(serve.stderr(), FAILED);
      } finally {
        await client.close();
      }
    } finally {
      await serve.stop();
    }
  });
});
