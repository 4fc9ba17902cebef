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
import { copilotServerName, definitionLabel } from '../../core/naming';
import type { InstanceView } from '../../core/runtime';
import type { ConfigFiles } from '../inputs';
import { BACK, type Answer, type PickItem, type Prompter } from './prompter';
import { describeLaunch, serverChoices, vscodeAuthOf, type ServerChoice } from './serverChoices';

export const FLOW_TITLE = 'Add Account Instance';

/** The title of the flow's boxes. */
export function titleOf(state: Pick<FlowState, 'title'>): string {
  return state.title ?? FLOW_TITLE;
}

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
  /** The flow's name in every box's title (Add Account Instance unless another flow walks these steps). */
  title?: string;
  /** The folder's servers, read once its folder is known; with one, it is the choice without asking. */
  choices?: readonly ServerChoice[];
}

export async function askFolder(deps: FlowDeps, state: FlowState, folders: readonly vscode.WorkspaceFolder[], step: number, totalSteps: number): Promise<Answer<true>> {
  const folder = await deps.prompter.pick({
    title: titleOf(state),
    step,
    totalSteps,
    placeholder: 'Which workspace folder gets the instance?',
    items: folders.map((candidate) => ({ label: candidate.name, description: candidate.uri.fsPath, value: candidate })),
  });
  if (folder === undefined || folder === BACK) return folder;
  state.folder = folder;
  await loadChoices(deps, state);
  return true;
}

/** Reads the folder's servers into the state (throws when it has none); a single one is chosen. */
export async function loadChoices(deps: FlowDeps, state: FlowState): Promise<void> {
  const folder = state.folder;
  if (folder === undefined) return;
  const choices = await serverChoices(deps.files, folder);
  if (choices.length === 0) {
    throw new EditError('not-found', `${folder.name} has no server yet: add one to .mcplex.jsonc ("MCPlex: Create Configuration") or to .vscode/mcp.json, then add its accounts.`);
  }
  state.choices = choices;
  const [only] = choices;
  if (choices.length === 1 && only !== undefined) setChoice(state, only);
}

/** The server question is shown only when there is a choice to make. */
export function showsServer(state: FlowState): boolean {
  return state.choices === undefined || state.choices.length > 1;
}

export async function askServer(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
  if (state.choices === undefined) await loadChoices(deps, state);
  const choices = state.choices ?? [];
  const items: PickItem<ServerChoice>[] = choices.map((choice) => ({
    label: choice.label,
    description: choice.kind === 'config' ? `${choice.serverId} · in .mcplex.jsonc` : `from .vscode/mcp.json · imports it as "${choice.serverId}"`,
    detail: describeLaunch(choice),
    value: choice,
  }));
  const choice = await deps.prompter.pick({ title: titleOf(state), step, totalSteps, canGoBack: step > 1, placeholder: 'Which MCP server is the account for?', items });
  if (choice === undefined || choice === BACK) return choice;
  setChoice(state, choice);
  return true;
}

function setChoice(state: FlowState, choice: ServerChoice): void {
  if (state.choice?.serverId !== choice.serverId) state.values = [];
  state.choice = choice;
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
    title: `${titleOf(state)}: ${choice.label}`,
    step,
    totalSteps,
    canGoBack: step > 1,
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
    title: `${titleOf(state)}: ${choice.label}`,
    step,
    totalSteps,
    canGoBack: true,
    prompt: 'The label VS Code shows after the server\'s name.',
    value: state.label ?? wrappedLabel(choice, prefix) ?? defaultLabel(prefix),
    check: (value) => labelCheck(choice.label, value),
  });
  if (label === undefined || label === BACK) return label;
  state.label = label.trim();
  return true;
}

/** The account question is shown only for a server whose auth is a VS Code account. */
export function showsAccount(deps: FlowDeps, state: FlowState): boolean {
  // An account picked for another server stays in the state unused: the write and the clone check read it only under a VS Code auth.
  return vscodeAuthOf(state.choice) !== undefined && deps.accounts !== undefined;
}

export async function askAccount(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
  const auth = vscodeAuthOf(state.choice);
  if (auth === undefined || deps.accounts === undefined) return undefined;
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
    title: `${titleOf(state)}: ${definitionLabel(state.choice?.label ?? '', [state.label ?? state.prefix ?? ''])}`,
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

/**
 * The label step's answer: the definition label VS Code will show, and the name Copilot CLI
 * derives from it (core/naming `copilotServerName`), so a label that reads badly there is
 * seen before it is written.
 */
export function labelCheck(serverLabel: string, value: string): { error: string } | { hint: string } {
  if (value.trim() === '') return { error: 'Enter a label, such as "Work".' };
  const label = definitionLabel(serverLabel, [value.trim()]);
  const name = copilotServerName(label);
  return { hint: `VS Code shows "${label}"${name === undefined ? '' : `, Copilot CLI "${name}"`}.` };
}
