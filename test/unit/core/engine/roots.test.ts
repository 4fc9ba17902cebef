// What a roots edit means to the engine: a new list keeps the process (the relay tells it);
// `roots: false` changes how it is launched, since capabilities are announced at initialize.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResolvedInstance } from '../../../../src/core/config';
import { InstanceRunner } from '../../../../src/core/engine';
import { planInstances, type PlannedInstance } from '../../../../src/core/plan';

function planned(roots?: readonly string[] | false): PlannedInstance {
  const upstream = { kind: 'stdio', command: 'node', args: ['server.js'], env: {} } as const;
  const instance: ResolvedInstance = {
    serverId: 'files',
    instanceId: 'work',
    serverLabel: 'Files',
    instanceLabel: 'Work',
    upstream,
    redacted: upstream,
    tools: {},
    location: { file: '/ws/.mcplex.jsonc', path: [], offset: 0, length: 0, line: 1, column: 1 },
    secrets: [],
    ...(roots !== undefined && { roots }),
  };
  const [one] = planInstances([instance]).instances;
  assert.ok(one);
  return one;
}

describe('launchDigestOf and roots', () => {
  it('is the same whatever the list of roots, or none', () => {
    const digests = new Set([undefined, [], ['file:///a'], ['file:///b']].map((roots) => InstanceRunner.launchDigestOf(planned(roots))));
    assert.equal(digests.size, 1);
  });

  it('changes with roots: false, which takes the capability away', () => {
    assert.notEqual(InstanceRunner.launchDigestOf(planned(false)), InstanceRunner.launchDigestOf(planned(['file:///a'])));
    assert.notEqual(InstanceRunner.launchDigestOf(planned(false)), InstanceRunner.launchDigestOf(planned()));
  });
});
