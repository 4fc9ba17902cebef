// Each account keeps its own folders: `@modelcontextprotocol/server-filesystem` as two
// accounts behind `mcplex serve` (one aggregate), reached by a client that announces roots
// and answers roots/list with a third folder, as VS Code does. With `roots`, each account
// reads only its own folder and neither sees the client's; without, the client's one root
// replaces both accounts' folders (what the field is for); with `roots: false`, the server is
// told of no roots capability and keeps the folders it was started with.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { CLI_PATH, REPO_ROOT } from '../../helpers/cli';

const FILESYSTEM = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');

// realpath: the server reports folders with symlinks resolved (macOS's /tmp is one).
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcplex-roots-')));
after(() => rmSync(dir, { recursive: true, force: true }));
const folder = (name: string): string => {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, `${name}.txt`), `${name} data`);
  return path;
};
const WORK = folder('work');
const PERSONAL = folder('personal');
const CLIENT = folder('client');

type Instance = { readonly args?: readonly string[]; readonly roots?: readonly string[] | false };

function config(name: string, work: Instance, personal: Instance): string {
  const file = join(dir, `${name}.mcplex.jsonc`);
  const instance = ({ args = [], roots }: Instance) => ({ args: [FILESYSTEM, ...args], ...(roots !== undefined && { roots }) });
  writeFileSync(file, JSON.stringify({ servers: { files: { command: process.execPath, instances: { work: instance(work), personal: instance(personal) } } } }));
  return file;
}

interface Served {
  readonly client: Client;
  /** How often the client was asked for its roots. */
  readonly asked: () => number;
  readonly stderr: () => string;
}

/** `mcplex serve` over stdio, to a client that announces roots and answers with CLIENT. */
async function serve(file: string): Promise<Served> {
  let asked = 0;
  let stderr = '';
  const client = new Client({ name: 'roots-client', version: '0' }, { capabilities: { roots: { listChanged: true } } });
  client.setRequestHandler(ListRootsRequestSchema, () => {
    asked++;
    return { roots: [{ uri: pathToFileURL(CLIENT).href, name: 'client' }] };
  });
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, 'serve', '--config', file], cwd: dir, stderr: 'pipe' });
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await client.connect(transport);
  return { client, asked: () => asked, stderr: () => stderr };
}

const text = async (client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> => {
  const result = await client.callTool({ name, arguments: args });
  return (result.content as { text: string }[]).map((part) => part.text).join('\n');
};

/** The folders an account may use, once the server has settled them (roots arrive after initialize). */
async function allowed(client: Client, prefix: string, expected: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const got = await text(client, `${prefix}__list_allowed_directories`);
    if (got.includes(expected) || Date.now() > deadline) return got;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('roots per instance, with server-filesystem behind mcplex serve', { timeout: 90_000 }, () => {
  it('with roots, each account lists and reads only its own folder; the client folder is never seen or asked for', async () => {
    // Relative roots resolve against the config's folder.
    const file = config('own', { roots: ['work'] }, { roots: [pathToFileURL(PERSONAL).href] });
    const { client, asked, stderr } = await serve(file);
    try {
      const work = await allowed(client, 'work', WORK);
      const personal = await allowed(client, 'personal', PERSONAL);
      assert.match(work, new RegExp(`${WORK}$`, 'm'), stderr());
      assert.doesNotMatch(work, /personal|client/);
      assert.match(personal, new RegExp(`${PERSONAL}$`, 'm'));
      assert.doesNotMatch(personal, /work|client/);

      assert.match(await text(client, 'work__read_text_file', { path: join(WORK, 'work.txt') }), /work data/);
      assert.match(await text(client, 'work__list_directory', { path: WORK }), /work\.txt/);
      assert.match(await text(client, 'personal__read_text_file', { path: join(PERSONAL, 'personal.txt') }), /personal data/);
      const crossed = await client.callTool({ name: 'work__read_text_file', arguments: { path: join(PERSONAL, 'personal.txt') } });
      assert.equal(crossed.isError, true, 'work cannot read the personal folder');
      const clientFolder = await client.callTool({ name: 'personal__list_directory', arguments: { path: CLIENT } });
      assert.equal(clientFolder.isError, true, "personal cannot read the client's folder");

      // The client's roots change: neither account hears of it, nor asks.
      await client.sendRootsListChanged();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(asked(), 0, 'the client is never asked for roots');
      assert.doesNotMatch(await text(client, 'work__list_allowed_directories'), /client/);
    } finally {
      await client.close();
    }
  });

  it("without roots, the client's one root replaces both accounts' folders", async () => {
    const file = config('relayed', { args: [WORK] }, { args: [PERSONAL] });
    const { client, asked } = await serve(file);
    try {
      const work = await allowed(client, 'work', CLIENT);
      const personal = await allowed(client, 'personal', CLIENT);
      assert.match(work, new RegExp(`${CLIENT}$`, 'm'));
      assert.doesNotMatch(work, new RegExp(WORK));
      assert.match(personal, new RegExp(`${CLIENT}$`, 'm'));
      assert.doesNotMatch(personal, new RegExp(PERSONAL));
      assert.ok(asked() >= 2, 'each upstream asked the client');
    } finally {
      await client.close();
    }
  });

  it('with roots: false, the server is told of no roots capability and keeps its own folders', async () => {
    const file = config('none', { args: [WORK], roots: false }, { args: [PERSONAL], roots: false });
    const { client, asked, stderr } = await serve(file);
    try {
      const work = await allowed(client, 'work', WORK);
      assert.match(work, new RegExp(`${WORK}$`, 'm'));
      assert.doesNotMatch(work, /client/);
      assert.doesNotMatch(await allowed(client, 'personal', PERSONAL), /client/);
      // The server says so when the client it sees announces no roots (not "failed to request").
      const deadline = Date.now() + 10_000;
      while (!/\[work\] Client does not support MCP Roots/.test(stderr()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.match(stderr(), /\[work\] Client does not support MCP Roots/);
      assert.doesNotMatch(stderr(), /Failed to request/);
      assert.equal(asked(), 0);
    } finally {
      await client.close();
    }
  });
});
