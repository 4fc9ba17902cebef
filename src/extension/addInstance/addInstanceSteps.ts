/**
 * The questions of "Add Account Instance" up to the per-account values: folder, server,
 * prefix (checked as typed, with the tool names it leads to), label, and for a server whose
 * `auth` is a VS Code account, which account. Each step asks once, records the answer in the
 * flow's state and says whether the user went on, back or away; the walk between steps and
 * the write are addInstanceFlow.ts's. Here because the wording and checks of a question
 * change on their own, apart from how the flow is walked.
 */
import type * as vscode from 'vscode';
import { checkPrefix, defaultLabel, EditError, suggestPrefix, type AccountValue } from '../../core/edit';
import type { InstanceView } from '../../core/runtime';
import type { ConfigFiles } from '../inputs';
import { BACK, type Answer, type PickItem, type Prompter } from './prompter';
import { describeLaunch, serverChoices, vscodeAuthOf, type ServerChoice } from './serverChoices';

export const FLOW_TITLE = 'Add Account Instance';

export interface FlowDeps {
  readonly prompter: Prompter;
  readonly files: ConfigFiles;
  readonly storeSecret: (name: string, value: string) => Promise<void>;
  readonly instances: () => readonly InstanceView[];
  /** The file changed: re-read now rather than wait for the watcher. */
  readonly configChanged: (reason: string) => void;
  /** The accounts VS Code knows for an auth provider (`github`, `microsoft`), by label. */
  readonly accounts?: (provider: string) => Promise<readonly string[]>;
}

export interface FlowState {
  folder?: vscode.WorkspaceFolder;
  choice?: ServerChoice;
  prefix?: string;
  label?: string;
  /** For a server whose auth is a VS Code account: the one this instance uses (undefined: any). */
  account?: { readonly label: string | undefined };
  values: AccountValue[];
}

/** A step that does not apply (no VS Code account to choose): the flow moves on the way it was going. */
export const SKIP = Symbol('skip');

export async function askFolder(deps: FlowDeps, state: FlowState, folders: readonly vscode.WorkspaceFolder[], step: number, totalSteps: number): Promise<Answer<true>> {
  const folder = await deps.prompter.pick({
    title: FLOW_TITLE,
    step,
    totalSteps,
    placeholder: 'Which workspace folder gets the instance?',
    items: folders.map((candidate) => ({ label: candidate.name, description: candidate.uri.fsPath, value: candidate })),
  });
  if (folder === undefined || folder === BACK) return folder;
  state.folder = folder;
  return true;
}

export async function askServer(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
  const folder = state.folder;
  if (folder === undefined) return undefined;
  const choices = await serverChoices(deps.files, folder);
  if (choices.length === 0) {
    throw new EditError('not-found', `${folder.name} has no server yet: add one to .mcplex.jsonc ("MCPlex: Create Configuration") or to .vscode/mcp.json, then add its accounts.`);
  }
  const items: PickItem<ServerChoice>[] = choices.map((choice) => ({
    label: choice.label,
    description: choice.kind === 'config' ? `${choice.serverId} · in .mcplex.jsonc` : `from .vscode/mcp.json · imports it as "${choice.serverId}"`,
    detail: describeLaunch(choice),
    value: choice,
  }));
  const choice = await deps.prompter.pick({ title: FLOW_TITLE, step, totalSteps, canGoBack: step > 1, placeholder: 'Which MCP server is the account for?', items });
  if (choice === undefined || choice === BACK) return choice;
  if (state.choice?.serverId !== choice.serverId) state.values = [];
  state.choice = choice;
  return true;
}

/** Instance ids the server has: in the file, and from settings (the runtime knows those). */
export function takenPrefixes(deps: FlowDeps, state: FlowState): string[] {
  const choice = state.choice;
  if (choice === undefined || state.folder === undefined) return [];
  const folderId = state.folder.uri.toString();
  const fromRuntime = deps.instances().filter((view) => view.folderId === folderId && view.serverId === choice.serverId).map((view) => view.instanceId);
  const fromFile = choice.kind === 'config' ? Object.keys(choice.server.instances) : [];
  return [...new Set([...fromFile, ...fromRuntime])];
}

export async function askPrefix(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
  const choice = state.choice;
  if (choice === undefined) return undefined;
  const taken = takenPrefixes(deps, state);
  const sampleTool = deps
    .instances()
    .find((view) => view.serverId === choice.serverId && view.tools !== undefined && view.tools.length > 0)
    ?.tools?.[0]?.upstreamName;
  const context = { serverId: choice.serverId, taken, ...(sampleTool !== undefined && { sampleTool }) };
  const prefix = await deps.prompter.input({
    title: `${FLOW_TITLE}: ${choice.label}`,
    step,
    totalSteps,
    canGoBack: true,
    prompt: 'The prefix names the account (letters, digits, "_", "-").',
    value: state.prefix ?? wrappedAccount(choice, taken)?.prefix ?? suggestPrefix(taken),
    check: (value) => {
      const check = checkPrefix(value, context);
      return check.error !== undefined ? { error: check.error } : { hint: `Tools: ${check.vscodeName} in VS Code, ${check.prefixedName} elsewhere.` };
    },
  });
  if (prefix === undefined || prefix === BACK) return prefix;
  if (state.prefix !== prefix) delete state.label;
  state.prefix = prefix;
  return true;
}

export async function askLabel(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
  const { choice, prefix } = state;
  if (choice === undefined || prefix === undefined) return undefined;
  const label = await deps.prompter.input({
    title: `${FLOW_TITLE}: ${choice.label}`,
    step,
    totalSteps,
    canGoBack: true,
    prompt: `The label VS Code shows: "${choice.label} · <label>".`,
    value: state.label ?? wrappedLabel(choice, prefix) ?? defaultLabel(prefix),
    check: (value) => (value.trim() === '' ? { error: 'Enter a label, such as "Work".' } : {}),
  });
  if (label === undefined || label === BACK) return label;
  state.label = label.trim();
  return true;
}

export async function askAccount(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true> | typeof SKIP> {
  const auth = vscodeAuthOf(state.choice);
  if (auth === undefined || deps.accounts === undefined) {
    delete state.account;
    return SKIP;
  }
  const known = await deps.accounts(auth.provider);
  const provider = auth.provider === 'github' ? 'GitHub' : 'Microsoft';
  const items: PickItem<{ readonly label: string | undefined }>[] = [
    ...known.map((label) => ({ label, description: `${provider} account signed in to VS Code`, value: { label } })),
    {
      label: known.length === 0 ? `Any ${provider} account` : `Another ${provider} account`,
      description: 'chosen when it signs in ("MCPlex: Sign In")',
      value: { label: undefined },
    },
  ];
  const account = await deps.prompter.pick({
    title: `${FLOW_TITLE}: ${state.choice?.label ?? ''} · ${state.label ?? state.prefix ?? ''}`,
    step,
    totalSteps,
    canGoBack: true,
    placeholder: `Which ${provider} account does this instance use?`,
    items,
  });
  if (account === undefined || account === BACK) return account;
  state.account = account;
  return true;
}

/** The first account a wrapped mcp.json entry named and nothing has taken: the prefix to suggest. */
function wrappedAccount(choice: ServerChoice, taken: readonly string[]): { readonly prefix: string } | undefined {
  if (choice.kind !== 'mcpJson') return undefined;
  if (choice.group.entries.some((entry) => entry.prefix === undefined)) return undefined; // a plain entry: the account being added
  const prefix = choice.group.entries.find((entry) => entry.prefix !== undefined && !taken.includes(entry.prefix))?.prefix;
  return prefix === undefined ? undefined : { prefix };
}

/** The label the proxy gave this prefix (`--label`), when an mcp.json entry wrapped it. */
function wrappedLabel(choice: ServerChoice, prefix: string): string | undefined {
  return choice.kind === 'mcpJson' ? choice.group.entries.find((entry) => entry.prefix === prefix)?.label : undefined;
}
