// A `${secret:…}` substituted into `command`, `cwd` or `args` of an instance whose start
// fails never reaches what the window hands on: the error VS Code shows and logs, the
// lines and states the extension writes to its log, the views. Captured here raw, before
// the extension's own redaction, with real processes (issue 15, item 7).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDACTED } from '../../../../src/core/redaction';
import { RuntimeError, WindowRuntime } from '../../../../src/core/runtime';
import { fixturePath } from '../../../fixtures/servers';

const SECRET = 'tok-0f1e2d3c4b5a69788796';
const dir = mkdtempSync(join(tmpdir(), 'mcplex-rt-secret-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets in start failures of the window', () => {
  it('are hidden in the error, the log lines and the states of a failed command and a missing working directory', async () => {
    const said: string[] = [];
    const runtime = await WindowRuntime.start({
      listen: { kind: 'socket', path: join(dir, 's.sock') },
      secrets: { get: async (name) => (name === 'token' ? SECRET : undefined) },
      env: process.env,
      userHome: dir,
      startup: 'onDemand',
      onStderr: (id, line) => void said.push(`${id} ${line}`),
      onEvent: (id, text) => void said.push(`${id} ${text}`),
      onState: (id, state) => void said.push(`${id} ${JSON.stringify(state)}`),
      onWarning: (id, text) => void said.push(`${id} ${text}`),
    });
    mkdirSync(join(dir, 'w'));
    const text = JSON.stringify({
      servers: {
        s: {
          args: [fixturePath('echo'), '--key=${secret:token}'],
          instances: {
            // A command named after the secret: spawn fails with ENOENT.
            cmd: { command: join(dir, 'bin-${secret:token}') },
            // A real command in a working directory named after the secret, which is missing.
            cwd: { command: process.execPath, cwd: join(dir, 'nowhere-${secret:token}') },
          },
        },
      },
    });
    try {
      await runtime.update([{ id: 'file:///w', name: 'w', path: join(dir, 'w'), file: { path: join(dir, 'w', '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure: 'instances' } }], true);
      for (const key of ['s/cmd', 's/cwd']) {
        await assert.rejects(runtime.ensureRunning(`file:///w#${key}`), (error: unknown) => {
          assert.ok(error instanceof RuntimeError, String(error));
          assert.ok(!error.message.includes(SECRET), error.message);
          assert.ok(error.message.includes(REDACTED), error.message);
          said.push(error.message);
          return true;
        });
      }
      assert.ok(said.some((line) => /ENOENT|command not found/.test(line)), said.join('\n'));
      assert.ok(said.some((line) => /working directory .* does not exist/.test(line)), said.join('\n'));
      for (const line of said) assert.ok(!line.includes(SECRET), `a secret in: ${line}`);
      assert.ok(!JSON.stringify(runtime.instances()).includes(SECRET));
    } finally {
      await runtime.close();
    }
  });
});
