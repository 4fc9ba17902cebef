// Each client's entry for "Copy Configuration for Another Client": its shape, its name, the
// CLI command line it starts, and no secret anywhere (there is none to give: the target holds
// only a path and an instance key).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CLIENTS, clientConfig, clientLaunch, entryName, serveLaunch, shellLine, shellQuote, type ServeTarget } from '../../../../src/core/clients';

const CONFIG = '/home/ana/my notes/.mcplex.jsonc';
const WORK: ServeTarget = { name: 'notes-work', config: CONFIG, instance: 'notes/work' };
const FOLDER: ServeTarget = { name: 'mcplex-my-notes', config: CONFIG };
const WORK_ARGS = ['mcplex', 'serve', '--config', CONFIG, '--instance', 'notes/work'];
const WINDOWS_CONFIG = 'C:\\Users\\Ana\\my notes\\.mcplex.jsonc';
const WINDOWS_WORK: ServeTarget = { ...WORK, config: WINDOWS_CONFIG };
const WINDOWS_ARGS = ['mcplex', 'serve', '--config', WINDOWS_CONFIG, '--instance', 'notes/work'];

describe('serveLaunch', () => {
  it('runs the npm CLI\'s serve over stdio with the absolute configuration, and the instance when there is one', () => {
    assert.deepEqual(serveLaunch(WORK), { command: 'npx', args: WORK_ARGS });
    assert.deepEqual(serveLaunch(FOLDER), { command: 'npx', args: ['mcplex', 'serve', '--config', CONFIG] });
  });
});

describe('clientLaunch', () => {
  it('on Windows, clients that spawn without a shell run npx (npx.cmd there) through cmd /c', () => {
    for (const client of ['claude-code', 'claude-code-json', 'cursor', 'copilot-cli'] as const) {
      assert.deepEqual(clientLaunch(client, WINDOWS_WORK, 'win32'), { command: 'cmd', args: ['/c', 'npx', ...WINDOWS_ARGS] }, client);
    }
  });

  it("keeps npx for VS Code's mcp.json (VS Code finds npx.cmd itself) and on every other platform", () => {
    assert.deepEqual(clientLaunch('mcp-json', WINDOWS_WORK, 'win32'), { command: 'npx', args: WINDOWS_ARGS });
    for (const platform of ['linux', 'darwin'] as const) {
      for (const client of CLIENTS) assert.deepEqual(clientLaunch(client.kind, WORK, platform), { command: 'npx', args: WORK_ARGS }, `${client.kind} on ${platform}`);
    }
  });

  it("writes Windows' launch into each client's entry", () => {
    const windowsLaunch = { command: 'cmd', args: ['/c', 'npx', ...WINDOWS_ARGS] };
    assert.deepEqual(JSON.parse(clientConfig('claude-code-json', WINDOWS_WORK, 'win32')), { mcpServers: { 'notes-work': { type: 'stdio', ...windowsLaunch } } });
    assert.deepEqual(JSON.parse(clientConfig('cursor', WINDOWS_WORK, 'win32')), { mcpServers: { 'notes-work': windowsLaunch } });
    assert.deepEqual(JSON.parse(clientConfig('copilot-cli', WINDOWS_WORK, 'win32')), { mcpServers: { 'notes-work': { type: 'local', ...windowsLaunch, tools: ['*'] } } });
    assert.deepEqual(JSON.parse(clientConfig('mcp-json', WINDOWS_WORK, 'win32')), { servers: { 'notes-work': { type: 'stdio', command: 'npx', args: WINDOWS_ARGS } } });
  });
});

describe('clientConfig', () => {
  it('Claude Code: a `claude mcp add` line, the server\'s command after `--`, the path with a space quoted for the shell', () => {
    assert.equal(clientConfig('claude-code', WORK, 'linux'), `claude mcp add notes-work -- npx mcplex serve --config '${CONFIG}' --instance notes/work\n`);
    assert.equal(
      clientConfig('claude-code', { ...FOLDER, config: WINDOWS_CONFIG }, 'win32'),
      'claude mcp add mcplex-my-notes -- cmd /c npx mcplex serve --config "C:\\Users\\Ana\\my notes\\.mcplex.jsonc"\n',
    );
  });

  it('Claude Code\'s .mcp.json: mcpServers, type stdio', () => {
    assert.deepEqual(JSON.parse(clientConfig('claude-code-json', WORK, 'linux')), { mcpServers: { 'notes-work': { type: 'stdio', command: 'npx', args: WORK_ARGS } } });
  });

  it('Cursor: mcpServers with the command and its arguments', () => {
    assert.deepEqual(JSON.parse(clientConfig('cursor', WORK, 'linux')), { mcpServers: { 'notes-work': { command: 'npx', args: WORK_ARGS } } });
  });

  it('Copilot CLI: mcpServers, type local, and the tools it requires', () => {
    assert.deepEqual(JSON.parse(clientConfig('copilot-cli', WORK, 'linux')), { mcpServers: { 'notes-work': { type: 'local', command: 'npx', args: WORK_ARGS, tools: ['*'] } } });
  });

  it('VS Code\'s mcp.json: servers, type stdio', () => {
    assert.deepEqual(JSON.parse(clientConfig('mcp-json', FOLDER, 'linux')), { servers: { 'mcplex-my-notes': { type: 'stdio', command: 'npx', args: ['mcplex', 'serve', '--config', CONFIG] } } });
  });

  it('offers every client once, each with where its text goes', () => {
    assert.deepEqual(CLIENTS.map((client) => client.kind), ['claude-code', 'claude-code-json', 'cursor', 'copilot-cli', 'mcp-json']);
    for (const client of CLIENTS) {
      assert.ok(client.where.length > 0 && client.label.length > 0);
      const text = clientConfig(client.kind, WORK, 'linux');
      assert.ok(text.endsWith('\n') && text.includes('notes-work') && text.includes('notes/work'), text);
      if (client.language === 'json') assert.doesNotThrow(() => JSON.parse(text));
    }
  });
});

describe('entryName', () => {
  it('joins server and instance with a dash, in the characters Claude Code accepts', () => {
    assert.equal(entryName('notes', 'work'), 'notes-work');
    assert.equal(entryName('Google Drive', 'Work.Team'), 'google-drive-work-team');
    assert.equal(entryName('mcplex', 'Ünïcode ✓ app'), 'mcplex-n-code-app');
    assert.equal(entryName('mcplex', '...'), 'mcplex');
    assert.equal(entryName('', ''), 'mcplex');
    for (const name of ['notes-work', entryName('a b', 'c:d'), entryName('mcplex', '日本')]) assert.match(name, /^[a-z0-9_-]+$/);
  });
});

describe('shellQuote', () => {
  it('leaves plain arguments alone and quotes the rest for the shell the user pastes into', () => {
    assert.equal(shellQuote('notes/work', 'posix'), 'notes/work');
    assert.equal(shellQuote('/a b', 'posix'), "'/a b'");
    assert.equal(shellQuote("it's", 'posix'), `'it'\\''s'`);
    assert.equal(shellQuote('$HOME', 'posix'), "'$HOME'");
    assert.equal(shellQuote('', 'posix'), "''");
    assert.equal(shellQuote('C:\\a b', 'windows'), '"C:\\a b"');
    assert.equal(shellLine(['a', 'b c'], 'posix'), "a 'b c'");
  });
});
