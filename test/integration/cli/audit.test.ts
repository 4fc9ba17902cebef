// The audit trail through `mcplex serve` with real processes: the ledger fixture records
// what reached it, the trail what mcplex saw; `mcplex audit` reads the trail back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AuditEntry } from '../../../src/core/audit';
import { instanceRecordsOf } from '../../../src/core/config';
import { REDACTED } from '../../../src/core/redaction';
import { CLI_PATH, REPO_ROOT, runMcplex } from '../../helpers/cli';
import { eventually } from '../../helpers/muxHarness';
import { fixturePath } from '../../fixtures/servers';

const SECRET = 'ledger-secret-0123456789';
const WAIT_MS = 30_000;

describe('mcplex audit trail', () => {
  let dir: string;
  let config: string;
  let stateRoot: string;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  const ledgerLog = (instance: string): string => join(dir, `${instance}.ledger.jsonl`);
  const records = (instance: string): string => instanceRecordsOf(stateRoot, dir, 'ledger', instance);
  const trail = (instance: string): AuditEntry[] => {
    const file = join(records(instance), 'audit.jsonl');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry) : [];
  };
  const reached = (instance: string): string[] => {
    const file = ledgerLog(instance);
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  };

  /** A client of `mcplex serve --instance <instance>` over stdio, with mcplex's stderr kept. */
  async function serve(instance: string): Promise<{ client: Client; stderr: () => string }> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, 'serve', '--config', config, '--instance', instance], env: { ...(process.env as Record<string, string>), ...env }, cwd: REPO_ROOT, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'test', version: '0' });
    await client.connect(transport);
    return { client, stderr: () => stderr };
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcplex-audit-'));
    const state = join(dir, 'state');
    stateRoot = join(state, 'mcplex');
    env = { XDG_STATE_HOME: state, MCPLEX_SECRET_LEDGER_TOKEN: SECRET, MCPLEX_SECRETS_FILE: join(dir, 'secrets.json') };
    const instance = (name: string, audit?: object): string =>
      `"${name}": { "env": { "LEDGER_LOG": ${JSON.stringify(ledgerLog(name))}, "TOKEN": "\${secret:ledger-token}" }${audit === undefined ? '' : `, "audit": ${JSON.stringify(audit)}`} }`;
    config = join(dir, '.mcplex.jsonc');
    writeFileSync(
      config,
      `{
  "servers": {
    "ledger": {
      "command": ${JSON.stringify(process.execPath)},
      "args": [${JSON.stringify(fixturePath('ledger'))}],
      "instances": {
        ${instance('work', { arguments: true })},
        ${instance('home')},
        ${instance('strict', { required: true })},
        ${instance('loose')},
      },
    },
  },
}`,
    );
  });

  after(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('records ok and error calls with their duration, the arguments only with audit.arguments, and never a secret', async () => {
    const work = await serve('work');
    const ok = (await work.client.callTool({ name: 'work__add_entry', arguments: { text: `pay with ${SECRET}` } })) as CallToolResult;
    assert.notEqual(ok.isError, true);
    // The upstream refuses arguments of the wrong type: an error result (or a thrown error, by SDK version).
    await work.client.callTool({ name: 'work__add_entry', arguments: { text: 42 } }).catch(() => undefined);
    await work.client.callTool({ name: 'work__read_entries', arguments: {} });
    await work.client.close();
    await eventually(() => trail('work').length === 3, WAIT_MS);
    const entries = trail('work');
    assert.deepEqual(entries.map((entry) => [entry.instance, entry.tool, entry.outcome]), [
      ['ledger/work', 'add_entry', 'ok'],
      ['ledger/work', 'add_entry', 'error'],
      ['ledger/work', 'read_entries', 'ok'],
    ]);
    for (const entry of entries) {
      assert.ok(Number.isInteger(entry.durationMs) && entry.durationMs >= 0, JSON.stringify(entry));
      assert.ok(!Number.isNaN(Date.parse(entry.time)), entry.time);
    }
    assert.deepEqual(entries[0]?.arguments, { text: `pay with ${REDACTED}` });
    const text = readFileSync(join(records('work'), 'audit.jsonl'), 'utf8');
    assert.ok(!text.includes(SECRET), 'the secret reached the trail');
    // The secret did reach the upstream: it is redacted in the trail, not kept from the call.
    assert.ok(reached('work').some((line) => line.includes(SECRET)));
    assert.equal(statSync(join(records('work'), 'audit.jsonl')).mode & 0o777, 0o600);
    assert.equal(statSync(records('work')).mode & 0o777, 0o700);

    const home = await serve('home');
    await home.client.callTool({ name: 'home__add_entry', arguments: { text: 'private words' } });
    await home.client.close();
    await eventually(() => trail('home').length === 1, WAIT_MS);
    assert.equal(trail('home')[0]?.outcome, 'ok');
    assert.equal('arguments' in (trail('home')[0] ?? {}), false, 'arguments recorded without audit.arguments');
  });

  it('with audit.required, fails a call closed when the trail cannot be written; without it, the call goes on with a warning', async () => {
    // A folder where the file should be: not writable, even for root.
    mkdirSync(join(records('strict'), 'audit.jsonl'), { recursive: true });
    mkdirSync(join(records('loose'), 'audit.jsonl'), { recursive: true });

    const strict = await serve('strict');
    await assert.rejects(strict.client.callTool({ name: 'strict__add_entry', arguments: { text: 'must not land' } }), /requires an audit trail \(audit\.required\)/);
    await strict.client.close();
    assert.deepEqual(reached('strict'), [], 'the refused call reached the upstream');

    const loose = await serve('loose');
    const result = (await loose.client.callTool({ name: 'loose__add_entry', arguments: { text: 'lands anyway' } })) as CallToolResult;
    assert.notEqual(result.isError, true);
    await eventually(() => /warning: ledger\/loose: its audit trail .* cannot be written/.test(loose.stderr()), WAIT_MS);
    await loose.client.close();
    assert.equal(reached('loose').length, 1);
  });

  it('`mcplex audit --json` and the table read what was written; --follow prints new calls, across a rotation', async () => {
    const json = await runMcplex(['audit', '--config', config, '--instance', 'work', '--json'], { env });
    assert.equal(json.code, 0, json.stderr);
    const lines = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as AuditEntry);
    assert.deepEqual(lines.map((entry) => entry.outcome), ['ok', 'error', 'ok']);

    // All of them: the two trails that are folders (the test above) are said and the others still printed.
    const table = await runMcplex(['audit', '--config', config], { env });
    assert.equal(table.code, 1, table.stderr);
    assert.match(table.stderr, /ledger\/strict: cannot read its audit trail in .*strict: EISDIR/);
    assert.match(table.stdout, /^TIME\s+INSTANCE\s+TOOL\s+OUTCOME\s+DURATION/);
    assert.match(table.stdout, /ledger\/work\s+add_entry\s+error\s+\d+ ms/);
    assert.match(table.stdout, /ledger\/home\s+add_entry\s+ok/);
    assert.ok(!table.stdout.includes(SECRET));

    const follower = spawn(process.execPath, [CLI_PATH, 'audit', '--config', config, '--instance', 'work', '--json', '--follow'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(follower);
    let out = '';
    follower.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const followed = (): AuditEntry[] => out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry);
    await eventually(() => followed().length === 3, WAIT_MS);

    const work = await serve('work');
    await work.client.callTool({ name: 'work__count_entries', arguments: {} });
    await work.client.close();
    await eventually(() => followed().some((entry) => entry.tool === 'count_entries'), WAIT_MS);

    // A rotation as the writer makes it: the file moves to audit.1.jsonl, a new one starts.
    const folder = records('work');
    renameSync(join(folder, 'audit.jsonl'), join(folder, 'audit.1.jsonl'));
    const next = { time: new Date().toISOString(), instance: 'ledger/work', tool: 'delete_all', outcome: 'declined', durationMs: 1 };
    writeFileSync(join(folder, 'audit.jsonl'), `${JSON.stringify(next)}\n`);
    await eventually(() => followed().some((entry) => entry.tool === 'delete_all'), WAIT_MS);
    assert.equal(followed().length, 5, out);
    follower.kill('SIGINT');
  });
});
