import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInvocation, UsageError } from '../../../src/cli/args';

describe('serve --pipe', () => {
  it('serves on \\\\.\\pipe\\NAME, or on \\\\.\\pipe\\mcplex without a NAME', () => {
    const named = parseInvocation(['serve', '--pipe', 'work-1', '--token-env', 'T'], 'win32');
    assert.deepEqual(named.kind === 'serve' && named.listen, { kind: 'socket', path: '\\\\.\\pipe\\work-1' });
    const bare = parseInvocation(['serve', '--pipe', '--config', 'x.jsonc'], 'win32');
    assert.deepEqual(bare.kind === 'serve' && bare.listen, { kind: 'socket', path: '\\\\.\\pipe\\mcplex' });
    const last = parseInvocation(['serve', '--pipe'], 'win32');
    assert.deepEqual(last.kind === 'serve' && last.listen, { kind: 'socket', path: '\\\\.\\pipe\\mcplex' });
    const full = parseInvocation(['serve', '--pipe', '//./pipe/given'], 'win32');
    assert.deepEqual(full.kind === 'serve' && full.listen, { kind: 'socket', path: '//./pipe/given' });
  });

  it('refuses a name that is no pipe name, another address, and any system but Windows', () => {
    assert.throws(() => parseInvocation(['serve', '--pipe', 'a\\b'], 'win32'), (error: unknown) => error instanceof UsageError && /--pipe NAME takes/.test(error.message));
    assert.throws(() => parseInvocation(['serve', '--pipe', 'a', '--socket', '/tmp/s'], 'win32'), /choose one of --stdio, --http, --socket and --pipe/);
    assert.throws(() => parseInvocation(['serve', '--pipe', 'a'], 'linux'), /on this system use --socket PATH/);
  });
});
