/**
 * What Add Account Instance does on top when the server comes from `.vscode/mcp.json`: the
 * server and its instances as `importedServer` decides (env values in the instances, wrapped
 * proxy entries as their own instances), the answers of the flow on the instance being added,
 * and at the end the offer to remove the imported entries from mcp.json, where VS Code would
 * go on running them beside the instance (the account twice, once without its note).
 */
import type * as vscode from 'vscode';
import { importedServer, removeMcpJsonServer, type LaunchFields, type ServerFields } from '../../core/edit';
import type { FlowDeps } from './addInstanceSteps';
import { FLOW_TITLE } from './addInstanceSteps';
import type { ServerChoice } from './serverChoices';

type McpJsonChoice = Extract<ServerChoice, { kind: 'mcpJson' }>;

/** The server to write: the imported one, the flow's instance over what its entry gave it (the flow's values win). */
export function importedFields(choice: McpJsonChoice, prefix: string, answers: LaunchFields): ServerFields {
  const imported = importedServer(choice.serverId, choice.group);
  const base = imported.instances[prefix] ?? imported.firstInstance;
  const env = { ...base.env, ...answers.env };
  const headers = { ...base.headers, ...answers.headers };
  const label = answers.label ?? base.label;
  const mine: LaunchFields = {
    // The label first, as the flow writes an instance of a server already in the file.
    ...(label !== undefined && { label }),
    ...base,
    ...answers,
    ...(Object.keys(env).length > 0 && { env }),
    ...(Object.keys(headers).length > 0 && { headers }),
  };
  return { ...imported.server, instances: { ...imported.instances, [prefix]: mine } };
}

/**
 * Asks whether to retire the imported entries from mcp.json (default: remove) and does. Left
 * there, VS Code runs the server beside MCPlex's instances: one account twice, its tools
 * twice in front of the model, once without the account's note.
 */
export async function offerRemoval(deps: FlowDeps, folder: vscode.WorkspaceFolder, choice: McpJsonChoice, title = FLOW_TITLE): Promise<void> {
  const names = choice.group.entries.map((entry) => entry.name);
  const quoted = names.map((name) => `"${name}"`).join(', ');
  const one = names.length === 1;
  const remove = await deps.prompter.pick({
    title: `${title}: ${choice.label}`,
    placeholder: `${quoted} still ${one ? 'runs' : 'run'} from .vscode/mcp.json: beside MCPlex's instances, that account would run twice`,
    items: [
      { label: `Remove ${quoted} from .vscode/mcp.json`, description: 'MCPlex runs the account now', value: true },
      { label: 'Keep it', description: 'the account runs twice: from mcp.json and from MCPlex, its tools twice for the model', value: false },
    ],
  });
  if (remove !== true) return;
  await deps.files.edit(deps.files.mcpJsonUri(folder), (text) => names.reduce((current, name) => removeMcpJsonServer(current, name), text ?? ''));
  deps.configChanged(`${quoted} removed from .vscode/mcp.json`);
}
