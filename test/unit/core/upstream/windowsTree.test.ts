import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeConsole, descendantsOf, parseProcessTable } from '../../../../src/core/upstream/windowsTree';

describe('windowsTree', () => {
  it('reads wmic\'s UTF-16 table (as wine 8 writes it) and finds the whole tree, deepest first', () => {
    const text = 'ParentProcessID  ProcessID  \r\n0    32   \r\n32   56   \r\n56   76   \r\n76   128  \r\n56   164  \r\n32   276  \r\n\r\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const rows = parseProcessTable(decodeConsole(bytes));
    assert.equal(rows.length, 6);
    assert.deepEqual(descendantsOf(rows, 56), [128, 76, 164]);
    assert.deepEqual(descendantsOf(rows, 999), []);
  });

  it('takes the columns in either order and survives a pid reused into a loop', () => {
    const rows = parseProcessTable('ProcessId ParentProcessId\n10 1\n11 10\n10 11\n');
    assert.deepEqual(descendantsOf(rows, 10), [11]);
  });

  it('reads nothing from an unexpected table', () => {
    assert.deepEqual(parseProcessTable('Error: Command line not supported\n'), []);
  });
});
