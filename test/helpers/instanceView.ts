// An instance view as the runtime reports it (notes/work in file:///ws/app, running), for
// tests of the tree and the commands; each test overrides what it is about.
import type { InstanceView } from '../../src/core/runtime';

export function instanceView(overrides: Partial<InstanceView> = {}): InstanceView {
  const instanceId = overrides.instanceId ?? 'work';
  return {
    folderId: 'file:///ws/app',
    key: `notes/${instanceId}`,
    serverId: 'notes',
    instanceId,
    prefix: instanceId,
    slug: `notes-${instanceId}`,
    label: `Notes · ${instanceId}`,
    serverLabel: 'Notes',
    instanceLabel: instanceId[0]?.toUpperCase() + instanceId.slice(1),
    status: { kind: 'running' },
    ...overrides,
  };
}
