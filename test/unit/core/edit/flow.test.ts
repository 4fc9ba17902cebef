// The pure decisions behind "Add Account Instance", "Import Servers" and the tool actions:
// prefix validation with example names, labels, secret names, the instance's fields,
// reading VS Code's mcp.json, and the edits that must refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EditError,
  addInstance,
  addServer,
  allowTool,
  denyTool,
  checkPrefix,
  defaultLabel,
  detectStyle,
  importedServerFields,
  parseMcpJson,
  planInstance,
  secretReferences,
  suggestPrefix,
} from '../../../../src/core/edit';

test('a prefix is checked as typed: characters, uniqueness (any case), the name budget', () => {
  const context = { serverId: 'github', taken: ['work'], sampleTool: 'create_issue' };
  assert.match(checkPrefix('', context).error ?? '', /Enter a prefix/);
  assert.match(checkPrefix('-x', context).error ?? '', /Start the prefix/);
  assert.match(checkPrefix('my team', context).error ?? '', /" " is not allowed/);
  assert.match(checkPrefix('Work', context).error ?? '', /already has an instance "work".*"personal"/);
  assert.match(checkPrefix('x'.repeat(40), context).error ?? '', /Shorten the prefix to 36/);
  assert.deepEqual(checkPrefix('personal', context), { vscodeName: 'mcp_github-person_create_issue', prefixedName: 'personal__create_issue' });
});

test('the example names follow the naming module: slugs cut to 13, the separator, a placeholder tool', () => {
  const check = checkPrefix('personal', { serverId: 'google-workspace', taken: [], separator: '-' });
  assert.equal(check.vscodeName, 'mcp_google-person_tool', 'the server cut to its stem, then the account');
  assert.equal(check.prefixedName, 'personal-tool');
});

test('suggested prefixes and default labels', () => {
  assert.equal(suggestPrefix([]), 'work');
  assert.equal(suggestPrefix(['Work']), 'personal');
  assert.equal(suggestPrefix(['work', 'personal', 'account2']), 'account3');
  assert.equal(defaultLabel('work'), 'Work');
  assert.equal(defaultLabel('my-team'), 'My team');
});

test('per-account values become env and headers; secret ones are written as ${secret:…} and returned to store', () => {
  const plan = planInstance({
    serverId: 'github',
    prefix: 'work',
    label: 'Work',
    values: [
      { target: 'env', key: 'GITHUB_TOKEN', value: 'ghp_123', secret: true },
      { target: 'env', key: 'ORG', value: 'acme', secret: false },
      { target: 'headers', key: 'X-Api-Key', value: 'k-9', secret: true },
    ],
  });
  assert.deepEqual(plan.fields, {
    label: 'Work',
    env: { GITHUB_TOKEN: '${secret:github-work-github-token}', ORG: 'acme' },
    headers: { 'X-Api-Key': '${secret:github-work-x-api-key}' },
  });
  assert.deepEqual([...plan.secrets], [
    ['github-work-github-token', 'ghp_123'],
    ['github-work-x-api-key', 'k-9'],
  ]);
});

const MCP_JSON = `{
  // VS Code's own format
  "inputs": [{ "type": "promptString", "id": "gh-token", "description": "GitHub token", "password": true }],
  "servers": {
    "GitHub MCP": { "type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": { "Authorization": "Bearer \${input:gh-token}" } },
    "everything": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"], "env": { "KEY": "\${input:other}" } },
    "broken": { "args": [] },
  },
}`;

test('mcp.json servers are read with the inputs they use; inputs become secrets on import', () => {
  const servers = parseMcpJson(MCP_JSON);
  assert.deepEqual(servers.map((server) => [server.name, server.kind]), [['GitHub MCP', 'remote'], ['everything', 'stdio']]);
  assert.deepEqual(servers[0]?.inputs, [{ id: 'gh-token', description: 'GitHub token', password: true }]);
  assert.deepEqual(servers[1]?.inputs, [{ id: 'other', password: true }]);
  const github = servers[0];
  assert.ok(github);
  assert.deepEqual(importedServerFields('github-mcp', github), {
    label: 'GitHub MCP',
    url: 'https://api.githubcopilot.com/mcp/',
    transport: 'http',
    headers: { Authorization: 'Bearer ${secret:github-mcp-gh-token}' },
  });
  assert.throws(() => parseMcpJson('[1]'), (error: unknown) => error instanceof EditError && error.code === 'unparsable');
});

test('secret references are collected from string values only, once each, in order', () => {
  const text = '{ "servers": { "a": { "env": { "K": "${secret:one}", "L": "x${secret:two}${secret:one}" }, "args": ["${secret:three}"] } }, // ${secret:not-a-value}\n }';
  assert.deepEqual(secretReferences(text), ['one', 'two', 'three']);
});

test('edits refuse what would not take effect or would overwrite', () => {
  const text = '{ "servers": { "n": { "command": "x", "tools": { "deny": ["del_*"] }, "instances": { "w": { "tools": { "deny": ["add_*"] } } } } } }';
  const isCode = (code: string) => (error: unknown) => error instanceof EditError && error.code === code;
  assert.throws(() => allowTool(text, 'n', 'w', 'add_note', (pattern) => pattern === 'add_*'), isCode('not-editable'));
  assert.throws(() => allowTool(text, 'n', 'w', 'del_note', (pattern) => pattern === 'del_*'), /server's tools.deny pattern "del_\*"/);
  assert.throws(() => allowTool(text, 'n', 'gone', 'x', () => false), isCode('not-found'));
  assert.throws(() => addInstance(text, 'n', 'w', {}), isCode('exists'));
  assert.throws(() => addInstance(text, 'm', 'w', {}), isCode('not-found'));
  assert.throws(() => addServer(text, 'n', { command: 'y' }), isCode('exists'));
  assert.throws(() => addServer('{ "servers": [', 'n', {}), isCode('unparsable'));
  // With an allow list that leaves the tool out, allowing adds it there.
  const allowList = '{ "servers": { "n": { "command": "x", "instances": { "w": { "tools": { "allow": ["read_*"] } } } } } }';
  assert.match(allowTool(allowList, 'n', 'w', 'add_note', (pattern) => pattern === 'add_note'), /"allow": \["read_\*", "add_note"\]/);
});

test('the style of a file is read from its indentation and line ends', () => {
  assert.deepEqual(detectStyle(undefined), { indent: '  ', eol: '\n' });
  assert.deepEqual(detectStyle('{\r\n\t"a": 1\r\n}'), { indent: '\t', eol: '\r\n' });
  assert.deepEqual(detectStyle('{\n    "a": {\n        "b": 1\n    }\n}'), { indent: '    ', eol: '\n' });
});

test('denying a tool and allowing it again gives back the file byte for byte', () => {
  const original = `{
  // accounts
  "servers": {
    "n": {
      "command": "node",
      "instances": {
        "w": { "label": "Work" }, // one line
        "e": {},
        "p": {
          "label": "Personal",
        },
      },
    },
  },
}
`;
  for (const instance of ['w', 'p', 'e']) {
    const denied = denyTool(original, 'n', instance, 'add_note');
    assert.notEqual(denied, original);
    assert.equal(allowTool(denied, 'n', instance, 'add_note', (pattern) => pattern === 'add_note'), original, instance);
  }
});
