// The window's host closes sessions by itself (over the cap, idle past the timeout) as
// `serve --http` does; the window hears each once, named by the endpoint the user knows (the
// definition's label and its instances), so the MCPlex log can say which server lost a session.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocketFetch } from '../../../../src/core/host';
import { WindowRuntime, type DefinitionSpec, type EndpointSessionExpiry, type FolderInput, type WindowRuntimeOptions } from '../../../../src/core/runtime';
import { fixturePath } from '../../../fixtures/servers';
import { until } from '../../../helpers/runtimeWait';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcplex-rt-expiry-')));
after(() => rmSync(dir, { recursive: true, force: true }));

function echoFolder(exposure: 'instances' | 'aggregate'): FolderInput {
  const text = JSON.stringify({ servers: { echo: { label: 'Echo', command: process.execPath, args: [fixturePath('echo')], instances: { work: { label: 'Work' }, personal: { label: 'Personal' } } } } });
  return { id: `file:///${exposure}`, name: exposure, path: dir, file: { path: join(dir, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure } };
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
const INITIALIZE = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'vscode-like', version: '0' } } };

/**
 * A session its client left without DELETE (as the SDK client's close() does) and with no
 * GET stream open: initialize and initialized only, then nothing. Returns its id.
 */
async function abandonedSession(definition: DefinitionSpec): Promise<string> {
  const match = /^unix:\/\/(.+)#(\/.*)$/.exec(definition.url);
  assert.ok(match, definition.url);
  const [, socketPath = '', path = ''] = match;
  const fetch = createSocketFetch(socketPath);
  const url = `http://localhost${path}`;
  const init = await fetch(url, { method: 'POST', headers: { ...HEADERS, ...definition.headers }, body: JSON.stringify(INITIALIZE) });
  await init.text();
  assert.equal(init.status, 200);
  const sessionId = init.headers.get('mcp-session-id');
  assert.ok(sessionId);
  const initialized = await fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, ...definition.headers, 'mcp-session-id': sessionId },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await initialized.text();
  return sessionId;
}

async function started(
  exposure: 'instances' | 'aggregate',
  sessionLimits: NonNullable<WindowRuntimeOptions['sessionLimits']>,
  t: { after(fn: () => Promise<void>): void },
): Promise<{ runtime: WindowRuntime; expiries: EndpointSessionExpiry[] }> {
  const expiries: EndpointSessionExpiry[] = [];
  const runtime = await WindowRuntime.start({
    listen: { kind: 'socket', path: join(dir, `${exposure}.sock`) },
    secrets: { get: async () => undefined },
    env: process.env,
    userHome: dir,
    startup: 'eager',
    sessionLimits,
    onSessionExpired: (closed) => expiries.push(closed),
  });
  t.after(() => runtime.close());
  await runtime.update([echoFolder(exposure)], true);
  return { runtime, expiries };
}

describe("the window's host reports the sessions it closes", { timeout: 60_000 }, () => {
  it('over the cap: the session idle longest, named by its instance definition', async (t) => {
    const { runtime, expiries } = await started('instances', { maxSessions: 1 }, t);
    const work = runtime.definitions().find((definition) => definition.instanceKeys.includes('file:///instances#echo/work'));
    assert.ok(work);
    const first = await abandonedSession(work);
    await abandonedSession(work);
    const closed = await until(runtime, () => expiries[0], 'the first session closed');
    assert.equal(closed.endpoint, 'Echo (Work)');
    assert.deepEqual(closed.instanceKeys, ['file:///instances#echo/work']);
    assert.equal(closed.expiry.reason, 'cap');
    assert.equal(closed.expiry.sessionId, first);
    assert.match(closed.expiry.message, /1 sessions were open and this one had been idle longest/);
    assert.equal(expiries.length, 1);
  });

  it('idle past the timeout: named by the folder aggregate with its members', async (t) => {
    const { runtime, expiries } = await started('aggregate', { sessionIdleMs: 200 }, t);
    const [aggregate] = runtime.definitions();
    assert.ok(aggregate);
    const session = await abandonedSession(aggregate);
    const closed = await until(runtime, () => expiries[0], 'the idle session closed');
    assert.equal(closed.endpoint, aggregate.label);
    assert.deepEqual([...closed.instanceKeys].sort(), ['file:///aggregate#echo/personal', 'file:///aggregate#echo/work']);
    assert.equal(closed.expiry.reason, 'idle');
    assert.equal(closed.expiry.sessionId, session);
  });
});
