// What "Copy Configuration for Another Client" copies starts the same instance in another
// client: each entry is taken as that client would read it, and the MCP Inspector CLI starts
// its command and lists or calls the tools. The one substitution: the entries run
// `npx mcplex …` (the CLI from npm); here `npx mcplex` becomes `node dist/cli.js`, the built
// CLI of this checkout (test/integration/cli/npmPackage.test.ts proves the npm package runs).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { clientConfig, entryName, type Launch, type ServeTarget } from '../../../../src/core/clients';
import { CLI_PATH, REPO_ROOT } from '../../../helpers/cli';
import { fixturePath } from '../../../fixtures/servers';

const run = promisify(execFile);
const INSPECTOR = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build', 'index.js');

/** `npx mcplex ARGS…` → `node dist/cli.js ARGS…`; anything else is a broken entry. */
function builtCli(launch: Launch): Launch {
  assert.equal(launch.command, 'npx');
  assert.equal(launch.args[0], 'mcplex');
  return { command: process.execPath, args: [CLI_PATH, ...launch.args.slice(1)] };
}

/** The Inspector CLI over stdio against `launch`: its JSON answer to `method`. */
async function inspect(launch: Launch, method: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [INSPECTOR, launch.command, ...method, '--', ...launch.args], { timeout: 60_000 });
  return JSON.parse(stdout) as unknown;
}

function toolNames(answer: unknown): string[] {
  return (answer as { tools: { name: string }[] }).tools.map((tool) => tool.name).sort();
}

describe('a copied client configuration', () => {
  let dir = '';
  let config = '';

  before(() => {
    // A space in the folder's path: the command line must quote it, the JSON must not care.
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcplex-clients-')));
    const folder = join(dir, 'my notes');
    mkdirSync(folder);
    config = join(folder, '.mcplex.jsonc');
    const echo = { command: process.execPath, args: [fixturePath('echo')], instances: { work: {}, personal: {} } };
    writeFileSync(config, JSON.stringify({ servers: { echo } }, null, 2));
  });

  after(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('VS Code mcp.json for one instance: the Inspector lists that instance\'s tools only', async () => {
    const target: ServeTarget = { name: entryName('echo', 'work'), config, instance: 'echo/work' };
    const parsed = JSON.parse(clientConfig('mcp-json', target, 'linux')) as { servers: Record<string, Launch> };
    const entry = parsed.servers['echo-work'];
    assert.ok(entry !== undefined, JSON.stringify(parsed));
    assert.deepEqual(toolNames(await inspect(builtCli(entry), ['--method', 'tools/list'])), ['work__echo']);
  });

  it('Claude Code\'s command line, run by a real shell: the server command it registers calls the instance\'s tool', async () => {
    // A stand-in `claude` records the arguments the shell gave it, as `claude mcp add` would store them.
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const argvFile = join(dir, 'claude-argv.json');
    writeFileSync(join(bin, 'claude'), `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(process.argv.slice(2)));\n`);
    chmodSync(join(bin, 'claude'), 0o755);
    const line = clientConfig('claude-code', { name: entryName('echo', 'personal'), config, instance: 'echo/personal' }, 'linux');
    await run('/bin/sh', ['-c', line], { env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` }, timeout: 30_000 });
    const argv = JSON.parse(readFileSync(argvFile, 'utf8')) as string[];
    const separator = argv.indexOf('--');
    assert.deepEqual(argv.slice(0, separator), ['mcp', 'add', 'echo-personal']);
    const [command, ...args] = argv.slice(separator + 1);
    assert.ok(command !== undefined);
    assert.ok(args.includes(config), `the path with its space arrives as one argument: ${JSON.stringify(args)}`);
    const answer = await inspect(builtCli({ command, args }), ['--method', 'tools/call', '--tool-name', 'personal__echo', '--tool-arg', 'text=from claude']);
    assert.match(JSON.stringify(answer), /from claude/);
  });

  it('Copilot CLI for the folder: every instance of the file behind one endpoint', async () => {
    const parsed = JSON.parse(clientConfig('copilot-cli', { name: entryName('mcplex', 'my notes'), config }, 'linux')) as { mcpServers: Record<string, Launch> };
    const entry = parsed.mcpServers['mcplex-my-notes'];
    assert.ok(entry !== undefined, JSON.stringify(parsed));
    assert.deepEqual(toolNames(await inspect(builtCli(entry), ['--method', 'tools/list'])), ['personal__echo', 'work__echo']);
  });
});
