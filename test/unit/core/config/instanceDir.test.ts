import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig, resolveInstances, type ResolvedInstance, type UpstreamSpec } from '../../../../src/core/config/index';
import { defaultStateRoot, instanceDirOf, instanceRecordsOf } from '../../../../src/core/config/instanceDir';

const secrets = { get: async (): Promise<string | undefined> => undefined };

async function resolve(servers: unknown, folder = '/work/projects/acme', stateRoot?: string): Promise<ResolvedInstance[]> {
  const { config, problems } = parseConfig(JSON.stringify({ servers }), `${folder}/.mcplex.jsonc`);
  assert.deepEqual(problems.filter((problem) => problem.severity === 'error'), []);
  const result = await resolveInstances(config!, {
    env: {},
    secrets,
    workspaceFolder: folder,
    userHome: '/home/me',
    ...(stateRoot !== undefined && { stateRoot }),
  });
  assert.deepEqual(result.problems, []);
  return result.instances;
}

function stdio(upstream: UpstreamSpec): Extract<UpstreamSpec, { kind: 'stdio' }> {
  assert.equal(upstream.kind, 'stdio');
  return upstream as Extract<UpstreamSpec, { kind: 'stdio' }>;
}

describe('instanceDirOf', () => {
  it('is <root>/instances/<folder name>-<hash>/<server>/<instance>', () => {
    const dir = instanceDirOf('/state/mcplex', '/work/projects/acme', 'memory', 'work');
    assert.match(dir, /^\/state\/mcplex\/instances\/acme-[0-9a-f]{8}\/memory\/work$/);
  });

  it('is stable, and differs per folder even when two folders share a name', () => {
    const a = instanceDirOf('/s', '/one/acme', 'memory', 'work');
    assert.equal(instanceDirOf('/s', '/one/acme/', 'memory', 'work'), a);
    assert.notEqual(instanceDirOf('/s', '/two/acme', 'memory', 'work'), a);
    assert.notEqual(instanceDirOf('/s', '/one/acme', 'memory', 'personal'), a);
    assert.notEqual(instanceDirOf('/s', '/one/acme', 'notes', 'work'), a);
  });

  it('keeps an odd folder name to safe characters', () => {
    assert.match(instanceDirOf('/s', '/x/My Project (old)', 'a', 'b'), /\/instances\/My_Project_old_-[0-9a-f]{8}\/a\/b$/);
    assert.match(instanceDirOf('/s', '/', 'a', 'b'), /\/instances\/root-[0-9a-f]{8}\/a\/b$/);
  });

  it("keeps mcplex's own records of an instance beside the instance folders, never inside one (the upstream owns its folder)", () => {
    const records = instanceRecordsOf('/s', '/one/acme', 'memory', 'work');
    assert.match(records, /^\/s\/records\/acme-[0-9a-f]{8}\/memory\/work$/);
    assert.ok(!records.startsWith(`${instanceDirOf('/s', '/one/acme', 'memory', 'work')}/`));
    assert.notEqual(instanceRecordsOf('/s', '/two/acme', 'memory', 'work'), records);
  });

  it('defaults to $XDG_STATE_HOME/mcplex, else ~/.local/state/mcplex', () => {
    assert.equal(defaultStateRoot({ XDG_STATE_HOME: '/xdg/state' }, '/home/me'), '/xdg/state/mcplex');
    assert.equal(defaultStateRoot({}, '/home/me'), '/home/me/.local/state/mcplex');
    // The XDG spec ignores relative paths.
    assert.equal(defaultStateRoot({ XDG_STATE_HOME: 'rel' }, '/home/me'), '/home/me/.local/state/mcplex');
  });

  it('on Windows defaults to %LOCALAPPDATA%\\mcplex\\state (drive letter, spaces), unless XDG_STATE_HOME is set', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\Jo Doe\\AppData\\Local' };
    assert.equal(defaultStateRoot(env, 'C:\\Users\\Jo Doe', 'win32'), 'C:\\Users\\Jo Doe\\AppData\\Local\\mcplex\\state');
    assert.equal(defaultStateRoot({ ...env, XDG_STATE_HOME: '/xdg/state' }, 'C:\\Users\\Jo Doe', 'win32'), '/xdg/state/mcplex');
  });
});

describe('resolving ${instanceDir} and isolate', () => {
  const memory = {
    command: 'npx',
    args: ['-y', '@modelcontextprotocol/server-memory'],
    env: { MEMORY_FILE_PATH: '${instanceDir}/memory.jsonl' },
    instances: { work: {}, personal: {} },
  };

  it('gives each instance its own folder, in env and as the state folder', async () => {
    const [work, personal] = await resolve({ memory }, '/work/projects/acme', '/state');
    const dirOf = (id: string): string => instanceDirOf('/state', '/work/projects/acme', 'memory', id);
    assert.equal(stdio(work!.upstream).env['MEMORY_FILE_PATH'], `${dirOf('work')}/memory.jsonl`);
    assert.equal(stdio(personal!.upstream).env['MEMORY_FILE_PATH'], `${dirOf('personal')}/memory.jsonl`);
    assert.equal(stdio(work!.upstream).stateDir, dirOf('work'));
    assert.equal(stdio(work!.redacted).stateDir, dirOf('work'));
  });

  it('defaults the root from the environment (the CLI)', async () => {
    const [work] = await resolve({ memory });
    assert.ok(stdio(work!.upstream).stateDir!.startsWith('/home/me/.local/state/mcplex/instances/acme-'));
  });

  it('gives no state folder to an instance that uses neither ${instanceDir} nor isolate', async () => {
    const [plain] = await resolve({ s: { command: 'srv', instances: { a: {}, b: { isolate: 'none' } } } });
    assert.equal(stdio(plain!.upstream).stateDir, undefined);
    assert.equal(stdio(plain!.upstream).isolate, undefined);
  });

  it('carries isolate into the launch, inherited and overridden, share only with home', async () => {
    const [a, b, c] = await resolve(
      {
        s: {
          command: 'srv',
          isolate: 'xdg',
          share: ['.gitconfig'],
          instances: { a: {}, b: { isolate: 'home' }, c: { isolate: 'home', share: ['.ssh'] } },
        },
      },
      '/f',
      '/state',
    );
    assert.deepEqual(stdio(a!.upstream).isolate, { mode: 'xdg', share: [] });
    assert.equal(stdio(a!.upstream).stateDir, instanceDirOf('/state', '/f', 's', 'a'));
    assert.deepEqual(stdio(b!.upstream).isolate, { mode: 'home', share: ['.gitconfig'] });
    assert.deepEqual(stdio(c!.upstream).isolate, { mode: 'home', share: ['.ssh'] });
  });

  it('lets a remote upstream use ${instanceDir} in a header', async () => {
    const [remote] = await resolve({ r: { url: 'https://x.example/mcp', headers: { 'X-Dir': '${instanceDir}' }, instances: { a: {} } } }, '/f', '/s');
    assert.equal(remote!.upstream.kind, 'remote');
    assert.equal(remote!.upstream.stateDir, instanceDirOf('/s', '/f', 'r', 'a'));
  });
});
