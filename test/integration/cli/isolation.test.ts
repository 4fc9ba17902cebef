// Accounts never cross: two instances of a server that keeps state at fixed paths share it
// by default and stop sharing it with `isolate`; server-memory as two accounts through
// `${instanceDir}`. Real processes through `mcplex serve` and an SDK client. Each case runs
// with a home of its own (HOME, XDG_STATE_HOME), so nothing touches the user's.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { instanceDirOf } from '../../../src/core/config/instanceDir';
import { CLI_PATH, REPO_ROOT, runMcplex } from '../../helpers/cli';
import { fixturePath } from '../../fixtures/servers/index';

const MEMORY = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');

const root = mkdtempSync(join(tmpdir(), 'mcplex-isolation-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  readonly folder: string;
  readonly config: string;
  readonly home: string;
  readonly env: Record<string, string>;
  readonly stateRoot: string;
}

/** A workspace folder with a config, and a fake user home with an empty XDG setup. */
function workspace(name: string, servers: unknown): Case {
  const base = join(root, name);
  const folder = join(base, 'project');
  const home = join(base, 'home');
  mkdirSync(folder, { recursive: true });
  mkdirSync(home, { recursive: true });
  const config = join(folder, '.mcplex.jsonc');
  writeFileSync(config, JSON.stringify({ servers }, null, 2));
  const env: Record<string, string> = {
    HOME: home,
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CONFIG_HOME: '',
    XDG_DATA_HOME: '',
    XDG_CACHE_HOME: '',
    npm_config_cache: '',
    NPM_CONFIG_CACHE: '',
    npm_config_userconfig: '',
    NPM_CONFIG_USERCONFIG: '',
  };
  return { folder, config, home, env, stateRoot: join(home, '.local', 'state', 'mcplex') };
}

async function serve<T>(setup: Case, use: (call: (name: string, args?: Record<string, unknown>) => Promise<string>) => Promise<T>): Promise<T> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, ...setup.env })) if (value !== undefined && value !== '') env[name] = value;
  const client = new Client({ name: 'isolation-test', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, 'serve', '--config', setup.config], cwd: setup.folder, stderr: 'ignore', env }));
  try {
    return await use(async (name, args = {}) => {
      const result = await client.callTool({ name, arguments: args });
      assert.notEqual(result.isError, true, JSON.stringify(result.content));
      const [first] = result.content as { type: string; text: string }[];
      return first?.text ?? '';
    });
  } finally {
    await client.close();
  }
}

const fixed = (isolate: Record<string, unknown> = {}) => ({
  command: process.execPath,
  args: [fixturePath('fixed-state')],
  ...isolate,
  instances: { a: {}, b: {} },
});

type Recalled = { home: string; xdg: string };
const recall = async (call: (name: string) => Promise<string>, prefix: string): Promise<Recalled> => JSON.parse(await call(`${prefix}__recall`)) as Recalled;

describe('state at fixed paths', () => {
  it('is shared by two instances without isolation (the fixture shares by default)', async () => {
    const setup = workspace('none', { fixed: fixed() });
    await serve(setup, async (call) => {
      await call('a__remember', { text: 'from a' });
      assert.deepEqual(await recall(call, 'b'), { home: 'from a\n', xdg: 'from a\n' });
    });
    assert.equal(readFileSync(join(setup.home, '.fixture-state', 'notes.txt'), 'utf8'), 'from a\n');
    // The state root may hold mcplex's own records (the audit trail); no instance folder is made.
    assert.equal(existsSync(join(setup.stateRoot, 'instances')), false, 'no state folder without ${instanceDir} or isolate');
  });

  it('is private per instance with isolate "home": HOME, XDG and TMPDIR under ${instanceDir}; npm and shared entries stay the user\'s', async () => {
    const setup = workspace('home', { fixed: fixed({ isolate: 'home', share: ['.gitconfig'] }) });
    writeFileSync(join(setup.home, '.gitconfig'), '[user]\n\tname = me\n');
    const dirA = instanceDirOf(setup.stateRoot, setup.folder, 'fixed', 'a');
    await serve(setup, async (call) => {
      await call('a__remember', { text: 'from a' });
      await call('b__remember', { text: 'from b' });
      assert.deepEqual(await recall(call, 'a'), { home: 'from a\n', xdg: 'from a\n' });
      assert.deepEqual(await recall(call, 'b'), { home: 'from b\n', xdg: 'from b\n' });
      const where = JSON.parse(await call('a__where')) as { homeFile: string; xdgFile: string; tmp: string; env: { npm_config_cache: string } };
      assert.equal(where.homeFile, join(dirA, 'home', '.fixture-state', 'notes.txt'));
      assert.equal(where.xdgFile, join(dirA, 'home', '.config', 'fixture-state', 'notes.txt'));
      assert.equal(where.tmp, join(dirA, 'tmp'));
      assert.equal(where.env.npm_config_cache, join(setup.home, '.npm'));
    });
    assert.equal(existsSync(join(setup.home, '.fixture-state')), false, 'the real home is untouched');
    assert.equal(statSync(dirA).mode & 0o777, 0o700);
    assert.equal(lstatSync(join(dirA, 'home', '.gitconfig')).isSymbolicLink(), true);
    assert.equal(readFileSync(join(dirA, 'home', '.gitconfig'), 'utf8'), '[user]\n\tname = me\n');
  });

  it('keeps XDG private and HOME shared with isolate "xdg"', async () => {
    const setup = workspace('xdg', { fixed: fixed({ isolate: 'xdg' }) });
    await serve(setup, async (call) => {
      await call('a__remember', { text: 'from a' });
      assert.deepEqual(await recall(call, 'b'), { home: 'from a\n', xdg: '' });
      assert.deepEqual(await recall(call, 'a'), { home: 'from a\n', xdg: 'from a\n' });
    });
  });
});

describe('server-memory as two accounts through ${instanceDir}', () => {
  const servers = {
    memory: {
      command: process.execPath,
      args: [MEMORY],
      env: { MEMORY_FILE_PATH: '${instanceDir}/memory.jsonl' },
      instances: { work: {}, personal: {} },
    },
  };

  it('mcplex check passes before the folders exist, and creates none', async () => {
    const setup = workspace('memory-check', servers);
    const checked = await runMcplex(['check', '--config', setup.config], { env: setup.env, cwd: setup.folder });
    assert.equal(checked.code, 0, checked.stderr);
    assert.equal(existsSync(setup.stateRoot), false);
  });

  it('keeps an entity created through one account out of the other', async () => {
    const setup = workspace('memory', servers);
    await serve(setup, async (call) => {
      await call('work__create_entities', { entities: [{ name: 'Acme contract', entityType: 'document', observations: ['work only'] }] });
      assert.match(await call('work__read_graph'), /Acme contract/);
      assert.doesNotMatch(await call('personal__read_graph'), /Acme contract/);
      assert.doesNotMatch(await call('personal__search_nodes', { query: 'Acme' }), /Acme contract/);
    });
    const work = instanceDirOf(setup.stateRoot, setup.folder, 'memory', 'work');
    assert.match(readFileSync(join(work, 'memory.jsonl'), 'utf8'), /Acme contract/);
    assert.equal(statSync(work).mode & 0o777, 0o700);
    assert.equal(existsSync(join(instanceDirOf(setup.stateRoot, setup.folder, 'memory', 'personal'), 'memory.jsonl')), false);
  });

  it('mcplex list shows each instance\'s state folder, in the table and in --json', async () => {
    const setup = workspace('memory-list', servers);
    const work = instanceDirOf(setup.stateRoot, setup.folder, 'memory', 'work');
    const table = await runMcplex(['list', '--config', setup.config], { env: setup.env, cwd: setup.folder });
    assert.equal(table.code, 0, table.stderr);
    assert.ok(table.stdout.includes(`  state folder: ${work}\n`), table.stdout);
    const json = JSON.parse((await runMcplex(['list', '--config', setup.config, '--json'], { env: setup.env, cwd: setup.folder })).stdout) as { instance: string; stateDir?: string }[];
    assert.ok(json.length > 0);
    for (const tool of json) assert.equal(tool.stateDir, instanceDirOf(setup.stateRoot, setup.folder, 'memory', tool.instance.split('/')[1]!));
  });
});
