/**
 * What the tree's actions (and their palette twins) do to one instance or tool: start,
 * stop, restart, sign in and out, show its log, open its config, copy a tool's name,
 * allow or deny a tool, remove the instance. Run from the palette, the instance is
 * picked first.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { InstanceView } from '../../core/runtime';
import { allowTool, denyTool, nodeAt, removeInstance } from '../../core/edit';
import { compileToolFilter } from '../../core/naming';
import type { ConfigFiles } from '../inputs';
import { instancePickItems, instanceRef, type InstanceRef, type ToolNode } from '../view';
import type { RuntimePort } from '../runtimePort';
import type { VsCodeApi } from '../vscodeApi';

export const REMOVE_ACTION = 'Remove';
/** Offered only when the instance has a state folder on disk; never the default. */
export const REMOVE_WITH_STATE_ACTION = 'Remove and Delete Its State';

export interface ActionLog {
  info(message: string): void;
  /** Opens the instance's own log (`tag`: `notes/work`), named after its label. */
  showInstance(tag: string, label: string): void;
}

export interface ActionDeps {
  readonly api: Pick<VsCodeApi, 'window' | 'workspace' | 'commands' | 'env' | 'Uri' | 'Range' | 'Selection' | 'TextEditorRevealType'>;
  readonly runtime: Pick<RuntimePort, 'start' | 'stop' | 'restart' | 'instances' | 'signIn' | 'signOut'>;
  readonly log: ActionLog;
  readonly files: ConfigFiles;
  readonly configChanged: (reason: string) => void;
}

/** A tree node (instance or tool) as an instance, or nothing usable. */
export function instanceFromArgument(argument: unknown): InstanceRef | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const node = argument as { kind?: unknown; instance?: InstanceRef };
  const kinds: unknown[] = ['instance', 'tool', 'recentCalls', 'recentCall'];
  if (kinds.includes(node.kind) && typeof node.instance?.runtimeId === 'string') return node.instance;
  return undefined;
}

function toolFromArgument(argument: unknown): ToolNode | undefined {
  const node = argument as { kind?: unknown } | undefined;
  return typeof node === 'object' && node !== null && node.kind === 'tool' && instanceFromArgument(argument) !== undefined ? (argument as ToolNode) : undefined;
}

export class InstanceActions {
  constructor(private readonly deps: ActionDeps) {}

  async start(argument?: unknown): Promise<void> {
    const instance = await this.resolve(argument, 'Start which instance?');
    if (instance !== undefined) await this.deps.runtime.start(instance.runtimeId);
  }

  async stop(argument?: unknown): Promise<void> {
    const instance = await this.resolve(argument, 'Stop which instance?');
    if (instance !== undefined) await this.deps.runtime.stop(instance.runtimeId);
  }

  async restart(argument?: unknown): Promise<void> {
    const instance = await this.resolve(argument, 'Restart which instance?');
    if (instance !== undefined) await this.deps.runtime.restart(instance.runtimeId);
  }

  /** The user's "Sign in": may open the browser (OAuth) or VS Code's account dialog. */
  async signIn(argument?: unknown): Promise<void> {
    const instance = await this.resolve(argument, 'Sign in to which instance?', signsIn);
    if (instance === undefined) return;
    await this.deps.runtime.signIn(instance.runtimeId);
    const account = this.deps.runtime.instances().find((view) => `${view.folderId}#${view.key}` === instance.runtimeId)?.account;
    this.deps.log.info(`${tagOf(instance)}: signed in${account === undefined ? '' : ` as ${account}`}`);
  }

  /** Forgets the instance's tokens (or lets go of its VS Code account); it then needs a sign-in. */
  async signOut(argument?: unknown): Promise<void> {
    const instance = await this.resolve(argument, 'Sign out of which instance?', signsIn);
    if (instance !== undefined) await this.deps.runtime.signOut(instance.runtimeId);
  }

  /** Each instance has its own channel ("MCPlex: <label>"): its lines only, no filter to type. */
  async showLog(argument?: unknown): Promise<void> {
    const instance = await this.resolve(argument, 'Show the log of which instance?');
    if (instance !== undefined) this.deps.log.showInstance(tagOf(instance), instance.label);
  }

  async openConfig(argument?: unknown): Promise<void> {
    const instance = await this.resolve(argument, 'Open the configuration of which instance?');
    const location = instance?.location;
    if (instance === undefined || location === undefined) return;
    if (!isFilePath(location.file)) {
      await this.deps.api.commands.executeCommand('workbench.action.openSettings', 'mcplex.servers');
      return;
    }
    const { api } = this.deps;
    const document = await api.workspace.openTextDocument(api.Uri.file(location.file));
    const value = nodeAt(document.getText(), ['servers', instance.serverId, 'instances', instance.instanceId]);
    const start = document.positionAt(location.offset);
    const end = document.positionAt(value === undefined ? location.offset + location.length : value.offset + value.length);
    const editor = await api.window.showTextDocument(document, { selection: new api.Selection(start, start) });
    editor.revealRange(new api.Range(start, end), api.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Its `audit.jsonl` in an editor: every call this instance made, as mcplex recorded it. */
  async openAuditLog(argument?: unknown): Promise<void> {
    const instance = await this.resolve(argument, 'Open the audit log of which instance?');
    if (instance === undefined) return;
    const { api } = this.deps;
    // The current view's file: the node may be older than the audit setting.
    const file = this.deps.runtime.instances().find((view) => `${view.folderId}#${view.key}` === instance.runtimeId)?.auditFile ?? instance.auditFile;
    if (file === undefined || !existsSync(file)) {
      const why = file === undefined ? 'it is not running with its audit on ("audit": { "enabled": true }, the default)' : 'it has made no tool call yet';
      await api.window.showInformationMessage(`${instance.label} has no audit log: ${why}.`);
      return;
    }
    const document = await api.workspace.openTextDocument(api.Uri.file(file));
    await api.window.showTextDocument(document, { preview: true });
  }

  async copyToolName(argument?: unknown): Promise<void> {
    const tool = toolFromArgument(argument);
    if (tool !== undefined) await this.deps.api.env.clipboard.writeText(tool.modelName);
  }

  async denyTool(argument?: unknown): Promise<void> {
    const tool = toolFromArgument(argument);
    if (tool === undefined) return;
    await this.editFile(tool.instance, `deny ${tool.upstreamName}`, (text) => denyTool(text, tool.instance.serverId, tool.instance.instanceId, tool.upstreamName));
  }

  async allowTool(argument?: unknown): Promise<void> {
    const tool = toolFromArgument(argument);
    if (tool === undefined) return;
    const matches = (pattern: string): boolean => compileToolFilter({ deny: [pattern] }).verdict(tool.upstreamName) === 'denied';
    await this.editFile(tool.instance, `allow ${tool.upstreamName}`, (text) => allowTool(text, tool.instance.serverId, tool.instance.instanceId, tool.upstreamName, matches));
  }

  async remove(argument?: unknown): Promise<void> {
    const instance = await this.resolve(argument, 'Remove which instance?');
    if (instance === undefined) return;
    // The state folder may hold an account's data (tokens, a memory file): never deleted
    // unless the user picks it, and "Remove" (keep it) comes first.
    const stateDir = instance.stateDir !== undefined && existsSync(instance.stateDir) ? instance.stateDir : undefined;
    const detail = [
      'Its process stops and its tools leave VS Code. Secrets it used stay in SecretStorage ("MCPlex: Clear Secret" removes them).',
      ...(stateDir === undefined ? [] : [`Its state folder stays unless you delete it too: ${stateDir}`]),
    ].join('\n\n');
    const answer = await this.deps.api.window.showWarningMessage(
      `Remove the instance "${instance.label}" from .mcplex.jsonc?`,
      { modal: true, detail },
      REMOVE_ACTION,
      ...(stateDir === undefined ? [] : [REMOVE_WITH_STATE_ACTION]),
    );
    if (answer !== REMOVE_ACTION && answer !== REMOVE_WITH_STATE_ACTION) return;
    const removed = await this.editFile(instance, 'remove instance', (text) => removeInstance(text, instance.serverId, instance.instanceId));
    if (removed && answer === REMOVE_WITH_STATE_ACTION && stateDir !== undefined) {
      // Stopped first, so the process cannot write into the folder while it goes.
      await this.deps.runtime.stop(instance.runtimeId);
      await rm(stateDir, { recursive: true, force: true });
      this.deps.log.info(`[${tagOf(instance)}] deleted its state folder ${stateDir}`);
    }
  }

  /** False when the instance is not in a file (the settings), so nothing was edited. */
  private async editFile(instance: InstanceRef, what: string, edit: (text: string) => string): Promise<boolean> {
    const file = instance.location?.file;
    if (file === undefined || !isFilePath(file)) {
      await this.deps.api.window.showErrorMessage(`"${instance.label}" comes from the mcplex.servers setting; edit it in settings.json.`);
      return false;
    }
    await this.deps.files.edit(this.deps.api.Uri.file(file), (text) => edit(text ?? ''));
    this.deps.configChanged(`${tagOf(instance)}: ${what}`);
    return true;
  }

  private async resolve(argument: unknown, placeHolder: string, only?: (view: InstanceView) => boolean): Promise<InstanceRef | undefined> {
    const fromTree = instanceFromArgument(argument);
    if (fromTree !== undefined) return fromTree;
    const all = this.deps.runtime.instances();
    const views = only === undefined ? all : all.filter(only);
    if (views.length === 0) {
      const why = all.length > 0 && only !== undefined ? 'No instance signs in: only an "auth" of type "oauth" or "vscode" does.' : 'MCPlex has no instances yet: run "MCPlex: Add Account Instance".';
      await this.deps.api.window.showInformationMessage(why);
      return undefined;
    }
    const picked = await this.deps.api.window.showQuickPick(instancePickItems(views), { title: 'MCPlex', placeHolder });
    return picked === undefined ? undefined : instanceRef(picked.instance);
  }
}

function signsIn(view: InstanceView): boolean {
  return view.signsIn === true;
}

/** `notes/work`: how the log prefixes the instance's lines. */
function tagOf(instance: InstanceRef): string {
  return `${instance.serverId}/${instance.instanceId}`;
}

/** Settings-defined instances carry a label (`settings (mcplex.servers)`) instead of a path. */
export function isFilePath(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\');
}
