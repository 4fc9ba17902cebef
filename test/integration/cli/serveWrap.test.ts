// `mcplex serve` and `mcplex wrap` as real processes, reached by real MCP clients: the
// SDK's, and a third party's (the MCP Inspector's CLI mode).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSocketFetch } from '../../../src/core/host';
import { CLI_PATH, REPO_ROOT, runMcplex, stdioClient } from '../../helpers/cli';
import { loadPlan } from '../../../src/cli/loadPlan';
import { servedPlan } from '../../../src/cli/serving';
import { startServe, type ServeProcess } from '../../helpers/serveProcess';
import { startEverythingHttp, type RunningEverything } from '../../helpers/everything';
import { quietIo } from '../../helpers/quietIo';

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, 'examples', 'two-accounts', '.mcplex.jsonc');
const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const INSPECTOR = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build', 'index.js');

/** The planner's view of a configuration, as the CLI loads it (in process, output dropped). */
async function plannedFor(config: string, exposure: 'instances' | 'aggregate' = 'aggregate') {
  return loadPlan({ config }, quietIo({ cwd: REPO_ROOT, env: process.env }), exposure === 'instances' ? { layout: 'alone' } : {});
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('\n');
}


describe('mcplex wrap', () => {
  it('serves one upstream under its prefix over stdio, with the instance note', async () => {
    const client = await stdioClient(['wrap', '--prefix', 'work', '--label', 'Work', '--', process.execPath, NOTES], { ACCOUNT: 'work' });
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['work__add_note', 'work__list_notes', 'work__read_note', 'work__search_notes']);
      assert.ok(tools.every((tool) => tool.description?.endsWith('labeled "Work".')));
      assert.equal(client.getServerVersion()?.name, 'work');
      // The version is the instance's plan hash, as VS Code's definitions have it, not mcplex's own.
      assert.match(client.getServerVersion()?.version ?? '', /^[0-9a-f]{16}$/);
      const listed = await client.callTool({ name: 'work__list_notes', arguments: {} });
      assert.match(textOf(listed), /Standup/);
      // The server's own name reaches the same tool (an MCP App's view calls by it); a name
      // the server does not have is refused with its name.
      assert.match(textOf(await client.callTool({ name: 'list_notes', arguments: {} })), /Standup/);
      await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), /no_such_tool/);
    } finally {
      await client.close();
    }
  });

  describe('--url', () => {
    let everything: RunningEverything;
    before(async () => (everything = await startEverythingHttp()));
    after(() => everything.stop());

    it('wraps a remote server, sending the given headers', async () => {
      const client = await stdioClient(
        ['wrap', '--prefix', 'remote', '--url', everything.url, '--transport', 'http', '--header', 'X-Test: one', '--header-env', 'X-Secret=WRAP_SECRET'],
        { WRAP_SECRET: 'two' },
      );
      try {
        const result = await client.callTool({ name: 'remote__echo', arguments: { message: 'hi' } });
        assert.match(textOf(result), /hi/);
      } finally {
        await client.close();
      }
    });
  });

  it('refuses a bad prefix or a missing upstream with exit 2', async () => {
    const bad = await run(process.execPath, [CLI_PATH, 'wrap', '--prefix', 'no good', '--', 'x']).catch((error: { code: number; stderr: string }) => error);
    assert.equal((bad as { code: number }).code, 2);
    assert.match((bad as { stderr: string }).stderr, /--prefix no good/);
    const none = await run(process.execPath, [CLI_PATH, 'wrap', '--prefix', 'work']).catch((error: { code: number; stderr: string }) => error);
    assert.equal((none as { code: number }).code, 2);
    assert.match((none as { stderr: string }).stderr, /either after -- \(a command\) or with --url/);
  });
});

describe('mcplex serve', () => {
  it('announces the plan hash as its version: the instance\'s, or one derived from the members\' for the aggregate', async () => {
    const planned = await plannedFor(EXAMPLE);
    // `--instance` plans the instance served alone (its hash covers how it is exposed).
    const work = (await plannedFor(EXAMPLE, 'instances')).plan.instances.find((instance) => instance.key === 'notes/work');
    const aggregate = [...servedPlan(planned.window, planned.folder).shapes.values()][0];
    assert.ok(work !== undefined && aggregate !== undefined);
    const all = await stdioClient(['serve', '--config', EXAMPLE]);
    try {
      assert.equal(all.getServerVersion()?.version, aggregate.version);
      assert.equal(all.getServerVersion()?.name, 'mcplex');
    } finally {
      await all.close();
    }
    const one = await stdioClient(['serve', '--config', EXAMPLE, '--instance', 'work']);
    try {
      assert.equal(one.getServerVersion()?.version, work.hash);
      assert.equal(one.getServerVersion()?.name, work.slug);
    } finally {
      await one.close();
    }
  });

  it('refuses a configuration that check refuses, with check\'s exit code and the problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-refuse-'));
    const config = join(dir, '.mcplex.jsonc');
    writeFileSync(
      config,
      `{ "servers": { "notes": { "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(NOTES)}],
  "instances": { "work": {}, "bad prefix": {} } } } }\n`,
    );
    try {
      const check = await runMcplex(['check', '--config', config]);
      assert.equal(check.code, 1);
      const serve = await runMcplex(['serve', '--config', config]);
      assert.equal(serve.code, check.code);
      assert.match(serve.stderr, /\.mcplex\.jsonc:2:\d+: .*bad prefix/);
      assert.match(serve.stderr, /not serving a configuration with errors/);
      assert.equal(serve.stdout, '', 'nothing was served');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses two servers\' accounts with one prefix behind one endpoint, and serves either alone with --instance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-shared-prefix-'));
    const config = join(dir, '.mcplex.jsonc');
    const server = `{ "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(NOTES)}], "env": { "ACCOUNT": "work" }, "instances": { "work": {} } }`;
    writeFileSync(config, `{ "servers": { "notes": ${server}, "memo": ${server} } }\n`);
    try {
      const all = await runMcplex(['serve', '--config', config]);
      assert.equal(all.code, 1);
      assert.match(all.stderr, /share the prefix "work"|prefix "work"/);
      for (const key of ['notes/work', 'memo/work']) {
        const one = await stdioClient(['serve', '--config', config, '--instance', key]);
        try {
          const names = (await one.listTools()).tools.map((tool) => tool.name);
          assert.ok(names.includes('work__list_notes'), `${key} serves alone: ${names.join(', ')}`);
        } finally {
          await one.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the aggregate over stdio; --instance serves one', async () => {
    const all = await stdioClient(['serve', '--config', EXAMPLE]);
    try {
      const names = (await all.listTools()).tools.map((tool) => tool.name);
      assert.ok(names.includes('personal__add_note') && names.includes('work__list_notes'));
      assert.ok(!names.includes('work__add_note'), 'denied for work by the example');
      assert.match(textOf(await all.callTool({ name: 'personal__list_notes', arguments: {} })), /Groceries/i);
    } finally {
      await all.close();
    }
    const one = await stdioClient(['serve', '--config', EXAMPLE, '--instance', 'work']);
    try {
      const names = (await one.listTools()).tools.map((tool) => tool.name).sort();
      assert.deepEqual(names, ['work__list_notes', 'work__read_note', 'work__search_notes']);
    } finally {
      await one.close();
    }
  });

  describe('over HTTP with a token', () => {
    let serve: ServeProcess;
    before(async () => (serve = await startServe(['--config', EXAMPLE, '--http', '0', '--token-env', 'SERVE_TOKEN'], { SERVE_TOKEN: 's3cret-token' })));
    after(() => serve.stop());

    it('admits a client with the token', async () => {
      const client = new Client({ name: 'test', version: '0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(serve.url), { requestInit: { headers: { Authorization: 'Bearer s3cret-token' } } }));
      try {
        const names = (await client.listTools()).tools.map((tool) => tool.name);
        assert.ok(names.includes('work__search_notes') && names.includes('personal__search_notes'));
      } finally {
        await client.close();
      }
    });

    it('refuses a request without the token or with a wrong one', async () => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      assert.equal((await fetch(serve.url, { method: 'POST', headers, body })).status, 401);
      assert.equal((await fetch(serve.url, { method: 'POST', headers: { ...headers, authorization: 'Bearer nope' }, body })).status, 401);
    });

    it('never prints the token', () => {
      assert.doesNotMatch(serve.stderr(), /s3cret-token/);
    });
  });

  it('serves over a unix socket only its owner can open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-sock-'));
    const socket = join(dir, 'run', 'mcplex.sock');
    const serve = await startServe(['--config', EXAMPLE, '--socket', socket]);
    try {
      assert.equal(serve.url, `unix://${socket}#/mcp`);
      assert.equal(statSync(socket).mode & 0o777, 0o600);
      const client = new Client({ name: 'test', version: '0' });
      await client.connect(new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), { fetch: createSocketFetch(socket) }));
      assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'work__read_note'));
      await client.close();
    } finally {
      assert.equal(await serve.stop(), 0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is usable from the MCP Inspector CLI, over HTTP and through wrap', async () => {
    const serve = await startServe(['--config', EXAMPLE, '--http', '0']);
    try {
      const { stdout } = await run(process.execPath, [INSPECTOR, serve.url, '--method', 'tools/list']);
      const names = (JSON.parse(stdout) as { tools: { name: string }[] }).tools.map((tool) => tool.name);
      assert.ok(names.includes('personal__read_note') && names.includes('work__read_note'));
    } finally {
      await serve.stop();
    }
    const { stdout } = await run(
      process.execPath,
      [INSPECTOR, process.execPath, '--method', 'tools/call', '--tool-name', 'personal__list_notes', '--', CLI_PATH, 'wrap', '--prefix', 'personal', '--', process.execPath, NOTES],
      { env: { ...process.env, ACCOUNT: 'personal' } },
    );
    assert.match(stdout, /Groceries/i);
  });
});
