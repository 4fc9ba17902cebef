import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolConfirm } from '../../../../src/core/config';
import type { WindowInstance } from '../../../../src/core/plan';
import { confirmWarnings } from '../../../../src/core/runtime/confirmWarnings';
import type { InstanceView } from '../../../../src/core/runtime/model';

function instance(key: string, confirm: ToolConfirm | undefined): WindowInstance {
  return {
    id: `f#${key}`,
    folderId: 'f',
    location: { file: '/p/.mcplex.jsonc', path: [], offset: 0, length: 0, line: 7, column: 9 },
    planned: { tools: confirm === undefined ? {} : { confirm } },
  } as unknown as WindowInstance;
}

function view(key: string, tools: readonly string[] | undefined): InstanceView {
  return { folderId: 'f', key, ...(tools !== undefined && { tools: tools.map((name) => ({ exposedName: name, upstreamName: name })) }) } as unknown as InstanceView;
}

describe('confirmWarnings', () => {
  it('names the globs that match none of the listed tools, at the instance', () => {
    const warnings = confirmWarnings([instance('s/work', ['add_entyr', 'delete_*'])], [view('s/work', ['add_entry', 'delete_all'])]);
    assert.deepEqual([...warnings.keys()], ['f#s/work']);
    assert.match(warnings.get('f#s/work')!, /^\/p\/\.mcplex\.jsonc:7:9: tools\.confirm "add_entyr" matches none of this instance's tools/);
  });

  it('says nothing before the tools are known, for "writes", or when every glob matches', () => {
    const warnings = confirmWarnings(
      [instance('s/a', ['x_*']), instance('s/b', 'writes'), instance('s/c', ['add_*']), instance('s/d', undefined)],
      [view('s/a', undefined), view('s/b', ['add_entry']), view('s/c', ['add_entry']), view('s/d', ['add_entry'])],
    );
    assert.equal(warnings.size, 0);
  });
});
