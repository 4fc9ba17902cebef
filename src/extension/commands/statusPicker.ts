/**
 * The status bar's picker: an instance, then what its state calls for, first what fixes it
 * (needs a secret → Set Secret; needs a sign-in → Sign In; failed → Restart), then its own
 * log and its place in the file. Each action is the command the tree's menu runs, given the
 * instance as the tree gives it, so both behave alike.
 */
import type * as vscode from 'vscode';
import type { InstanceView } from '../../core/runtime';
import { instanceRef, renderState, showInstancePicker } from '../view';
import type { VsCodeApi } from '../vscodeApi';
import { MANAGE_TRUST_COMMAND } from '../inputs';
import { COMMANDS, type CommandId } from './commands';

export { MANAGE_TRUST_COMMAND };

export interface InstanceAction {
  /** With its codicon: `$(key) Set Secret…`. */
  readonly label: string;
  readonly command: CommandId | typeof MANAGE_TRUST_COMMAND;
}

const SET_SECRET: InstanceAction = { label: '$(key) Set Secret…', command: COMMANDS.setSecret };
const SIGN_IN: InstanceAction = { label: '$(account) Sign In…', command: COMMANDS.signIn };
const RESTART: InstanceAction = { label: '$(debug-restart) Restart', command: COMMANDS.restartInstance };
const START: InstanceAction = { label: '$(debug-start) Start', command: COMMANDS.startInstance };
const STOP: InstanceAction = { label: '$(debug-stop) Stop', command: COMMANDS.stopInstance };
const SHOW_LOG: InstanceAction = { label: '$(output) Show Log', command: COMMANDS.showInstanceLog };
const OPEN_IN_FILE: InstanceAction = { label: '$(go-to-file) Open in File', command: COMMANDS.openInstanceConfig };
const TRUST: InstanceAction = { label: '$(shield) Manage Workspace Trust…', command: MANAGE_TRUST_COMMAND };

const BY_STATE: Readonly<Record<InstanceView['status']['kind'], readonly InstanceAction[]>> = {
  'needs-secret': [SET_SECRET, SHOW_LOG, OPEN_IN_FILE],
  'needs-sign-in': [SIGN_IN, SHOW_LOG, OPEN_IN_FILE],
  failed: [RESTART, SHOW_LOG, OPEN_IN_FILE],
  running: [SHOW_LOG, RESTART, OPEN_IN_FILE],
  starting: [SHOW_LOG, STOP, OPEN_IN_FILE],
  stopped: [START, SHOW_LOG, OPEN_IN_FILE],
  untrusted: [TRUST, OPEN_IN_FILE],
};

/** What the picker offers for an instance, in order; "Open in File" only where it has a place. */
export function actionsFor(view: InstanceView): readonly InstanceAction[] {
  return BY_STATE[view.status.kind].filter((action) => action !== OPEN_IN_FILE || view.location !== undefined);
}

/** "MCPlex: Show Instances": pick an instance, then one of its actions, and run it. */
export async function showStatusPicker(api: Pick<VsCodeApi, 'window' | 'commands'>, instances: readonly InstanceView[]): Promise<void> {
  const view = await showInstancePicker(api, instances);
  if (view === undefined) return;
  const status = renderState(view.status, view.clients);
  const items: (vscode.QuickPickItem & { action: InstanceAction })[] = actionsFor(view).map((action) => ({ label: action.label, action }));
  const picked = await api.window.showQuickPick(items, { title: `${view.label}: ${status.text}`, placeHolder: status.detail ?? 'What to do with it' });
  if (picked === undefined) return;
  if (picked.action.command === MANAGE_TRUST_COMMAND) await api.commands.executeCommand(MANAGE_TRUST_COMMAND);
  else await api.commands.executeCommand(picked.action.command, { kind: 'instance', instance: instanceRef(view) });
}
