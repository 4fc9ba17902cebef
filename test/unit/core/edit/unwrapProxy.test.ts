// Entries written for the original single-prefix proxy are unwrapped to the server inside,
// with the prefix and label the proxy gave it; anything else is no proxy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unwrapProxy } from '../../../../src/core/edit';

test('npx mcplexer … --prefix P --label L -- cmd args: the server inside, its prefix and label', () => {
  assert.deepEqual(unwrapProxy('npx', ['-y', 'mcplexer', '--prefix', 'work', '--label', 'Work', '--', 'npx', '-y', '@modelcontextprotocol/server-memory']), {
    command: 'npx',
    args: ['-y', '@modelcontextprotocol/server-memory'],
    prefix: 'work',
    label: 'Work',
  });
});

test('--option=value, a version, a scoped package and a bare binary are the same proxy', () => {
  assert.deepEqual(unwrapProxy('npx', ['mcplexer@1.4.0', '--prefix=home', '--', 'node', 'server.js']), { command: 'node', args: ['server.js'], prefix: 'home' });
  assert.deepEqual(unwrapProxy('/usr/local/bin/mcplexer', ['--label', 'Home', '--prefix', 'home', '--', 'uvx', 'srv']), { command: 'uvx', args: ['srv'], prefix: 'home', label: 'Home' });
  assert.deepEqual(unwrapProxy('npx', ['-y', '@acme/mcplexer', '--prefix', 'p', '--', 'srv']), { command: 'srv', args: [], prefix: 'p' });
});

test('mcplex wrap --prefix P [--label L] -- cmd args, run directly or through npx', () => {
  assert.deepEqual(unwrapProxy('mcplex', ['wrap', '--prefix', 'work', '--', 'npx', '-y', 'pkg']), { command: 'npx', args: ['-y', 'pkg'], prefix: 'work' });
  assert.deepEqual(unwrapProxy('npx', ['-y', 'mcplex', 'wrap', '--prefix', 'w', '--label', 'W', '--', 'pkg', '--flag']), { command: 'pkg', args: ['--flag'], prefix: 'w', label: 'W' });
});

test('not a proxy: another package, mcplex serve, or a proxy with nothing after --', () => {
  assert.equal(unwrapProxy('npx', ['-y', '@modelcontextprotocol/server-memory']), undefined);
  assert.equal(unwrapProxy('npx', ['-y', 'mcplexer-fork', '--prefix', 'w', '--', 'x']), undefined);
  assert.equal(unwrapProxy('mcplex', ['serve', '--', 'x']), undefined);
  assert.equal(unwrapProxy('npx', ['mcplexer', '--prefix', 'w']), undefined);
  assert.equal(unwrapProxy('npx', ['mcplexer', '--prefix', 'w', '--']), undefined);
});
