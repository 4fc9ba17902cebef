// The Instances view's model (runtime views → nodes) and its adapter: states with their
// icons and viewItem values, tools as the model sees them, denied tools, failure messages in
// tooltips, and one redraw for a burst of runtime events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstanceStatus, InstanceView } from '../../../../src/core/runtime';
import { InstancesTree, TREE_COALESCE_MS } from '../../../../src/extension/view/instancesTree';
import { buildTree, SIGNS_IN_CONTEXT, USES_SECRETS_CONTEXT, type InstanceNode, type ServerNode, type ToolNode } from '../../../../src/extension/view/treeModel';
import { createFakeVscode, FakeTreeItemCollapsibleState } from '../../../helpers/fakeVscode';
import { FakeRuntime } from '../../../helpers/fakeRuntime';
import { instanceView } from '../../../helpers/instanceView';
import { ManualTimers } from '../../../helpers/manualTimers';

const FOLDER = { id: 'file:///ws/app', name: 'app' };

function view(instanceId: string, status: InstanceStatus, extra: Partial<InstanceView> = {}): InstanceView {
  return instanceView({
    folderId: FOLDER.id,
    instanceId,
    status,
    location: { file: '/ws/app/.mcplex.jsonc', path: ['servers', 'notes', 'instances', instanceId], offset: 10, length: 6, line: 7, column: 9 },
    definitionId: `${FOLDER.id}#notes/${instanceId}`,
    ...extra,
  });
}

function instances(tree: ReturnType<typeof buildTree>): InstanceNode[] {
  return tree.flatMap((folder) => folder.children.filter((child): child is ServerNode => child.kind === 'server').flatMap((server) => [...server.children]));
}

test('folder → server → instance: label, prefix, state, tool count; context values per state', () => {
  const tree = buildTree(
    [
      view('work', { kind: 'running' }, { tools: [{ exposedName: 'list_notes', upstreamName: 'list_notes' }, { exposedName: 'add_note', upstreamName: 'add_note', hidden: 'denied' }] }),
      view('personal', { kind: 'failed', message: 'spawn node ENOENT', retrying: true }),
      view('team', { kind: 'needs-secret', secrets: ['notes-team-key'] }),
      view('old', { kind: 'stopped' }),
      view('next', { kind: 'starting', attempt: 2 }),
    ],
    [FOLDER, { id: 'file:///ws/other', name: 'other' }],
  );
  assert.deepEqual(tree.map((folder) => [folder.label, folder.description]), [['app', '5 instances'], ['other', 'no instances']]);
  assert.equal(tree[1]?.children[0]?.kind, 'message');
  const server = tree[0]?.children[0] as ServerNode;
  assert.deepEqual([server.label, server.description, server.contextValue], ['Notes', '1/5 running', 'server']);
  const nodes = instances(tree);
  assert.deepEqual(
    nodes.map((node) => [node.label, node.description, node.contextValue, node.icon?.id]),
    [
      ['Work', 'work · running · 1 tool', 'instance.running', 'pass'],
      ['Personal', 'personal · failed, retrying', 'instance.failed', 'error'],
      ['Team', 'team · needs a secret', 'instance.needsSecret', 'key'],
      ['Old', 'old · stopped', 'instance.stopped', 'circle-outline'],
      ['Next', 'next · starting (attempt 2)', 'instance.starting', 'sync~spin'],
    ],
  );
  assert.match(nodes[1]?.tooltip ?? '', /spawn node ENOENT/);
  assert.match(nodes[2]?.tooltip ?? '', /\$\{secret:notes-team-key\}/);
  assert.match(nodes[0]?.tooltip ?? '', /Defined in \/ws\/app\/.mcplex.jsonc:7/);
  assert.equal(nodes[0]?.instance.runtimeId, 'file:///ws/app#notes/work');
  assert.deepEqual(nodes[1]?.children.map((child) => child.label), ['Its tools show once it runs']);
});

test('tool rows: the upstream name as label, the model’s name as description, the description in the tooltip, denied ones marked', () => {
  const [folder] = buildTree(
    [
      view('work', { kind: 'running' }, {
        tools: [
          { exposedName: 'list_notes', upstreamName: 'list_notes', description: 'Lists the notes.' },
          { exposedName: 'get_x_y', upstreamName: 'get.x/y' },
          { exposedName: 'add_note', upstreamName: 'add_note', hidden: 'denied' },
        ],
      }),
      // Aggregate exposure: the definition is the folder's, so no `mcp_<slug>_` is promised.
      view('agg', { kind: 'running' }, { definitionId: `${FOLDER.id}#aggregate`, tools: [{ exposedName: 'agg__list_notes', upstreamName: 'list_notes' }] }),
    ],
    [FOLDER],
  );
  const [work, agg] = instances([folder!]);
  const tools = work?.children as ToolNode[];
  assert.deepEqual(
    tools.map((tool) => [tool.label, tool.description, tool.contextValue, tool.icon?.id]),
    [
      ['list_notes', 'mcp_notes-work_list_notes', 'tool.allowed', 'tools'],
      ['get.x/y', 'mcp_notes-work_get_x_y', 'tool.allowed', 'tools'],
      ['add_note', 'denied: hidden from the model', 'tool.denied', 'circle-slash'],
    ],
  );
  assert.deepEqual(
    tools.map((tool) => tool.modelName),
    ['mcp_notes-work_list_notes', 'mcp_notes-work_get_x_y', 'mcp_notes-work_add_note'],
  );
  assert.match(tools[0]?.tooltip ?? '', /Lists the notes\./);
  assert.match(tools[0]?.tooltip ?? '', /The model calls it mcp_notes-work_list_notes/);
  assert.doesNotMatch(tools[2]?.tooltip ?? '', /The model calls it/, 'a denied tool is not called by the model');
  assert.equal(agg?.children[0]?.label, 'list_notes');
  assert.equal(agg?.children[0]?.description, 'agg__list_notes');
  assert.equal((agg?.children[0] as ToolNode).modelName, 'agg__list_notes');
});

test('the adapter redraws once per burst of runtime events, shows no rows without instances, and cleans up', () => {
  const { api, state } = createFakeVscode();
  state.addFolder('/ws/app', 'app');
  const runtime = new FakeRuntime();
  const timers = new ManualTimers();
  const tree = new InstancesTree(api, runtime, timers);
  let redraws = 0;
  tree.onDidChangeTreeData(() => redraws++);
  assert.deepEqual(tree.getChildren(), [], 'empty: the welcome view shows');
  runtime.instanceList = [view('work', { kind: 'starting', attempt: 1 }, { folderId: 'file:///ws/app' })];
  for (let i = 0; i < 5; i++) runtime.fireChange();
  timers.advance(TREE_COALESCE_MS);
  assert.equal(redraws, 1);
  const [folder] = tree.getChildren();
  assert.ok(folder);
  const item = tree.getTreeItem(folder);
  assert.equal(item.label, 'app');
  assert.equal(item.collapsibleState, FakeTreeItemCollapsibleState.Expanded);
  const instance = tree.getChildren(tree.getChildren(folder)[0]!)[0]!;
  const instanceItem = tree.getTreeItem(instance);
  assert.equal(instanceItem.contextValue, 'instance.starting');
  assert.equal(instanceItem.id, 'instance:file:///ws/app#notes/work');
  tree.dispose();
  assert.equal(runtime.listenerCount, 0);
  runtime.fireChange();
  timers.advance(TREE_COALESCE_MS);
  assert.equal(redraws, 1);
});

test('an instance whose configuration uses a ${secret:…} gets the secrets suffix, after the sign-in one; others do not', () => {
  const nodes = instances(
    buildTree(
      [
        view('work', { kind: 'running' }, { secrets: ['notes-work-key'] }),
        view('home', { kind: 'running' }),
        view('team', { kind: 'needs-secret', secrets: ['notes-team-key'] }, { secrets: ['notes-team-key'] }),
        view('cloud', { kind: 'stopped' }, { signsIn: true, secrets: ['client-secret'] }),
        view('plain', { kind: 'stopped' }, { signsIn: true, secrets: [] }),
      ],
      [FOLDER],
    ),
  );
  assert.deepEqual(
    nodes.map((node) => [node.label, node.contextValue]),
    [
      ['Work', `instance.running${USES_SECRETS_CONTEXT}`],
      ['Home', 'instance.running'],
      ['Team', 'instance.needsSecret.secrets'],
      ['Cloud', `instance.stopped${SIGNS_IN_CONTEXT}${USES_SECRETS_CONTEXT}`],
      ['Plain', 'instance.stopped.auth'],
    ],
  );
});

test('each hidden tool says why; the filter’s ones offer Allow Tool, a collided one Deny Tool', () => {
  const [folder] = buildTree(
    [
      view('work', { kind: 'running' }, {
        tools: [
          { exposedName: 'add_note', upstreamName: 'add_note', hidden: 'denied' },
          { exposedName: 'write', upstreamName: 'write', hidden: 'filtered' },
          { exposedName: 'a_b', upstreamName: 'a_b', hidden: 'collided' },
          { exposedName: 'read', upstreamName: 'read' },
        ],
      }),
    ],
    [FOLDER],
  );
  const [work] = instances([folder!]);
  assert.deepEqual(
    (work?.children as ToolNode[]).map((tool) => [tool.upstreamName, tool.description, tool.contextValue, tool.icon?.id, tool.hidden]),
    [
      ['add_note', 'denied: hidden from the model', 'tool.denied', 'circle-slash', 'denied'],
      ['write', 'not in tools.allow: hidden from the model', 'tool.denied', 'circle-slash', 'filtered'],
      ['a_b', 'name taken: hidden from the model', 'tool.allowed', 'warning', 'collided'],
      ['read', 'mcp_notes-work_read', 'tool.allowed', 'tools', undefined],
    ],
  );
  assert.match(work?.description ?? '', /1 tool$/, 'only exposed tools are counted');
});

test("an instance's tooltip shows its own roots as folders, or that it has none; the client's are not shown", () => {
  const nodes = instances(
    buildTree(
      [
        view('work', { kind: 'running' }, { roots: ['file:///data/work', 'https://example.com/repo'] }),
        view('personal', { kind: 'running' }, { roots: false }),
        view('shared', { kind: 'running' }),
      ],
      [FOLDER],
    ),
  );
  assert.match(nodes[0]?.tooltip ?? '', /Roots \(not the client's\):\n {2}\/data\/work\n {2}https:\/\/example\.com\/repo/);
  assert.match(nodes[1]?.tooltip ?? '', /Roots: none/);
  assert.doesNotMatch(nodes[2]?.tooltip ?? '', /Roots/);
});

test('an instance with a state folder shows it in its tooltip and hands it to its actions', () => {
  const stateDir = '/state/instances/app-1234abcd/notes/work';
  const [withState, without] = instances(buildTree([view('work', { kind: 'running' }, { stateDir }), view('personal', { kind: 'running' })], [FOLDER]));
  assert.match(withState?.tooltip ?? '', /State folder: \/state\/instances\/app-1234abcd\/notes\/work/);
  assert.equal(withState?.instance.stateDir, stateDir);
  assert.doesNotMatch(without?.tooltip ?? '', /State folder/);
  assert.equal(without?.instance.stateDir, undefined);
});

test('the server row\'s tooltip: what it starts, how many accounts and the state of each, where it is defined', () => {
  const launch = 'node /srv/notes.mjs --token ${secret:notes-key}';
  const [folder] = buildTree(
    [
      view('work', { kind: 'running' }, { launch, clients: 1 }),
      view('personal', { kind: 'failed', message: 'boom', retrying: false }, { launch }),
      view('team', { kind: 'needs-secret', secrets: ['notes-team-key'] }),
    ],
    [FOLDER],
  );
  const server = folder?.children[0] as ServerNode;
  assert.equal(server.contextValue, 'server');
  assert.deepEqual(server.tooltip?.split('\n'), [
    'Notes (server "notes")',
    `Starts: ${launch}`,
    '3 accounts:',
    '  Work (work): running · connected',
    '  Personal (personal): failed',
    '  Team (team): needs a secret',
    'Defined in /ws/app/.mcplex.jsonc',
  ]);

  // Instances that start differently (one overrides the url): each way, once.
  const [mixed] = buildTree([view('work', { kind: 'running' }, { launch: 'https://a.example/mcp' }), view('eu', { kind: 'running' }, { launch: 'https://eu.example/mcp' })], [FOLDER]);
  assert.match((mixed?.children[0] as ServerNode).tooltip ?? '', /^Starts:\n {2}https:\/\/a\.example\/mcp\n {2}https:\/\/eu\.example\/mcp$/m);
});

test('a server in accounts exposure: still its instances under it, the row and tooltips say it is one MCP server, tools under its name', () => {
  const together = { definitionId: `${FOLDER.id}#accounts:notes`, serverDefinition: { label: 'Notes', slug: 'notes' } };
  const tree = buildTree(
    [
      view('work', { kind: 'running' }, { ...together, tools: [{ exposedName: 'list_notes', upstreamName: 'list_notes' }] }),
      view('personal', { kind: 'stopped' }, together),
    ],
    [FOLDER],
  );
  const server = tree[0]?.children[0] as ServerNode;
  assert.equal(server.description, '1/2 running · one MCP server');
  assert.match(server.tooltip ?? '', /Served as one MCP server, "Notes" \(exposure "accounts"\).*mcp_notes_<tool>.*"account" parameter/);
  const [work, personal] = instances(tree);
  assert.deepEqual([work?.label, personal?.label], ['Work', 'Personal']);
  assert.match(work?.tooltip ?? '', /as one MCP server, "Notes": the model picks this one with account "work"/);
  assert.doesNotMatch(work?.tooltip ?? '', /VS Code names its tools mcp_notes-work_/);
  const tool = work?.children.find((child): child is ToolNode => child.kind === 'tool');
  assert.equal(tool?.description, 'mcp_notes_list_notes');
});
