// Reading trails back: rotated files oldest first, lines that are not entries skipped,
// and a follower that carries on across a rotation.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followTrail, parseEntry, readTrail, type AuditEntry } from '../../../../src/core/audit';
import { eventually } from '../../../helpers/muxHarness';

const root = mkdtempSync(join(tmpdir(), 'mcplex-audit-read-'));
after(() => rmSync(root, { recursive: true, force: true }));

const entry = (tool: string): AuditEntry => ({ time: '2026-01-02T03:04:05.000Z', instance: 'ledger/work', tool, outcome: 'ok', durationMs: 1 });
const line = (tool: string): string => `${JSON.stringify(entry(tool))}\n`;

describe('reading a trail', () => {
  it('parses entries and refuses what is not one', () => {
    assert.deepEqual(parseEntry(line('a').trim()), entry('a'));
    assert.equal(parseEntry('{"time":"x"'), undefined);
    assert.equal(parseEntry(JSON.stringify({ ...entry('a'), outcome: 'maybe' })), undefined);
  });

  it('reads the rotated files oldest first, then the current one', async () => {
    const dir = join(root, 'read');
    mkdirSync(dir);
    writeFileSync(join(dir, 'audit.2.jsonl'), line('first'));
    writeFileSync(join(dir, 'audit.1.jsonl'), `${line('second')}not json\n`);
    writeFileSync(join(dir, 'audit.jsonl'), `${line('third')}{"cut short`);
    assert.deepEqual((await readTrail(dir)).map((e) => e.tool), ['first', 'second', 'third']);
    assert.deepEqual(await readTrail(join(root, 'nothing-here')), []);
  });

  it('follows the current file, across a rotation, finishing the old file first', async () => {
    const dir = join(root, 'follow');
    mkdirSync(dir);
    writeFileSync(join(dir, 'audit.jsonl'), line('one'));
    const seen: string[] = [];
    const follower = followTrail(dir, (e) => seen.push(e.tool), 20);
    try {
      await eventually(() => seen.length === 1, 10_000);
      appendFileSync(join(dir, 'audit.jsonl'), line('two'));
      await eventually(() => seen.length === 2, 10_000);
      // Written just before the rotation, then rotated away before the follower looked again.
      appendFileSync(join(dir, 'audit.jsonl'), line('three'));
      renameSync(join(dir, 'audit.jsonl'), join(dir, 'audit.1.jsonl'));
      writeFileSync(join(dir, 'audit.jsonl'), line('four'));
      await eventually(() => seen.length === 4, 10_000);
      assert.deepEqual(seen, ['one', 'two', 'three', 'four']);
    } finally {
      follower.stop();
    }
  });
});
