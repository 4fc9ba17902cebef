/**
 * Instances behind one endpoint (a folder's in `aggregate` or `discovery` exposure, one
 * server's accounts in `accounts`): one aggregate relay over the members' supervised
 * sources, mounted at the shape's path (`/f/…` for a folder, `/s/…` for a server).
 * Its members are fixed, so the runtime builds a new one whenever they change; the
 * members' processes are the runners' and live on.
 */
import { entriesOf } from '../catalog';
import type { AggregateRelay, CallApproval, Disposable } from '../mux';
import type { ToolView } from './model';
import type { InstanceRunner } from './instanceRunner';
import { buildRelay, type RelayHost } from './relays';

export interface AggregateOptions {
  readonly host: RelayHost;
  readonly path: string;
  /** `serverInfo.name`: the folder's slug (the CLI: `mcplex`). */
  readonly slug: string;
  readonly label: string;
  readonly version: string;
  /** Exposure `accounts`: these servers' tools that all their accounts share are shown once. */
  readonly collapse: readonly string[];
  readonly separator: string;
  readonly note?: string;
  /** Three tools that search and call the members' (the `discovery` exposure). */
  readonly discovery: boolean;
  readonly onChange: () => void;
  /** See `EngineOptions.approval`. */
  readonly approval?: CallApproval;
}

export class FolderAggregate {
  private readonly relay: AggregateRelay;
  private readonly mount: { dispose(): Promise<void> };
  private readonly watches: readonly Disposable[];

  constructor(
    readonly members: readonly InstanceRunner[],
    readonly options: AggregateOptions,
  ) {
    this.relay = buildRelay({
      kind: 'aggregate',
      members: members.map((runner) => ({ planned: runner.planned, source: runner.source, audit: runner.audit })),
      name: options.slug,
      version: options.version,
      discovery: options.discovery,
      collapse: options.collapse,
      naming: { separator: options.separator, ...(options.note !== undefined && { note: options.note }) },
      ...(options.approval !== undefined && { approval: options.approval }),
    });
    this.mount = options.host.mount(options.path, this.relay);
    this.watches = [this.relay.onCatalogChange(options.onChange), this.relay.onClientsChange(options.onChange)];
  }

  /** The clients connected to the folder's endpoint: each member is served to all of them. */
  clients(): number {
    return this.relay.clients();
  }

  toolsOf(instanceId: string): readonly ToolView[] | undefined {
    const runner = this.members.find((member) => member.id === instanceId);
    return runner === undefined ? undefined : entriesOf(this.relay.catalog(), runner.planned.prefix);
  }

  async close(): Promise<void> {
    for (const watch of this.watches) watch.dispose();
    await this.mount.dispose();
    await this.relay.close();
  }
}
