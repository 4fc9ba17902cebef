// The README's table of serve's defaults states the constants the code uses: a changed
// default fails here until the table says it too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_SESSIONS, DEFAULT_OUTBOX_LIMITS, DEFAULT_SESSION_IDLE_MS } from '../../../src/core/host';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../../src/core/wire';

const README = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

function rowOf(option: string): string {
  const row = README.split('\n').find((line) => line.startsWith('|') && line.includes(`| \`${option}`));
  assert.ok(row !== undefined, `a row for ${option}`);
  return row;
}

describe("README: serve's defaults", () => {
  it('match the constants', () => {
    assert.ok(rowOf('--session-idle-timeout').includes(`| ${DEFAULT_SESSION_IDLE_MS / 1000} s (${DEFAULT_SESSION_IDLE_MS / 60_000} min) |`));
    assert.ok(rowOf('--max-sessions').includes(`| ${DEFAULT_MAX_SESSIONS} |`));
    assert.ok(rowOf('--max-message-mb').includes(`| ${DEFAULT_MAX_MESSAGE_BYTES / 1024 / 1024} MiB |`));
    assert.ok(rowOf('MCPLEX_STALL_TIMEOUT_MS').includes(`| ${DEFAULT_OUTBOX_LIMITS.stallMs / 1000} s |`));
    assert.ok(rowOf('--exit-when-idle').includes('| never |'));
  });
});
