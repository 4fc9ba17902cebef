// One render table for an instance's state: the tree, the status bar, the instance picker
// and the log show the same icon and words for the same state, in every state; the icons,
// colours and context values are the ones the manifest's menus and the e2e tests know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstanceStatus } from '../../../../src/core/runtime';
import { instancePickItems } from '../../../../src/extension/view/instancePicker';
import { renderState, STATE_TABLE, stateLine } from '../../../../src/extension/view/stateRender';
import { statusBarView } from '../../../../src/extension/view/statusBar';
import { buildTree, type ServerNode } from '../../../../src/extension/view/treeModel';
import { instanceView } from '../../../helpers/instanceView';

// Keyed by kind, so a new state fails to compile until it is here.
const ONE_OF_EACH: Record<InstanceStatus['kind'], InstanceStatus> = {
  stopped: { kind: 'stopped' },
  starting: { kind: 'starting', attempt: 2 },
  running: { kind: 'running', pid: 123 },
  failed: { kind: 'failed', message: 'exited with code 1', retrying: true },
  'needs-secret': { kind: 'needs-secret', secrets: ['work-key'] },
  'needs-sign-in': { kind: 'needs-sign-in', message: 'notes/work needs you to sign in' },
  untrusted: { kind: 'untrusted' },
};

test('the tree, the status bar, the picker and the log render one state alike, in every state', () => {
  for (const status of Object.values(ONE_OF_EACH)) {
    const rendered = renderState(status);
    const view = instanceView({ folderId: 'f', status });
    const what = `${status.kind}: ${JSON.stringify(rendered)}`;

    const server = buildTree([view], [{ id: 'f', name: 'f' }])[0]?.children[0] as ServerNode;
    const node = server.children[0];
    assert.ok(node, what);
    assert.deepEqual(node.icon, rendered.icon, what);
    assert.equal(node.description, `${view.prefix} · ${rendered.text}`, what);
    assert.ok(node.tooltip?.includes(`State: ${rendered.text}${rendered.detail === undefined ? '' : `\n${rendered.detail}`}`), what);
    assert.equal(node.contextValue, `instance.${rendered.context}`, what);

    const [item] = instancePickItems([view]);
    assert.equal(item?.label, `${rendered.codicon} ${view.label}`, what);
    assert.equal(item?.description, rendered.text, what);
    assert.equal(item?.detail, rendered.detail, what);

    const bar = statusBarView([view], status.kind !== 'untrusted');
    assert.equal(bar.tooltip.split('\n')[1], `${view.label}: ${rendered.text}${rendered.detail === undefined ? '' : ` (${rendered.detail})`}`, what);
    if (status.kind !== 'running' && status.kind !== 'stopped') assert.ok(bar.text.startsWith(`${rendered.codicon} `), `${what}: ${bar.text}`);

    assert.ok(stateLine(status).startsWith(rendered.text), `${what}: ${stateLine(status)}`);
    assert.equal(rendered.codicon, `$(${rendered.icon.id})`, what);
  }
});

test('icons, colours and context values stay what the manifest and the e2e tests match', () => {
  const table = Object.fromEntries(Object.entries(STATE_TABLE).map(([kind, row]) => [kind, [row.icon, row.color, row.context]]));
  assert.deepEqual(table, {
    stopped: ['circle-outline', undefined, 'stopped'],
    starting: ['sync~spin', undefined, 'starting'],
    running: ['pass', 'testing.iconPassed', 'running'],
    failed: ['error', 'errorForeground', 'failed'],
    'needs-secret': ['key', 'list.warningForeground', 'needsSecret'],
    'needs-sign-in': ['account', 'list.warningForeground', 'needsSignIn'],
    untrusted: ['shield', 'list.warningForeground', 'untrusted'],
  });
});

test('the log line: the words, a note only the log adds, and the detail', () => {
  assert.deepEqual(
    Object.values(ONE_OF_EACH).map((status) => stateLine(status)),
    [
      'stopped',
      'starting (attempt 2)',
      'running (pid 123)',
      'failed, retrying: exited with code 1',
      'needs a secret: Set ${secret:work-key} to start it.',
      'needs a sign-in: notes/work needs you to sign in',
      'untrusted: Trust this workspace to start it.',
    ],
  );
  assert.equal(stateLine({ kind: 'running' }), 'running');
  assert.equal(stateLine({ kind: 'failed', message: 'boom', retrying: false }), 'failed: boom');
  assert.equal(stateLine({ kind: 'starting', attempt: 1 }), 'starting');
});

test('the status bar counts with the table’s words and backgrounds', () => {
  const many = (status: InstanceStatus) => [instanceView({ instanceId: 'work', status }), instanceView({ instanceId: 'home', status })];
  assert.deepEqual(statusBarView(many({ kind: 'needs-secret', secrets: ['k'] }), true).text, '$(key) 2 need a secret');
  assert.deepEqual(statusBarView(many({ kind: 'needs-sign-in', message: 'm' }), true).text, '$(account) 2 need a sign-in');
  assert.equal(statusBarView(many({ kind: 'needs-sign-in', message: 'm' }), true).background, 'statusBarItem.warningBackground');
  assert.equal(statusBarView(many({ kind: 'failed', message: 'm', retrying: false }), true).background, 'statusBarItem.errorBackground');
  assert.equal(statusBarView(many({ kind: 'starting', attempt: 1 }), true).background, undefined);
  assert.equal(statusBarView(many({ kind: 'running' }), true).text, '$(server) 2 running');
  assert.equal(statusBarView(many({ kind: 'stopped' }), true).text, '$(server) 0 running');
});

test('running says whether VS Code has connected, the same in the tree, the picker and the status bar, explained in the tooltip', () => {
  for (const [clients, words] of [
    [0, 'running · not connected by VS Code yet'],
    [1, 'running · connected'],
    [2, 'running · connected'],
  ] as const) {
    const rendered = renderState({ kind: 'running', pid: 1 }, clients);
    assert.equal(rendered.text, words);
    assert.ok(rendered.explanation !== undefined && rendered.explanation.length > 0);
    const view = instanceView({ folderId: 'f', status: { kind: 'running', pid: 1 }, clients });
    const server = buildTree([view], [{ id: 'f', name: 'f' }])[0]?.children[0] as ServerNode;
    const node = server.children[0];
    assert.equal(node?.description, `${view.prefix} · ${words}`);
    assert.ok(node?.tooltip?.includes(`State: ${words}\n${rendered.explanation}`), node?.tooltip);
    assert.equal(instancePickItems([view])[0]?.description, words);
    assert.equal(statusBarView([view], true).tooltip.split('\n')[1], `${view.label}: ${words}`);
  }
  assert.match(renderState({ kind: 'running' }, 0).explanation ?? '', /MCP: List Servers" shows it as Stopped/);
  // Only a running upstream has a connection to speak of; without a count (no endpoint), the state alone.
  assert.equal(renderState({ kind: 'running' }).text, 'running');
  assert.equal(renderState({ kind: 'failed', message: 'boom', retrying: false }, 0).text, 'failed');
  assert.equal(renderState({ kind: 'starting', attempt: 1 }, 1).text, 'starting');
});
