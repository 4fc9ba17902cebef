// The trail on disk: queued appends, 0600 in a 0700 folder, rotation by size, a failure
// that heals, and the secrets of an instance kept out of every line.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditUnavailableError, AuditWriter, InstanceAudit, readTrail, type CallRecord } from '../../../../src/core/audit';
import { REDACTED } from '../../../../src/core/redaction';

const root = mkdtempSync(join(tmpdir(), 'mcplex-audit-unit-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const fresh = (): string => join(root, `case-${++count}`, 'records', 'ledger', 'work');

const call = (tool: string, args: unknown = {}): CallRecord => ({ startedAt: Date.parse('2026-01-02T03:04:05.000Z'), tool, outcome: 'ok', durationMs: 12.6, arguments: args });

describe('AuditWriter', () => {
  it('creates the folder 0700 and the file 0600, and appends lines in order', async () => {
    const dir = fresh();
    const writer = new AuditWriter({ dir });
    for (let index = 0; index < 50; index++) writer.append(`${index}\n`);
    await writer.flushed();
    assert.equal(readFileSync(writer.file, 'utf8'), Array.from({ length: 50 }, (_, index) => `${index}\n`).join(''));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(writer.file).mode & 0o777, 0o600);
    await writer.close();
  });

  it('rotates by size into audit.1.jsonl…, keeping `keep` rotated files', async () => {
    const dir = fresh();
    const writer = new AuditWriter({ dir, maxBytes: 20, keep: 2 });
    // Each line alone, so each write sees the size the last one left.
    for (let index = 0; index < 8; index++) {
      writer.append(`line-${index}-xxxxxx\n`); // 16 bytes: one per file
      await writer.flushed();
    }
    await writer.close();
    assert.deepEqual(readdirSync(dir).sort(), ['audit.1.jsonl', 'audit.2.jsonl', 'audit.jsonl']);
    assert.equal(readFileSync(join(dir, 'audit.jsonl'), 'utf8'), 'line-7-xxxxxx\n');
    assert.equal(readFileSync(join(dir, 'audit.1.jsonl'), 'utf8'), 'line-6-xxxxxx\n');
    assert.equal(readFileSync(join(dir, 'audit.2.jsonl'), 'utf8'), 'line-5-xxxxxx\n');
  });

  it('says once that it cannot write, and heals when the file can be written again', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'audit.jsonl'), { recursive: true });
    const problems: Error[] = [];
    const writer = new AuditWriter({ dir, onProblem: (error) => problems.push(error) });
    assert.ok((await writer.writable()) instanceof Error);
    writer.append('lost 1\n');
    await writer.flushed();
    writer.append('lost 2\n');
    await writer.flushed();
    assert.equal(problems.length, 1);
    rmdirSync(join(dir, 'audit.jsonl'));
    assert.equal(await writer.writable(), undefined);
    writer.append('kept\n');
    await writer.flushed();
    assert.equal(readFileSync(writer.file, 'utf8'), 'kept\n');
    await writer.close();
  });
});

describe('InstanceAudit', () => {
  it('writes one entry per call, arguments only when asked, secrets redacted wherever they are', async () => {
    const secret = 'tok"en\\0123456789';
    const dir = fresh();
    const audit = new InstanceAudit({ instance: 'ledger/work', dir, settings: { enabled: true, arguments: true, required: false }, secrets: [secret] });
    audit.record(call('add_entry', { text: `pay ${secret}`, [secret]: [secret, 1, null] }));
    audit.update({ enabled: true, arguments: false, required: false });
    audit.record({ ...call('read_entries'), outcome: 'error' });
    audit.update({ enabled: false, arguments: true, required: false });
    audit.record(call('delete_all'));
    await audit.flushed();
    const text = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
    assert.ok(!text.includes('0123456789'), text);
    const entries = await readTrail(dir);
    assert.deepEqual(entries, [
      { time: '2026-01-02T03:04:05.000Z', instance: 'ledger/work', tool: 'add_entry', outcome: 'ok', durationMs: 13, arguments: { text: `pay ${REDACTED}`, [REDACTED]: [REDACTED, 1, null] } },
      { time: '2026-01-02T03:04:05.000Z', instance: 'ledger/work', tool: 'read_entries', outcome: 'error', durationMs: 13 },
    ]);
    // The views' memory: newest first, never the arguments.
    assert.deepEqual(audit.recent().map((entry) => [entry.tool, 'arguments' in entry]), [['read_entries', false], ['add_entry', false]]);
    await audit.close();
  });

  it('admits every call at once unless required; required and unwritable: refused, with the reason', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'audit.jsonl'), { recursive: true });
    const problems: string[] = [];
    const audit = new InstanceAudit({ instance: 'ledger/work', dir, onProblem: (text) => problems.push(text) });
    assert.equal(audit.admit(), undefined);
    audit.update({ enabled: true, arguments: false, required: true });
    await assert.rejects(audit.admit() ?? Promise.resolve(), (error: unknown) => error instanceof AuditUnavailableError && /audit\.required/.test(error.message) && /EISDIR/.test(error.message));
    rmdirSync(join(dir, 'audit.jsonl'));
    await audit.admit();
    assert.match(problems[0] ?? '', /^ledger\/work: its audit trail .*audit\.jsonl cannot be written/);
    await audit.close();
  });

  it('without a records folder, a required audit refuses and an optional one keeps only its memory', async () => {
    const audit = new InstanceAudit({ instance: 'ledger/work', settings: { enabled: true, arguments: false, required: true } });
    await assert.rejects(audit.admit() ?? Promise.resolve(), /no records folder/);
    audit.update({ enabled: true, arguments: false, required: false });
    audit.record(call('count_entries'));
    assert.equal(audit.recent().length, 1);
    assert.equal(audit.file, undefined);
  });
});
