import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KNOWN_SERVERS, cloneFixAt, knownServerOf } from '../../../../src/core/clones';

describe('knownServerOf', () => {
  it('recognises a package however the command line names it', () => {
    assert.equal(knownServerOf('npx', ['-y', '@modelcontextprotocol/server-memory'])?.name, 'server-memory');
    assert.equal(knownServerOf('npx', ['-y', '@modelcontextprotocol/server-memory@2026.8.31'])?.name, 'server-memory');
    assert.equal(knownServerOf('node', ['/usr/lib/node_modules/@modelcontextprotocol/server-memory/dist/index.js'])?.name, 'server-memory');
    assert.equal(knownServerOf('mcp-server-memory')?.name, 'server-memory');
    assert.equal(knownServerOf('npx', ['mcp-remote', 'https://mcp.example/sse'])?.settings[0], KNOWN_SERVERS.find((s) => s.name === 'mcp-remote')?.settings[0]);
    assert.equal(knownServerOf('C:\\tools\\mcp-remote.cmd', ['https://x'])?.name, 'mcp-remote');
    assert.equal(knownServerOf('npx', ['@playwright/mcp@latest', '--headless'])?.name, 'Playwright');
  });

  it('does not guess', () => {
    assert.equal(knownServerOf('npx', ['-y', '@modelcontextprotocol/server-memory-extra']), undefined);
    assert.equal(knownServerOf('node', ['notes.mjs']), undefined);
    assert.equal(knownServerOf(undefined), undefined);
  });

  it('knows the state settings measured in STATE-PATHS', () => {
    const names = KNOWN_SERVERS.flatMap((server) => server.settings.map((setting) => (setting.kind === 'env' ? setting.name : setting.flag)));
    for (const name of ['MEMORY_FILE_PATH', 'GOOGLE_CALENDAR_MCP_TOKEN_PATH', 'GMAIL_CREDENTIALS_PATH', 'MCP_REMOTE_CONFIG_DIR', '--user-data-dir', 'MS365_MCP_TOKEN_CACHE_PATH']) {
      assert.ok(names.includes(name), name);
    }
    for (const server of KNOWN_SERVERS) for (const setting of server.settings) assert.match(setting.value, /^\$\{instanceDir\}\//);
  });
});

describe('cloneFixAt', () => {
  const text = `{
  "servers": {
    // npx keeps the memory file in its cache
    "memory": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"],
      "instances": { "work": {}, "personal": {} }
    },
    "notes": { "command": "node", "args": ["notes.mjs"], "instances": { "a": {} } }
  }
}`;

  it('finds the instance at the warning and its known server', () => {
    const fix = cloneFixAt(text, '/ws/.mcplex.jsonc', text.indexOf('"personal"'));
    assert.equal(fix?.serverId, 'memory');
    assert.equal(fix?.instanceId, 'personal');
    assert.equal(fix?.known?.name, 'server-memory');
  });

  it('has no setting for an unknown server, and nothing outside an instance', () => {
    const fix = cloneFixAt(text, '/ws/.mcplex.jsonc', text.indexOf('"a"'));
    assert.equal(fix?.instanceId, 'a');
    assert.equal(fix?.known, undefined);
    assert.equal(cloneFixAt(text, '/ws/.mcplex.jsonc', 0), undefined);
  });
});
