/**
 * One runnable instance of the window: its upstream under a supervisor of its own (so it
 * starts, stops and restarts apart from the others), and in per-instance exposure its
 * relay mounted at `/i/<slug>`, whose catalog gives its tools. Replaced as a whole when its launch
 * spec changes; when only its surface changes (tool filter, labels, note, separator,
 * tool prefix), `reconfigure` swaps the plan and the relay but keeps the process, so an
 * in-memory server keeps its state through a "Deny Tool".
 */
import { createHash } from 'node:crypto';
import { InstanceAudit } from '../audit';
import { entriesOf } from '../catalog';
import { DEFAULT_AUDIT } from '../config';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { relayClientCapabilities, RELAY_CLIENT_CAPABILITIES, type CallApproval, type ClientSessions, type Disposable, type InstanceRelay, type UpstreamSource } from '../mux';
import { nextAnnouncement } from './sessionCapabilities';
import { canonicalJson, type PlannedInstance, type WindowInstance } from '../plan';
import { describeSupervisorEvent, Supervisor, type SupervisorEvent, type SupervisorOptions } from '../upstream';
import type { CredentialFactory, InstanceCredentials } from './credentials';
import { eventAddsDetail, INITIAL_STATE, next, type InstanceEvent } from './instanceState';
import type { InstanceState, ToolView } from './model';
import { buildRelay, type RelayHost } from './relays';

export interface RunnerOptions {
  readonly supervisorOptions?: Partial<SupervisorOptions>;
  /** Credentials of remote upstreams (the window's or the CLI's); absent: none are applied. */
  readonly credentials?: CredentialFactory;
  /** The workspace folder's path: where a credential helper runs. */
  readonly folderPath?: string;
  readonly onStderr?: (instanceId: string, line: string) => void;
  /** A supervisor event's line, when it says more than the state it leads to (`eventAddsDetail`). */
  readonly onEvent?: (instanceId: string, text: string) => void;
  /** Each change of the instance's state, with the new state (after the event's line). */
  readonly onState?: (instanceId: string, state: InstanceState) => void;
  /** Any change of state or tools. */
  readonly onChange: () => void;
  /** See `EngineOptions.approval`. */
  readonly approval?: CallApproval;
  /** Something the user should know (the audit trail cannot be written): a line for the log. */
  readonly onWarning?: (instanceId: string, text: string) => void;
  /** A tools/call was recorded (see `recentCalls`). */
  readonly onCall?: (instanceId: string) => void;
}

export interface Exposure {
  readonly host: RelayHost;
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
  /** The one stored state: set only in `change`, to what `next` (instanceState.ts) returned. */
  private state: InstanceState = INITIAL_STATE;
  private closed = false;
  private endpoint: { relay: InstanceRelay; mount: { dispose(): Promise<void> }; watches: readonly Disposable[] } | undefined;
  /** Its credentials, for a remote upstream with an `auth`. */
  readonly auth: InstanceCredentials | undefined;
  /** What its endpoint's clients support (`announceClient`); the supervisor asks at each start. */
  private clientCapabilities: ClientCapabilities;
  /** The multi-session relay whose clients it follows (`followSessions`). */
  private following: Disposable | undefined;
  /** Its audit trail: the runner's, so it outlives every relay built over it (the instance's and the aggregate's). */
  readonly audit: InstanceAudit;

  constructor(
    private current: RunnableInstance,
    private readonly options: RunnerOptions,
  ) {
    this.id = current.id;
    this.launchDigest = InstanceRunner.launchDigestOf(current.planned);
    const supervisorOptions = options.supervisorOptions ?? {};
    const upstream = this.planned.upstream;
    const base = supervisorOptions.clientCapabilities ?? RELAY_CLIENT_CAPABILITIES;
    this.clientCapabilities = typeof base === 'function' ? base() : base;
    this.auth = options.credentials?.({
      instance: current,
      ...(options.folderPath !== undefined && { cwd: options.folderPath }),
      ...(supervisorOptions.connect !== undefined && { connect: supervisorOptions.connect }),
      onSignInRequired: (message) => this.apply({ type: 'sign-in-needed', message }),
    });
    this.supervisor = new Supervisor([{ key: this.planned.key, spec: upstream, label: this.planned.label }], {
      ...supervisorOptions,
      clientCapabilities: () => relayClientCapabilities(this.planned.roots, this.clientCapabilities),
      ...(this.auth !== undefined && { connect: this.auth.connect }),
      onStderr: (key, line) => {
        supervisorOptions.onStderr?.(key, line);
        options.onStderr?.(this.id, line);
      },
      onEvent: (event) => {
        supervisorOptions.onEvent?.(event);
        this.supervised(event);
      },
    });
    this.source = this.supervisor.source(this.planned.key);
    const { planned } = this;
    this.audit = new InstanceAudit({
      instance: `${planned.serverId}/${planned.instanceId}`,
      ...(planned.recordsDir !== undefined && { dir: planned.recordsDir }),
      settings: planned.audit ?? DEFAULT_AUDIT,
      secrets: upstream.secretValues ?? [],
      onProblem: (text) => options.onWarning?.(this.id, text),
    });
    this.audit.onRecord(() => options.onCall?.(this.id));
  }

  /**
   * `"roots": false` is part of the launch: capabilities are announced once, at initialize,
   * so only a new process can learn that roots are (or are no longer) there. A change of
   * the list itself is a change of surface: MCP has `notifications/roots/list_changed`
   * for it, and the process keeps its state (see `rootsChanged`).
   */
  static launchDigestOf(planned: PlannedInstance): string {
    const launch = planned.roots === false ? { upstream: planned.upstream, roots: false } : planned.upstream;
    return createHash('sha256').update(canonicalJson(launch)).digest('hex');
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
    this.audit.update(instance.planned.audit ?? DEFAULT_AUDIT);
  }

  /**
   * Takes a new plan whose launch and surface are the same (its hash and launch digest):
   * what acts in place, the `audit` setting, follows it; nothing is restarted or swapped.
   */
  retune(instance: RunnableInstance): void {
    this.current = instance;
    this.audit.update(instance.planned.audit ?? DEFAULT_AUDIT);
  }

  /**
   * Its roots changed with the last `reconfigure`: tells the upstream, which asks again and
   * gets the new list from the new relay. Call once that relay is built.
   */
  rootsChanged(): void {
    const state = this.source.state();
    if (state.kind === 'up') void state.connection.client.sendRootsListChanged().catch(() => undefined);
  }

  /**
   * The client behind its endpoint, when that is the only one for the upstream's life
   * (`wrap`, `serve` over stdio): the upstream is told exactly what that client supports
   * (`forOneClient`) at its next start. Capabilities are announced once, at initialize, so
   * an upstream already running with others is restarted.
   */
  announceClient(capabilities: ClientCapabilities): void {
    const before = canonicalJson(this.clientCapabilities);
    this.clientCapabilities = capabilities;
    const state = this.source.state().kind;
    if (before !== canonicalJson(capabilities) && (state === 'up' || state === 'starting')) void this.restart();
  }

  /**
   * The relay in front of it serves many sessions (`serve --http`, `--socket`): the upstream
   * is told the union of what they support, re-announced by a restart only when that cuts
   * nobody off (`nextAnnouncement`), looked at again at each arrival, departure and idle.
   */
  followSessions(sessions: ClientSessions): void {
    this.following?.dispose();
    const follow = (): void => {
      const state = this.source.state().kind;
      const decision = nextAnnouncement(this.clientCapabilities, {
        sessions: sessions.sessionCapabilities(),
        served: sessions.servedSessions(),
        busy: sessions.busy(),
        running: state === 'up' || state === 'starting',
        ...(this.planned.roots !== undefined && { roots: this.planned.roots }),
      });
      if (decision.kind === 'keep') return;
      this.clientCapabilities = decision.capabilities;
      if (decision.restart) void this.restart();
    };
    this.following = sessions.onSessionsChange(follow);
    follow();
  }

  /** Serves it on its own at `exposure.path` (per-instance definitions). */
  expose(exposure: Exposure): void {
    if (this.endpoint !== undefined) throw new Error(`Instance "${this.id}" is already exposed; unexpose it first.`);
    const relay = buildRelay({
      kind: 'instance',
      member: { planned: this.planned, source: this.source, audit: this.audit },
      prefixTools: exposure.toolPrefix,
      naming: { separator: exposure.separator, ...(exposure.note !== undefined && { note: exposure.note }) },
      ...(this.options.approval !== undefined && { approval: this.options.approval }),
    });
    const mount = exposure.host.mount(exposure.path, relay);
    const watches = [relay.onCatalogChange(this.options.onChange), relay.onClientsChange(this.options.onChange)];
    this.endpoint = { relay, mount, watches };
  }

  /** The clients connected to its own endpoint; `undefined` while it has none (in an aggregate: the aggregate's). */
  clients(): number | undefined {
    return this.endpoint?.relay.clients();
  }

  tools(): readonly ToolView[] | undefined {
    return entriesOf(this.endpoint?.relay.catalog(), this.planned.prefix);
  }

  /** Its state as stored: the value every view renders. */
  status(): InstanceState {
    return this.state;
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
    this.apply({ type: 'stop-requested' });
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

  private apply(event: InstanceEvent): void {
    this.change(next(this.state, event));
  }

  private supervised(event: SupervisorEvent): void {
    const after = next(this.state, event);
    // The event's line first, then the state it led to: "exited after 3 s", then "failed, retrying".
    if (eventAddsDetail(event, after)) this.options.onEvent?.(this.id, describeSupervisorEvent(event));
    this.change(after);
    if (event.type === 'up' && this.auth !== undefined) void this.auth.learnAccount().then(() => this.options.onChange());
  }

  /** The one place the state is set, always to what `next` returned; a change is told once. */
  private change(after: InstanceState): void {
    if (after === this.state) return;
    this.state = after;
    this.options.onState?.(this.id, after);
    // A closing runner's last `stopped` is for the log; the window no longer shows it.
    if (!this.closed) this.options.onChange();
    if (after.kind === 'needs-sign-in') this.stopRetrying(after);
  }

  /**
   * A sign-in is needed: stop retrying (the supervisor would try again and again, and each
   * try would only ask again). Deferred to the next turn of the event loop: the supervisor
   * reports a failure before it schedules its retry, and `stop` must cancel that retry; and
   * the call whose refusal asked for the sign-in must get its own "needs you to sign in"
   * (a chain of promise callbacks) before the stop closes the connection under it.
   */
  private stopRetrying(needed: InstanceState): void {
    setImmediate(() => {
      if (this.state !== needed || this.closed) return;
      const upstream = this.source.state();
      if (upstream.kind === 'stopped' || upstream.kind === 'starting') return;
      void this.supervisor.stop(this.planned.key);
    });
  }

  /** Unmounts its relay and ends the relay's sessions; the process is left alone. */
  async unexpose(): Promise<void> {
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    if (endpoint === undefined) return;
    for (const watch of endpoint.watches) watch.dispose();
    await endpoint.mount.dispose();
    await endpoint.relay.close();
  }

  /** Unmounts it, closes its sessions and relay, stops its process tree. */
  async close(): Promise<void> {
    this.closed = true;
    this.following?.dispose();
    await this.unexpose();
    await this.supervisor.close();
    await this.auth?.close();
    await this.audit.close();
  }
}
