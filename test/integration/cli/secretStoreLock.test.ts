// Several processes changing the CLI's secret store at the same moment (two `mcplex secret
// set` in two terminals, a serve refreshing a token): every change survives, the file stays
// 0600, and no lock file is left. Real processes, released together once all are loaded,
// each writing keys of its own; without the lock, read-modify-write loses some of them.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const REPO = join(__dirname, '..', '..', '..');
const WRITERS = 8;
const KEYS_EACH = 10;

const root = mkdtempSync(join(tmpdir(), 'mcplex-store-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Loads the store, says "ready", and on a line from stdin sets its keys one after another. */
const WRITER = `
const { FileSecretStore } = require('./src/cli/secretStore');
const store = new FileSecretStore(process.env.STORE_FILE);
const id = process.env.WRITER_ID;
process.stdin.once('data', () => {
  for (let i = 0; i < ${KEYS_EACH}; i++) store.setSecret('w' + id + '-' + i, 'value-' + id + '-' + i);
  process.exit(0);
});
process.stdout.write('ready\\n');
`;

interface Writer {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

function startWriter(storeFile: string, id: number): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', WRITER], {
    cwd: REPO,
    env: { ...process.env, STORE_FILE: storeFile, WRITER_ID: String(id) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`writer ${id} exited (${code}) before it was ready: ${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
  return { child, ready, exited };
}

describe('the secret store under concurrent writers', () => {
  it(`keeps every key when ${WRITERS} processes set theirs at once`, { skip: process.platform === 'win32' }, async () => {
    const storeFile = join(root, 'config', 'mcplex', 'secrets.json');
    const writers = Array.from({ length: WRITERS }, (_, id) => startWriter(storeFile, id));
    try {
      await Promise.all(writers.map((writer) => writer.ready));
      // All loaded: release them together so their read-modify-writes overlap.
      for (const writer of writers) writer.child.stdin?.end('go\n');
      const results = await Promise.all(writers.map((writer) => writer.exited));
      results.forEach(({ code, stderr }, id) => assert.equal(code, 0, `writer ${id} failed: ${stderr}`));
    } finally {
      for (const writer of writers) if (writer.child.exitCode === null) writer.child.kill('SIGKILL');
    }

    const stored = (JSON.parse(readFileSync(storeFile, 'utf8')) as { secrets: Record<string, string> }).secrets;
    const expected: Record<string, string> = {};
    for (let id = 0; id < WRITERS; id++) {
      for (let i = 0; i < KEYS_EACH; i++) expected[`w${id}-${i}`] = `value-${id}-${i}`;
    }
    const missing = Object.keys(expected).filter((key) => !(key in stored));
    assert.deepEqual(missing, [], `${missing.length} of ${WRITERS * KEYS_EACH} keys were lost`);
    assert.deepEqual(stored, expected);
    assert.equal(statSync(storeFile).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(storeFile, '..')), ['secrets.json'], 'no lock or temporary file is left');
  });
});
