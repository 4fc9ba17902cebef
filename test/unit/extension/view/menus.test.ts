// The Instances view's context values and the manifest's `view/item/context` menus agree:
// "Set Secret" shows only on instances whose configuration uses a `${secret:NAME}` (and
// stays in the command palette and the view title), and the secrets suffix takes no other
// action away from any state, with or without a sign-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstanceStatus } from '../../../../src/core/runtime';
import { instanceView } from '../../../helpers/instanceView';
import { COMMANDS } from '../../../../src/extension/commands/commands';
import { buildTree, type ServerNode } from '../../../../src/extension/view/treeModel';

interface MenuEntry {
  readonly command: string;
  readonly when?: string;
  readonly group?: string;
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuEntry[]> };
};
const itemMenu = manifest.contributes.menus['view/item/context'] ?? [];

/** The `viewItem` part of a `when` clause (`== value` or `=~ /regex/`); the rest (view, trust) is taken as true. */
function matchesViewItem(when: string | undefined, viewItem: string): boolean {
  const pattern = /viewItem =~ \/(.+?)\/(?: |$)/.exec(when ?? '')?.[1];
  if (pattern !== undefined) return new RegExp(pattern).test(viewItem);
  const equals = /viewItem == (\S+)/.exec(when ?? '')?.[1];
  return equals === undefined || equals === viewItem;
}

/** `command@group` of every item-menu entry shown for a node with this context value. */
function menuFor(viewItem: string): string[] {
  return itemMenu.filter((entry) => matchesViewItem(entry.when, viewItem)).map((entry) => `${entry.command}@${entry.group ?? ''}`);
}

const STATUSES: InstanceStatus[] = [
  { kind: 'running' },
  { kind: 'starting', attempt: 1 },
  { kind: 'failed', message: 'boom', retrying: false },
  { kind: 'stopped' },
  { kind: 'untrusted' },
  { kind: 'needs-secret', secrets: ['key'] },
  { kind: 'needs-sign-in', message: 'sign in' },
];

/** The context value the tree gives an instance in this state. */
function contextValue(status: InstanceStatus, signsIn: boolean, secrets: readonly string[]): string {
  const view = instanceView({
    folderId: 'f',
    status,
    ...(signsIn && { signsIn }),
    ...(secrets.length > 0 && { secrets }),
  });
  const server = buildTree([view], [{ id: 'f', name: 'f' }])[0]?.children[0] as ServerNode;
  const node = server.children[0];
  assert.ok(node);
  return node.contextValue;
}

const SET_SECRET_MENU = `${COMMANDS.setSecret}@3_secrets@1`;

test('Set Secret is in the context menu of exactly the instances that use a secret, in every state', () => {
  for (const status of STATUSES) {
    for (const signsIn of [false, true]) {
      const uses = contextValue(status, signsIn, ['key']);
      const none = contextValue(status, signsIn, []);
      assert.ok(menuFor(uses).includes(SET_SECRET_MENU), `${uses} offers Set Secret`);
      assert.ok(!menuFor(none).includes(SET_SECRET_MENU), `${none} does not offer Set Secret`);
    }
  }
});

test('the secrets suffix takes no other action away: every state offers the same menus with and without it', () => {
  for (const status of STATUSES) {
    for (const signsIn of [false, true]) {
      const uses = contextValue(status, signsIn, ['key']);
      const none = contextValue(status, signsIn, []);
      assert.deepEqual(menuFor(uses).filter((entry) => entry !== SET_SECRET_MENU), menuFor(none), `${uses} vs ${none}`);
    }
  }
  // And the menus are the ones the states call for, so the comparison above is not of two empty lists.
  const running = menuFor(contextValue({ kind: 'running' }, true, ['key']));
  for (const command of [COMMANDS.stopInstance, COMMANDS.restartInstance, COMMANDS.signIn, COMMANDS.signOut, COMMANDS.setSecret]) {
    assert.ok(running.some((entry) => entry.startsWith(`${command}@`)), `a running instance that signs in and uses a secret offers ${command}`);
  }
  assert.ok(menuFor(contextValue({ kind: 'needs-secret', secrets: ['key'] }, false, ['key'])).includes(`${COMMANDS.setSecret}@inline@1`));
  assert.ok(menuFor(contextValue({ kind: 'needs-sign-in', message: 'm' }, true, ['key'])).includes(`${COMMANDS.signIn}@inline@1`));
  assert.ok(menuFor(contextValue({ kind: 'stopped' }, false, ['key'])).includes(`${COMMANDS.startInstance}@inline@1`));
});

test('Set Secret stays in the command palette and the view title', () => {
  const palette = manifest.contributes.menus['commandPalette'] ?? [];
  const hidden = palette.filter((entry) => entry.command === COMMANDS.setSecret && entry.when !== undefined && /false|viewItem/.test(entry.when));
  assert.deepEqual(hidden, []);
  assert.ok((manifest.contributes.menus['view/title'] ?? []).some((entry) => entry.command === COMMANDS.setSecret));
});

test('a failed instance offers one way back, Restart; no state offers both Start and Restart', () => {
  for (const status of STATUSES) {
    for (const signsIn of [false, true]) {
      const menu = menuFor(contextValue(status, signsIn, []));
      const offers = (command: string): boolean => menu.some((entry) => entry.startsWith(`${command}@`));
      assert.ok(!(offers(COMMANDS.startInstance) && offers(COMMANDS.restartInstance)), `${status.kind}: ${menu.join(', ')}`);
    }
  }
  const failed = menuFor(contextValue({ kind: 'failed', message: 'boom', retrying: false }, false, []));
  assert.ok(failed.includes(`${COMMANDS.restartInstance}@inline@2`), failed.join(', '));
  assert.ok(failed.includes(`${COMMANDS.restartInstance}@1_lifecycle@3`), failed.join(', '));
});

test('the server row offers Add Account to This Server and Restart This Server\'s Instances, and no instance action', () => {
  const server = buildTree([instanceView({ folderId: 'f' })], [{ id: 'f', name: 'f' }])[0]?.children[0] as ServerNode;
  const menu = menuFor(server.contextValue).map((entry) => entry.split('@')[0]);
  assert.deepEqual([...new Set(menu)].sort(), [COMMANDS.addAccountToServer, COMMANDS.restartServer].sort(), menu.join(', '));
  for (const status of STATUSES) {
    const instanceMenu = menuFor(contextValue(status, true, ['key']));
    assert.ok(!instanceMenu.some((entry) => entry.startsWith(`${COMMANDS.addAccountToServer}@`) || entry.startsWith(`${COMMANDS.restartServer}@`)), instanceMenu.join(', '));
  }
  // Restarting is for a trusted workspace, as every instance's restart; both need a row, so not in the palette.
  const restart = itemMenu.find((entry) => entry.command === COMMANDS.restartServer);
  assert.match(restart?.when ?? '', /mcplex\.trusted/);
  const palette = manifest.contributes.menus['commandPalette'] ?? [];
  for (const command of [COMMANDS.addAccountToServer, COMMANDS.restartServer]) assert.equal(palette.find((entry) => entry.command === command)?.when, 'false');
});

test('Manage Workspace Trust is in the view\'s title bar only while the workspace is untrusted', () => {
  const title = (manifest.contributes.menus['view/title'] ?? []).filter((entry) => entry.command === COMMANDS.manageTrust);
  assert.deepEqual(title.map((entry) => [entry.when, entry.group]), [['view == mcplex.instances && !mcplex.trusted', 'navigation@0']]);
});
