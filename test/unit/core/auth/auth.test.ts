// The small pieces of src/core/auth: callback ports, JWT expiry, the token cache, and the
// loopback listener that takes a sign-in's code only with the right state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CachedToken,
  CALLBACK_PORT_MAX,
  CALLBACK_PORT_MIN,
  defaultCallbackPort,
  findAuthError,
  jwtExpiry,
  listenForCallback,
  OAuthCallbackError,
  SignInRequiredError,
} from '../../../../src/core/auth';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('callback port', () => {
  it('is stable, in the dynamic range, and different per instance and per URL', () => {
    const work = defaultCallbackPort('https://mcp.notion.com/mcp', 'work');
    assert.equal(defaultCallbackPort('https://mcp.notion.com/mcp', 'work'), work);
    assert.notEqual(defaultCallbackPort('https://mcp.notion.com/mcp', 'personal'), work);
    assert.notEqual(defaultCallbackPort('https://mcp.linear.app/mcp', 'work'), work);
    for (let i = 0; i < 200; i += 1) {
      const port = defaultCallbackPort(`https://e${i}.example/mcp`, `p${i}`);
      assert.ok(port >= CALLBACK_PORT_MIN && port <= CALLBACK_PORT_MAX, String(port));
    }
  });
});

describe('jwtExpiry', () => {
  it('reads exp in milliseconds, and nothing from what is not a JWT', () => {
    assert.equal(jwtExpiry(`${b64({ alg: 'none' })}.${b64({ exp: 1700000000 })}.x`), 1_700_000_000_000);
    assert.equal(jwtExpiry(`${b64({ alg: 'none' })}.${b64({ sub: 'me' })}.x`), undefined);
    assert.equal(jwtExpiry('ghp_plainGitHubToken'), undefined);
    assert.equal(jwtExpiry('a.!!!.c'), undefined);
  });
});

describe('CachedToken', () => {
  it('asks once for many concurrent callers, and again only after a rejection of the current token', async () => {
    let asked = 0;
    const token = new CachedToken(() => Promise.resolve({ token: `t${(asked += 1)}` }));
    assert.deepEqual(await Promise.all([token.get(), token.get(), token.get()]), ['t1', 't1', 't1']);
    token.reject('t0'); // an older token: nothing to drop
    assert.equal(await token.get(), 't1');
    token.reject('t1');
    assert.equal(await token.get(), 't2');
    assert.equal(asked, 2);
  });

  it('does not keep a failure', async () => {
    let fail = true;
    const token = new CachedToken(() => (fail ? Promise.reject(new Error('down')) : Promise.resolve({ token: 'ok' })));
    await assert.rejects(token.get(), /down/);
    fail = false;
    assert.equal(await token.get(), 'ok');
  });
});

describe('loopback callback', () => {
  async function listener(timeoutMs = 5000): Promise<{ port: number; listening: Awaited<ReturnType<typeof listenForCallback>> }> {
    // A port picked from the test's own range, unlikely to be taken.
    const port = 40000 + Math.floor(Math.random() * 5000);
    return { port, listening: await listenForCallback({ instance: 'svc/work', port, state: 'right-state', timeoutMs }) };
  }

  it('refuses a wrong state and keeps waiting, then takes the code with the right one', async () => {
    const { port, listening } = await listener();
    const wrong = await fetch(`http://127.0.0.1:${port}/oauth/callback?code=evil&state=other`);
    assert.equal(wrong.status, 400);
    const right = await fetch(`http://127.0.0.1:${port}/oauth/callback?code=good&state=right-state`);
    assert.equal(right.status, 200);
    assert.match(await right.text(), /Signed in to svc\/work/);
    assert.equal(await listening.code, 'good');
    await listening.close();
  });

  it('passes on a refusal from the authorization server', async () => {
    const { port, listening } = await listener();
    await (await fetch(`http://127.0.0.1:${port}/oauth/callback?error=access_denied&error_description=no&state=right-state`)).text();
    await assert.rejects(listening.code, (error: Error) => error instanceof OAuthCallbackError && /refused \(access_denied: no\)/.test(error.message));
  });

  it('gives up after its timeout and frees the port', async () => {
    const { port, listening } = await listener(50);
    await assert.rejects(listening.code, /did not finish within 50 ms/);
    await listening.close();
    const again = await listenForCallback({ instance: 'svc/work', port, state: 's', timeoutMs: 1000 });
    await again.close();
  });

  it('says when the port is taken', async () => {
    const { port, listening } = await listener();
    await assert.rejects(listenForCallback({ instance: 'svc/work', port, state: 's', timeoutMs: 1000 }), /port \d+ is in use.*`auth.callbackPort`/);
    await listening.close();
  });
});

describe('findAuthError', () => {
  it('finds an auth error in a cause chain and in an AggregateError', () => {
    const signIn = new SignInRequiredError('svc/work', 'sign in');
    assert.equal(findAuthError(new Error('outer', { cause: new Error('mid', { cause: signIn }) })), signIn);
    assert.equal(findAuthError(new AggregateError([new Error('x'), signIn])), signIn);
    assert.equal(findAuthError(new Error('plain')), undefined);
  });
});
