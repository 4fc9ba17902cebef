// The HTTP host on a socket handed over already listening (systemd socket activation, here
// Debian's systemd-socket-activate): the connection that started the process is waiting
// before any relay is mounted, and is served once one is, instead of getting 404.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSocketFetch } from '../../../../src/core/host';
import { REPO_ROOT } from '../../../helpers/cli';
import { socketActivate, socketActivateMissing } from '../../../helpers/socketActivate';

const LATE_MOUNT = join(REPO_ROOT, 'test', 'fixtures', 'hosts', 'lateMount.ts');
const root = mkdtempSync(join(tmpdir(), 'mcplex-inherited-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('HttpHost on an inherited socket', { skip: socketActivateMissing() }, () => {
  it('holds the first connection until a relay is mounted', async () => {
    const socket = join(root, 'late.sock');
    const activated = socketActivate(socket, [process.execPath, '--import', 'tsx', LATE_MOUNT, socket]);
    try {
      await activated.waitFor(/Listening on /);
      chmodSync(socket, 0o600);
      const client = new Client({ name: 'test', version: '0' });
      // This initialize is what starts the host; it arrives before the mount.
      await client.connect(new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), { fetch: createSocketFetch(socket) }));
      try {
        assert.match(activated.stderr(), /mounted/);
        assert.deepEqual((await client.callTool({ name: 'echo', arguments: { text: 'late' } })).content, [{ type: 'text', text: 'late' }]);
      } finally {
        await client.close();
      }
    } finally {
      assert.equal(await activated.stop(), 0, activated.stderr());
    }
  });
});
