// `mcplex wrap` takes the original single-prefix proxy's (MCPlexer's) flags with their
// meanings beside its own: each flag's mapping, each contradiction refused with a usage
// error that names the flag, and the sign-in flags turned into mcplex's own `AuthSpec`.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseInvocation, UsageError, type WrapInvocation, type WrapUrl } from '../../../src/cli/args';
import { oauthStoreProblem, wrapCredentials, wrapSignIn } from '../../../src/cli/wrapAuth';
import { defaultCallbackPort } from '../../../src/core/auth';

const URL_ARGS = ['wrap', '--prefix', 'work', '--url', 'https://mcp.example.com/mcp'];

function wrap(args: readonly string[]): WrapInvocation {
  const invocation = parseInvocation(args);
  assert.equal(invocation.kind, 'wrap');
  return invocation as WrapInvocation;
}

function remote(...flags: string[]): WrapUrl {
  const { upstream } = wrap([...URL_ARGS, ...flags]);
  assert.equal(upstream.kind, 'url');
  return upstream as WrapUrl;
}

/** A usage error of `wrap` whose message names `flag` (and matches `pattern`). */
function refused(args: readonly string[], flag: string, pattern?: RegExp): void {
  assert.throws(
    () => parseInvocation(args),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, `a UsageError, got ${String(error)}`);
      assert.equal(error.command, 'wrap');
      assert.ok(error.message.includes(flag), `"${error.message}" names ${flag}`);
      if (pattern !== undefined) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('wrap: the original proxy command lines, verbatim', () => {
  it('a stdio upstream, as in its README', () => {
    const invocation = wrap(['wrap', '--prefix', 'personal', '--label', 'Personal', '--', 'npx', '-y', '@example/google-workspace-mcp']);
    assert.deepEqual(invocation, {
      kind: 'wrap',
      prefix: 'personal',
      label: 'Personal',
      upstream: { kind: 'command', command: 'npx', args: ['-y', '@example/google-workspace-mcp'] },
    });
  });

  it('the Notion browser sign-in of seed 000', () => {
    const invocation = wrap(['wrap', '--prefix', 'work', '--label', 'Work Notion', '--url', 'https://mcp.notion.com/mcp', '--oauth-flow', 'browser']);
    assert.deepEqual(invocation.upstream, {
      kind: 'url',
      url: 'https://mcp.notion.com/mcp',
      transport: 'auto',
      headers: [],
      headerEnv: [],
      auth: { kind: 'browser', scopes: [], openBrowser: true },
    });
  });

  it('never assumes the original separator: absent unless --separator says so', () => {
    assert.equal(wrap([...URL_ARGS]).separator, undefined);
    assert.equal(wrap([...URL_ARGS, '--separator', ':']).separator, ':');
    assert.equal(wrap([...URL_ARGS, '--separator=:']).separator, ':', "the original's --flag=value form");
  });
});

describe('wrap --transport', () => {
  it('takes stdio for a command and auto, http, sse for a URL', () => {
    assert.deepEqual(wrap(['wrap', '--prefix', 'w', '--transport', 'stdio', '--', 'node', 's.js']).upstream, { kind: 'command', command: 'node', args: ['s.js'] });
    assert.equal(remote().transport, 'auto');
    assert.equal(remote('--transport', 'auto').transport, 'auto');
    assert.equal(remote('--transport', 'http').transport, 'http');
    assert.equal(remote('--transport', 'sse').transport, 'sse');
  });

  it('refuses a transport that does not fit the upstream, or none known', () => {
    refused([...URL_ARGS, '--transport', 'stdio'], '--transport stdio', /command after --/);
    refused(['wrap', '--prefix', 'w', '--transport', 'http', '--', 'node', 's.js'], '--transport http', /for --url/);
    refused([...URL_ARGS, '--transport', 'websocket'], '--transport', /stdio, auto, http or sse \(got "websocket"\)/);
  });
});

describe('wrap --oauth-flow', () => {
  it('browser is --oauth; both together are one sign-in', () => {
    assert.deepEqual(remote('--oauth').auth, remote('--oauth-flow', 'browser').auth);
    assert.deepEqual(remote('--oauth', '--oauth-flow', 'browser').auth, { kind: 'browser', scopes: [], openBrowser: true });
  });

  it('none sends no credentials, and refuses any other sign-in flag', () => {
    assert.equal(remote('--oauth-flow', 'none').auth, undefined);
    refused([...URL_ARGS, '--oauth-flow', 'none', '--oauth-bearer-env', 'T'], '--oauth-bearer-env', /--oauth-flow none sends no credentials/);
    refused([...URL_ARGS, '--oauth-flow', 'none', '--oauth-no-open'], '--oauth-no-open');
    refused([...URL_ARGS, '--oauth-flow', 'none', '--oauth'], '--oauth-flow none', /contradict/);
  });

  it('refuses another flow by name', () => {
    refused([...URL_ARGS, '--oauth-flow', 'device'], '--oauth-flow', /browser or none \(got "device"\)/);
  });
});

describe('wrap: the browser sign-in flags', () => {
  it('maps each one', () => {
    assert.deepEqual(
      remote(
        '--oauth-flow', 'browser',
        '--oauth-no-open',
        '--oauth-store', 'tokens/work.json',
        '--oauth-callback-port', '49321',
        '--oauth-client-id', 'public-client',
        '--oauth-client-name', 'My Agent',
        '--oauth-scope', 'read write',
        '--oauth-scope', 'admin',
      ).auth,
      {
        kind: 'browser',
        scopes: ['read', 'write', 'admin'],
        clientId: 'public-client',
        clientName: 'My Agent',
        callbackPort: 49321,
        openBrowser: false,
        store: 'tokens/work.json',
      },
    );
  });

  it('takes a confidential client secret with its client id', () => {
    assert.deepEqual(remote('--oauth', '--oauth-client-id', 'c', '--oauth-client-secret-env', 'SECRET').auth, {
      kind: 'browser',
      scopes: [],
      clientId: 'c',
      clientSecretEnv: 'SECRET',
      openBrowser: true,
    });
    refused([...URL_ARGS, '--oauth', '--oauth-client-secret-env', 'SECRET'], '--oauth-client-id');
  });

  it('refuses the browser-only flags without a browser sign-in, naming each', () => {
    refused([...URL_ARGS, '--oauth-no-open'], '--oauth-no-open', /add --oauth-flow browser/);
    refused([...URL_ARGS, '--oauth-store', 'x.json'], '--oauth-store', /add --oauth-flow browser/);
    refused([...URL_ARGS, '--oauth-callback-port', '49321'], '--oauth-callback-port', /add --oauth-flow browser/);
  });

  it('refuses a callback port out of range or not a number', () => {
    for (const port of ['0', '65536', '80a', '-1', '1.5']) {
      refused([...URL_ARGS, '--oauth', `--oauth-callback-port=${port}`], '--oauth-callback-port', /from 1 to 65535/);
    }
  });

  it('refuses a bearer token beside a browser sign-in', () => {
    refused([...URL_ARGS, '--oauth-flow', 'browser', '--oauth-bearer-env', 'T'], '--oauth-bearer-env', /browser sign-in/);
  });
});

describe('wrap --oauth-bearer-env and the machine account', () => {
  it('--oauth-bearer-env names the variable holding a ready token', () => {
    assert.deepEqual(remote('--oauth-bearer-env', 'WORK_MCP_TOKEN').auth, { kind: 'bearer', env: 'WORK_MCP_TOKEN' });
    refused([...URL_ARGS, '--oauth-bearer-env', 'T', '--oauth-client-id', 'c'], '--oauth-client-id', /--oauth-bearer-env is a token you already have/);
  });

  it('--oauth-client-id with --oauth-client-secret-env and no browser is the client-credentials grant, as in its README', () => {
    assert.deepEqual(
      remote('--oauth-client-id', 'your-client-id', '--oauth-client-secret-env', 'WORK_MCP_CLIENT_SECRET', '--oauth-scope', 'calendar.read calendar.write', '--oauth-client-name', 'bot').auth,
      { kind: 'machine', clientId: 'your-client-id', clientSecretEnv: 'WORK_MCP_CLIENT_SECRET', scopes: ['calendar.read', 'calendar.write'], clientName: 'bot' },
    );
    refused([...URL_ARGS, '--oauth-client-secret-env', 'S'], '--oauth-client-id', /machine account/);
    refused([...URL_ARGS, '--oauth-client-id', 'c'], '--oauth-client-secret-env', /machine account/);
  });

  it('refuses --oauth-scope and --oauth-client-name with nothing to sign in', () => {
    refused([...URL_ARGS, '--oauth-scope', 'x'], '--oauth-scope', /add --oauth-flow browser \(or --oauth\)/);
    refused([...URL_ARGS, '--oauth-client-name', 'n'], '--oauth-client-name');
  });

  it('refuses an Authorization header beside any sign-in', () => {
    refused([...URL_ARGS, '--header', 'Authorization: Bearer x', '--oauth-bearer-env', 'T'], '--oauth-bearer-env', /both set the Authorization header/);
    refused([...URL_ARGS, '--header-env', 'authorization=T', '--oauth'], '--header-env', /both set the Authorization header/);
    assert.deepEqual(remote('--header', 'X-Team: blue', '--oauth-bearer-env', 'T').headers, [['X-Team', 'blue']]);
  });

  it('refuses every sign-in flag beside a command after --', () => {
    for (const flags of [['--oauth-flow', 'browser'], ['--oauth-bearer-env', 'T'], ['--oauth-no-open'], ['--oauth-store', 'x'], ['--oauth-client-secret-env', 'S']]) {
      refused(['wrap', '--prefix', 'w', ...flags, '--', 'node', 's.js'], flags[0] ?? '', /for --url only/);
    }
  });
});

describe('wrap sign-in → AuthSpec', () => {
  const env = { TOKEN: 'tok-1', SECRET: 'sec-2' };

  it('a bearer from the environment, kept out of the hash as ${env:NAME}', () => {
    assert.deepEqual(wrapCredentials({ kind: 'bearer', env: 'TOKEN' }, env), {
      auth: { type: 'bearer', token: 'tok-1' },
      redacted: { type: 'bearer', token: '${env:TOKEN}' },
      secretValues: ['tok-1'],
    });
  });

  it('a machine account is the client-credentials grant', () => {
    const credentials = wrapCredentials({ kind: 'machine', clientId: 'bot', clientSecretEnv: 'SECRET', scopes: ['a'], clientName: 'Bot' }, env);
    assert.deepEqual(credentials, {
      auth: { type: 'oauth', grant: 'client_credentials', scopes: ['a'], clientId: 'bot', clientName: 'Bot', clientSecret: 'sec-2' },
      redacted: { type: 'oauth', grant: 'client_credentials', scopes: ['a'], clientId: 'bot', clientName: 'Bot', clientSecret: '${env:SECRET}' },
      secretValues: ['sec-2'],
    });
  });

  it('a browser sign-in is mcplex oauth with its port and name', () => {
    const credentials = wrapCredentials({ kind: 'browser', scopes: [], clientName: 'Agent', callbackPort: 49999, openBrowser: false, store: 'x.json' }, env);
    assert.deepEqual(credentials, {
      auth: { type: 'oauth', clientName: 'Agent', callbackPort: 49999 },
      redacted: { type: 'oauth', clientName: 'Agent', callbackPort: 49999 },
      secretValues: [],
    });
  });

  it('a variable that is not set is named with its flag', () => {
    assert.equal(wrapCredentials({ kind: 'bearer', env: 'MISSING' }, env), '--oauth-bearer-env MISSING: the environment variable MISSING is not set');
    assert.match(String(wrapCredentials({ kind: 'machine', clientId: 'b', clientSecretEnv: 'NOPE', scopes: [] }, env)), /^--oauth-client-secret-env NOPE: /);
  });

  it('signs in under the prefix, in --oauth-store resolved against the folder, with or without a browser', () => {
    assert.deepEqual(wrapSignIn('work', undefined, '/p'), { name: 'work' });
    assert.deepEqual(wrapSignIn('work', { kind: 'browser', scopes: [], openBrowser: true }, '/p'), { name: 'work', openBrowser: true });
    assert.deepEqual(wrapSignIn('work', { kind: 'browser', scopes: [], openBrowser: false, store: 'tok/work.json' }, '/p'), {
      name: 'work',
      openBrowser: false,
      storePath: '/p/tok/work.json',
    });
  });
});

describe('wrap --oauth-store FILE', () => {
  const root = mkdtempSync(join(tmpdir(), 'mcplex-oauth-store-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('takes a file not there yet, or one of ours', () => {
    assert.equal(oauthStoreProblem(join(root, 'new', 'work.json')), undefined);
    const ours = join(root, 'ours.json');
    writeFileSync(ours, JSON.stringify({ version: 1, secrets: {}, oauth: {} }), { mode: 0o600 });
    assert.equal(oauthStoreProblem(ours), undefined);
  });

  it('refuses a folder, the original proxy cache, and a file others can read', () => {
    mkdirSync(join(root, 'folder'));
    assert.match(oauthStoreProblem(join(root, 'folder')) ?? '', /^--oauth-store .* is a folder; give the path of a file/);
    const original = join(root, 'original.json');
    writeFileSync(original, JSON.stringify({ tokens: { access_token: 'a', token_type: 'Bearer' }, clientInformation: { client_id: 'c' } }), { mode: 0o600 });
    assert.match(oauthStoreProblem(original) ?? '', /holds the original proxy's token cache/);
    if (process.platform !== 'win32') {
      const shared = join(root, 'shared.json');
      writeFileSync(shared, '{}', { mode: 0o644 });
      assert.match(oauthStoreProblem(shared) ?? '', /^--oauth-store: .* can be read by other users/);
    }
  });
});

describe("the callback port MCPlexer derives", () => {
  it('is the port mcplex derives for the same URL and prefix, so a registered redirect URI still matches', () => {
    // MCPlexer's defaultOAuthCallbackPort (upstream-config.ts), as its seed quotes it.
    const original = (url: string, prefix: string): number => {
      const hash = createHash('sha256').update(`${url}\n${prefix}`).digest();
      return 49152 + (hash.readUInt32BE(0) % (65535 - 49152 + 1));
    };
    for (const [url, prefix] of [['https://mcp.notion.com/mcp', 'work'], ['https://mcp.notion.com/mcp', 'personal'], ['http://127.0.0.1:8080/mcp', 'x-1']] as const) {
      assert.equal(defaultCallbackPort(url, prefix), original(url, prefix), `${url} ${prefix}`);
    }
  });
});
