// Two clients of one `mcplex serve --http` share one upstream connection: each must get the
// log messages of its own level, the upstream must log at the most verbose level asked for,
// and a resource update must reach only the client that subscribed (server-everything).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { EVERYTHING_ENTRY } from '../../../helpers/everything';
import { eventually } from '../../../helpers/muxHarness';
import { startServe } from '../../../helpers/serveProcess';

interface Observed {
  readonly client: Client;
  readonly logs: { level: string; data: string }[];
  readonly updates: string[];
}

async function observer(url: string, name: string): Promise<Observed> {
  const client = new Client({ name, version: '0' });
  const observed: Observed = { client, logs: [], updates: [] };
  client.setNotificationHandler(LoggingMessageNotificationSchema, ({ params }) => void observed.logs.push({ level: params.level, data: String(params.data) }));
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, ({ params }) => void observed.updates.push(params.uri));
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return observed;
}

/** What server-everything logs at `info` when it is asked to subscribe. */
const SUBSCRIBED = /Received Subscribe Resource request/;

describe('two sessions of one upstream: log levels and resource updates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-sessions-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('mcplex serve --http: each session its level, the upstream the most verbose, updates only to the subscriber', async () => {
    const config = join(dir, '.mcplex.jsonc');
    writeFileSync(config, JSON.stringify({ servers: { everything: { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'], instances: { a: {} } } } }));
    const serve = await startServe(['--config', config, '--http', '0']);
    const clients: Observed[] = [];
    try {
      const verbose = await observer(serve.url, 'verbose');
      const quiet = await observer(serve.url, 'quiet');
      const unset = await observer(serve.url, 'unset');
      clients.push(verbose, quiet, unset);
      await verbose.client.setLoggingLevel('info');
      // Last word from a quieter session: it must not silence the upstream for the verbose one.
      await quiet.client.setLoggingLevel('error');
      const [resource] = (await verbose.client.listResources()).resources;
      assert.ok(resource !== undefined, 'server-everything lists resources');
      await verbose.client.subscribeResource({ uri: resource.uri });
      await eventually(() => verbose.logs.some((log) => SUBSCRIBED.test(log.data)), 10_000).catch((error: unknown) => {
        throw new Error(`${String(error)}: the upstream did not log at info; verbose got ${JSON.stringify(verbose.logs)}`);
      });
      // The one client that never set a level gets what the upstream sends.
      await eventually(() => unset.logs.some((log) => SUBSCRIBED.test(log.data)), 5_000);
      const toggle = (await verbose.client.listTools()).tools.find((tool) => tool.name.endsWith('toggle-subscriber-updates'));
      assert.ok(toggle !== undefined, 'server-everything has toggle-subscriber-updates');
      await verbose.client.callTool({ name: toggle.name, arguments: {} });
      await eventually(() => verbose.updates.length > 0, 10_000);
      // Give a misrouted update or message time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(verbose.updates.every((uri) => uri === resource.uri), true);
      assert.deepEqual(quiet.updates, [], 'a session that did not subscribe gets no update');
      assert.deepEqual(unset.updates, []);
      assert.deepEqual(
        quiet.logs.filter((log) => !['error', 'critical', 'alert', 'emergency'].includes(log.level)),
        [],
        'the quiet session gets nothing below error',
      );
    } finally {
      for (const { client } of clients) await client.close().catch(() => undefined);
      await serve.stop();
    }
  });
});
