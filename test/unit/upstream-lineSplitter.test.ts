import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createLineSplitter } from '../../src/core/upstream/lineSplitter';

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
