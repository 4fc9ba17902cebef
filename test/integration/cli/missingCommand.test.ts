// `mcplex serve` with an instance whose command does not exist: the user is told once that
// it is not retried and why, the other instance serves, and no retry follows.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/cli';
import { startServe } from '../../helpers/serveProcess';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const root = mkdtempSync(join(tmpdir(), 'mcplex-missing-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('mcplex serve with a missing command', () => {
  it('says once that the instance is not retried, and why, while the others serve', async () => {
    const config = join(root, '.mcplex.jsonc');
    writeFileSync(
      config,
      JSON.stringify({
        servers: {
          notes: { command: process.execPath, args: [NOTES], instances: { work: { env: { ACCOUNT: 'work' } } } },
          broken: { command: 'mcplex-no-such-command', instances: { gone: {} } },
        },
      }),
    );
    const serve = await startServe(['--config', config, '--http', '127.0.0.1:0']);
    try {
      // Past the default first retry (500 ms ± 20 %): none comes.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const stderr = serve.stderr();
      const lines = stderr.split('\n').filter((line) => line.includes('mcplex-no-such-command'));
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0] ?? '', /start failed, not retrying \(a retry cannot fix this\): .*command not found \(ENOENT\); check that it is installed and on the PATH; fix it, then restart the instance/);
      assert.doesNotMatch(stderr, /attempt 2/);
      assert.match(stderr, /serving 2 instances at http:\/\/127\.0\.0\.1:\d+\/mcp/);
    } finally {
      assert.equal(await serve.stop(), 0);
    }
  });
});
