import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createByteLineSplitter, createLineSplitter } from '../../../../src/core/wire/lineSplitter';

function split(chunks: readonly string[], maxLineLength?: number): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line), maxLineLength);
  for (const chunk of chunks) {
    splitter.push(chunk);
  }
  splitter.end();
  return lines;
}

describe('createLineSplitter', () => {
  it('joins a line cut across chunks and splits several lines in one chunk', () => {
    assert.deepEqual(split(['{"a":', '1}\n{"b":2}\n{"c"', ':3}\n']), ['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('drops the \\r of a \\r\\n line break, even when the \\n arrives in the next chunk', () => {
    assert.deepEqual(split(['one\r\ntwo\r', '\nthree']), ['one', 'two', 'three']);
  });

  it('delivers the unterminated rest only at end()', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.push('done\npartial');
    assert.deepEqual(lines, ['done']);
    splitter.end();
    assert.deepEqual(lines, ['done', 'partial']);
    splitter.end();
    assert.deepEqual(lines, ['done', 'partial'], 'a second end() delivers nothing more');
  });

  it('keeps empty lines (the transport decides to skip them)', () => {
    assert.deepEqual(split(['a\n\nb\n']), ['a', '', 'b']);
  });

  it('cuts a line that grows past maxLineLength instead of buffering it forever', () => {
    assert.deepEqual(split(['abcdef', 'gh', 'ij\nk'], 5), ['abcdef', 'ghij', 'k']);
  });

  it('yields the same lines however the text is cut into chunks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '\n', '\r', '{', '"') }), { maxLength: 20 }),
        (chunks) => {
          const text = chunks.join('');
          const raw = text.split('\n');
          if (raw.at(-1) === '') {
            raw.pop(); // text ended with a line break: no unterminated rest
          }
          assert.deepEqual(
            split(chunks),
            raw.map((line) => line.replace(/\r$/, '')),
          );
        },
      ),
    );
  });
});

describe('createByteLineSplitter', () => {
  function splitBytes(chunks: readonly Buffer[], largeFrom: number): (string | Buffer)[] {
    const lines: (string | Buffer)[] = [];
    const splitter = createByteLineSplitter((line) => lines.push(line), largeFrom);
    for (const chunk of chunks) splitter.push(chunk);
    splitter.end();
    return lines;
  }

  it('decodes a small line whole even when a character is cut between chunks, and drops \\r', () => {
    const bytes = Buffer.from('{"a":"€"}\r\n{"b":1}\nrest');
    const cut = bytes.indexOf(Buffer.from('€')) + 1; // inside the 3 bytes of €
    assert.deepEqual(splitBytes([bytes.subarray(0, cut), bytes.subarray(cut)], 1024), ['{"a":"€"}', '{"b":1}', 'rest']);
  });

  it('hands a line from largeFrom bytes up over as one Buffer, joined across chunks', () => {
    const large = `{"text":"${'x'.repeat(40)}é"}`;
    const bytes = Buffer.from(`small\n${large}\r\nafter\n`);
    const lines = splitBytes([bytes.subarray(0, 10), bytes.subarray(10, 30), bytes.subarray(30)], 32);
    assert.equal(lines.length, 3);
    assert.equal(lines[0], 'small');
    assert.ok(Buffer.isBuffer(lines[1]));
    assert.equal(lines[1].toString('utf8'), large);
    assert.equal(lines[2], 'after');
  });

  it('gives the same lines as the text splitter, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }).map((line) => line.replace(/[\r\n]/g, ''))), fc.array(fc.nat(), { maxLength: 5 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''));
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((from, i, all) => bytes.subarray(from, all[i + 1] ?? bytes.length));
        assert.deepEqual(splitBytes(chunks, 8).map((line) => line.toString()), lines);
      }),
    );
  });
});

describe('createByteLineSplitter with a limit', () => {
  function limited(chunks: readonly string[], maxBytes: number): { lines: string[]; refused: number[] } {
    const lines: string[] = [];
    const refused: number[] = [];
    const splitter = createByteLineSplitter((line) => lines.push(line.toString()), 8, { maxBytes, onTooLarge: (seen) => refused.push(seen) });
    for (const chunk of chunks) splitter.push(Buffer.from(chunk));
    splitter.end();
    return { lines, refused };
  }

  it('drops a line past the cap once, skips the rest of it, and goes on with the next', () => {
    const { lines, refused } = limited(['ok\nxxxxxx', 'xxxxxx', 'xxxxxx\nafter\n'], 10);
    assert.deepEqual(lines, ['ok', 'after']);
    assert.equal(refused.length, 1);
    assert.ok((refused[0] ?? 0) > 10);
  });

  it('refuses a long line inside one chunk, keeps one at the cap (a trailing \\r not counted)', () => {
    const { lines, refused } = limited(['0123456789\r\n012345678901\nend\n'], 10);
    assert.deepEqual(lines, ['0123456789', 'end']);
    assert.equal(refused.length, 1);
  });
});
