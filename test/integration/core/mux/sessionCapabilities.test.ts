// Issue 14 item 6: a multi-session endpoint (`serve --http`) tells its upstream the union of
// what its sessions support, not everything the relay can pass on (server-everything would
// list tools its clients cannot use). Telling more takes a restart, so it waits until no
// session the upstream already serves is there and no call is in flight. The fixture records
// the capabilities of each `initialize` it receives, with its pid.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { fixturePath } from '../../../fixtures/servers';
import { freePort } from '../../../helpers/everything';
import { startServe, type ServeProcess } from '../../../helpers/serveProcess';

interface Initialize {
  readonly pid: number;
  readonly capabilities: ClientCapabilities;
}

const ELICITATION: ClientCapabilities = { elicitation: { form: {} } };
const RICHER: ClientCapabilities = { sampling: {}, elicitation: { form: {} } };

describe('serve --http tells its upstream what its sessions support', () => {
  let dir: string;
  let records: string;
  let serve: ServeProcess;
  const clients: { client: Client; transport: StreamableHTTPClientTransport }[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcplex-sessioncaps-'));
    records = join(dir, 'initialize.jsonl');
    const config = join(dir, '.mcplex.jsonc');
    const server = { command: process.execPath, args: [fixturePath('records-initialize')], env: { RECORD_INITIALIZE_FILE: records }, instances: { r: {} } };
    writeFileSync(config, JSON.stringify({ servers: { records: server } }));
    serve = await startServe(['--config', config, '--instance', 'r', '--tool-prefix', 'none', '--http', String(await freePort())]);
    // Started before any client: told nothing.
    const [started] = await initializesReaching(1);
    assert.deepEqual(started?.capabilities, {});
  });
  afterEach(async () => {
    for (const { client } of clients.splice(0)) await client.close().catch(() => undefined);
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function initializes(): Initialize[] {
    if (!existsSync(records)) return [];
    return readFileSync(records, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Initialize);
  }

  /** The records once there are `count` (a bound, not a timing assertion: it only ends a wait that would hang). */
  async function initializesReaching(count: number): Promise<Initialize[]> {
    for (let tries = 0; tries < 300; tries++) {
      const seen = initializes();
      if (seen.length >= count) return seen;
      await sleep(50);
    }
    throw new Error(`the upstream was initialized ${initializes().length} times, not ${count}: ${JSON.stringify(initializes())}\n${serve.stderr()}`);
  }

  async function connect(capabilities: ClientCapabilities): Promise<Client> {
    const client = new Client({ name: 'session-caps', version: '0' }, { capabilities });
    const transport = new StreamableHTTPClientTransport(new URL(serve.url));
    await client.connect(transport);
    clients.push({ client, transport });
    return client;
  }

  /** Ends the client's session (DELETE), as a client that goes away for good does. */
  async function leave(client: Client): Promise<void> {
    const index = clients.findIndex((entry) => entry.client === client);
    const [entry] = clients.splice(index, 1);
    await entry?.transport.terminateSession();
    await entry?.client.close();
  }

  async function text(client: Client, name: string): Promise<string> {
    const result = await client.callTool({ name, arguments: {} }, undefined, { timeout: 20_000 });
    return (result.content as { type: string; text: string }[])[0]?.text ?? JSON.stringify(result);
  }

  it('a lone client with elicitation only: the upstream is told elicitation, not sampling', { timeout: 60_000 }, async () => {
    const client = await connect(ELICITATION);
    const [, second] = await initializesReaching(2);
    assert.deepEqual(second?.capabilities, ELICITATION);
    assert.equal(second?.capabilities.sampling, undefined);
    // Restarted before the client was served: its first call already reaches the process told its capabilities.
    assert.equal(await text(client, 'whoami'), String(second?.pid));
  });

  it('a richer client joining is served as it is and never restarted under, even once the first has left; a richer client alone later is told', { timeout: 60_000 }, async () => {
    const first = await connect(ELICITATION);
    const [, told] = await initializesReaching(2);
    assert.equal(await waitForPid(first, told?.pid), String(told?.pid));
    const richer = await connect(RICHER);
    // Both served by the same process: no restart under the first client.
    assert.equal(await text(richer, 'whoami'), String(told?.pid));
    assert.equal(await text(first, 'whoami'), String(told?.pid));
    await leave(first);
    // The richer client is served already: its next call, at once, reaches the same process.
    assert.equal(await text(richer, 'whoami'), String(told?.pid));
    assert.equal(initializes().length, 2, JSON.stringify(initializes()));
    await leave(richer);
    // A client that arrives alone is told what it supports before it is served.
    const later = await connect(RICHER);
    const [, , retold] = await initializesReaching(3);
    assert.deepEqual(retold?.capabilities, RICHER);
    assert.equal(await text(later, 'whoami'), String(retold?.pid));
  });

  it('a call in flight is never cut: the held call is answered by the process it went to', { timeout: 60_000 }, async () => {
    const first = await connect(ELICITATION);
    const [, told] = await initializesReaching(2);
    assert.equal(await waitForPid(first, told?.pid), String(told?.pid));
    const richer = await connect(RICHER);
    const held = text(richer, 'hold');
    // The hold is in flight once the upstream has it: `release` answers it (released 1).
    await waitForHeld(first);
    await leave(first);
    assert.equal(await text(richer, 'release'), 'released 1');
    assert.equal(await held, String(told?.pid), 'the held call was answered by the process it went to');
    assert.equal(initializes().length, 2, JSON.stringify(initializes()));
  });

  /** Calls `whoami` until the process that answers is `pid` (the restart may still be under way). */
  async function waitForPid(client: Client, pid: number | undefined): Promise<string> {
    let last = '';
    for (let tries = 0; tries < 100; tries++) {
      last = await text(client, 'whoami').catch((error: unknown) => String(error));
      if (last === String(pid)) return last;
      await sleep(100);
    }
    return last;
  }

  /** Waits until the upstream has the `hold` call (asking `held` through another session). */
  async function waitForHeld(client: Client): Promise<void> {
    for (let tries = 0; tries < 100; tries++) {
      if ((await text(client, 'held')) === '1') return;
      await sleep(50);
    }
    throw new Error('the hold call never reached the upstream');
  }
});

describe('serve --http of an aggregate tells each member what its sessions support', () => {
  it('a lone client: every member restarted, told its capabilities, before the client lists the tools', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-sessioncaps-agg-'));
    const files = { a: join(dir, 'a.jsonl'), b: join(dir, 'b.jsonl') };
    const instance = (file: string): unknown => ({ env: { RECORD_INITIALIZE_FILE: file } });
    const config = join(dir, '.mcplex.jsonc');
    writeFileSync(config, JSON.stringify({ servers: { records: { command: process.execPath, args: [fixturePath('records-initialize')], instances: { a: instance(files.a), b: instance(files.b) } } } }));
    const serve = await startServe(['--config', config, '--http', String(await freePort())]);
    const client = new Client({ name: 'session-caps', version: '0' }, { capabilities: ELICITATION });
    const lines = (file: string): Initialize[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Initialize) : []);
    try {
      // Both started, told nothing, before the client comes.
      for (let tries = 0; lines(files.a).length === 0 || lines(files.b).length === 0; tries++) {
        if (tries === 300) throw new Error(`the members never started:\n${serve.stderr()}`);
        await sleep(50);
      }
      await client.connect(new StreamableHTTPClientTransport(new URL(serve.url)));
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).filter((name) => name.endsWith('whoami')).sort(), ['a__whoami', 'b__whoami']);
      for (const [key, file] of Object.entries(files)) {
        const seen = lines(file);
        assert.deepEqual(seen.map((line) => line.capabilities), [{}, ELICITATION], key);
        const pid = (await client.callTool({ name: `${key}__whoami`, arguments: {} })).content as { text: string }[];
        assert.equal(pid[0]?.text, String(seen[1]?.pid), `${key}: served by the process told the client's capabilities`);
      }
    } finally {
      await client.close();
      await serve.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
