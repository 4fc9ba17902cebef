/**
 * A folder's instances behind one endpoint (`mcplex.exposure: aggregate`): one aggregate
 * relay over the members' supervised sources, mounted at `/f/<digest of the folder id>`.
 * Its members are fixed, so the runtime builds a new one whenever they change; the
 * members' processes are the runners' and live on.
 */
import type { HttpHost, MountHandle } from '../host';
import { entriesOf } from '../catalog';
import { createAggregateRelay, withKey, type AggregateRelay, type Disposable } from '../mux';
import type { ToolView } from './model';
import type { InstanceRunner } from './instanceRunner';

export interface AggregateOptions {
  readonly host: HttpHost;
  readonly path: string;
  /** `serverInfo.name`: the folder's slug. */
  readonly slug: string;
  readonly label: string;
  readonly version: string;
  readonly separator: string;
  readonly note?: string;
  readonly onChange: () => void;
}

export class FolderAggregate {
  private readonly relay: AggregateRelay;
  private readonly mount: MountHandle;
  private readonly catalogWatch: Disposable;

  constructor(
    readonly members: readonly InstanceRunner[],
    readonly options: AggregateOptions,
  ) {
    this.relay = createAggregateRelay({
      members: members.map((runner) => ({ source: withKey(runner.source, runner.planned.prefix), label: runner.planned.instanceLabel, tools: runner.planned.tools })),
      name: options.slug,
      version: options.version,
      separator: options.separator,
      ...(options.note !== undefined && { note: options.note }),
    });
    this.mount = options.host.mount(options.path, this.relay);
    this.catalogWatch = this.relay.onCatalogChange(options.onChange);
  }

  toolsOf(instanceId: string): readonly ToolView[] | undefined {
    const runner = this.members.find((member) => member.id === instanceId);
    return runner === undefined ? undefined : entriesOf(this.relay.catalog(), runner.planned.prefix);
  }

  async close(): Promise<void> {
    this.catalogWatch.dispose();
    await this.mount.dispose();
    await this.relay.close();
  }
}
