// The CLI as users get it from npm: `npm pack` at the repository root, `npm install` of the
// tarball into a clean folder with no network and an empty npm cache, then `npx mcplex wrap`
// and `npx mcplex serve` from that folder, spoken to with the SDK's client. One pack and one
// install serve the whole file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { REPO_ROOT } from '../../helpers/cli';
import { fixturePath } from '../../fixtures/servers';

const run = promisify(execFile);

interface Packed {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** `npm pack DIR… --json` into `into`: what each tarball is called and holds. */
async function pack(dirs: readonly string[], into: string, env: NodeJS.ProcessEnv): Promise<Packed[]> {
  // --ignore-scripts: the suite has built dist/ already (`npm run build` before the
  // integration tests), and prepack's production build would rewrite dist/cli.js under the
  // other test files that run it at the same time. What prepack builds is the same code, minified.
  const { stdout } = await run('npm', ['pack', ...dirs, '--ignore-scripts', '--json', '--pack-destination', into], { cwd: REPO_ROOT, env, timeout: 120_000 });
  return JSON.parse(stdout) as Packed[];
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('\n');
}

describe('the npm package', () => {
  let dir = '';
  let project = '';
  let env: NodeJS.ProcessEnv = {};
  let packedFiles: readonly string[] = [];

  before(async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcplex-npm-')));
    project = join(dir, 'project');
    mkdirSync(project);
    // An empty cache and --offline: nothing may come from a registry. Our code is bundled;
    // the one runtime dependency (@napi-rs/keyring and its binary for this platform) is
    // packed from the repository's node_modules, as the registry would serve it.
    env = { ...process.env, npm_config_cache: join(dir, 'cache'), npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const keyrings = readdirSync(join(REPO_ROOT, 'node_modules', '@napi-rs'))
      .filter((name) => name === 'keyring' || name.startsWith('keyring-'))
      .map((name) => `./node_modules/@napi-rs/${name}`);
    const [ours, ...runtime] = await pack(['.', ...keyrings], dir, env);
    assert.ok(ours !== undefined && runtime.length >= 1, 'packed mcplex and @napi-rs/keyring');
    packedFiles = ours.files.map((file) => file.path).sort();
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'clean-project', version: '1.0.0', private: true }));
    await run('npm', ['install', ...[ours, ...runtime].map((tarball) => join(dir, tarball.filename))], { cwd: project, env, timeout: 180_000 });
  });

  after(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  /** An SDK client of `npx mcplex <args…>` run in the clean folder, as another client's config would start it. */
  async function npxClient(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Client> {
    const client = new Client({ name: 'test', version: '0' }, { capabilities: {} });
    // `--no`: never offer to download; `mcplex` must be the bin the install put in node_modules/.bin.
    const transport = new StdioClientTransport({ command: 'npx', args: ['--no', 'mcplex', ...args], cwd: project, env: { ...(env as Record<string, string>), ...extraEnv }, stderr: 'ignore' });
    await client.connect(transport);
    return client;
  }

  it('holds the CLI bundle, its schema and the docs, nothing of the extension or the sources', () => {
    assert.deepEqual(packedFiles, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'package.json', 'schemas/mcplex.schema.json']);
  });

  it('installs with no registry and answers `npx mcplex --version`', async () => {
    const { stdout } = await run('npx', ['--no', 'mcplex', '--version'], { cwd: project, env, timeout: 60_000 });
    assert.match(stdout.trim(), /^\d+\.\d+\.\d+/);
    // Only the runtime dependency came along: the SDK and the parsers are inside the bundle.
    assert.deepEqual(readdirSync(join(project, 'node_modules')).sort(), ['.bin', '.package-lock.json', '@napi-rs', 'mcplex']);
  });

  it('runs `npx mcplex wrap` over stdio: the upstream\'s tools under the prefix, a call through', async () => {
    const client = await npxClient(['wrap', '--prefix', 'p', '--', process.execPath, fixturePath('echo')]);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name), ['p__echo']);
      assert.equal(textOf(await client.callTool({ name: 'p__echo', arguments: { text: 'from npm' } })), 'from npm');
    } finally {
      await client.close();
    }
  });

  it('runs `npx mcplex serve --config` over stdio: every instance of the file behind one endpoint', async () => {
    const config = join(project, '.mcplex.jsonc');
    const echo = { command: process.execPath, args: [fixturePath('echo')], instances: { work: {}, personal: {} } };
    writeFileSync(config, JSON.stringify({ servers: { echo } }, null, 2));
    const client = await npxClient(['serve', '--config', config]);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['personal__echo', 'work__echo']);
      assert.equal(textOf(await client.callTool({ name: 'work__echo', arguments: { text: 'work via npm' } })), 'work via npm');
    } finally {
      await client.close();
    }
  });
});
