/**
 * "MCPlex: Add Account Instance": folder (when there are several) → server (one of
 * `.mcplex.jsonc`, or one of `.vscode/mcp.json` to import) → prefix (checked as typed,
 * with the tool names it leads to) → label → for a server whose `auth` is a VS Code
 * account, which account (those VS Code knows) → the values that differ per account (env
 * entries, headers; each may be kept in SecretStorage) → the instance written into the
 * file; an import then offers to remove what it imported from mcp.json (it would run beside
 * the instance). Every step but the first has a back button; a question with one possible
 * answer (one folder, one server) is not asked. The decisions are core/edit's pure functions;
 * this file lists the steps (addInstanceSteps.ts, accountValuesStep.ts), walks them
 * (flowWalk.ts) and writes the result. Add a Second Account (secondAccountFlow.ts) walks the
 * same account steps after its own.
 */
import type * as vscode from 'vscode';
import { addInstance, addServer, checkPrefix, EditError, planInstance, setValue } from '../../core/edit';
import { askValues } from './accountValuesStep';
import { importedFields, offerRemoval } from './importStep';
import { askAccount, askFolder, askLabel, askPrefix, askServer, loadChoices, showsAccount, showsServer, takenPrefixes, type FlowDeps, type FlowState } from './addInstanceSteps';
import { always, walkSteps, type FlowStep } from './flowWalk';
import { vscodeAuthOf } from './serverChoices';

export { FLOW_TITLE, type FlowDeps } from './addInstanceSteps';
export { serverChoices, type ServerChoice } from './serverChoices';

export interface AddedInstance {
  readonly folder: vscode.WorkspaceFolder;
  readonly serverId: string;
  readonly prefix: string;
  readonly label: string;
  readonly imported: boolean;
  readonly vscodeName: string;
}

/** A flow started from a server row: its folder and server are not asked. */
export interface FlowStart {
  readonly folder: vscode.WorkspaceFolder;
  readonly serverId: string;
}

/** Runs the flow; undefined when the user cancels. Throws EditError when the file cannot be edited. */
export async function addAccountInstance(deps: FlowDeps, start?: FlowStart): Promise<AddedInstance | undefined> {
  const folders = deps.files.folders();
  if (folders.length === 0) throw new EditError('not-found', 'Open a folder first: MCPlex keeps instances in the folder\'s .mcplex.jsonc.');
  const folder = start?.folder ?? (folders.length === 1 ? folders[0] : undefined);
  const state: FlowState = { values: [], ...(folder !== undefined && { folder }) };
  if (state.folder !== undefined) await loadChoices(deps, state);
  // Started from a server row: its folder and server are answered already.
  const preset = start === undefined ? undefined : state.choices?.find((choice) => choice.serverId === start.serverId);
  if (preset !== undefined) state.choice = preset;
  const steps: FlowStep[] = [
    { shows: () => start === undefined && folders.length > 1, ask: (step, total) => askFolder(deps, state, folders, step, total) },
    { shows: () => preset === undefined && showsServer(state), ask: (step, total) => askServer(deps, state, step, total) },
    ...accountSteps(deps, state),
  ];
  if (!(await walkSteps(steps))) return undefined;
  return writeInstance(deps, state);
}

/** The questions about the account itself, once its server is chosen: prefix, label, VS Code account, values. */
export function accountSteps(deps: FlowDeps, state: FlowState): FlowStep[] {
  return [
    { shows: always, ask: (step, total) => askPrefix(deps, state, step, total) },
    { shows: always, ask: (step, total) => askLabel(deps, state, step, total) },
    { shows: () => showsAccount(deps, state), ask: (step, total) => askAccount(deps, state, step, total) },
    { shows: always, ask: (step, total) => askValues(deps, state, step, total) },
  ];
}

/**
 * Writes the instance the answers describe (secrets first), then, for an import, offers to
 * remove the entry from mcp.json. `before` edits the file first in the same write (Add a
 * Second Account: the imported server with its first account).
 */
export async function writeInstance(deps: FlowDeps, state: FlowState, before?: (text: string | undefined) => string): Promise<AddedInstance | undefined> {
  const { folder, choice, prefix, label } = state;
  if (folder === undefined || choice === undefined || prefix === undefined || label === undefined) return undefined;
  const plan = planInstance({ serverId: choice.serverId, prefix, label, values: state.values });
  // Secrets first: the file's ${secret:…} must find them when the watcher reloads.
  for (const [name, value] of plan.secrets) await deps.storeSecret(name, value);
  const auth = vscodeAuthOf(choice);
  const account = state.account?.label;
  await deps.files.edit(deps.files.configUri(folder), (current) => {
    const text = before === undefined ? current : before(current);
    const added =
      choice.kind === 'mcpJson'
        ? addServer(text, choice.serverId, importedFields(choice, prefix, plan.fields))
        : addInstance(text, choice.serverId, prefix, plan.fields);
    // An instance's auth replaces its server's whole: the server's, with this account.
    if (auth === undefined || account === undefined) return added;
    return setValue(added, ['servers', choice.serverId, 'instances', prefix, 'auth'], { type: 'vscode', provider: auth.provider, scopes: [...auth.scopes], account });
  });
  deps.configChanged(`instance ${choice.serverId}/${prefix} added`);
  if (choice.kind === 'mcpJson') await offerRemoval(deps, folder, choice);
  const check = checkPrefix(prefix, { serverId: choice.serverId, taken: takenPrefixes(deps, state).filter((id) => id !== prefix) });
  return { folder, serverId: choice.serverId, prefix, label, imported: choice.kind === 'mcpJson', vscodeName: check.vscodeName ?? prefix };
}
