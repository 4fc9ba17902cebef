import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, parseConfig, resolveInstances, type McplexConfig, type SecretResolver, type SubstitutionContext } from '../../../../src/core/config/index';
import { substitute, type Lookups } from '../../../../src/core/config/substitute';
import { parseTemplate } from '../../../../src/core/config/template';

const SECRET_VALUE = 's3cr3t-VALUE-never-shown';

/** Counts calls, so tests can check that each secret is asked for once. */
function fakeSecrets(values: Record<string, string>): SecretResolver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    get: async (name) => {
      calls.push(name);
      return values[name];
    },
  };
}

function context(secrets: SecretResolver, env: Record<string, string> = {}): SubstitutionContext {
  return { env, secrets, workspaceFolder: '/ws', userHome: '/home/me' };
}

const lookups: Lookups = {
  env: { HOME_DIR: '/h', EMPTY: '' },
  workspaceFolder: '/ws',
  userHome: '/home/me',
  instanceDir: '/state/ws-1234abcd/memory/work',
  secret: (name) => (name === 'tok' ? SECRET_VALUE : undefined),
};

describe('substitute', () => {
  it('fills in ${instanceDir} with the instance\'s private folder', () => {
    const result = substitute('${instanceDir}/memory.jsonl', lookups);
    assert.deepEqual(result, {
      ok: true,
      value: '/state/ws-1234abcd/memory/work/memory.jsonl',
      redacted: '/state/ws-1234abcd/memory/work/memory.jsonl',
    });
  });

  it('fills in every variable kind and keeps secrets out of the redacted twin', () => {
    const result = substitute('${workspaceFolder}|${userHome}|${env:HOME_DIR}|${env:EMPTY}|${secret:tok}', lookups);
    assert.deepEqual(result, {
      ok: true,
      value: `/ws|/home/me|/h||${SECRET_VALUE}`,
      redacted: '/ws|/home/me|/h||${secret:tok}',
    });
  });

  it('turns $${ into a literal ${ and leaves other dollars alone', () => {
    assert.deepEqual(substitute('a $${x} $b $ {c} $$', lookups), { ok: true, value: 'a ${x} $b $ {c} $$', redacted: 'a ${x} $b $ {c} $$' });
    // Read left to right: `$` then `$${` — so this is a literal `$${...}`, not a variable.
    assert.deepEqual(substitute('$$${env:HOME_DIR}', lookups), { ok: true, value: '$${env:HOME_DIR}', redacted: '$${env:HOME_DIR}' });
  });

  it('reports each unresolved reference with where it is in the string', () => {
    const result = substitute('x ${env:NOPE} ${secret:gone} ${foo}', lookups);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.failures.map((f) => (f.kind === 'template' ? [f.issue.code, f.issue.start] : [f.kind, f.name, f.start])),
      [['unknown-variable', 29], ['unset-env', 'NOPE', 2], ['missing-secret', 'gone', 14]],
    );
  });

  it('parses templates into parts and issues', () => {
    assert.deepEqual(parseTemplate('${env:}').issues.map((i) => i.code), ['invalid-value']);
    assert.deepEqual(parseTemplate('${secret:a b}').parts, [
      { kind: 'variable', variable: { kind: 'secret', name: 'a b' }, start: 0, end: 13, source: '${secret:a b}' },
    ]);
    assert.match(parseTemplate('${userhome}').issues[0]!.message, /Did you mean `\$\{userHome\}`\?/);
    assert.match(parseTemplate('${sekret:x}').issues[0]!.message, /Did you mean `\$\{secret:x\}`\?/);
  });
});

const TWO_ACCOUNTS = `{
  "servers": {
    "google": {
      "label": "Google",
      "command": "npx", "args": ["-y", "google-mcp", "--home=\${userHome}"],
      "env": { "LOG_LEVEL": "warn" },
      "instances": {
        "personal": { "label": "Personal", "env": { "ACCOUNT": "personal" } },
        "work": { "env": { "ACCOUNT": "work", "API_KEY": "\${secret:google-work}" }, "cwd": "sub" },
        "other": { "env": { "API_KEY": "\${secret:google-work}" } }
      }
    },
    "remote": {
      "url": "https://\${env:MCP_HOST}/mcp",
      "headers": { "Authorization": "Bearer \${secret:remote-token}" },
      "instances": { "a": {}, "b": { "transport": "sse", "headers": { "X-Account": "b" } } }
    }
  }
}`;

describe('resolveInstances', () => {
  it('resolves every instance into an upstream spec and a redacted twin', async () => {
    const secrets = fakeSecrets({ 'google-work': SECRET_VALUE, 'remote-token': 'tok' });
    const result = await loadConfig(TWO_ACCOUNTS, '/ws/.mcplex.jsonc', context(secrets, { MCP_HOST: 'mcp.example.com' }));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.needsSecrets, []);
    assert.deepEqual(result.instances.map((i) => `${i.serverId}/${i.instanceId}`), [
      'google/personal', 'google/work', 'google/other', 'remote/a', 'remote/b',
    ]);
    const [personal, work, , a, b] = result.instances;
    assert.deepEqual(personal!.upstream, {
      kind: 'stdio',
      command: 'npx',
      args: ['-y', 'google-mcp', '--home=/home/me'],
      env: { LOG_LEVEL: 'warn', ACCOUNT: 'personal' },
      cwd: '/ws',
    });
    assert.deepEqual([personal!.serverLabel, personal!.instanceLabel, work!.instanceLabel], ['Google', 'Personal', 'work']);
    assert.equal(work!.upstream.kind === 'stdio' && work!.upstream.cwd, '/ws/sub');
    assert.equal(work!.upstream.kind === 'stdio' && work!.upstream.env['API_KEY'], SECRET_VALUE);
    assert.equal(work!.redacted.kind === 'stdio' && work!.redacted.env['API_KEY'], '${secret:google-work}');
    assert.deepEqual(work!.secrets, ['google-work']);
    assert.deepEqual(personal!.secrets, []);
    assert.deepEqual(a!.upstream, {
      kind: 'remote',
      url: 'https://mcp.example.com/mcp',
      transport: 'auto',
      headers: { Authorization: 'Bearer tok' },
      secretValues: ['tok'],
    });
    assert.equal(a!.redacted.secretValues, undefined, 'the redacted twin carries no value');
    assert.equal(work!.upstream.secretValues?.[0], SECRET_VALUE);
    assert.deepEqual(b!.redacted, {
      kind: 'remote',
      url: 'https://mcp.example.com/mcp',
      transport: 'sse',
      headers: { Authorization: 'Bearer ${secret:remote-token}', 'X-Account': 'b' },
    });
    assert.deepEqual(a!.location.path, ['servers', 'remote', 'instances', 'a']);
    assert.deepEqual(secrets.calls.sort(), ['google-work', 'remote-token'], 'each secret is asked for once');
    assert.ok(!JSON.stringify(result.problems).includes(SECRET_VALUE));
  });

  it('leaves out only the instances whose secret is missing, and says which', async () => {
    const result = await loadConfig(TWO_ACCOUNTS, 'f', context(fakeSecrets({ 'remote-token': SECRET_VALUE }), { MCP_HOST: 'h' }));
    assert.deepEqual(result.instances.map((i) => `${i.serverId}/${i.instanceId}`), ['google/personal', 'remote/a', 'remote/b']);
    assert.deepEqual(result.needsSecrets, [
      { serverId: 'google', instanceId: 'work', secrets: ['google-work'] },
      { serverId: 'google', instanceId: 'other', secrets: ['google-work'] },
    ]);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.line, p.column, p.path.join('/')]),
      [
        ['unresolved-secret', 9, 59, 'servers/google/instances/work/env/API_KEY'],
        ['unresolved-secret', 10, 41, 'servers/google/instances/other/env/API_KEY'],
      ],
    );
    const [first] = result.problems;
    assert.equal(TWO_ACCOUNTS.slice(first!.offset, first!.offset + first!.length), '${secret:google-work}');
    assert.match(first!.message, /Instance `work` of server `google` needs the secret `google-work` \(used in `env.API_KEY`\)/);
    assert.ok(!JSON.stringify(result.problems).includes(SECRET_VALUE));
  });

  it('reports an unset environment variable at the server field that uses it, for each instance', async () => {
    const result = await loadConfig(TWO_ACCOUNTS, 'f', context(fakeSecrets({ 'google-work': 'x', 'remote-token': 'y' })));
    assert.deepEqual(result.instances.map((i) => i.serverId), ['google', 'google', 'google']);
    assert.deepEqual(result.needsSecrets, []);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.line, p.column, p.path.join('/')]),
      [
        ['unresolved-variable', 14, 23, 'servers/remote/url'],
        ['unresolved-variable', 14, 23, 'servers/remote/url'],
      ],
    );
    assert.match(result.problems[0]!.message, /^Instance `a` of server `remote` uses `\$\{env:MCP_HOST\}` in `url`, but the environment variable `MCP_HOST` is not set/);
    assert.match(result.problems[1]!.message, /^Instance `b` of server `remote`/);
  });

  it('says why a secret could not be read when the store fails, without listing it as missing', async () => {
    const failing: SecretResolver = {
      get: async (name) => {
        if (name === 'google-work') throw new Error('keychain locked');
        return 'v';
      },
    };
    const result = await loadConfig(TWO_ACCOUNTS, 'f', context(failing, { MCP_HOST: 'h' }));
    assert.deepEqual(result.needsSecrets, []);
    assert.deepEqual(result.instances.length, 3);
    assert.equal(result.problems.length, 2);
    assert.match(result.problems[0]!.message, /could not read the secret `google-work` \(used in `env.API_KEY`\): keychain locked/);
  });

  it('checks a URL built from variables once they are filled in', async () => {
    const text = '{"servers":{"r":{"url":"${env:URL}","instances":{"a":{}}}}}';
    const bad = await loadConfig(text, 'f', context(fakeSecrets({}), { URL: 'not a url' }));
    assert.deepEqual(bad.problems.map((p) => [p.code, p.path.join('/')]), [['invalid-value', 'servers/r/url']]);
    const good = await loadConfig(text, 'f', context(fakeSecrets({}), { URL: 'http://127.0.0.1:3000/mcp' }));
    assert.equal(good.instances[0]?.upstream.kind === 'remote' && good.instances[0].upstream.url, 'http://127.0.0.1:3000/mcp');
  });

  it('does not substitute the fields the instance kind ignores', async () => {
    const text = '{"servers":{"r":{"url":"https://e.com","env":{"X":"${secret:unused}"},"instances":{"a":{}}}}}';
    const secrets = fakeSecrets({});
    const result = await loadConfig(text, 'f', context(secrets));
    assert.equal(result.instances.length, 1);
    assert.deepEqual(result.problems.map((p) => p.code), ['ignored-field']);
    assert.deepEqual(secrets.calls, []);
  });

  it('reports problems of configs built in code at the owner, with the field path', async () => {
    const location = { file: 'code', path: ['servers', 's'], offset: 0, length: 0, line: 1, column: 1 };
    const config: McplexConfig = {
      file: 'code',
      servers: {
        s: {
          command: '${nope}',
          location,
          instances: {
            a: { location: { ...location, path: ['servers', 's', 'instances', 'a'] } },
            b: { url: 'https://e.com', location: { ...location, path: ['servers', 's', 'instances', 'b'] } },
          },
        },
      },
    };
    const result = await resolveInstances(config, context(fakeSecrets({})));
    assert.deepEqual(result.instances, []);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.path.join('/')]),
      [['unknown-variable', 'servers/s/command'], ['conflict', 'servers/s/instances/b']],
    );
  });

  it('resolves nothing that parseConfig rejected', async () => {
    const { config } = parseConfig('{"servers":{"s":{"command":"x","instances":{"a":{"url":"https://e.com"},"b":{}}}}}', 'f');
    const result = await resolveInstances(config!, context(fakeSecrets({})));
    assert.deepEqual(result.instances.map((i) => i.instanceId), ['b']);
    assert.deepEqual(result.problems, []);
  });
});
