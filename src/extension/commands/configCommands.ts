/**
 * "MCPlex: Create Configuration", "MCPlex: Import Servers from mcp.json", "MCPlex: Set
 * Secret" and "MCPlex: Clear Secret". The edits are core/edit's; this file asks and writes.
 */
import type * as vscode from 'vscode';
import { addServer, importedServer, newConfigText, parseMcpJson, removeMcpJsonServer, secretReferences, suggestPrefix } from '../../core/edit';
import type { InstanceView } from '../../core/runtime';
import { validatePrefix } from '../../core/naming';
import { serverChoices } from '../addInstance';
import type { ConfigFiles } from '../inputs';
import { instanceFromArgument } from './instanceActions';
import { secretStorageKey } from '../credentials';
import type { VsCodeApi } from '../vscodeApi';

export interface ConfigCommandDeps {
  readonly api: Pick<VsCodeApi, 'window' | 'workspace' | 'Uri' | 'Selection'>;
  readonly files: ConfigFiles;
  readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>;
  readonly instances: () => readonly InstanceView[];
  readonly configChanged: (reason: string) => void;
}

/** The modal's button: clearing stops the instances that use the secret. */
export const CLEAR_SECRET_ACTION = 'Clear and Stop';

export class ConfigCommands {
  constructor(private readonly deps: ConfigCommandDeps) {}

  /** Creates the folder's `.mcplex.jsonc` (with `$schema`) and opens it; opens it when it exists. */
  async createConfiguration(): Promise<void> {
    const folder = await this.pickFolder('Create .mcplex.jsonc in which folder?');
    if (folder === undefined) return;
    const uri = this.deps.files.configUri(folder);
    let text = await this.deps.files.read(uri);
    if (text === undefined) {
      text = newConfigText();
      await this.deps.files.write(uri, text);
      this.deps.configChanged('configuration created');
    }
    const document = await this.deps.api.workspace.openTextDocument(uri);
    // The cursor inside `"servers": {…}`, where the first server goes.
    // The document's text has no byte order mark, the file's may.
    const offset = text.replace(/^\uFEFF/, '').indexOf('"servers"');
    const inside = document.positionAt(Math.max(0, offset + '"servers": {'.length));
    await this.deps.api.window.showTextDocument(document, { selection: new this.deps.api.Selection(inside, inside) });
  }

  /** Imports servers of `.vscode/mcp.json` (their `${input:…}` as secrets), each with a first instance. */
  async importServers(): Promise<void> {
    const { api, files } = this.deps;
    const folder = await this.pickFolder('Import into which folder?');
    if (folder === undefined) return;
    const mcpText = await files.read(files.mcpJsonUri(folder));
    if (mcpText === undefined) {
      await api.window.showInformationMessage(`${folder.name} has no .vscode/mcp.json to import from.`);
      return;
    }
    const configUri = files.configUri(folder);
    parseMcpJson(mcpText); // says so when it does not parse
    const servers = (await serverChoices(files, folder)).flatMap((choice) => (choice.kind === 'mcpJson' ? [choice] : []));
    if (servers.length === 0) {
      await api.window.showInformationMessage('Every server of .vscode/mcp.json is in .mcplex.jsonc already.');
      return;
    }
    const picked = await api.window.showQuickPick(
      servers.map((choice) => ({ label: choice.label, description: `as "${choice.serverId}"`, picked: true, choice })),
      { title: 'Import Servers from mcp.json', placeHolder: 'Servers to import (each gets a first account instance)', canPickMany: true },
    );
    if (picked === undefined || picked.length === 0) return;
    const prefix = await api.window.showInputBox({
      title: 'Import Servers from mcp.json',
      prompt: 'Prefix of the account these servers use now (add more accounts with "MCPlex: Add Account Instance")',
      value: suggestPrefix([]),
      validateInput: (value) => validatePrefix(value),
    });
    if (prefix === undefined) return;
    await files.edit(configUri, (text) =>
      picked.reduce<string | undefined>((current, { choice }) => {
        // Entries that wrapped the server in the single-prefix proxy keep their own prefixes; a plain one is `prefix`.
        const imported = importedServer(choice.serverId, choice.group);
        const plain = choice.group.entries.some((entry) => entry.prefix === undefined);
        return addServer(current, choice.serverId, { ...imported.server, instances: { ...imported.instances, ...(plain && { [prefix]: imported.firstInstance }) } });
      }, text) ?? '',
    );
    this.deps.configChanged('servers imported');
    const entries = picked.flatMap(({ choice }) => choice.group.entries.map((entry) => entry.name));
    const names = picked.map(({ choice }) => choice.label).join(', ');
    const remove = `Remove from mcp.json`;
    const answer = await api.window.showInformationMessage(
      `Imported ${names} into .mcplex.jsonc. Remove ${entries.length === 1 ? 'it' : 'them'} from .vscode/mcp.json so VS Code does not run ${entries.length === 1 ? 'it' : 'them'} twice; "MCPlex: Set Secret" stores values its inputs asked for.`,
      remove,
    );
    if (answer !== remove) return;
    await files.edit(files.mcpJsonUri(folder), (current) => entries.reduce((text, name) => removeMcpJsonServer(text, name), current ?? ''));
    this.deps.configChanged('imported servers removed from .vscode/mcp.json');
  }

  /** Stores a `${secret:NAME}` value; from the tree, for the instance's missing secrets. */
  async setSecret(argument?: unknown): Promise<void> {
    const name = await this.pickSecret(argument, 'Set which secret?', false);
    if (name === undefined) return;
    const value = await this.deps.api.window.showInputBox({
      title: `MCPlex: Set Secret ${name}`,
      prompt: `The value of \${secret:${name}}, kept in VS Code's SecretStorage (never in a file).`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text === '' ? 'Enter the value (Escape cancels).' : undefined),
    });
    if (value === undefined) return;
    await this.deps.secrets.store(secretStorageKey(name), value);
    this.deps.configChanged(`secret ${name} set`);
  }

  async clearSecret(argument?: unknown): Promise<void> {
    const name = await this.pickSecret(argument, 'Clear which secret?', true);
    if (name === undefined) return;
    if (!(await this.confirmClear(name))) return;
    await this.deps.secrets.delete(secretStorageKey(name));
    this.deps.configChanged(`secret ${name} cleared`);
  }

  /**
   * Clearing a secret stops every instance that uses it (it then waits for the secret): asked
   * first, modally, naming them. Nothing to stop (none uses it, or none runs): no question.
   */
  private async confirmClear(name: string): Promise<boolean> {
    const stopping = this.deps
      .instances()
      .filter((view) => view.secrets?.includes(name) === true && view.status.kind !== 'stopped' && view.status.kind !== 'needs-secret' && view.status.kind !== 'untrusted')
      .map((view) => `"${view.label}"`);
    if (stopping.length === 0) return true;
    const which = stopping.length === 1 ? `${stopping[0] ?? ''} uses it and stops` : `${stopping.slice(0, -1).join(', ')} and ${stopping.at(-1) ?? ''} use it and stop`;
    const answer = await this.deps.api.window.showWarningMessage(
      `Clear the secret "${name}"? ${which} until it is set again.`,
      { modal: true },
      CLEAR_SECRET_ACTION,
    );
    return answer === CLEAR_SECRET_ACTION;
  }

  /** The secrets the configs reference (an instance's missing ones first), with whether each is set. */
  private async pickSecret(argument: unknown, placeHolder: string, onlySet: boolean): Promise<string | undefined> {
    // From a quick fix at a `${secret:NAME}` not stored yet: that name, no pick.
    const named = secretFromArgument(argument);
    if (named !== undefined && !onlySet) return named;
    const instance = instanceFromArgument(argument);
    const views = this.deps.instances();
    const chosen = views.filter((view) => instance === undefined || `${view.folderId}#${view.key}` === instance.runtimeId);
    const missing = chosen.flatMap((view) => (view.status.kind === 'needs-secret' ? view.status.secrets : []));
    // From an instance: its missing secrets first, then every other one it uses (to change a value).
    const used = instance === undefined ? await this.referencedSecrets() : chosen.flatMap((view) => view.secrets ?? []);
    const names = [...new Set([...missing, ...used])];
    const items = [];
    for (const name of names) {
      const set = (await this.deps.secrets.get(secretStorageKey(name))) !== undefined;
      if (onlySet && !set) continue;
      items.push({ label: name, description: set ? 'set' : 'not set', name });
    }
    if (items.length === 0) {
      await this.deps.api.window.showInformationMessage(onlySet ? 'No secret referenced by .mcplex.jsonc is stored.' : 'No ${secret:NAME} in .mcplex.jsonc: write one into an env entry or header first.');
      return undefined;
    }
    if (items.length === 1 && instance !== undefined) return items[0]?.name;
    const picked = await this.deps.api.window.showQuickPick(items, { title: 'MCPlex secrets', placeHolder });
    return picked?.name;
  }

  private async referencedSecrets(): Promise<string[]> {
    const names: string[] = [];
    for (const folder of this.deps.files.folders()) {
      const text = await this.deps.files.read(this.deps.files.configUri(folder));
      if (text !== undefined) names.push(...secretReferences(text));
    }
    return names;
  }

  private async pickFolder(placeHolder: string): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = this.deps.files.folders();
    if (folders.length === 0) {
      await this.deps.api.window.showInformationMessage('Open a folder first: MCPlex keeps its configuration in the folder.');
      return undefined;
    }
    if (folders.length === 1) return folders[0];
    const picked = await this.deps.api.window.showQuickPick(
      folders.map((folder) => ({ label: folder.name, description: folder.uri.fsPath, folder })),
      { title: 'MCPlex', placeHolder },
    );
    return picked?.folder;
  }
}

function secretFromArgument(argument: unknown): string | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const secret = argument as { kind?: unknown; name?: unknown };
  return secret.kind === 'secret' && typeof secret.name === 'string' ? secret.name : undefined;
}
