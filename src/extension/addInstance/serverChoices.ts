/**
 * Which servers an account instance can be added to: those of the folder's `.mcplex.jsonc`,
 * then those of `.vscode/mcp.json` not imported yet (entries that wrap one server in the
 * single-prefix proxy are one choice: `importGroups`). Kept apart from the Add Account
 * Instance flow because "Import from mcp.json" reads the same list, and what the list holds
 * changes for other reasons (a new source of servers) than the questions the flow asks.
 */
import type * as vscode from 'vscode';
import { parseConfig, type ServerConfig } from '../../core/config';
import { importGroups, parseMcpJson, serverIdFor, type ImportGroup, type McpJsonServer } from '../../core/edit';
import type { FolderInput } from '../../core/runtime';
import type { ConfigFiles } from '../inputs';

export type ServerChoice =
  | { readonly kind: 'config'; readonly serverId: string; readonly label: string; readonly server: ServerConfig }
  | {
      readonly kind: 'mcpJson';
      readonly serverId: string;
      readonly label: string;
      /** As it is started: the server inside the single-prefix proxy when its entries wrapped one. */
      readonly server: McpJsonServer;
      /** The mcp.json entries it imports (several when they wrapped the same server for several accounts). */
      readonly group: ImportGroup;
    };

/** The servers of the folder's `.mcplex.jsonc`, then those of `.vscode/mcp.json` not imported yet. */
export async function serverChoices(files: ConfigFiles, folder: vscode.WorkspaceFolder): Promise<ServerChoice[]> {
  const configUri = files.configUri(folder);
  const text = await files.read(configUri);
  const mcpText = await files.read(files.mcpJsonUri(folder));
  return choicesFrom(text === undefined ? undefined : { path: configUri.fsPath, text }, mcpText);
}

/**
 * The mcp.json servers not in `.mcplex.jsonc` yet, from the texts the window already read
 * (`FolderInput`): what the onboarding's "Add a second account" door offers, and the
 * `mcplex.mcpJsonServers` context key that shows it.
 */
export function importableServers(folder: Pick<FolderInput, 'file' | 'mcpJson'>): Extract<ServerChoice, { kind: 'mcpJson' }>[] {
  return choicesFrom(folder.file, folder.mcpJson?.text).flatMap((choice) => (choice.kind === 'mcpJson' ? [choice] : []));
}

/** The choices two texts give (undefined: no such file). Pure. */
function choicesFrom(file: { readonly path: string; readonly text: string } | undefined, mcpText: string | undefined): ServerChoice[] {
  const config = file === undefined ? undefined : parseConfig(file.text, file.path, { checkRunnable: false }).config;
  const choices: ServerChoice[] = Object.entries(config?.servers ?? {}).map(([serverId, server]) => ({
    kind: 'config',
    serverId,
    label: server.label ?? serverId,
    server,
  }));
  const imported = mcpText === undefined ? [] : importGroups(safeParseMcpJson(mcpText));
  const taken = new Set(choices.map((choice) => choice.serverId));
  for (const group of imported) {
    const serverId = serverIdFor(group.name);
    if (taken.has(serverId)) continue;
    taken.add(serverId);
    choices.push({ kind: 'mcpJson', serverId, label: group.name, server: group.server, group });
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

/** How the server is launched, one line: its url, or its command and arguments. */
export function describeLaunch(choice: ServerChoice): string {
  const { command, url } = choice.server;
  const args = choice.kind === 'config' ? choice.server.args ?? [] : choice.server.args;
  return url ?? [command ?? '', ...args].join(' ');
}

/** The server's auth when it is a VS Code account (only servers of `.mcplex.jsonc` have one). */
export function vscodeAuthOf(choice: ServerChoice | undefined): Extract<NonNullable<ServerConfig['auth']>, { type: 'vscode' }> | undefined {
  const auth = choice?.kind === 'config' ? choice.server.auth : undefined;
  return auth?.type === 'vscode' ? auth : undefined;
}
