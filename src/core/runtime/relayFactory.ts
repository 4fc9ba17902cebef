/**
 * Builds what `reconcile` asks for — an instance's runner, a folder's aggregate — and
 * mounts their relays on the window's host: an instance at `/i/<slug>` unless its folder is
 * served as one aggregate. Apart from windowRuntime.ts because how a relay is built and
 * where it is mounted change for their own reasons, not when the window's update does.
 */
import { MemoryTokenStore } from '../auth';
import type { HttpHost } from '../host';
import type { WindowPlan } from '../plan';
import { instancePath, type AggregateShape } from './definitions';
import { FolderAggregate } from './folderAggregate';
import type { RuntimeAuthDeps } from './instanceAuth';
import { InstanceRunner } from './instanceRunner';
import type { FolderOptions } from './model';
import type { Runnable } from './reconcile';
import type { WindowRuntimeOptions } from './runtimeOptions';

export interface RelayFactoryDeps {
  readonly host: HttpHost;
  readonly options: WindowRuntimeOptions;
  /** The folder's options as of the latest update: read each time a relay is built. */
  folderOptions(folderId: string): FolderOptions | undefined;
  /** The folder's path as of the latest update: where a credential helper runs. */
  folderPath(folderId: string): string | undefined;
  /** A runner's or an aggregate's state or tools changed. */
  onChange(): void;
}

export class RelayFactory {
  private readonly auth: RuntimeAuthDeps;

  constructor(private readonly deps: RelayFactoryDeps) {
    const { options } = deps;
    this.auth = {
      tokenStore: options.tokenStore ?? new MemoryTokenStore(),
      ...(options.openBrowser !== undefined && { openBrowser: options.openBrowser }),
      ...(options.vscodeToken !== undefined && { vscodeToken: options.vscodeToken }),
      ...(options.signInHint !== undefined && { signInHint: options.signInHint }),
      ...(options.signInTimeoutMs !== undefined && { callbackTimeoutMs: options.signInTimeoutMs }),
    };
  }

  createRunner(instance: Runnable, plan: WindowPlan): InstanceRunner {
    const { options } = this.deps;
    const folderPath = this.deps.folderPath(instance.folderId);
    const runner = new InstanceRunner(instance, {
      ...(options.supervisorOptions !== undefined && { supervisorOptions: options.supervisorOptions }),
      auth: this.auth,
      ...(folderPath !== undefined && { folderPath }),
      ...(options.onStderr !== undefined && { onStderr: (id, line) => options.onStderr?.(id, line) }),
      ...(options.onEvent !== undefined && { onEvent: (id, text) => options.onEvent?.(id, text) }),
      ...(options.onState !== undefined && { onState: (id, state) => options.onState?.(id, state) }),
      onChange: () => this.deps.onChange(),
    });
    this.exposeRunner(runner, plan);
    return runner;
  }

  /** Mounts its relay at `/i/<slug>`, unless its folder is served as an aggregate. */
  exposeRunner(runner: InstanceRunner, plan: WindowPlan): void {
    const { folderId, slug } = runner.instance;
    const options = this.deps.folderOptions(folderId);
    const folder = plan.folders.find((candidate) => candidate.id === folderId);
    if (options?.exposure === 'aggregate' || folder === undefined) return;
    runner.expose({
      host: this.deps.host,
      path: instancePath(slug),
      separator: folder.separator,
      toolPrefix: options?.toolPrefix ?? false,
      ...(folder.note !== undefined && { note: folder.note }),
    });
  }

  createAggregate(shape: AggregateShape, members: readonly InstanceRunner[], plan: WindowPlan): FolderAggregate {
    const folder = plan.folders.find((candidate) => candidate.id === shape.folderId);
    return new FolderAggregate(members, {
      host: this.deps.host,
      path: shape.path,
      slug: shape.slug,
      label: shape.label,
      version: shape.version,
      separator: folder?.separator ?? '__',
      ...(folder?.note !== undefined && { note: folder.note }),
      onChange: () => this.deps.onChange(),
    });
  }
}
