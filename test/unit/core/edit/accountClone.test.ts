// The wizard's clone check: a new instance that sets nothing of its own starts exactly like an
// existing one that sets nothing either; the values that tell accounts apart are named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneCheck } from '../../../../src/core/edit';

const MEMORY = { command: 'npx', args: ['-y', 'server-memory'], env: { MEMORY_FILE_PATH: '/data/work.json' }, instances: { work: { label: 'Work' } } };

test('nothing set for the new account: a clone of the one that sets nothing either; the server\'s env comes first, with the inherited value', () => {
  assert.deepEqual(cloneCheck(MEMORY, []), { clones: ['work'], perAccount: [{ target: 'env', key: 'MEMORY_FILE_PATH', inherited: '/data/work.json' }] });
});

test('a value of its own makes it another account', () => {
  const check = cloneCheck(MEMORY, [{ target: 'env', key: 'MEMORY_FILE_PATH', value: '/data/personal.json', secret: false }]);
  assert.deepEqual(check, { clones: [], perAccount: [] });
  // Typing the inherited value again is still the same account.
  assert.deepEqual(cloneCheck(MEMORY, [{ target: 'env', key: 'MEMORY_FILE_PATH', value: '/data/work.json', secret: false }]).clones, ['work']);
});

test('values other instances set for themselves are per account even when the new one is no clone', () => {
  const server = { command: 'npx', instances: { work: { env: { TOKEN: '${secret:w}' } }, personal: { headers: { 'X-Account': 'p' } } } };
  assert.deepEqual(cloneCheck(server, []), { clones: [], perAccount: [{ target: 'env', key: 'TOKEN' }, { target: 'headers', key: 'X-Account' }] });
});

test('an instance that differs only by label or tool filter is still a clone; any launch field (args, url, auth…) tells them apart', () => {
  const server = { url: 'https://x.example/mcp', instances: { work: { label: 'W', tools: { deny: ['a'] } }, other: { auth: { type: 'oauth' } } } };
  assert.deepEqual(cloneCheck(server, []).clones, ['work']);
});

test('what else the new instance sets (the VS Code account the flow chose) counts: another account is no clone', () => {
  const server = { url: 'https://x.example/mcp', auth: { type: 'vscode', provider: 'github', scopes: ['repo'] }, instances: { any: {} } };
  assert.deepEqual(cloneCheck(server, []).clones, ['any']);
  assert.deepEqual(cloneCheck(server, [], { auth: { type: 'vscode', provider: 'github', scopes: ['repo'], account: 'me@work' } }).clones, []);
});

test('a folder of its own (${instanceDir} on the server, or isolate) is another account: the same rule as planning', () => {
  const perInstanceFolder = { ...MEMORY, env: { MEMORY_FILE_PATH: '${instanceDir}/memory.jsonl' } };
  assert.deepEqual(cloneCheck(perInstanceFolder, []).clones, []);
  assert.deepEqual(cloneCheck({ ...MEMORY, isolate: 'home' }, []).clones, []);
  assert.deepEqual(cloneCheck({ ...MEMORY, isolate: 'none' }, []).clones, ['work']);
});
