/**
 * The per-window engine the VS Code extension is a thin shell over (and that a test can
 * drive without VS Code): folders in, running instances and definitions out.
 *
 * One HTTP host per window; each instance's relay at `/i/<slug>` (or each folder's
 * aggregate at `/f/<digest>`). `update` re-plans the whole window and touches only what
 * changed: new instances start, removed ones stop, ones that launch differently are
 * replaced (a new process), ones whose surface alone changed get a new relay over the
 * same process, the rest are left alone. Updates run one at a time, in call order.
 * This file holds the window's state and that order; planning (planFolders.ts, the
 * planner the CLI uses too), running and exposing instances (engine.ts, the CLI's engine
 * too) and the errors the user reads (startErrors.ts) are their own files.
 */
import { randomBytes } from 'node:crypto';
import { sharedSignInUrls } from '../auth';
import { HttpHost, type SessionExpiry } from '../host';
import { VSCODE_CLIENT_CAPABILITIES } from '../mux';
import type { WindowPlan } from '../plan';
import { Engine, endpointOf, type AggregateShape, type InstanceRunner } from '../engine';
import { buildDefinitions } from './definitions';
import { windowCredentials } from './windowCredentials';
import { instanceView } from './instanceViews';
import type { FolderLoad } from './loadFolder';
import type { BrokenConfig, DefinitionSpec, FolderInput, InstanceView, UpdateResult } from './model';
import { planFolders } from './planFolders';
import { sameAccountWarnings, signInScope } from './sameAccount';
import { confirmWarnings } from './confirmWarnings';
import type { StartOptions, WindowRuntimeOptions } from './runtimeOptions';
import { closedError, noMemberStartedError, noSignInError, notRunnableError, signInFailure, startFailure, unknownDefinitionError, unknownInstanceError, untrustedError } from './startErrors';

export type { EndpointSessionExpiry, StartOptions, WindowRuntimeOptions } from './runtimeOptions';

/** The header VS Code sends the per-window token in (kept apart from `Authorization`). */
export const TOKEN_HEADER = 'X-Mcplex-Token';

/** How often recorded calls refresh the views at most. */
export const CALLS_CHANGE_MS = 1000;

export class WindowRuntime {
  private plan: WindowPlan = { folders: [], instances: [] };
  private trusted = false;
  private readonly lastGood = new Map<string, FolderLoad>();
  private excluded: ReadonlyMap<string, string> = new Map();
  /** The endpoints instances share, by definition id, as last applied. */
  private shapes: ReadonlyMap<string, AggregateShape> = new Map();
  private mcpJsonDuplicates: ReadonlyMap<string, string> = new Map();
  private broken: ReadonlyMap<string, BrokenConfig> = new Map();
  private defs: readonly DefinitionSpec[] = [];
  private readonly listeners = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private readonly engine: Engine;
  /** Upstream URLs more than one OAuth instance signs in to: their sign-ins show the account chooser. */
  private sharedUrls: ReadonlySet<string> = new Set();
  /** The same-account warnings already logged, so each is said once. */
  private warned: ReadonlyMap<string, string> = new Map();
  /** tools.confirm globs that match no tool, last logged (see confirmWarnings). */
  private confirmWarned: ReadonlyMap<string, string> = new Map();
  /** Set while a change for recorded calls is pending (see `callsChanged`). */
  private callsTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly host: HttpHost,
    private readonly headers: Readonly<Record<string, string>>,
    private readonly options: WindowRuntimeOptions,
  ) {
    this.engine = new Engine({
      host,
      credentials: windowCredentials(options, () => this.sharedUrls),
      // VS Code is the window's client: its upstreams are told what VS Code supports.
      supervisorOptions: {
        clientCapabilities: VSCODE_CLIENT_CAPABILITIES,
        ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
        ...options.supervisorOptions,
      },
      ...(options.onStderr !== undefined && { onStderr: (id, line) => options.onStderr?.(id, line) }),
      ...(options.onEvent !== undefined && { onEvent: (id, text) => options.onEvent?.(id, text) }),
      ...(options.onState !== undefined && { onState: (id, state) => options.onState?.(id, state) }),
      onChange: () => this.fire(),
      ...(options.approval !== undefined && { approval: options.approval }),
      ...(options.onWarning !== undefined && { onWarning: (id, text) => options.onWarning?.(id, text) }),
      onCall: () => this.callsChanged(),
    });
  }

  static async start(options: WindowRuntimeOptions): Promise<WindowRuntime> {
    const token = options.token ?? randomBytes(32).toString('hex');
    // The host starts first (the engine mounts on it), so its expiries reach the runtime once built.
    let runtime: WindowRuntime | undefined;
    const host = await HttpHost.start({
      listen: options.listen,
      token,
      tokenHeader: TOKEN_HEADER,
      ...options.sessionLimits,
      onSessionExpired: (expiry) => runtime?.sessionExpired(expiry),
    });
    runtime = new WindowRuntime(host, { [TOKEN_HEADER]: token }, options);
    return runtime;
  }

  /** Re-plans the window from every folder's sources; `trusted: false` runs nothing. */
  async update(folders: readonly FolderInput[], trusted: boolean): Promise<UpdateResult> {
    return this.serialize(() => this.apply(folders, trusted));
  }

  definitions(): readonly DefinitionSpec[] {
    return this.defs;
  }

  /** The folders whose configuration has errors, and whether they run their last good version. */
  brokenConfigs(): readonly BrokenConfig[] {
    return [...this.broken.values()];
  }

  instances(): readonly InstanceView[] {
    const sources = {
      trusted: this.trusted,
      endpointOf: (id: string) => endpointOf(this.shapes, id),
      runner: (id: string) => this.engine.runner(id),
      excluded: (id: string) => this.excluded.get(id),
      aggregateTools: (definitionId: string, id: string) => this.engine.aggregate(definitionId)?.toolsOf(id),
      aggregateClients: (definitionId: string) => this.engine.aggregate(definitionId)?.clients(),
      mcpJsonDuplicate: (id: string) => this.mcpJsonDuplicates.get(id),
    };
    const views = this.plan.instances.map((instance) => instanceView(instance, sources));
    const warnings = this.accountWarnings(views);
    this.logConfirmWarnings(views);
    return warnings.size === 0 ? views : views.map((view) => {
      const warning = warnings.get(`${view.folderId}#${view.key}`);
      return warning === undefined ? view : { ...view, accountWarning: warning };
    });
  }

  /**
   * For `resolveMcpServerDefinition`: starts what the definition serves (if it is not up)
   * and waits until it is. Rejects with the instance's real error when it cannot start,
   * and says which secrets are missing. An aggregate succeeds when any member is up.
   * `interactive`: an instance that needs a sign-in gets one (browser, VS Code dialog).
   */
  async ensureRunning(definitionId: string, options: StartOptions = {}): Promise<void> {
    this.assertOpen();
    if (!this.trusted) throw untrustedError();
    const definition = this.defs.find((candidate) => candidate.id === definitionId);
    if (definition === undefined) throw unknownDefinitionError(definitionId);
    if (definition.instanceKeys.length === 1 && definition.instanceKeys[0] === definition.id) {
      return this.startChecked(definition.id, options);
    }
    const results = await Promise.allSettled(definition.instanceKeys.map((id) => this.startChecked(id, options)));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
    if (failures.length < results.length) return;
    throw noMemberStartedError(definition.label, failures);
  }

  /**
   * An instance's label (`Notes · Work`) by id: its runner's while a plan is being applied
   * (the first state lines come before the views see the new plan), else the plan's.
   */
  labelOf(instanceId: string): string | undefined {
    return this.engine.runner(instanceId)?.instance.label ?? this.plan.instances.find((instance) => instance.id === instanceId)?.label;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Starts an instance; resolves once the attempt settles (a failure shows in its status). */
  async start(instanceId: string, options: StartOptions = {}): Promise<void> {
    await this.runnerFor(instanceId).start(options);
  }

  /**
   * The user's "Sign in": restarts the instance interactively (an OAuth browser sign-in, a
   * VS Code account dialog) and resolves once it runs; rejects with why it does not.
   */
  async signIn(instanceId: string): Promise<void> {
    const runner = this.signingRunner(instanceId);
    await runner.signIn();
    const failure = signInFailure(runner);
    if (failure !== undefined) throw failure;
  }

  /** The user's "Sign out": forgets the instance's tokens (or account) and restarts it, so it needs a sign-in. */
  async signOut(instanceId: string): Promise<void> {
    await this.signingRunner(instanceId).signOut();
  }

  async stop(instanceId: string): Promise<void> {
    this.assertOpen();
    await this.engine.runner(instanceId)?.stop();
  }

  async restart(instanceId: string): Promise<void> {
    await this.runnerFor(instanceId).restart();
  }

  async restartAll(): Promise<void> {
    this.assertOpen();
    await Promise.all(this.engine.runners().map((runner) => runner.restart()));
  }

  /** Stops every instance and its process tree, closes the host, removes the socket. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.queue.then(async () => {
      clearTimeout(this.callsTimer);
      await this.engine.close();
      await this.host.close();
      this.listeners.clear();
    });
    return this.closing;
  }

  // ---- update ----------------------------------------------------------------------------

  private async apply(given: readonly FolderInput[], trusted: boolean): Promise<UpdateResult> {
    const { env, secrets, userHome, stateRoot } = this.options;
    const context = { env, secrets, userHome, ...(stateRoot !== undefined && { stateRoot }) };
    // `folders` as planned: with the exposure each folder's file chose.
    const planned = await planFolders(given, context, this.lastGood, trusted);
    const { plan, exposed, problems, mcpJsonDuplicates, broken, folders } = planned;
    this.assertOpen();
    this.broken = broken;
    this.mcpJsonDuplicates = mcpJsonDuplicates;
    this.excluded = exposed.excluded;
    const { shapes } = exposed;
    this.sharedUrls = sharedSignInUrls(plan.instances.flatMap((instance) => {
      const upstream = instance.planned?.upstream;
      return upstream?.kind === 'remote' ? [{ url: upstream.url, authType: upstream.auth?.type }] : [];
    }));

    const changes = await this.engine.apply({ plan, folders, wanted: exposed.wanted, shapes, eager: this.options.startup === 'eager' });

    this.plan = plan;
    this.trusted = trusted;
    this.shapes = shapes;
    const definitions = trusted ? buildDefinitions(plan, shapes, { urlFor: (path) => this.host.urlFor(path), headers: this.headers }) : [];
    const definitionsChanged = JSON.stringify(definitions) !== JSON.stringify(this.defs);
    this.defs = definitions;
    this.fire();
    return { problems, definitionsChanged, ...changes };
  }

  // ---- helpers ---------------------------------------------------------------------------

  private async startChecked(id: string, options: StartOptions): Promise<void> {
    const runner = this.runnerFor(id);
    await runner.start(options);
    const failure = startFailure(runner);
    if (failure !== undefined) throw failure;
  }

  /** The runner of an instance whose credentials come from a sign-in; says so plainly otherwise. */
  private signingRunner(id: string): InstanceRunner {
    const runner = this.runnerFor(id);
    if (runner.auth?.signsIn !== true) throw noSignInError(runner);
    return runner;
  }

  private runnerFor(id: string): InstanceRunner {
    this.assertOpen();
    const runner = this.engine.runner(id);
    if (runner !== undefined) return runner;
    const instance = this.plan.instances.find((candidate) => candidate.id === id);
    if (instance === undefined) throw unknownInstanceError(id);
    throw notRunnableError(instance, this.trusted, this.excluded.get(id));
  }

  /** Instances signed in to one upstream as one identity; logs each new one through `onWarning`. */
  private accountWarnings(views: readonly InstanceView[]): ReadonlyMap<string, string> {
    const upstreams = new Map(this.plan.instances.map((instance) => [instance.id, instance.planned?.upstream]));
    const warnings = sameAccountWarnings(views.map((view) => {
      const id = `${view.folderId}#${view.key}`;
      return { id, label: view.label, account: view.account, scope: signInScope(upstreams.get(id)) };
    }));
    for (const [id, text] of warnings) if (this.warned.get(id) !== text) this.options.onWarning?.(id, text);
    this.warned = warnings;
    return warnings;
  }

  private logConfirmWarnings(views: readonly InstanceView[]): void {
    const warnings = confirmWarnings(this.plan.instances, views);
    for (const [id, text] of warnings) if (this.confirmWarned.get(id) !== text) this.options.onWarning?.(id, text);
    this.confirmWarned = warnings;
  }

  /**
   * A call was recorded: the views hear of it at most once per `CALLS_CHANGE_MS`, so a
   * model calling tools in a loop does not rebuild the tree at each call.
   */
  /** Names the endpoint of a session the host closed: the definition at that path, as the user knows it. */
  private sessionExpired(expiry: SessionExpiry): void {
    const url = this.host.urlFor(expiry.path);
    const definition = this.defs.find((candidate) => candidate.url === url);
    this.options.onSessionExpired?.({ endpoint: definition?.label ?? expiry.path, instanceKeys: definition?.instanceKeys ?? [], expiry });
  }

  private callsChanged(): void {
    if (this.callsTimer !== undefined || this.closing !== undefined) return;
    this.callsTimer = setTimeout(() => {
      this.callsTimer = undefined;
      this.fire();
    }, CALLS_CHANGE_MS);
    this.callsTimer.unref();
  }

  private fire(): void {
    this.instances(); // logs a new same-account warning (`onWarning`) as it builds the views
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the others still hear about the change.
      }
    }
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw closedError();
  }
}
