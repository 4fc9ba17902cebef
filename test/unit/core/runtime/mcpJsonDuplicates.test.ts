// One place per account: an instance that starts what a server of the folder's
// .vscode/mcp.json starts gets a warning at its place in .mcplex.jsonc, and its view names the
// mcp.json entry (the tree's "Remove from mcp.json").
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DUPLICATE_OF_MCP_JSON, planFolders, WindowRuntime, type FolderInput } from '../../../../src/core/runtime';

const CONFIG = `{
  "servers": {
    "memory": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"],
      "instances": {
        "work": { "env": { "MEMORY_FILE_PATH": "/w/work.json" } },
        "personal": { "env": { "MEMORY_FILE_PATH": "/w/personal.json" } }
      }
    },
    "github": { "url": "https://api.example.com/mcp/", "instances": { "work": {} } }
  }
}`;

const MCP_JSON = `{
  "inputs": [{ "id": "token", "type": "promptString", "password": true }],
  "servers": {
    // the work account, before mcplex
    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], "env": { "MEMORY_FILE_PATH": "\${workspaceFolder}/work.json" } },
    "GitHub": { "url": "https://api.example.com/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
    "other": { "command": "node", "args": ["other.js"] }
  }
}`;

const context = { env: {}, secrets: { get: async () => undefined }, userHome: '/home/u' };

function folder(mcpJson: string | undefined): FolderInput {
  return {
    id: 'file:///w',
    name: 'w',
    path: '/w',
    file: { path: '/w/.mcplex.jsonc', text: CONFIG },
    ...(mcpJson !== undefined && { mcpJson: { path: '/w/.vscode/mcp.json', text: mcpJson } }),
    options: { toolPrefix: false, exposure: 'instances' },
  };
}

/** 1-based line and column of the first `needle` in the config. */
function positionOf(needle: string): { line: number; column: number } {
  const before = CONFIG.slice(0, CONFIG.indexOf(needle));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

describe('mcp.json duplicates', () => {
  it('warns on the instance that starts what an mcp.json server starts, after substitution, at the instance', async () => {
    const { problems, mcpJsonDuplicates } = await planFolders([folder(MCP_JSON)], context, new Map(), false);
    // The instance's key in the file: where the Problems panel puts its other warnings too.
    const WORK = positionOf('"work": { "env"');
    const GITHUB = positionOf('"work": {} }');
    const found = (problems.get('/w/.mcplex.jsonc') ?? []).filter((problem) => problem.code === DUPLICATE_OF_MCP_JSON);
    assert.deepEqual(
      found.map((problem) => [problem.severity, problem.path.join('.'), problem.line, problem.column]),
      [
        // personal sets MEMORY_FILE_PATH differently: another account of the same server, no warning.
        ['warning', 'servers.memory.instances.work', WORK.line, WORK.column],
        // the same url (a trailing slash aside); the input VS Code asks for matches any header.
        ['warning', 'servers.github.instances.work', GITHUB.line, GITHUB.column],
      ],
    );
    assert.match(found[0]?.message ?? '', /"memory" in \.vscode\/mcp\.json/);
    assert.deepEqual([...mcpJsonDuplicates], [
      ['file:///w#memory/work', 'memory'],
      ['file:///w#github/work', 'GitHub'],
    ]);
  });

  it('no mcp.json, one that does not parse, or an entry that wraps another prefix: no warning', async () => {
    for (const text of [undefined, '{ "servers": ', '{ "servers": { "m": { "command": "npx", "args": ["mcplexer", "--prefix", "home", "--", "npx", "-y", "@modelcontextprotocol/server-memory"] } } }']) {
      const { problems, mcpJsonDuplicates } = await planFolders([folder(text)], context, new Map(), false);
      assert.deepEqual([...problems.values()].flat().filter((problem) => problem.code === DUPLICATE_OF_MCP_JSON), [], String(text));
      assert.equal(mcpJsonDuplicates.size, 0);
    }
  });

  it('an entry that wraps the server in the proxy with the instance\'s prefix is a duplicate of that instance only', async () => {
    const wrapped = '{ "servers": { "m": { "command": "npx", "args": ["mcplexer", "--prefix", "personal", "--", "npx", "-y", "@modelcontextprotocol/server-memory"] } } }';
    const { mcpJsonDuplicates } = await planFolders([folder(wrapped)], context, new Map(), false);
    assert.deepEqual([...mcpJsonDuplicates], [['file:///w#memory/personal', 'm']]);
  });
});

describe('WindowRuntime and mcp.json', () => {
  const open: WindowRuntime[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((runtime) => runtime.close()));
  });

  it('the views name the mcp.json server an instance duplicates, and forget it once it is gone', async () => {
    const runtime = await WindowRuntime.start({ listen: { kind: 'tcp' }, secrets: context.secrets, env: {}, userHome: '/home/u', startup: 'onDemand' });
    open.push(runtime);
    const result = await runtime.update([folder(MCP_JSON)], false);
    assert.ok((result.problems.get('/w/.mcplex.jsonc') ?? []).some((problem) => problem.code === DUPLICATE_OF_MCP_JSON));
    const named = () => Object.fromEntries(runtime.instances().map((view) => [view.key, view.duplicateOfMcpJson]));
    assert.deepEqual(named(), { 'memory/work': 'memory', 'memory/personal': undefined, 'github/work': 'GitHub' });
    await runtime.update([folder('{ "servers": {} }')], false);
    assert.deepEqual(named(), { 'memory/work': undefined, 'memory/personal': undefined, 'github/work': undefined });
  });
});
