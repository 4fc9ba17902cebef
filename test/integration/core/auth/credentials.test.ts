// Bearer, headers and credential-helper auth against real HTTP servers on loopback: the
// credentials reach the upstream's origin and nothing else (redirects included), a
// helper's token is reused until its JWT `exp` or `ttl`, and a 401 re-runs it once.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  AuthUnsupportedError,
  commandCredential,
  CredentialHelperError,
  createRemoteAuth,
  staticCredentialFetch,
  type RemoteAuth,
} from '../../../../src/core/auth';
import type { AuthSpec, UpstreamSpec } from '../../../../src/core/config/model';
import { REDACTED, Redactor } from '../../../../src/core/redaction';
import { connectUpstream } from '../../../../src/core/upstream/connect';
import { TOKEN_HELPER } from '../../../fixtures/oauth';

interface Seen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** A loopback server that records what it is sent. `/mcp` is an MCP server behind `accepts`. */
class Recorder {
  readonly seen: Seen[] = [];
  accepts: (headers: IncomingHttpHeaders) => boolean = () => true;
  private server: Server | undefined;
  port = 0;

  async start(redirects: Record<string, string> = {}): Promise<void> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.seen.push({ path, headers: req.headers });
      const target = redirects[path];
      if (target !== undefined) return void res.writeHead(307, { location: target }).end();
      if (path !== '/mcp') return void res.writeHead(200).end('landed');
      if (!this.accepts(req.headers)) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('no entry');
      const mcp = new McpServer({ name: 'guarded', version: '1.0.0' });
      mcp.registerTool('ping', { description: 'pong' }, () => ({ content: [{ type: 'text', text: 'pong' }] }));
      const transport = new StreamableHTTPServerTransport({});
      res.on('close', () => void transport.close());
      void mcp.connect(transport).then(() => transport.handleRequest(req, res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server?.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const upstream = new Recorder();
const elsewhere = new Recorder();
let dir: string;

before(async () => {
  await elsewhere.start();
  await upstream.start({ '/away': elsewhere.url('/landing'), '/same': '/landing' });
  dir = mkdtempSync(join(tmpdir(), 'mcplex-auth-'));
});
after(async () => {
  await upstream.stop();
  await elsewhere.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  upstream.seen.length = 0;
  elsewhere.seen.length = 0;
  upstream.accepts = () => true;
});

function remote(auth: AuthSpec): UpstreamSpec {
  return { kind: 'remote', url: upstream.url('/mcp'), transport: 'http', headers: {}, auth };
}

async function ping(auth: AuthSpec, remoteAuth: RemoteAuth): Promise<void> {
  const connection = await connectUpstream(remote(auth), { instance: 'svc/work', auth: remoteAuth, timeoutMs: 5000 });
  try {
    const result = await connection.client.callTool({ name: 'ping' });
    assert.deepEqual(result.content, [{ type: 'text', text: 'pong' }]);
  } finally {
    await connection.close();
  }
}

function context(): { instance: string; prefix: string; url: string; interactive: boolean } {
  return { instance: 'svc/work', prefix: 'work', url: upstream.url('/mcp'), interactive: false };
}

let counterSerial = 0;
function helper(kind: 'plain' | 'jwt' | 'fail', exp?: number): { auth: Extract<AuthSpec, { type: 'command' }>; runs: () => number } {
  counterSerial += 1;
  const counter = join(dir, `runs-${counterSerial}`);
  const args = [TOKEN_HELPER, counter, kind, ...(exp === undefined ? [] : [String(exp)])];
  return {
    auth: { type: 'command', command: process.execPath, args },
    runs: () => (existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0),
  };
}

describe('bearer and headers', () => {
  it('sends a bearer token to the upstream', async () => {
    const auth: AuthSpec = { type: 'bearer', token: 'bearer-value-1234' };
    upstream.accepts = (headers) => headers.authorization === 'Bearer bearer-value-1234';
    await ping(auth, createRemoteAuth(auth, context()));
    assert.ok(upstream.seen.length > 0 && upstream.seen.every((seen) => seen.headers.authorization === 'Bearer bearer-value-1234'));
  });

  it('tells the host every credential value it sends, the token alone included', async () => {
    const redactor = new Redactor();
    const auth: AuthSpec = { type: 'bearer', token: 'bearer-value-1234' };
    await ping(auth, createRemoteAuth(auth, { ...context(), redactor }));
    assert.equal(redactor.redact('Bearer bearer-value-1234 / bearer-value-1234'), `${REDACTED} / ${REDACTED}`);
    const headers: AuthSpec = { type: 'headers', headers: { 'X-Api-Key': 'key-value-5678' } };
    createRemoteAuth(headers, { ...context(), redactor });
    assert.equal(redactor.redact('key-value-5678'), REDACTED);
  });

  it('sends any configured header to the upstream', async () => {
    const auth: AuthSpec = { type: 'headers', headers: { 'X-Api-Key': 'key-value-5678' } };
    upstream.accepts = (headers) => headers['x-api-key'] === 'key-value-5678';
    await ping(auth, createRemoteAuth(auth, context()));
  });

  it('never sends them to another origin, not even through a redirect', async () => {
    const fetchWith = staticCredentialFetch(new URL(upstream.url('/mcp')), { authorization: 'Bearer b-1234', 'x-api-key': 'k-5678' });
    await (await fetchWith(upstream.url('/away'), { headers: { cookie: 'c=1' } })).text();
    assert.equal(upstream.seen[0]?.headers['x-api-key'], 'k-5678', 'the upstream itself gets them');
    const landed = elsewhere.seen.find((seen) => seen.path === '/landing');
    assert.ok(landed, 'the redirect was followed');
    assert.equal(landed.headers.authorization, undefined);
    assert.equal(landed.headers['x-api-key'], undefined);
    assert.equal(landed.headers.cookie, undefined, 'origin-bound headers of the caller are dropped too');

    await (await fetchWith(elsewhere.url('/direct'))).text();
    assert.equal(elsewhere.seen.at(-1)?.headers['x-api-key'], undefined, 'a request elsewhere gets nothing');

    await (await fetchWith(upstream.url('/same'))).text();
    assert.equal(upstream.seen.at(-1)?.path, '/landing');
    assert.equal(upstream.seen.at(-1)?.headers['x-api-key'], 'k-5678', 'a redirect within the origin keeps them');
  });
});

describe('credential helper (command)', () => {
  it('reuses a JWT until shortly before its exp, then runs the helper again', async () => {
    let now = 1_000_000_000_000;
    const exp = now / 1000 + 600;
    const { auth, runs } = helper('jwt', exp);
    const token = commandCredential(auth, { instance: 'svc/work', now: () => now });
    const first = await token.get();
    assert.equal(await token.get(), first);
    now += 590_000; // 10 s before exp: inside the safety margin
    const second = await token.get();
    assert.equal(runs(), 2);
    assert.notEqual(second, first);
    assert.match(Buffer.from(second.split('.')[1] ?? '', 'base64url').toString(), /"run":2/);
  });

  it('reuses a plain token for `ttl` seconds', async () => {
    let now = 0;
    const { auth, runs } = helper('plain');
    const token = commandCredential({ ...auth, ttl: 60 }, { instance: 'svc/work', now: () => now });
    assert.equal(await token.get(), 'tok-1');
    now += 59_000;
    assert.equal(await token.get(), 'tok-1');
    now += 2_000;
    assert.equal(await token.get(), 'tok-2');
    assert.equal(runs(), 2);
  });

  it('runs the helper again once when the upstream answers 401, and retries the request', async () => {
    const { auth, runs } = helper('plain');
    upstream.accepts = (headers) => headers.authorization === 'Bearer tok-2';
    const redactor = new Redactor();
    await ping(auth, createRemoteAuth(auth, { ...context(), redactor }));
    assert.equal(runs(), 2, 'tok-1 was refused, tok-2 was fetched once and kept');
    assert.ok(upstream.seen.some((seen) => seen.headers.authorization === 'Bearer tok-1'));
    assert.deepEqual([...redactor.values()].sort(), ['tok-1', 'tok-2'], 'the host learns both helper tokens');
  });

  it('gives up after one re-run, without a token in the message', async () => {
    const { auth, runs } = helper('plain');
    upstream.accepts = () => false;
    await assert.rejects(ping(auth, createRemoteAuth(auth, context())), (error: Error) => {
      assert.doesNotMatch(error.message, /tok-\d/);
      assert.match(error.message, /svc\/work/);
      return true;
    });
    assert.equal(runs(), 2);
  });

  it('says which instance and what the helper wrote on stderr when it fails', async () => {
    const { auth } = helper('fail');
    await assert.rejects(commandCredential(auth, { instance: 'svc/work' }).get(), (error: Error) => {
      assert.ok(error instanceof CredentialHelperError);
      assert.match(error.message, /^svc\/work: the credential helper `.*` exited with code 3/);
      assert.match(error.message, /you are not logged in; run `helper login`/);
      return true;
    });
  });

  it('names a helper that is not installed', async () => {
    const token = commandCredential({ type: 'command', command: 'mcplex-no-such-helper', args: [] }, { instance: 'svc/work' });
    await assert.rejects(token.get(), /svc\/work: the credential helper `mcplex-no-such-helper` could not start: command not found/);
  });
});

describe('VS Code accounts', () => {
  const auth: AuthSpec = { type: 'vscode', provider: 'github', scopes: ['repo'] };

  it('are refused outside VS Code with a way out', () => {
    assert.throws(() => createRemoteAuth(auth, context()), (error: Error) => error instanceof AuthUnsupportedError && /only VS Code can provide.*"type": "command"/.test(error.message));
  });

  it('use the token the host supplies, asked again after a 401', async () => {
    const asked: (string | undefined)[] = [];
    upstream.accepts = (headers) => headers.authorization === 'Bearer session-2';
    const remoteAuth = createRemoteAuth(auth, {
      ...context(),
      vscodeToken: (_auth, previous) => {
        asked.push(previous);
        return Promise.resolve({ token: `session-${asked.length}` });
      },
    });
    await ping(auth, remoteAuth);
    assert.deepEqual(asked, [undefined, 'session-1']);
  });
});
