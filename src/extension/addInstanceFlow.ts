/**
 * "MCPlex: Add Account Instance": folder (when there are several) → server (one of
 * `.mcplex.jsonc`, or one of `.vscode/mcp.json` to import) → prefix (checked as typed,
 * with the tool names it leads to) → label → for a server whose `auth` is a VS Code
 * account, which account (those VS Code knows) → the values that differ per account (env
 * entries, headers; each may be kept in SecretStorage) → the instance written into the
 * file. Every step has a back button. The decisions are core/edit's pure functions; this
 * file only asks and writes.
 */
import type * as vscode from 'vscode';
import { parseConfig, type ServerConfig } from '../core/config';
import {
  addInstance,
  addServer,
  checkPrefix,
  defaultLabel,
  EditError,
  importedServerFields,
  parseMcpJson,
  planInstance,
  setValue,
  serverIdFor,
  suggestPrefix,
  type AccountValue,
  type McpJsonServer,
} from '../core/edit';
import type { InstanceView } from '../core/runtime';
import type { ConfigFiles } from './configFiles';
import { BACK, type Answer, type PickItem, type Prompter } from './prompter';

export const FLOW_TITLE = 'Add Account Instance';

export type ServerChoice =
  | { readonly kind: 'config'; readonly serverId: string; readonly label: string; readonly server: ServerConfig }
  | { readonly kind: 'mcpJson'; readonly serverId: string; readonly label: string; readonly server: McpJsonServer };

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

export interface AddedInstance {
  readonly folder: vscode.WorkspaceFolder;
  readonly serverId: string;
  readonly prefix: string;
  readonly label: string;
  readonly imported: boolean;
  readonly vscodeName: string;
}

/** Names that look like credentials: their values default to SecretStorage. */
const SECRET_LOOKING = /token|key|secret|password|passwd|auth|credential|cookie/i;

interface FlowState {
  folder?: vscode.WorkspaceFolder;
  choice?: ServerChoice;
  prefix?: string;
  label?: string;
  /** For a server whose auth is a VS Code account: the one this instance uses (undefined: any). */
  account?: { readonly label: string | undefined };
  values: AccountValue[];
}

/** A step that does not apply (no VS Code account to choose): the flow moves on the way it was going. */
const SKIP = Symbol('skip');

/** Runs the flow; undefined when the user cancels. Throws EditError when the file cannot be edited. */
export async function addAccountInstance(deps: FlowDeps): Promise<AddedInstance | undefined> {
  const folders = deps.files.folders();
  if (folders.length === 0) throw new EditError('not-found', 'Open a folder first: MCPlex keeps instances in the folder\'s .mcplex.jsonc.');
  const state: FlowState = { values: [], ...(folders.length === 1 && { folder: folders[0] }) };
  const steps: ((step: number, total: number) => Promise<Answer<true> | typeof SKIP>)[] = [
    ...(folders.length > 1 ? [(step: number, total: number) => askFolder(deps, state, folders, step, total)] : []),
    (step, total) => askServer(deps, state, step, total),
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

async function askFolder(deps: FlowDeps, state: FlowState, folders: readonly vscode.WorkspaceFolder[], step: number, totalSteps: number): Promise<Answer<true>> {
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

/** The servers of the folder's `.mcplex.jsonc`, then those of `.vscode/mcp.json` not imported yet. */
export async function serverChoices(files: ConfigFiles, folder: vscode.WorkspaceFolder): Promise<ServerChoice[]> {
  const configUri = files.configUri(folder);
  const text = await files.read(configUri);
  const config = text === undefined ? undefined : parseConfig(text, configUri.fsPath, { checkRunnable: false }).config;
  const choices: ServerChoice[] = Object.entries(config?.servers ?? {}).map(([serverId, server]) => ({
    kind: 'config',
    serverId,
    label: server.label ?? serverId,
    server,
  }));
  const mcpText = await files.read(files.mcpJsonUri(folder));
  const imported = mcpText === undefined ? [] : safeParseMcpJson(mcpText);
  const taken = new Set(choices.map((choice) => choice.serverId));
  for (const server of imported) {
    const serverId = serverIdFor(server.name);
    if (taken.has(serverId)) continue;
    taken.add(serverId);
    choices.push({ kind: 'mcpJson', serverId, label: server.name, server });
  }
  return choices;
}

function safeParseMcpJson(text: string): McpJsonServer[] {
  try {
    return parseMcpJson(text);
  } catch {
    return []; // VS Code reports a broken mcp.json itself.
  }
}

async function askServer(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
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

function describeLaunch(choice: ServerChoice): string {
  const { command, url } = choice.server;
  const args = choice.kind === 'config' ? choice.server.args ?? [] : choice.server.args;
  return url ?? [command ?? '', ...args].join(' ');
}

/** Instance ids the server has: in the file, and from settings (the runtime knows those). */
function takenPrefixes(deps: FlowDeps, state: FlowState): string[] {
  const choice = state.choice;
  if (choice === undefined || state.folder === undefined) return [];
  const folderId = state.folder.uri.toString();
  const fromRuntime = deps.instances().filter((view) => view.folderId === folderId && view.serverId === choice.serverId).map((view) => view.instanceId);
  const fromFile = choice.kind === 'config' ? Object.keys(choice.server.instances) : [];
  return [...new Set([...fromFile, ...fromRuntime])];
}

async function askPrefix(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
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
    value: state.prefix ?? suggestPrefix(taken),
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

async function askLabel(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
  const { choice, prefix } = state;
  if (choice === undefined || prefix === undefined) return undefined;
  const label = await deps.prompter.input({
    title: `${FLOW_TITLE}: ${choice.label}`,
    step,
    totalSteps,
    canGoBack: true,
    prompt: `The label VS Code shows: "${choice.label} · <label>".`,
    value: state.label ?? defaultLabel(prefix),
    check: (value) => (value.trim() === '' ? { error: 'Enter a label, such as "Work".' } : {}),
  });
  if (label === undefined || label === BACK) return label;
  state.label = label.trim();
  return true;
}

/** The server's auth when it is a VS Code account (only servers of `.mcplex.jsonc` have one). */
function vscodeAuthOf(choice: ServerChoice | undefined): Extract<NonNullable<ServerConfig['auth']>, { type: 'vscode' }> | undefined {
  const auth = choice?.kind === 'config' ? choice.server.auth : undefined;
  return auth?.type === 'vscode' ? auth : undefined;
}

async function askAccount(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true> | typeof SKIP> {
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

type ValueAction = { readonly kind: 'done' } | { readonly kind: 'key'; readonly target: 'env' | 'headers'; readonly key?: string; readonly secretHint: boolean };

async function askValues(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
  const { choice, prefix } = state;
  if (choice === undefined || prefix === undefined) return undefined;
  for (;;) {
    const action = await deps.prompter.pick<ValueAction>({
      title: `${FLOW_TITLE}: ${choice.label} · ${state.label ?? prefix}`,
      step,
      totalSteps,
      canGoBack: true,
      placeholder: 'Values that differ for this account (env, headers), then write the instance',
      items: valueItems(choice, state.values),
    });
    if (action === undefined || action === BACK) return action;
    if (action.kind === 'done') return true;
    const entry = await askValue(deps, choice, action, step, totalSteps);
    if (entry === undefined) continue; // back to the list
    state.values = [...state.values.filter((value) => !(value.target === entry.target && value.key === entry.key)), entry];
  }
}

function valueItems(choice: ServerChoice, values: readonly AccountValue[]): PickItem<ValueAction>[] {
  const set = (target: 'env' | 'headers', key: string) => values.find((value) => value.target === target && value.key === key);
  const remote = choice.server.url !== undefined;
  const existing: { target: 'env' | 'headers'; key: string; value: string }[] = [
    ...Object.entries(choice.server.env ?? {}).map(([key, value]) => ({ target: 'env' as const, key, value })),
    ...Object.entries(choice.server.headers ?? {}).map(([key, value]) => ({ target: 'headers' as const, key, value })),
  ];
  for (const value of values) if (!existing.some((entry) => entry.target === value.target && entry.key === value.key)) existing.push({ ...value, value: '' });
  const summary = values.length === 0 ? 'nothing set for this account' : `${values.length} value${values.length === 1 ? '' : 's'} set`;
  return [
    { label: '$(check) Write the instance', description: summary, value: { kind: 'done' } },
    ...existing.map(({ target, key, value }) => {
      const mine = set(target, key);
      const fromInput = /\$\{input:/.test(value);
      const description = mine !== undefined ? (mine.secret ? 'set for this account (secret)' : `set for this account: ${mine.value}`) : fromInput ? 'needs a value for each account' : value === '' ? '' : `inherits ${value}`;
      return {
        label: `$(edit) ${key}`,
        description: `${target === 'env' ? 'env' : 'header'} · ${description}`,
        value: { kind: 'key', target, key, secretHint: fromInput || SECRET_LOOKING.test(key) || /\$\{secret:/.test(value) },
      } as PickItem<ValueAction>;
    }),
    { label: '$(add) Add an environment variable…', value: { kind: 'key', target: 'env', secretHint: false } },
    ...(remote ? [{ label: '$(add) Add a header…', value: { kind: 'key', target: 'headers', secretHint: false } } as PickItem<ValueAction>] : []),
  ];
}

async function askValue(
  deps: FlowDeps,
  choice: ServerChoice,
  action: Extract<ValueAction, { kind: 'key' }>,
  step: number,
  totalSteps: number,
): Promise<AccountValue | undefined> {
  const title = `${FLOW_TITLE}: ${choice.label}`;
  let key = action.key;
  if (key === undefined) {
    const typed = await deps.prompter.input({
      title,
      step,
      totalSteps,
      canGoBack: true,
      prompt: action.target === 'env' ? 'Name of the environment variable' : 'Name of the header',
      check: (value) => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value) ? {} : { error: 'Use letters, digits, "_", "-" or "." (not starting with a digit).' }),
    });
    if (typed === undefined || typed === BACK) return undefined;
    key = typed;
  }
  const secretHint = action.secretHint || SECRET_LOOKING.test(key);
  const value = await deps.prompter.input({
    title,
    step,
    totalSteps,
    canGoBack: true,
    prompt: `Value of ${key} for this account`,
    password: secretHint,
  });
  if (value === undefined || value === BACK) return undefined;
  const secretItem: PickItem<boolean> = { label: 'Keep it in SecretStorage', description: 'writes ${secret:…} into .mcplex.jsonc', value: true };
  const plainItem: PickItem<boolean> = { label: 'Write it into .mcplex.jsonc', description: 'as plain text', value: false };
  const secret = await deps.prompter.pick({
    title,
    step,
    totalSteps,
    canGoBack: true,
    placeholder: `Where should the value of ${key} live?`,
    items: secretHint ? [secretItem, plainItem] : [plainItem, secretItem],
  });
  if (secret === undefined || secret === BACK) return undefined;
  return { target: action.target, key, value, secret };
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
        ? addServer(text, choice.serverId, { ...importedServerFields(choice.serverId, choice.server), instances: { [prefix]: plan.fields } })
        : addInstance(text, choice.serverId, prefix, plan.fields);
    // An instance's auth replaces its server's whole: the server's, with this account.
    if (auth === undefined || account === undefined) return added;
    return setValue(added, ['servers', choice.serverId, 'instances', prefix, 'auth'], { type: 'vscode', provider: auth.provider, scopes: [...auth.scopes], account });
  });
  deps.configChanged(`instance ${choice.serverId}/${prefix} added`);
  const check = checkPrefix(prefix, { serverId: choice.serverId, taken: takenPrefixes(deps, state).filter((id) => id !== prefix) });
  return { folder, serverId: choice.serverId, prefix, label, imported: choice.kind === 'mcpJson', vscodeName: check.vscodeName ?? prefix };
}
