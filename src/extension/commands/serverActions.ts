/**
 * What a server row of the tree offers: "Add Account to This Server" (the Add Account
 * Instance flow with the folder and server already chosen) and "Restart This Server's
 * Instances". Apart from instanceActions.ts because its argument is a server node, a group
 * of instances, not one instance.
 */
import type * as vscode from 'vscode';
import type { InstanceView } from '../../core/runtime';
import type { ConfigFiles } from '../inputs';
import type { RuntimePort } from '../runtimePort';

/** What a server row's commands need of it. */
export interface ServerRef {
  readonly folderId: string;
  readonly serverId: string;
}

/** A server node of the tree (or anything shaped like one), or nothing usable: the argument is untrusted. */
export function serverFromArgument(argument: unknown): ServerRef | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const node = argument as { kind?: unknown; folderId?: unknown; serverId?: unknown };
  if (node.kind !== 'server' || typeof node.folderId !== 'string' || typeof node.serverId !== 'string') return undefined;
  return { folderId: node.folderId, serverId: node.serverId };
}

/**
 * The states a server's restart acts on: those with a process or trying to have one. One the
 * user stopped stays stopped (as "Restart All" leaves it); untrusted, needs-a-secret and
 * needs-a-sign-in ones have nothing to restart, their own action fixes them.
 */
const RESTARTABLE: ReadonlySet<InstanceView['status']['kind']> = new Set(['running', 'starting', 'failed']);

export interface ServerActionDeps {
  readonly runtime: Pick<RuntimePort, 'instances' | 'restart'>;
  readonly files: Pick<ConfigFiles, 'folderById'>;
  /** The Add Account Instance flow, started with a folder and a server already chosen. */
  readonly addAccount: (start: { readonly folder: vscode.WorkspaceFolder; readonly serverId: string }) => Promise<void>;
}

export class ServerActions {
  constructor(private readonly deps: ServerActionDeps) {}

  async addAccount(argument?: unknown): Promise<void> {
    const server = serverFromArgument(argument);
    const folder = server === undefined ? undefined : this.deps.files.folderById(server.folderId);
    if (server === undefined || folder === undefined) return;
    await this.deps.addAccount({ folder, serverId: server.serverId });
  }

  /** Restarts every restartable instance of the server, together. */
  async restart(argument?: unknown): Promise<void> {
    const server = serverFromArgument(argument);
    if (server === undefined) return;
    const ids = this.deps.runtime
      .instances()
      .filter((view) => view.folderId === server.folderId && view.serverId === server.serverId && RESTARTABLE.has(view.status.kind))
      .map((view) => `${view.folderId}#${view.key}`);
    await Promise.all(ids.map((id) => this.deps.runtime.restart(id)));
  }
}
