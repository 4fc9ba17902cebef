/**
 * The Windows suite's checks, run by Windows' own node.exe under wine (`run.sh` bundles
 * this file and starts it). node.exe cannot write to a Linux pipe given as its stdout
 * (EBADF), so every result goes to `<work>\results.json`, which run.sh prints.
 *
 * Usage: node.exe runner.js <work folder> — the folder holds cli.js (dist/cli.js) and
 * servers\ (the bundled fixtures and their .cmd shims), all prepared by run.sh.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSocketFetch } from '../../src/core/host/socketFetch';
import { spawnGroupLeader } from '../../src/core/upstream/processLaunch';
import { processAlive, signalProcessTree, stopProcessTree } from '../../src/core/upstream/processTree';

const work = process.argv[2] ?? 'C:\\mcplex test';
const cli = path.join(work, 'cli.js');
const servers = path.join(work, 'servers');
const folder = path.join(work, 'folder with space');
const config = path.join(folder, '.mcplex.jsonc');
const resultsFile = path.join(work, 'results.json');
const WAIT_MS = 120_000;

/** Arguments cmd.exe would act on if they went through it unquoted: an npm shim's script gets them all as written. */
const NASTY = ['a b', 'say "hi"', 'x & echo pwned', 'a | more', 'c ^ d', '%PATH%', '!OS!', 'back\\slash\\', '<in >out', '(p)', 'semi;comma,', ''];
/**
 * What any other batch file, run through cmd.exe, is proven to get intact under wine.
 * Wine's cmd treats `%`, `!`, parentheses and `;` after a caret unlike Windows' cmd; those
 * are covered by the unit test's model of Windows' parse only.
 */
const THROUGH_CMD = ['a b', 'say "hi"', 'x & echo pwned', 'a | more', 'c ^ d', 'back\\slash\\', '<in >out'];

interface Result {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}
const results: Result[] = [];

async function check(name: string, body: () => Promise<string>): Promise<void> {
  const started = Date.now();
  try {
    const detail = await body();
    results.push({ name, ok: true, detail, ms: Date.now() - started });
  } catch (error) {
    results.push({ name, ok: false, detail: error instanceof Error ? (error.stack ?? error.message) : String(error), ms: Date.now() - started });
  }
  writeFileSync(resultsFile, JSON.stringify(results, null, 2));
}

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** The CLI's environment: the shims' folder on PATH, so `whoami-shim` is found by PATHEXT. */
function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  const pathKey = Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
  // node on PATH, as on a machine with Node installed: an npm shim falls back to it.
  env[pathKey] = `${servers};${path.dirname(process.execPath)};${env[pathKey] ?? ''}`;
  return { ...env, ...extra };
}

/** `input`: written to the CLI's stdin, which is then closed (`secret set` reads it). */
function runCli(args: readonly string[], input?: string, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: cliEnv(extraEnv), cwd: folder, windowsHide: true });
    if (input !== undefined) child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), WAIT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function writeConfig(): void {
  mkdirSync(folder, { recursive: true });
  const lines = [
    '// CRLF line ends on purpose, as Windows editors write them',
    '{',
    '  "servers": {',
    '    "who": {',
    `      "command": ${JSON.stringify(process.execPath)},`,
    '      "args": ["${workspaceFolder}\\\\..\\\\servers\\\\whoami.mjs", "${workspaceFolder}"],',
    '      "cwd": "${workspaceFolder}",',
    '      "instances": {',
    '        "work": { "isolate": "home" },',
    '        "personal": {},',
    '      },',
    '    },',
    '    "shim": {',
    '      // A .cmd found on PATH by PATHEXT, as npx is: an npm (cmd-shim) shim',
    '      "command": "whoami-shim",',
    `      "args": ${JSON.stringify(NASTY)},`,
    '      "instances": { "cmd": {} },',
    '    },',
    '    "batch": {',
    '      // Any other batch file: through cmd.exe',
    '      "command": "plain-shim",',
    `      "args": ${JSON.stringify(THROUGH_CMD)},`,
    '      "instances": { "bat": {} },',
    '    },',
    '  },',
    '}',
  ];
  writeFileSync(config, lines.join('\r\n') + '\r\n');
}

async function whoami(client: Client, tool: string): Promise<Record<string, unknown>> {
  const result = await client.callTool({ name: tool, arguments: {} });
  const content = result.content as { type: string; text: string }[];
  assert(result.isError !== true, `${tool} failed: ${JSON.stringify(content)}`);
  return JSON.parse(content[0]?.text ?? '{}') as Record<string, unknown>;
}

function sameList(actual: unknown, expected: readonly string[], what: string): void {
  assert(JSON.stringify(actual) === JSON.stringify(expected), `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Resolves with the serve's stderr once it says it serves; rejects when it exits first. */
function whenServing(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${stderr}`)), WAIT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('serving')) {
        clearTimeout(timer);
        resolve(stderr);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${stderr}`)));
  });
}

function statusOver(pipe: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ socketPath: pipe, method: 'POST', path: '/mcp', headers: { host: 'localhost', 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } });
    outgoing.once('error', reject);
    outgoing.once('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Two batch files for one server: `whoami-shim.cmd` as cmd-shim writes `node_modules/.bin`
 * files (node from PATH), and `plain-shim.cmd`, a batch file of no known layout.
 */
function writeShims(): void {
  const cmdShim = [
    '@ECHO off',
    'GOTO start',
    ':find_dp0',
    'SET dp0=%~dp0',
    'EXIT /b',
    ':start',
    'SETLOCAL',
    'CALL :find_dp0',
    'IF EXIST "%dp0%\\node.exe" (',
    '  SET "_prog=%dp0%\\node.exe"',
    ') ELSE (',
    '  SET "_prog=node"',
    '  SET PATHEXT=%PATHEXT:;.JS;=;%',
    ')',
    'endLocal & goto #_undefined_# 2>NUL || title %COMSPEC% & "%_prog%"  "%dp0%\\whoami.mjs" %*',
  ];
  writeFileSync(path.join(servers, 'whoami-shim.cmd'), cmdShim.join('\r\n') + '\r\n');
  writeFileSync(path.join(servers, 'plain-shim.cmd'), `@"${process.execPath}" "%~dp0whoami.mjs" %*\r\n`);
}

async function main(): Promise<void> {
  writeConfig();
  writeShims();

  await check('a .cmd spawned without a shell is refused (the premise: CVE-2024-27980)', async () => {
    const code = await new Promise<string>((resolve) => {
      try {
        const child = spawn(path.join(servers, 'whoami-shim.cmd'), [], { stdio: 'ignore' });
        child.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        child.once('spawn', () => {
          child.kill();
          resolve('spawned');
        });
      } catch (error) {
        resolve((error as NodeJS.ErrnoException).code ?? 'thrown');
      }
    });
    assert(code === 'EINVAL', `expected EINVAL, got ${code}`);
    return code;
  });

  await check('check: a CRLF .mcplex.jsonc in a folder with a space, on drive C:', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--config', config]);
    assert(code === 0, `exit ${code}\n${stdout}\n${stderr}`);
    return stdout.trim().split('\n').slice(-1)[0] ?? '';
  });

  await check('list: every instance\'s tools, the .cmd-launched one too', async () => {
    const { code, stdout, stderr } = await runCli(['list', '--config', config, '--json']);
    assert(code === 0, `exit ${code}\n${stderr}`);
    const names = (JSON.parse(stdout) as { name: string }[]).map((tool) => tool.name).sort();
    for (const wanted of ['bat__whoami', 'cmd__whoami', 'personal__whoami', 'work__whoami']) assert(names.includes(wanted), `${wanted} missing from ${names.join(', ')}`);
    return names.join(', ');
  });

  await check('serve --pipe: tools over a named pipe, token checked; ${workspaceFolder}, cwd and isolate (USERPROFILE, APPDATA, LOCALAPPDATA) resolved', async () => {
    const pipe = `\\\\.\\pipe\\mcplex-wine-${process.pid}`;
    const token = 'wine-suite-token';
    const serve = spawn(process.execPath, [cli, 'serve', '--config', config, '--pipe', `mcplex-wine-${process.pid}`, '--token-env', 'MCPLEX_T'], {
      env: cliEnv({ MCPLEX_T: token }),
      cwd: folder,
      stdio: ['ignore', 'ignore', 'pipe'],
      windowsHide: true,
    });
    let serveLog = '';
    serve.stderr.on('data', (chunk: Buffer) => (serveLog += chunk.toString()));
    try {
      const stderr = await whenServing(serve);
      assert(stderr.includes(`pipe:///mcplex-wine-${process.pid}#/mcp`), `no pipe URL in:\n${stderr}`);
      assert((await statusOver(pipe, { authorization: 'Bearer wrong-token-of-same-size!' })) === 401, 'a wrong token was not refused');
      assert((await statusOver(pipe, {})) === 401, 'no token was not refused');
      const client = new Client({ name: 'wine-suite', version: '0' });
      await client.connect(new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), { fetch: createSocketFetch(pipe), requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      try {
        // Every member up (the serve started them all eagerly; a slow one may still be starting).
        const wanted = ['bat__whoami', 'cmd__whoami', 'personal__whoami', 'work__whoami'];
        let names: string[] = [];
        const deadline = Date.now() + WAIT_MS;
        while (!wanted.every((name) => names.includes(name))) {
          if (Date.now() > deadline) throw new Error(`tools over the pipe: ${names.join(', ')}; serve said:\n${serveLog}`);
          names = (await client.listTools()).tools.map((tool) => tool.name);
          if (!wanted.every((name) => names.includes(name))) await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const work = await whoami(client, 'work__whoami');
        // The script's own path (`${workspaceFolder}\..\servers\whoami.mjs`) is argv[1]: it started, so it resolved.
        sameList(work['argv'], [folder], '${workspaceFolder} in args');
        assert(String(work['cwd']).toLowerCase() === folder.toLowerCase(), `cwd ${String(work['cwd'])}, not ${folder}`);
        const home = String(work['USERPROFILE']);
        assert(/^[A-Z]:\\/.test(home) && home.endsWith('\\home') && home.includes('\\instances\\'), `isolate: USERPROFILE ${home}`);
        assert(work['APPDATA'] === `${home}\\AppData\\Roaming` && work['LOCALAPPDATA'] === `${home}\\AppData\\Local`, `isolate: APPDATA ${String(work['APPDATA'])}, LOCALAPPDATA ${String(work['LOCALAPPDATA'])}`);
        const personal = await whoami(client, 'personal__whoami');
        assert(personal['USERPROFILE'] === process.env['USERPROFILE'], `no isolate: USERPROFILE ${String(personal['USERPROFILE'])}`);
        const shim = await whoami(client, 'cmd__whoami');
        sameList(shim['argv'], NASTY, 'an npm shim\'s arguments');
        const batch = await whoami(client, 'bat__whoami');
        sameList(batch['argv'], THROUGH_CMD, 'a batch file\'s arguments through cmd.exe');
        return `USERPROFILE=${home}`;
      } finally {
        await client.close();
      }
    } finally {
      // Windows has no SIGTERM to catch: the serve and its upstreams go as one tree.
      signalProcessTree(serve.pid as number, 'SIGKILL');
    }
  });

  await check('secret set/get: no keyring binary for win32 here, so the 0600 file, said on stderr', async () => {
    const env = { MCPLEX_SECRETS_FILE: path.join(work, 'secrets.json') };
    const set = await runCli(['secret', 'set', 'wine-key'], 'wine-secret-value\n', env);
    assert(set.code === 0, `set: exit ${set.code}\n${set.stderr}`);
    assert(/secrets are kept in the 0600 file .*cannot be loaded here \(@napi-rs\/keyring has no native build for win32-\w+\)$/m.test(set.stderr), `set said:\n${set.stderr}`);
    const get = await runCli(['secret', 'get', 'wine-key'], '', env);
    assert(get.code === 0 && get.stdout.trim() === 'wine-secret-value', `get: exit ${get.code}, ${get.stdout}\n${get.stderr}`);
    return set.stderr.trim().split('\n')[0] ?? '';
  });

  await check('wrap: an npm-shim-launched server by its full path (spaces in it), arguments intact', async () => {
    const shimPath = path.join(servers, 'whoami-shim.cmd');
    const client = new Client({ name: 'wine-suite', version: '0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [cli, 'wrap', '--prefix', 'w', '--', shimPath, ...NASTY], env: cliEnv(), cwd: work, stderr: 'ignore' }));
    try {
      const got = await whoami(client, 'w__whoami');
      sameList(got['argv'], NASTY, 'wrap of a .cmd');
      const echo = await client.callTool({ name: 'w__echo', arguments: { text: 'hello & goodbye' } });
      assert(JSON.stringify(echo.content).includes('hello & goodbye'), `echo: ${JSON.stringify(echo.content)}`);
      return shimPath;
    } finally {
      await client.close();
    }
  });

  await check('a process tree is stopped: leader and grandchild, the leader ignoring its stdin', async () => {
    const leader = spawnGroupLeader({ command: process.execPath, args: [path.join(servers, 'tree-leader.mjs')], env: {} });
    let output = '';
    leader.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => leader.once('exit', () => resolve()));
    await until(() => /grandchild-pid=\d+/.test(output), 'the grandchild\'s pid');
    const grandchild = Number(/grandchild-pid=(\d+)/.exec(output)?.[1]);
    const pid = leader.pid as number;
    assert(processAlive(grandchild), 'the grandchild was not running');
    await stopProcessTree({ pid, endInput: () => leader.stdin?.end(), exited, hasExited: () => leader.exitCode !== null || leader.signalCode !== null }, 2_000);
    await until(() => !processAlive(pid), 'the leader to stop');
    await until(() => !processAlive(grandchild), 'the grandchild to stop');
    return `leader ${pid}, grandchild ${grandchild}`;
  });
}

main()
  .catch((error: unknown) => results.push({ name: 'runner', ok: false, detail: String(error), ms: 0 }))
  .finally(() => {
    writeFileSync(resultsFile, JSON.stringify(results, null, 2));
    process.exit(0);
  });
