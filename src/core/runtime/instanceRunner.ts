/**
 * One runnable instance of the window: its upstream under a supervisor of its own (so it
 * starts, stops and restarts apart from the others), and in per-instance exposure its
 * relay mounted at `/i/<slug>`, whose catalog gives its tools. Replaced as a whole when its launch
 * spec changes; when only its surface changes (tool filter, labels, note, separator,
 * tool prefix), `reconfigure` swaps the plan and the relay but keeps the process, so an
 * in-memory server keeps its state through a "Deny Tool".
 */
import { createHash } from 'node:crypto';
import type { HttpHost, MountHandle } from '../host';
import { entriesOf } from '../catalog';
import { createInstanceRelay, type Disposable, type InstanceRelay, type UpstreamSource } from '../mux';
import { canonicalJson, type PlannedInstance, type WindowInstance } from '../plan';
import { describeSupervisorEvent, Supervisor, type SupervisorEvent, type SupervisorOptions } from '../upstream';
import { InstanceAuth, type RuntimeAuthDeps } from './instanceAuth';
import type { InstanceStatus, ToolView } from './model';
import { findAuthError, isSignInRequired } from '../auth';

export interface RunnerOptions {
  readonly supervisorOptions?: Partial<SupervisorOptions>;
  /** Credentials of remote upstreams; absent: an `auth` is applied without a store of its own. */
  readonly auth?: RuntimeAuthDeps;
  /** The workspace folder's path: where a credential helper runs. */
  readonly folderPath?: string;
  readonly onStderr?: (instanceId: string, line: string) => void;
  readonly onEvent?: (instanceId: string, text: string) => void;
  /** Any change of state or tools. */
  readonly onChange: () => void;
}

export interface Exposure {
  readonly host: HttpHost;
  readonly path: string;
  readonly separator: string;
  readonly note?: string;
  readonly toolPrefix: boolean;
}

export type RunnableInstance = WindowInstance & { readonly planned: PlannedInstance };

export class InstanceRunner {
  readonly id: string;
  /** Over the upstream as launched, secret values included: a changed secret restarts it. */
  readonly launchDigest: string;
  readonly source: UpstreamSource;
  private readonly supervisor: Supervisor;
  private readonly subscription: { dispose(): void };
  private attempt = 1;
  private pid: number | undefined;
  private restartRequested = false;
  private closed = false;
  private endpoint: { relay: InstanceRelay; mount: MountHandle; catalogWatch: Disposable } | undefined;
  /** Its credentials, for a remote upstream with an `auth`. */
  readonly auth: InstanceAuth | undefined;
  /** Set when the user must sign in: why, in the error's words. Cleared by the next start. */
  private signInNeeded: string | undefined;

  constructor(
    private current: RunnableInstance,
    private readonly options: RunnerOptions,
  ) {
    this.id = current.id;
    this.launchDigest = InstanceRunner.launchDigestOf(current.planned);
    const supervisorOptions = options.supervisorOptions ?? {};
    const upstream = this.planned.upstream;
    this.auth =
      options.auth !== undefined && InstanceAuth.needed(upstream)
        ? new InstanceAuth(upstream, { ...options.auth, ...(supervisorOptions.connect !== undefined && { connect: supervisorOptions.connect }) }, {
            instance: this.planned.key,
            storeKey: this.id,
            prefix: this.planned.prefix,
            ...(options.folderPath !== undefined && { cwd: options.folderPath }),
            onSignInRequired: (message) => this.needsSignIn(message),
          })
        : undefined;
    this.supervisor = new Supervisor([{ key: this.planned.key, spec: upstream, label: this.planned.label }], {
      ...supervisorOptions,
      ...(this.auth !== undefined && { connect: this.auth.connect }),
      onStderr: (key, line) => {
        supervisorOptions.onStderr?.(key, line);
        options.onStderr?.(this.id, line);
      },
      onEvent: (event) => {
        supervisorOptions.onEvent?.(event);
        this.track(event);
        options.onEvent?.(this.id, describeSupervisorEvent(event));
      },
    });
    this.source = this.supervisor.source(this.planned.key);
    this.subscription = this.source.onStateChange(() => options.onChange());
  }

  static launchDigestOf(planned: PlannedInstance): string {
    return createHash('sha256').update(canonicalJson(planned.upstream)).digest('hex');
  }

  /** The plan it serves: the one it was made with, or the last `reconfigure`'s. */
  get instance(): RunnableInstance {
    return this.current;
  }

  get planned(): PlannedInstance {
    return this.current.planned;
  }

  /**
   * Takes a new plan of the same instance whose upstream launches the same way: the
   * process (and its sign-in) lives on. Call `unexpose` first and `expose` after, so the
   * old relay's sessions end and the new surface gets a relay of its own.
   */
  reconfigure(instance: RunnableInstance): void {
    if (instance.id !== this.id || InstanceRunner.launchDigestOf(instance.planned) !== this.launchDigest) {
      throw new Error(`Instance "${this.id}" cannot be reconfigured into "${instance.id}" with another launch spec; replace its runner instead.`);
    }
    if (this.endpoint !== undefined) throw new Error(`Instance "${this.id}" is still exposed; unexpose it before reconfiguring it.`);
    this.current = instance;
  }

  /** Serves it on its own at `exposure.path` (per-instance definitions). */
  expose(exposure: Exposure): void {
    if (this.endpoint !== undefined) throw new Error(`Instance "${this.id}" is already exposed; unexpose it first.`);
    const relay = createInstanceRelay({
      source: this.source,
      slug: this.planned.slug,
      label: this.planned.instanceLabel,
      prefixTools: exposure.toolPrefix,
      prefix: this.planned.prefix,
      separator: exposure.separator,
      tools: this.planned.tools,
      version: this.planned.hash,
      ...(exposure.note !== undefined && { note: exposure.note }),
    });
    const mount = exposure.host.mount(exposure.path, relay);
    const catalogWatch = relay.onCatalogChange(this.options.onChange);
    this.endpoint = { relay, mount, catalogWatch };
  }

  tools(): readonly ToolView[] | undefined {
    return entriesOf(this.endpoint?.relay.catalog(), this.planned.prefix);
  }

  status(): InstanceStatus {
    const state = this.source.state();
    if (this.signInNeeded !== undefined && (state.kind === 'stopped' || state.kind === 'down')) {
      return { kind: 'needs-sign-in', message: this.signInNeeded };
    }
    switch (state.kind) {
      case 'stopped':
        return { kind: 'stopped' };
      case 'starting':
        return { kind: 'starting', attempt: this.attempt };
      case 'up':
        return this.pid === undefined ? { kind: 'running' } : { kind: 'running', pid: this.pid };
      case 'down':
        // A requested restart passes through `down` on its way back up.
        if (this.restartRequested) return { kind: 'starting', attempt: 1 };
        return { kind: 'failed', message: state.reason, retrying: state.restarting };
    }
  }

  /** Who it is signed in as, when known. */
  account(): string | undefined {
    return this.auth?.signedInAs;
  }

  /**
   * Resolves once this start settles; never rejects for a failing upstream. `interactive`
   * (the user's action, VS Code's `resolve`): a sign-in may open the browser or a dialog.
   */
  async start(options: { readonly interactive?: boolean } = {}): Promise<void> {
    if (options.interactive !== true || this.auth === undefined) return this.supervisor.start(this.planned.key);
    await this.interactively(() => this.supervisor.start(this.planned.key));
  }

  stop(): Promise<void> {
    this.signInNeeded = undefined;
    return this.supervisor.stop(this.planned.key);
  }

  restart(): Promise<void> {
    return this.supervisor.restart(this.planned.key);
  }

  /** The user's "Sign in": starts it afresh, interactively. */
  async signIn(): Promise<void> {
    this.auth?.signingIn();
    await this.interactively(() => this.supervisor.restart(this.planned.key));
  }

  /** The user's "Sign out": forgets the sign-in and starts again, quietly (so: needs a sign-in). */
  async signOut(): Promise<void> {
    await this.supervisor.stop(this.planned.key);
    await this.auth?.signOut();
    this.options.onEvent?.(this.id, 'signed out');
    await this.supervisor.start(this.planned.key);
  }

  private async interactively(run: () => Promise<void>): Promise<void> {
    const auth = this.auth;
    if (auth === undefined) return run();
    auth.interactive = true;
    try {
      await run();
    } finally {
      auth.interactive = false;
    }
  }

  /**
   * A sign-in is needed: show it, and stop retrying (the supervisor would try again and
   * again, and each try would only ask again). Deferred: the supervisor reports a failure
   * before it schedules its retry, and `stop` must cancel that retry.
   */
  private needsSignIn(message: string): void {
    this.signInNeeded = message;
    this.options.onChange();
    queueMicrotask(() => {
      if (this.signInNeeded !== message || this.closed) return;
      const state = this.source.state();
      if (state.kind === 'stopped' || state.kind === 'starting') return;
      void this.supervisor.stop(this.planned.key);
    });
  }

  /** Unmounts its relay and ends the relay's sessions; the process is left alone. */
  async unexpose(): Promise<void> {
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    if (endpoint === undefined) return;
    endpoint.catalogWatch.dispose();
    await endpoint.mount.dispose();
    await endpoint.relay.close();
  }

  /** Unmounts it, closes its sessions and relay, stops its process tree. */
  async close(): Promise<void> {
    this.closed = true;
    this.subscription.dispose();
    await this.unexpose();
    await this.supervisor.close();
    await this.auth?.close();
  }

  private track(event: SupervisorEvent): void {
    switch (event.type) {
      case 'starting':
        this.attempt = event.attempt;
        this.restartRequested = false;
        this.signInNeeded = undefined;
        break;
      case 'up':
        this.pid = event.pid;
        if (this.auth !== undefined) void this.auth.learnAccount().then(() => this.options.onChange());
        break;
      case 'failed':
        if (isSignInRequired(event.error)) this.needsSignIn(findAuthError(event.error)?.message ?? event.error.message);
        break;
      case 'restarting':
        this.restartRequested = event.why === 'requested';
        break;
      case 'stopped':
      case 'exited':
        this.pid = undefined;
        this.restartRequested = false;
        break;
      default:
        break;
    }
  }
}
