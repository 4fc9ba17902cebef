/**
 * The engine: planned instances in, supervised upstreams and their relays out. It owns a
 * runner per instance (supervision, credentials) and an aggregate per shared endpoint (a
 * folder served as one, a server's accounts), brings them in line with each new plan (`reconcile`), builds every relay through
 * `buildRelay`, and mounts each on the host it is given. What differs between its users
 * is passed in: the host (the window's HttpHost; the CLI's one endpoint, served over
 * stdio, HTTP or a socket), the credentials (SecretStorage and VS Code accounts; the CLI's
 * file store and browser), and the exposure of each folder (per instance or aggregate,
 * tool prefix, separator, note — all from the plan and the folder's options).
 *
 * It lives in runtime/ beside the runner, the aggregate and reconcile it drives: it is the
 * window's engine made reusable, not a new layer.
 */
import type { CallApproval } from '../mux';
import type { WindowPlan } from '../plan';
import type { SupervisorOptions } from '../upstream';
import type { CredentialFactory } from './credentials';
import { endpointOf, instancePath, type AggregateShape } from './exposure';
import { FolderAggregate } from './folderAggregate';
import { InstanceRunner } from './instanceRunner';
import type { FolderOptions, InstanceState } from './model';
import { reconcile, type Changes, type Runnable } from './reconcile';
import type { RelayHost } from './relays';

export interface EngineOptions {
  readonly host: RelayHost;
  /** Credentials per instance; absent: none are applied. */
  readonly credentials?: CredentialFactory;
  /** Tests inject timers and retry policies; the CLI its stderr and event log. */
  readonly supervisorOptions?: Partial<SupervisorOptions>;
  onStderr?(instanceId: string, line: string): void;
  /** A supervisor event's line, when it says more than the state it leads to. */
  onEvent?(instanceId: string, text: string): void;
  /** Each change of an instance's state. */
  onState?(instanceId: string, state: InstanceState): void;
  /** A runner's or an aggregate's state or tools changed. */
  onChange?(): void;
  /** Who asks the user about a call under tools.confirm (the window's modal); absent: the calling client (see buildRelay). */
  readonly approval?: CallApproval;
  /** Something the user should know about an instance (its audit trail cannot be written). */
  onWarning?(instanceId: string, text: string): void;
  /** An instance's tools/call was recorded (its runner's `audit.recent()` changed). */
  onCall?(instanceId: string): void;
}

/** A folder as the engine needs it: how it is exposed, and where its credential helpers run. */
export interface EngineFolder {
  readonly id: string;
  readonly path?: string;
  readonly options: FolderOptions;
}

export interface EngineInput {
  readonly plan: WindowPlan;
  readonly folders: readonly EngineFolder[];
  /** The instances that should run (`exposePlan`). */
  readonly wanted: ReadonlyMap<string, Runnable>;
  /** The endpoints instances share, by definition id (`exposePlan`); an instance in none is served alone. */
  readonly shapes: ReadonlyMap<string, AggregateShape>;
  /** Start new instances now, or leave them to `start`. */
  readonly eager: boolean;
}

export class Engine {
  private readonly runnerMap = new Map<string, InstanceRunner>();
  private readonly aggregateMap = new Map<string, FolderAggregate>();
  private folders = new Map<string, EngineFolder>();
  private shapes: ReadonlyMap<string, AggregateShape> = new Map();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: EngineOptions) {}

  /** Brings the runners and relays in line with `input`; see `reconcile` for what is kept. */
  async apply(input: EngineInput): Promise<Changes> {
    if (this.closing !== undefined) throw new Error('The engine is closed; create a new one.');
    this.folders = new Map(input.folders.map((folder) => [folder.id, folder]));
    this.shapes = input.shapes;
    const { plan } = input;
    return reconcile({
      runners: this.runnerMap,
      aggregates: this.aggregateMap,
      wanted: input.wanted,
      shapes: input.shapes,
      createRunner: (instance) => this.createRunner(instance, plan),
      exposeRunner: (runner) => this.exposeRunner(runner, plan),
      createAggregate: (shape, members) => this.createAggregate(shape, members, plan),
      eager: input.eager,
    });
  }

  runner(id: string): InstanceRunner | undefined {
    return this.runnerMap.get(id);
  }

  runners(): readonly InstanceRunner[] {
    return [...this.runnerMap.values()];
  }

  /** A shared endpoint by definition id (the folder's aggregate, a server's accounts). */
  aggregate(definitionId: string): FolderAggregate | undefined {
    return this.aggregateMap.get(definitionId);
  }

  /** Unmounts and closes every relay, stops every process tree. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const aggregates = [...this.aggregateMap.values()];
      const runners = [...this.runnerMap.values()];
      this.aggregateMap.clear();
      this.runnerMap.clear();
      await Promise.all([...aggregates.map((aggregate) => aggregate.close()), ...runners.map((runner) => runner.close())]);
    })();
    return this.closing;
  }

  private folderOptions(folderId: string): FolderOptions | undefined {
    return this.folders.get(folderId)?.options;
  }

  private createRunner(instance: Runnable, plan: WindowPlan): InstanceRunner {
    const { options } = this;
    const folderPath = this.folders.get(instance.folderId)?.path;
    const runner = new InstanceRunner(instance, {
      ...(options.supervisorOptions !== undefined && { supervisorOptions: options.supervisorOptions }),
      ...(options.credentials !== undefined && { credentials: options.credentials }),
      ...(folderPath !== undefined && { folderPath }),
      ...(options.onStderr !== undefined && { onStderr: (id, line) => options.onStderr?.(id, line) }),
      ...(options.onEvent !== undefined && { onEvent: (id, text) => options.onEvent?.(id, text) }),
      ...(options.onState !== undefined && { onState: (id, state) => options.onState?.(id, state) }),
      onChange: () => options.onChange?.(),
      ...(options.approval !== undefined && { approval: options.approval }),
      onWarning: (id, text) => options.onWarning?.(id, text),
      onCall: (id) => options.onCall?.(id),
    });
    this.exposeRunner(runner, plan);
    return runner;
  }

  /** Mounts its relay at `/i/<slug>`, unless it is served in an endpoint it shares. */
  private exposeRunner(runner: InstanceRunner, plan: WindowPlan): void {
    const { folderId, slug } = runner.instance;
    const options = this.folderOptions(folderId);
    const folder = plan.folders.find((candidate) => candidate.id === folderId);
    if (endpointOf(this.shapes, runner.id) !== undefined || folder === undefined) return;
    runner.expose({
      host: this.options.host,
      path: instancePath(slug),
      separator: folder.separator,
      toolPrefix: folder.toolPrefix ?? options?.toolPrefix ?? false,
      ...(folder.note !== undefined && { note: folder.note }),
    });
  }

  private createAggregate(shape: AggregateShape, members: readonly InstanceRunner[], plan: WindowPlan): FolderAggregate {
    const folder = plan.folders.find((candidate) => candidate.id === shape.folderId);
    return new FolderAggregate(members, {
      host: this.options.host,
      path: shape.path,
      slug: shape.slug,
      label: shape.label,
      version: shape.version,
      discovery: shape.discovery,
      collapse: shape.collapse,
      separator: folder?.separator ?? '__',
      ...(folder?.note !== undefined && { note: folder.note }),
      onChange: () => this.options.onChange?.(),
      ...(this.options.approval !== undefined && { approval: this.options.approval }),
    });
  }
}
