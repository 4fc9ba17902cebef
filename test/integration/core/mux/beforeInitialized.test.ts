// Until the client sends `notifications/initialized`, the server may send it nothing but the
// answer to `initialize` (and pings or logs). `wrap` used to send tools/list_changed first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CLI_PATH, REPO_ROOT } from '../../../helpers/cli';
import { EVERYTHING_ENTRY } from '../../../helpers/everything';

describe('nothing before the client is initialized', () => {
  it('mcplex wrap: only the initialize response arrives before notifications/initialized', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, [CLI_PATH, 'wrap', '--prefix', 'ev', '--', process.execPath, EVERYTHING_ENTRY, 'stdio'], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const received: Record<string, unknown>[] = [];
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line !== '') received.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    try {
      const initialize = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } };
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initialize })}\n`);
      const deadline = Date.now() + 20_000;
      while (!received.some((message) => message['id'] === 1) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      // server-everything's tools settle around its initialization; give a notification time to come.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.deepEqual(
        received.map((message) => message['method'] ?? `response ${String(message['id'])}`),
        ['response 1'],
      );
    } finally {
      child.kill('SIGTERM');
    }
  });
});
