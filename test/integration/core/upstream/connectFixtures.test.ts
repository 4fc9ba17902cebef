/**
 * The fixture servers do what their headers promise, so the fault tests built on them
 * test mcplex and not a broken fixture.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectUpstream, type UpstreamConnection } from '../../../../src/core/upstream/connect';
import { fixtureSpec, type FixtureName } from '../../../fixtures/servers';

const GRACE_MS = 200;

async function withFixture(
  name: FixtureName,
  env: Record<string, string>,
  use: (connection: UpstreamConnection) => Promise<void>,
): Promise<void> {
  const connection = await connectUpstream(fixtureSpec(name, env), { instance: `${name}/test`, graceMs: GRACE_MS });
  try {
    await use(connection);
  } finally {
    await connection.close();
  }
}

describe('fixture servers', () => {
  it('paginate.mjs serves 1,000 tools over pages of 100 linked by cursors', async () => {
    await withFixture('paginate', {}, async ({ client }) => {
      const names: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await client.listTools(cursor === undefined ? {} : { cursor });
        names.push(...page.tools.map((tool) => tool.name));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== undefined);
      assert.equal(pages, 10);
      assert.equal(new Set(names).size, 1000);
      assert.equal(names[999], 'tool_0999');
      await assert.rejects(client.listTools({ cursor: 'bogus' }), /invalid cursor/);
    });
  });

  it('changing-tools.mjs adds a tool and announces it with list_changed', async () => {
    await withFixture('changing-tools', {}, async ({ client }) => {
      let changes = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        changes++;
      });
      await client.callTool({ name: 'add_tool', arguments: { name: 'fresh' } });
      const { tools } = await client.listTools();
      assert.ok(tools.some((tool) => tool.name === 'fresh'));
      const deadline = Date.now() + 2000;
      while (changes === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(changes >= 1, 'notifications/tools/list_changed arrived');
      await client.callTool({ name: 'remove_tool', arguments: { name: 'fresh' } });
      assert.ok(!(await client.listTools()).tools.some((tool) => tool.name === 'fresh'));
    });
  });

  it('slow-start.mjs answers only after START_DELAY_MS', async () => {
    const started = Date.now();
    await withFixture('slow-start', { START_DELAY_MS: '400' }, async ({ serverInfo }) => {
      assert.equal(serverInfo.name, 'slow-start');
      assert.ok(Date.now() - started >= 400);
    });
  });

  it('hang.mjs never answers its `hang` tool but still answers `echo`', async () => {
    await withFixture('hang', {}, async ({ client }) => {
      await assert.rejects(client.callTool({ name: 'hang', arguments: {} }, undefined, { timeout: 200 }), /timed out/i);
      const echoed = await client.callTool({ name: 'echo', arguments: { text: 'alive' } });
      assert.deepEqual(echoed.content, [{ type: 'text', text: 'alive' }]);
    });
  });
});
