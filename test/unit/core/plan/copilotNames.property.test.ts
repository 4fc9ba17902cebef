import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Exposure, ResolvedInstance, UpstreamSpec } from '../../../../src/core/config/model';
import { aggregateShapes } from '../../../../src/core/engine';
import { copilotServerName, definitionLabel } from '../../../../src/core/naming';
import { planWindow, type WindowFolder } from '../../../../src/core/plan';

/*
 * Every definition of a window must arrive in Copilot CLI and the Agents window under a name
 * of its own: VS Code 1.139's Copilot extension (mcpHandler.ts `loadMcpConfigWithGateway`)
 * keys its `mcpConfig` by `normalizeServerName(label)`, so a second label with the same name
 * overwrites the first, and a label with no name gets an order-dependent `vscode-mcp-server-<n>`.
 * The rule has no length limit, so the property checks the name's shape, not its length.
 */
const RUNS = { numRuns: 300 };

const upstream: UpstreamSpec = { kind: 'stdio', command: 'node', args: [], env: {} };

/** Few letters, case, punctuation and scripts the rule drops, so clashes and empty names are frequent. */
const labelText = fc.oneof(
  { arbitrary: fc.stringMatching(/^[aA][aA ._!·-]{0,2}$/), weight: 4 },
  { arbitrary: fc.constantFrom('Notes', 'notes', 'NOTES!', 'Заметки', '日本語', '😀', '(', ')', ', ', ''), weight: 2 },
  { arbitrary: fc.string({ maxLength: 6, unit: 'grapheme' }), weight: 1 },
);
const id = fc.stringMatching(/^[ab][ab-]{0,2}$/);

const instanceArb = fc.record({ serverId: id, instanceId: id, serverLabel: labelText, instanceLabel: labelText });
const folderArb = fc.record({ name: fc.constantFrom('app', 'App', 'app!', 'lib', 'Приложение'), instances: fc.array(instanceArb, { maxLength: 5 }) });

interface GivenInstance {
  readonly serverId: string;
  readonly instanceId: string;
  readonly serverLabel: string;
  readonly instanceLabel: string;
}

function windowFolders(folders: readonly { name: string; instances: readonly GivenInstance[] }[]): WindowFolder[] {
  return folders.map((folder, index) => ({
    id: `file:///ws/${index}/${folder.name}`,
    name: folder.name,
    instances: folder.instances.map(
      (item): ResolvedInstance => ({
        ...item,
        upstream,
        redacted: upstream,
        tools: {},
        location: { file: `/ws/${index}/.mcplex.jsonc`, path: ['servers', item.serverId, 'instances', item.instanceId], offset: 0, length: 1, line: 1, column: 1 },
        secrets: [],
      }),
    ),
  }));
}

function assertNamed(labels: readonly string[]): void {
  const names = labels.map((label) => copilotServerName(label));
  for (const [index, name] of names.entries()) {
    assert.ok(name !== undefined, `"${labels[index]}" leaves Copilot CLI no name`);
    assert.match(name, /^[a-z0-9-](?:[a-z0-9_-]*[a-z0-9-])?$/);
  }
  assert.equal(new Set(names).size, names.length, `names meet: ${JSON.stringify(labels)} → ${JSON.stringify(names)}`);
}

describe('Copilot CLI names over a window', () => {
  it('gives every instance definition of the window a distinct, non-empty name', () => {
    fc.assert(
      fc.property(fc.array(folderArb, { maxLength: 4 }), (folders) => {
        const plan = planWindow(windowFolders(folders));
        assertNamed(plan.instances.map((instance) => instance.label));
      }),
      RUNS,
    );
  });

  it('gives every shared endpoint (folder aggregates, servers in accounts) a distinct, non-empty name', () => {
    fc.assert(
      fc.property(fc.array(folderArb, { maxLength: 5 }), fc.constantFrom<Exposure>('aggregate', 'accounts'), (folders, exposure) => {
        const shapes = aggregateShapes(planWindow(windowFolders(folders)).folders, () => exposure, 'window');
        assertNamed([...shapes.values()].map((shape) => shape.label));
      }),
      RUNS,
    );
  });

  it('leaves every label as written when no two names meet and none is empty', () => {
    fc.assert(
      fc.property(fc.array(folderArb, { maxLength: 4 }), (folders) => {
        const given = folders.flatMap((folder) => {
          const seen = new Set<string>();
          // planInstances keeps the first of two instances with one key; so does this.
          return folder.instances.filter((item) => !seen.has(`${item.serverId}/${item.instanceId}`) && seen.add(`${item.serverId}/${item.instanceId}`));
        });
        const labels = given.map((item) => definitionLabel(item.serverLabel, [item.instanceLabel]));
        const names = labels.map((label) => copilotServerName(label));
        fc.pre(names.every((name) => name !== undefined) && new Set(names).size === names.length);
        assert.deepEqual(planWindow(windowFolders(folders)).instances.map((instance) => instance.label), labels);
      }),
      RUNS,
    );
  });
});
