// Issue 17 in the tree: a read-only account's writing tools, and tools the pins hide, say
// why on their rows; only the pinned ones offer "Accept Tool Definition" (tool.changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, type InstanceNode, type ServerNode, type ToolNode } from '../../../../src/extension/view/treeModel';
import { instanceView } from '../../../helpers/instanceView';

const FOLDER = { id: 'file:///ws/app', name: 'app' };

test('hidden by readOnly or by the pins: each row says why, and the pinned ones carry where to accept', () => {
  const view = instanceView({
    folderId: FOLDER.id,
    instanceId: 'work',
    status: { kind: 'running' },
    definitionId: `${FOLDER.id}#notes/work`,
    pinsDir: '/state/records/app-1234/notes/work',
    tools: [
      { exposedName: 'read_entries', upstreamName: 'read_entries' },
      { exposedName: 'add_entry', upstreamName: 'add_entry', hidden: 'not-read-only' },
      { exposedName: 'count_entries', upstreamName: 'count_entries', hidden: 'changed' },
      { exposedName: 'export', upstreamName: 'export', hidden: 'unapproved' },
    ],
  });
  const [folder] = buildTree([view], [FOLDER]);
  const work = folder?.children.filter((child): child is ServerNode => child.kind === 'server').flatMap((server) => [...server.children])[0] as InstanceNode;
  const rows = work.children as ToolNode[];
  assert.deepEqual(
    rows.map((tool) => [tool.upstreamName, tool.description, tool.contextValue, tool.hidden]),
    [
      ['read_entries', 'mcp_notes-work_read_entries', 'tool.allowed', undefined],
      ['add_entry', 'not read-only: hidden from the model', 'tool.notReadOnly', 'not-read-only'],
      ['count_entries', 'changed since you approved it: hidden', 'tool.changed', 'changed'],
      ['export', 'new since you approved the list: hidden', 'tool.changed', 'unapproved'],
    ],
  );
  assert.match(rows[1]?.tooltip ?? '', /tools\.readOnly/);
  assert.match(rows[2]?.tooltip ?? '', /Accept Tool Definition/);
  assert.equal(rows[2]?.instance.pinsDir, '/state/records/app-1234/notes/work');
  assert.match(work.description ?? '', /1 tool$/, 'only the exposed tool is counted');
});
