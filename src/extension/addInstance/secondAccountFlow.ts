/**
 * "MCPlex: Add a Second Account": the door for a user who already runs a server from
 * `.vscode/mcp.json`. It names the account that entry runs now and imports the server with
 * it as the first instance, walks Add Account Instance for the second one on that server
 * (whose values step sees the first account, so Enter never writes a copy of it), and then
 * offers to retire the mcp.json entry, which would otherwise run beside the imported
 * instance. The import is written before the second account is asked for: cancelling then
 * leaves the first account imported, and the offer to retire the entry still comes.
 */
import type * as vscode from 'vscode';
import { addServer, checkPrefix, defaultLabel, EditError, importedServer } from '../../core/edit';
import { addAccountInstance, type AddedInstance } from './addInstanceFlow';
import type { FlowDeps } from './addInstanceSteps';
import { offerRemoval } from './importStep';
import { BACK, type PickItem } from './prompter';
import { describeLaunch, serverChoices, type ServerChoice } from './serverChoices';

export const SECOND_ACCOUNT_TITLE = 'Add a Second Account';

type McpJsonChoice = Extract<ServerChoice, { kind: 'mcpJson' }>;

export interface SecondAccount {
  readonly serverId: string;
  /** The account the mcp.json entry ran, now an instance of the file (undefined: the entries named their own). */
  readonly first?: string;
  /** The account added beside it; undefined when the user stopped after the import. */
  readonly added?: AddedInstance;
}

/** The servers of each folder's mcp.json not in its `.mcplex.jsonc` yet: what the door offers. */
export async function mcpJsonServers(deps: Pick<FlowDeps, 'files'>): Promise<{ readonly folder: vscode.WorkspaceFolder; readonly choice: McpJsonChoice }[]> {
  const found: { folder: vscode.WorkspaceFolder; choice: McpJsonChoice }[] = [];
  for (const folder of deps.files.folders()) {
    for (const choice of await serverChoices(deps.files, folder)) if (choice.kind === 'mcpJson') found.push({ folder, choice });
  }
  return found;
}

/** Runs the door; undefined when the user cancels before anything is written. */
export async function addSecondAccount(deps: FlowDeps): Promise<SecondAccount | undefined> {
  const servers = await mcpJsonServers(deps);
  if (servers.length === 0) {
    throw new EditError('not-found', 'No server of .vscode/mcp.json is left to import: add accounts with "MCPlex: Add Account Instance".');
  }
  const picked =
    servers.length === 1
      ? servers[0]
      : await deps.prompter.pick({
          title: SECOND_ACCOUNT_TITLE,
          placeholder: 'Which server of .vscode/mcp.json gets a second account?',
          items: servers.map((entry): PickItem<(typeof servers)[number]> => ({
            label: entry.choice.label,
            description: deps.files.folders().length > 1 ? entry.folder.name : 'in .vscode/mcp.json',
            detail: describeLaunch(entry.choice),
            value: entry,
          })),
        });
  if (picked === undefined || picked === BACK) return undefined;
  const { folder, choice } = picked;
  // Entries that wrapped the server in the proxy named their accounts; a plain entry's is asked.
  const plain = choice.group.entries.some((entry) => entry.prefix === undefined);
  const first = plain ? await askFirstAccount(deps, choice) : undefined;
  if (plain && first === undefined) return undefined;
  const imported = importedServer(choice.serverId, choice.group);
  const instances = { ...imported.instances, ...(first !== undefined && { [first]: { label: defaultLabel(first), ...imported.firstInstance } }) };
  await deps.files.edit(deps.files.configUri(folder), (text) => addServer(text, choice.serverId, { ...imported.server, instances }));
  deps.configChanged(`${choice.serverId} imported from .vscode/mcp.json`);
  const added = await addAccountInstance(deps, { folder, serverId: choice.serverId });
  await offerRemoval(deps, folder, choice);
  return { serverId: choice.serverId, ...(first !== undefined && { first }), ...(added !== undefined && { added }) };
}

async function askFirstAccount(deps: FlowDeps, choice: McpJsonChoice): Promise<string | undefined> {
  const answer = await deps.prompter.input({
    title: `${SECOND_ACCOUNT_TITLE}: ${choice.label}`,
    prompt: `"${choice.label}" in .vscode/mcp.json runs one account. Its prefix (letters, digits, "_", "-"), such as "work":`,
    value: 'work',
    check: (value) => {
      const check = checkPrefix(value, { serverId: choice.serverId, taken: [] });
      return check.error !== undefined ? { error: check.error } : { hint: `It becomes the instance "${value}" of ${choice.serverId}.` };
    },
  });
  return answer === BACK ? undefined : answer;
}
