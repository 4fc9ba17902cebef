import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeInstance, parseConfig, type InstanceConfig, type McplexConfig, type ServerConfig } from '../../../../src/core/config/index';
import { checkMergedInstance } from '../../../../src/core/config/merge';

function parse(servers: unknown): McplexConfig {
  const { config, problems } = parseConfig(JSON.stringify({ servers }, null, 2), 'f');
  assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
  return config!;
}

function merged(servers: unknown, serverId: string, instanceId: string) {
  const server = parse(servers).servers[serverId]!;
  return mergeInstance(serverId, server, instanceId, server.instances[instanceId]!);
}

describe('mergeInstance', () => {
  it('inherits the server fields and lets the instance override any of them', () => {
    const m = merged(
      { s: { command: 'a', args: ['1'], cwd: 'x', instances: { i: { command: 'b' }, j: { args: [] } } } },
      's',
      'i',
    );
    assert.equal(m.command, 'b');
    assert.deepEqual(m.args, ['1']);
    assert.equal(m.cwd, 'x');
    const j = merged({ s: { command: 'a', args: ['1'], instances: { j: { args: [] } } } }, 's', 'j');
    assert.deepEqual(j.args, [], 'an empty instance list replaces the server list');
  });

  it('merges env and headers key by key', () => {
    const servers = {
      s: {
        url: 'https://example.com/mcp',
        headers: { A: 'server', B: 'server' },
        instances: { i: { headers: { B: 'instance', C: 'instance' } } },
      },
      t: { command: 'x', env: { A: '1', B: '2' }, instances: { i: { env: { B: '3' } } } },
    };
    assert.deepEqual(merged(servers, 's', 'i').headers, { A: 'server', B: 'instance', C: 'instance' });
    assert.deepEqual(merged(servers, 't', 'i').env, { A: '1', B: '3' });
  });

  it('adds deny lists and lets the instance allow list replace the server one', () => {
    const servers = {
      s: {
        command: 'x',
        tools: { allow: ['a_*'], deny: ['delete_*'] },
        instances: { i: { tools: { deny: ['drop_*'], allow: ['b_*'] } }, j: {}, k: { tools: { deny: [] } } },
      },
      t: { command: 'x', instances: { i: {} } },
    };
    assert.deepEqual(merged(servers, 's', 'i').tools, { allow: ['b_*'], deny: ['delete_*', 'drop_*'] });
    assert.deepEqual(merged(servers, 's', 'j').tools, { allow: ['a_*'], deny: ['delete_*'] });
    assert.deepEqual(merged(servers, 's', 'k').tools, { allow: ['a_*'], deny: ['delete_*'] });
    assert.deepEqual(merged(servers, 't', 'i').tools, {});
  });

  it('lets the instance tools.confirm replace the server one whole', () => {
    const servers = {
      s: { command: 'x', tools: { confirm: ['delete_*'], deny: ['drop_*'] }, instances: { i: { tools: { confirm: 'writes' } }, j: {}, k: { tools: { confirm: [] } } } },
    };
    assert.deepEqual(merged(servers, 's', 'i').tools, { deny: ['drop_*'], confirm: 'writes' });
    assert.deepEqual(merged(servers, 's', 'j').tools, { deny: ['drop_*'], confirm: ['delete_*'] });
    assert.deepEqual(merged(servers, 's', 'k').tools, { deny: ['drop_*'], confirm: [] }, 'an empty instance list asks for nothing');
  });

  it('does not inherit labels: defaults are the ids', () => {
    const servers = { s: { label: 'Server', command: 'x', instances: { i: {}, j: { label: 'J' } } }, t: { command: 'x', instances: { k: {} } } };
    const i = merged(servers, 's', 'i');
    assert.deepEqual([i.serverLabel, i.instanceLabel], ['Server', 'i']);
    assert.deepEqual([merged(servers, 's', 'j').instanceLabel], ['J']);
    const k = merged(servers, 't', 'k');
    assert.deepEqual([k.serverLabel, k.instanceLabel], ['t', 'k']);
  });

  it('locates each merged value where it was written', () => {
    const m = merged({ s: { command: 'x', env: { A: '1', B: '2' }, instances: { i: { env: { B: '3' } } } } }, 's', 'i');
    assert.deepEqual(m.locate(['env', 'A']).path, ['servers', 's', 'env', 'A']);
    assert.deepEqual(m.locate(['env', 'B']).path, ['servers', 's', 'instances', 'i', 'env', 'B']);
    assert.deepEqual(m.locate(['command']).path, ['servers', 's', 'command']);
    assert.equal(m.origin(['env', 'B']), 'instance');
    assert.equal(m.origin(['command']), 'server');
  });
});

describe('checkMergedInstance', () => {
  // Built in code: parseConfig already leaves out the instances these checks reject.
  const at = (...path: string[]) => ({ file: 'code', path, offset: 0, length: 0, line: 1, column: 1 });
  const check = (server: Omit<ServerConfig, 'instances' | 'location'>, instance: Omit<InstanceConfig, 'location'>) => {
    const fullServer: ServerConfig = { ...server, location: at('servers', 's'), instances: {} };
    const fullInstance: InstanceConfig = { ...instance, location: at('servers', 's', 'instances', 'i') };
    return checkMergedInstance(mergeInstance('s', fullServer, 'i', fullInstance));
  };

  it('needs exactly one of command and url, wherever each comes from', () => {
    const codes = (server: Omit<ServerConfig, 'instances' | 'location'>, instance: Omit<InstanceConfig, 'location'>) =>
      check(server, instance).map((p) => p.code);
    assert.deepEqual(codes({ command: 'x' }, {}), []);
    assert.deepEqual(codes({}, { url: 'https://e.com' }), []);
    assert.deepEqual(codes({ command: 'x' }, { url: 'https://e.com' }), ['conflict']);
    assert.deepEqual(codes({ url: 'https://e.com', command: 'x' }, {}), ['conflict']);
    assert.deepEqual(codes({}, {}), ['missing-field']);
    const [conflict] = check({ command: 'x' }, { url: 'https://e.com' });
    assert.deepEqual(conflict!.path, ['servers', 's', 'instances', 'i']);
    assert.match(conflict!.message, /`command` \(from the server\) and `url` \(from the instance\)/);
  });

  it('warns about fields the chosen kind ignores, at the field', () => {
    const problems = check({ url: 'https://e.com', cwd: 'x', args: ['a'] }, { env: {} });
    assert.deepEqual(
      problems.map((p) => [p.severity, p.code, p.path.join('/')]),
      [
        ['warning', 'ignored-field', 'servers/s/args'],
        ['warning', 'ignored-field', 'servers/s/cwd'],
      ],
      'an empty env is not worth a warning',
    );
    assert.deepEqual(
      check({ command: 'x' }, { transport: 'sse' }).map((p) => [p.code, p.path.join('/')]),
      [['ignored-field', 'servers/s/instances/i/transport']],
    );
  });
});
