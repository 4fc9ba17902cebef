/**
 * "MCPlex: Add Account Instance": folder (when there are several) → server (one of
 * `.mcplex.jsonc`, or one of `.vscode/mcp.json` to import) → prefix (checked as typed,
 * with the tool names it leads to) → label → for a server whose `auth` is a VS Code
 * account, which account (those VS Code knows) → the values that differ per account (env
 * entries, headers; each may be kept in SecretStorage) → the instance written into the
 * file; an import then offers to remove what it imported from mcp.json (it would run beside
 * the instance). Every step has a back button. The decisions are core/edit's pure functions; this
 * file walks the steps (addInstanceSteps.ts, accountValuesStep.ts) and writes the result.
 */
import type * as vscode from 'vscode';
import { addInstance, addServer, checkPrefix, EditError, planInstance, setValue } from '../../core/edit';
import { askValues } from './accountValuesStep';
import { importedFields, offerRemoval } from './importStep';
import { askAccount, askFolder, askLabel, askPrefix, askServer, SKIP, takenPrefixes, type FlowDeps, type FlowState } from './addInstanceSteps';
import { BACK, type Answer } from './prompter';
import { serverChoices, vscodeAuthOf } from './serverChoices';

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
  const preset = start === undefined ? undefined : (await serverChoices(deps.files, start.folder)).find((choice) => choice.serverId === start.serverId);
  const state: FlowState = { values: [], ...(folder !== undefined && { folder }), ...(preset !== undefined && { choice: preset }) };
  const steps: ((step: number, total: number) => Promise<Answer<true> | typeof SKIP>)[] = [
    ...(folder === undefined ? [(step: number, total: number) => askFolder(deps, state, folders, step, total)] : []),
    ...(preset === undefined ? [(step: number, total: number) => askServer(deps, state, step, total)] : []),
    (step, total) => askPrefix(deps, state, step, total),
    (step, total) => askLabel(deps, state, step, total),
    (step, total) => askAccount(deps, state, step, total),
    (step, total) => askValues(deps, state, step, total),
  ];
  let forward = true;
  for (let index = 0; index < steps.length; ) {
    const answer = await steps[index]?.(index + 1, steps.length);
    if (answer === undefined) return undefined;
    forward = answer === SKIP ? forward : answer !== BACK;
    index = forward ? index + 1 : Math.max(0, index - 1);
  }
  return write(deps, state);
}

async function write(deps: FlowDeps, state: FlowState): Promise<AddedInstance | undefined> {
  const { folder, choice, prefix, label } = state;
  if (folder === undefined || choice === undefined || prefix === undefined || label === undefined) return undefined;
  const plan = planInstance({ serverId: choice.serverId, prefix, label, values: state.values });
  // Secrets first: the file's ${secret:…} must find them when the watcher reloads.
  for (const [name, value] of plan.secrets) await deps.storeSecret(name, value);
  const auth = vscodeAuthOf(choice);
  const account = state.account?.label;
  await deps.files.edit(deps.files.configUri(folder), (text) => {
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
