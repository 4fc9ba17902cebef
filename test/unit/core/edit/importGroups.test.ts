// An import of mcp.json: entries that wrap one server in the proxy become one server with an
// instance per entry; a plain entry is one server whose env values go to its first instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importGroups, importedServer, parseMcpJson } from '../../../../src/core/edit';

const WRAPPED = JSON.stringify({
  servers: {
    'memory-work': { command: 'npx', args: ['-y', 'mcplexer', '--prefix', 'work', '--label', 'Work', '--', 'npx', '-y', '@modelcontextprotocol/server-memory'], env: { MEMORY_FILE_PATH: '/data/work.json' } },
    'memory-personal': { command: 'npx', args: ['-y', 'mcplexer', '--prefix', 'personal', '--label', 'Personal', '--', 'npx', '-y', '@modelcontextprotocol/server-memory'], env: { MEMORY_FILE_PATH: '/data/personal.json' } },
    github: { url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer ${input:token}' } },
  },
});

test('two wrapped entries of one server are one server with two instances, each with its prefix, label and env', () => {
  const groups = importGroups(parseMcpJson(WRAPPED));
  assert.deepEqual(groups.map((group) => [group.name, group.entries.map((entry) => entry.name)]), [
    ['memory', ['memory-work', 'memory-personal']],
    ['github', ['github']],
  ]);
  const memory = groups[0];
  assert.ok(memory);
  assert.deepEqual(importedServer('memory', memory), {
    server: { label: 'memory', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
    instances: {
      work: { label: 'Work', env: { MEMORY_FILE_PATH: '/data/work.json' } },
      personal: { label: 'Personal', env: { MEMORY_FILE_PATH: '/data/personal.json' } },
    },
    firstInstance: {},
  });
});

test('a plain entry: env values go to the first instance, not the server; inputs become secrets; headers stay', () => {
  const [memory] = importGroups(parseMcpJson(JSON.stringify({ servers: { Memory: { command: 'npx', args: ['-y', 'm'], env: { MEMORY_FILE_PATH: '/w.json', TOKEN: '${input:tok}' } } } })));
  assert.ok(memory);
  const imported = importedServer('memory', memory);
  assert.deepEqual(imported.server, { label: 'Memory', command: 'npx', args: ['-y', 'm'] });
  assert.deepEqual(imported.firstInstance, { env: { MEMORY_FILE_PATH: '/w.json', TOKEN: '${secret:memory-tok}' } });
  assert.deepEqual(imported.instances, {});
  const [github] = importGroups(parseMcpJson(WRAPPED)).slice(1);
  assert.ok(github);
  assert.deepEqual(importedServer('github', github).server.headers, { Authorization: 'Bearer ${secret:github-token}' });
});

test('two wrapped entries with the same prefix are two servers, not one that loses an account', () => {
  const twice = JSON.stringify({
    servers: {
      a: { command: 'mcplexer', args: ['--prefix', 'work', '--', 'srv'] },
      b: { command: 'mcplexer', args: ['--prefix', 'work', '--', 'srv'] },
    },
  });
  assert.equal(importGroups(parseMcpJson(twice)).length, 2);
});
