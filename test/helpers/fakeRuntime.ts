/**
 * A fake of the core's WindowRuntime (the `RuntimePort` slice the extension calls): it
 * records every update and answers with what the test set up, so the extension's glue is
 * tested without spawning anything.
 */
import type { BrokenConfig, DefinitionSpec, FolderInput, InstanceView, UpdateResult } from '../../src/core/runtime';
import type { RuntimePort } from '../../src/extension/runtimePort';
import type { Problem } from '../../src/core/problems';

export interface RecordedUpdate {
  readonly folders: readonly FolderInput[];
  readonly trusted: boolean;
}

export class FakeRuntime implements RuntimePort {
  readonly updates: RecordedUpdate[] = [];
  readonly ensured: string[] = [];
  readonly calls: string[] = [];
  definitionList: DefinitionSpec[] = [];
  instanceList: InstanceView[] = [];
  /** What the next updates answer. */
  problems = new Map<string, Problem[]>();
  definitionsChanged = true;
  /** Thrown by ensureRunning, when set. */
  startError: Error | undefined;
  /** Resolves an update only when the test says so, when set. */
  gate: Promise<void> | undefined;
  closed = false;
  private readonly listeners = new Set<() => void>();

  async update(folders: readonly FolderInput[], trusted: boolean): Promise<UpdateResult> {
    this.updates.push({ folders, trusted });
    if (this.gate !== undefined) await this.gate;
    return { problems: this.problems, definitionsChanged: this.definitionsChanged, started: [], stopped: [], restarted: [], reconfigured: [] };
  }

  labelOf(instanceId: string): string | undefined {
    return this.instanceList.find((view) => `${view.folderId}#${view.key}` === instanceId)?.label;
  }

  definitions(): readonly DefinitionSpec[] {
    return this.definitionList;
  }

  /** The options of each ensureRunning, in order (`interactive` from resolve). */
  readonly ensuredOptions: ({ readonly interactive?: boolean } | undefined)[] = [];

  async ensureRunning(definitionId: string, options?: { readonly interactive?: boolean }): Promise<void> {
    this.ensured.push(definitionId);
    this.ensuredOptions.push(options);
    if (this.startError !== undefined) throw this.startError;
  }

  instances(): readonly InstanceView[] {
    return this.instanceList;
  }

  /** What `brokenConfigs` answers: folders whose configuration has errors. */
  brokenList: BrokenConfig[] = [];

  brokenConfigs(): readonly BrokenConfig[] {
    return this.brokenList;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Plays the runtime telling that instance states changed. */
  fireChange(): void {
    for (const listener of [...this.listeners]) listener();
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async start(id: string): Promise<void> {
    this.calls.push(`start ${id}`);
  }

  async stop(id: string): Promise<void> {
    this.calls.push(`stop ${id}`);
  }

  async restart(id: string): Promise<void> {
    this.calls.push(`restart ${id}`);
  }

  async signIn(id: string): Promise<void> {
    this.calls.push(`signIn ${id}`);
    if (this.startError !== undefined) throw this.startError;
  }

  async signOut(id: string): Promise<void> {
    this.calls.push(`signOut ${id}`);
  }

  async restartAll(): Promise<void> {
    this.calls.push('restartAll');
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
