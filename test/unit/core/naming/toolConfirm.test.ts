import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileToolConfirm } from '../../../../src/core/naming';

describe('compileToolConfirm', () => {
  it('asks for nothing without a list, or with an empty one', () => {
    for (const confirm of [undefined, [] as string[]]) {
      const compiled = compileToolConfirm(confirm);
      assert.equal(compiled.none, true);
      assert.equal(compiled.needsApproval('delete_all', false), false);
    }
  });

  it('matches globs on the upstream name as tools.deny does, whatever the annotations', () => {
    const compiled = compileToolConfirm(['delete_*', '{add,set}_*']);
    assert.equal(compiled.needsApproval('delete_all', true), true, 'a glob wins over a read-only hint');
    assert.equal(compiled.needsApproval('add_entry', undefined), true);
    assert.equal(compiled.needsApproval('read_entries', false), false);
  });

  it('"writes" asks for every tool not annotated readOnlyHint: true (unknown is a write)', () => {
    const compiled = compileToolConfirm('writes');
    assert.equal(compiled.needsApproval('read_entries', true), false);
    assert.equal(compiled.needsApproval('add_entry', false), true);
    assert.equal(compiled.needsApproval('mystery', undefined), true);
  });

  it('names the globs that match no tool', () => {
    assert.deepEqual(compileToolConfirm(['delete_*', 'add_entyr', 'send_*']).unmatched(['add_entry', 'delete_all']), ['add_entyr', 'send_*']);
    assert.deepEqual(compileToolConfirm('writes').unmatched([]), []);
  });
});
