/**
 * What a server row of the tree offers: "Add Account to This Server" (the Add Account
 * Instance flow with the folder and server already chosen) and "Restart This Server's
 * Instances". Apart from instanceActions.ts because a server row is a group of instances,
 * and its argument is a server node, not an instance.
 */
import type * as vscode from 'vscode';
import type { InstanceView } from '../../core/runtime';
import type { ConfigFiles } from '../inputs';
import type { RuntimePort } from '../runtimePort';

/** What a server row's commands need of it: the folder and server ids. */
export interface ServerRef {
  readonly folderId: string;
  readonly serverId: string;
}

/** A server node of the tree (or anything shaped like one), or nothing usable. */
export function serverFromArgument(argument: unknown): ServerRef | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const node = argument as { kind?: unknown; folderId?: unknown; serverId?: unknown };
  if (node.kind !== 'server' || typeof node.folderId !== 'string' || typeof node.serverId !== 'string') return undefined;
  return { folderId: node.folderId, serverId: node.serverId };
}

/** States a restart acts on: those that run or tried to. One the user stopped stays stopped; untrusted and needs-a-secret ones have no process. */
const RESTARTABLE = new Set<InstanceView['status']['kind']>(['running', 'starting', 'failed']);

export interface ServerActionDeps {
  readonly runtime: Pick<RuntimePort, 'instances' | 'restart'>;
  readonly files: ConfigFiles;
  /** The Add Account Instance flow, started for one folder and server. */
  readonly addAccount: (start: { readonly folder?: vscode.WorkspaceFolder; readonly serverId?: string }) => Promise<void>;
}

export class ServerActions {
  constructor(private readonly deps: ServerActionDeps) {}

  /** From the palette (no server): the whole flow. */
  async addAccount(argument?: unknown): Promise<void> {
    const server = serverFromArgument(argument);
    if (server === undefined) return this.deps.addAccount({});
    const folder = this.deps.files.folderById(server.folderId);
    await this.deps.addAccount({ ...(folder !== undefined && { folder }), serverId: server.serverId });
  }

  /** Restarts every instance of the server that has a runner, together. */
  async restart(argument?: unknown): Promise<void> {
    const server = serverFromArgument(argument);
    if (server === undefined) return;
    const members = this.deps.runtime
      .instances()
      .filter((view) => view.folderId === server.folderId && view.serverId === server.serverId && RESTARTABLE.has(view.status.kind));
    await Promise.all(members.map((view) => this.deps.runtime.restart(`${view.folderId}#${view.key}`)));
  }
}
