/**
 * "MCPlex: Add a Second Account…": the door for a user who already runs a server from
 * `.vscode/mcp.json` with one account. It names that account (its prefix and label: the
 * first questions say it is the one mcp.json runs now), imports the server with it as the
 * first instance (core/edit `importedServer`, the import "Add Account Instance" and "Import
 * Servers" use), asks the second account with Add Account Instance's own steps (so the
 * values step sees the first account, and Enter never writes a copy of it), writes both in
 * one edit, and offers to retire the mcp.json entry, which would run the first account a
 * second time beside MCPlex's. Cancelling anywhere before the end writes nothing.
 */
import type * as vscode from 'vscode';
import { parseConfig } from '../../core/config';
import { addServer, checkPrefix, defaultLabel, EditError, importedServer, type ServerFields } from '../../core/edit';
import { accountSteps, writeInstance, type AddedInstance } from './addInstanceFlow';
import { labelCheck, type FlowDeps, type FlowState } from './addInstanceSteps';
import { walkSteps, type FlowStep } from './flowWalk';
import { offerRemoval } from './importStep';
import { BACK, type Answer } from './prompter';
import { describeLaunch, serverChoices, type ServerChoice } from './serverChoices';

export const SECOND_ACCOUNT_TITLE = 'Add a Second Account';

type McpJsonChoice = Extract<ServerChoice, { kind: 'mcpJson' }>;

interface Candidate {
  readonly folder: vscode.WorkspaceFolder;
  readonly choice: McpJsonChoice;
}

export interface SecondAccount {
  readonly serverId: string;
  /** The account mcp.json ran, now the first instance (undefined when its entries named their accounts already). */
  readonly first?: { readonly prefix: string; readonly label: string };
  readonly added: AddedInstance;
}

interface DoorState extends FlowState {
  candidate?: Candidate;
  first?: { prefix?: string; label?: string };
}

/**
 * Runs the door; undefined when the user cancels. `serverName`: an mcp.json server (its
 * name or the id it imports as) chosen beforehand, from a link or another command.
 */
export async function addSecondAccount(deps: FlowDeps, serverName?: string): Promise<SecondAccount | undefined> {
  const candidates = (await importable(deps)).filter(
    ({ choice }) => serverName === undefined || choice.serverId === serverName || choice.label === serverName || choice.group.entries.some((entry) => entry.name === serverName),
  );
  if (candidates.length === 0) {
    const which = serverName === undefined ? 'No server of .vscode/mcp.json' : `No server "${serverName}" of .vscode/mcp.json`;
    throw new EditError('not-found', `${which} is left to import: add accounts to the servers of .mcplex.jsonc with "MCPlex: Add Account Instance".`);
  }
  const state: DoorState = { values: [], title: SECOND_ACCOUNT_TITLE };
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) choose(state, only);
  const steps: FlowStep[] = [
    { shows: () => candidates.length > 1, ask: (step, total) => askServer(deps, state, candidates, step, total) },
    { shows: () => namesFirst(state), ask: (step, total) => askFirstPrefix(state, step, total, deps) },
    { shows: () => namesFirst(state), ask: (step, total) => askFirstLabel(deps, state, step, total) },
    // The second account's questions, about the server as the import will write it.
    ...accountSteps(deps, state).map(
      (step): FlowStep => ({
        shows: () => state.candidate !== undefined && step.shows(),
        ask: async (number, total) => {
          if (state.choice === undefined) await importAsChoice(deps, state);
          return step.ask(number, total);
        },
      }),
    ),
  ];
  if (!(await walkSteps(steps))) return undefined;
  const { candidate } = state;
  if (candidate === undefined) return undefined;
  const server = importedFields(state, candidate.choice);
  const added = await writeInstance(deps, state, (text) => addServer(text, candidate.choice.serverId, server));
  if (added === undefined) return undefined;
  await offerRemoval(deps, candidate.folder, candidate.choice, SECOND_ACCOUNT_TITLE);
  const { prefix, label } = state.first ?? {};
  return { serverId: candidate.choice.serverId, ...(prefix !== undefined && label !== undefined && { first: { prefix, label } }), added };
}

/** Each folder's mcp.json servers not in its `.mcplex.jsonc` yet. */
async function importable(deps: FlowDeps): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const folder of deps.files.folders()) {
    for (const choice of await serverChoices(deps.files, folder)) if (choice.kind === 'mcpJson') found.push({ folder, choice });
  }
  return found;
}

function choose(state: DoorState, candidate: Candidate): void {
  if (state.candidate?.choice.serverId !== candidate.choice.serverId || state.folder !== candidate.folder) {
    state.first = {};
    state.values = [];
    delete state.choice;
  }
  state.candidate = candidate;
  state.folder = candidate.folder;
}

/** A plain entry runs an account without a name; entries that wrapped the server in the proxy named theirs. */
function namesFirst(state: DoorState): boolean {
  return state.candidate?.choice.group.entries.some((entry) => entry.prefix === undefined) ?? false;
}

async function askServer(deps: FlowDeps, state: DoorState, candidates: readonly Candidate[], step: number, totalSteps: number): Promise<Answer<true>> {
  const several = deps.files.folders().length > 1;
  const picked = await deps.prompter.pick({
    title: SECOND_ACCOUNT_TITLE,
    step,
    totalSteps,
    placeholder: 'Which server of .vscode/mcp.json gets a second account?',
    items: candidates.map((candidate) => ({
      label: `Add a second account to ${candidate.choice.label}`,
      description: several ? `${candidate.folder.name} · .vscode/mcp.json` : '.vscode/mcp.json',
      detail: describeLaunch(candidate.choice),
      value: candidate,
    })),
  });
  if (picked === undefined || picked === BACK) return picked;
  choose(state, picked);
  return true;
}

async function askFirstPrefix(state: DoorState, step: number, totalSteps: number, deps: FlowDeps): Promise<Answer<true>> {
  const choice = state.candidate?.choice;
  if (choice === undefined) return undefined;
  const answer = await deps.prompter.input({
    title: `${SECOND_ACCOUNT_TITLE}: ${choice.label}`,
    step,
    totalSteps,
    canGoBack: step > 1,
    prompt: `First, name the account "${choice.label}" runs now in .vscode/mcp.json: its prefix (letters, digits, "_", "-").`,
    placeholder: 'work',
    value: state.first?.prefix ?? '',
    check: (value) => {
      if (value === '') return { incomplete: true };
      const check = checkPrefix(value, { serverId: choice.serverId, taken: [] });
      return check.error !== undefined ? { error: check.error } : { hint: `Its tools: ${check.vscodeName} in VS Code.` };
    },
  });
  if (answer === undefined || answer === BACK) return answer;
  if (state.first?.prefix !== answer) state.first = { prefix: answer };
  return true;
}

async function askFirstLabel(deps: FlowDeps, state: DoorState, step: number, totalSteps: number): Promise<Answer<true>> {
  const choice = state.candidate?.choice;
  const prefix = state.first?.prefix;
  if (choice === undefined || prefix === undefined) return undefined;
  const answer = await deps.prompter.input({
    title: `${SECOND_ACCOUNT_TITLE}: ${choice.label}`,
    step,
    totalSteps,
    canGoBack: true,
    prompt: `The label of the account mcp.json runs now, shown after the server's name.`,
    value: state.first?.label ?? defaultLabel(prefix),
    check: (value) => labelCheck(choice.label, value),
  });
  if (answer === undefined || answer === BACK) return answer;
  state.first = { prefix, label: answer.trim() };
  await importAsChoice(deps, state);
  return true;
}

/**
 * The server as the import will write it, with its first account: its fields, read back
 * through the configuration's parser, are the server the second account's steps see.
 */
function importedFields(state: DoorState, choice: McpJsonChoice): ServerFields {
  const imported = importedServer(choice.serverId, choice.group);
  const { prefix, label } = state.first ?? {};
  // Label first, as every instance the flows write.
  const { label: _entryLabel, ...values } = imported.firstInstance;
  const first = prefix === undefined || label === undefined ? {} : { [prefix]: { label, ...values } };
  return { ...imported.server, instances: { ...imported.instances, ...first } };
}

/** Before the second account's questions: the imported server becomes their (not yet written) server of the file. */
async function importAsChoice(deps: FlowDeps, state: DoorState): Promise<void> {
  const candidate = state.candidate;
  if (candidate === undefined) return;
  const { choice, folder } = candidate;
  const uri = deps.files.configUri(folder);
  const text = addServer(await deps.files.read(uri), choice.serverId, importedFields(state, choice));
  const server = parseConfig(text, uri.fsPath, { checkRunnable: false }).config?.servers[choice.serverId];
  if (server === undefined) throw new EditError('unparsable', `${uri.fsPath} has errors MCPlex cannot read past: fix them (see Problems), then add the account again.`);
  if (state.choice?.serverId !== choice.serverId) state.values = [];
  state.choice = { kind: 'config', serverId: choice.serverId, label: server.label ?? choice.label, server };
}
