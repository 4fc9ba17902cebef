import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInvocation, UsageError } from '../../../src/cli/args';

describe('serve --exit-when-idle', () => {
  it('takes whole seconds over HTTP, a socket or a pipe, beside the session bounds', () => {
    const http = parseInvocation(['serve', '--http', '0', '--session-idle-timeout', '600', '--exit-when-idle', '900'], 'linux');
    assert.deepEqual(http.kind === 'serve' && http.sessions, { idleMs: 600_000, exitWhenIdleMs: 900_000 });
    const pipe = parseInvocation(['serve', '--pipe', 'p', '--exit-when-idle', '5'], 'win32');
    assert.deepEqual(pipe.kind === 'serve' && pipe.sessions, { exitWhenIdleMs: 5000 });
  });

  it('refuses stdio, zero and what is not a number', () => {
    for (const args of [['--exit-when-idle', '60'], ['--stdio', '--exit-when-idle', '60'], ['--http', '0', '--exit-when-idle', '0'], ['--http', '0', '--exit-when-idle', '1m']]) {
      assert.throws(() => parseInvocation(['serve', ...args], 'linux'), (error: unknown) => error instanceof UsageError && /--exit-when-idle/.test(error.message), args.join(' '));
    }
  });
});
