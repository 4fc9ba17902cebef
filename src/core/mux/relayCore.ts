/**
 * The relay engine shared by the instance relay (one member) and the aggregate (many):
 * downstream sessions, upstream members, forwarding in both directions. What it delegates:
 * the cached views (viewCache), what it announces (announce), subscriptions (subscriptions),
 * the upstream's own requests (serverRequests), its notifications and list_changed to the
 * sessions (notifications); its options and per-session record are in coreModel.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  RootsListChangedNotificationSchema,
  type ClientCapabilities,
  type JSONRPCRequest,
  type LoggingLevel,
  type Notification,
  type Progress,
  type Result,
  type ServerCapabilities,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { NamingIssue } from '../naming';
import { announcedCapabilities, announcedInstructions } from './announce';
import { DEFAULT_START_HOLD_MS, type CoreOptions, type Session } from './coreModel';
import { ClientArrivals } from './clientArrivals';
import { ClientCount } from './clientCount';
import { SessionWatch, type Arrival } from './sessionWatch';
import { RelayError, toWireError, WireError } from './errors';
import { isLogLevel, LOG_LEVELS, SessionLogLevels } from './logLevels';
import { refuseInitialize } from './refuse';
import { createHandlers, type Handler, type HandlerContext, type ServerExtra } from './handlers';
import { Member, type MemberEvents, type SessionLike, type UpstreamRequestExtra } from './member';
import { callMember } from './memberCall';
import { approveCall, type CallApproval } from './callApproval';
import { elicitApproval } from './elicitApproval';
import { aggregateNamespace, identityNamespace, toolOut, type Namespace } from './namespace';
import { broadcastListChanged, routeNotification } from './notifications';
import type { ClientSessions, Relay, RelaySession } from './relay';
import { relayProgress, routeServerRequest } from './serverRequests';
import { FastPath } from './fastPath';
import { withDiscovery } from './discovery';
import { signalsPressure, UpstreamPressure } from './pressure';
import { DEFAULT_AGGREGATE_HOLD_MS, whenServable } from './startGate';
import { renameLinks } from './resultLinks';
import { namespacedIn } from './linksIn';
import { dropSubscriber, resubscribe, subscribe, unsubscribe } from './subscriptions';
import type { Disposable, UpstreamState } from './upstreamSource';
import { tolerant, ViewCache, type MemberRoute, type PromptCatalog, type ToolCatalog } from './viewCache';
import { paramsOf, requestUpstream, type Params } from '../wire';

const LIST_CHANGED = ['notifications/tools/list_changed', 'notifications/prompts/list_changed', 'notifications/resources/list_changed'];

export class RelayCore implements Relay, ClientSessions, HandlerContext, MemberEvents {
  readonly aggregate: boolean;
  /** Lists three tools that search and call the catalog (the `discovery` exposure). */
  readonly discovery: boolean;
  readonly members: readonly Member[];
  readonly ns: Namespace;
  readonly taskOwners = new Map<string, SessionLike>();
  readonly sessions = new Set<Session>();
  readonly linksOut: ((member: Member, result: Result) => Result) | undefined;
  readonly linksIn: ((member: Member, params: Params) => Params) | undefined;
  private readonly views: ViewCache;
  /** `forward`, bound, for the subscription helpers. */
  private readonly forwarder = this.forward.bind(this);
  private activity = 0;
  private nextSessionId = 1;
  /** Each session's log level and the one its upstreams were told (see logLevels). */
  readonly logLevels = new SessionLogLevels<SessionLike>();
  private closed = false;
  /** Upstream requests waiting for a client to connect (see serverRequests), woken at each `initialized`. */
  private readonly arrivals = new ClientArrivals();
  private readonly pressure: UpstreamPressure;
  private readonly clientCount = new ClientCount();
  /** The sessions as the runners that tell the upstreams what they can serve follow them. */
  private readonly watch: SessionWatch;
  private readonly approval: CallApproval;

  constructor(private readonly options: CoreOptions) {
    this.pressure = new UpstreamPressure(options.members.map((member) => member.source));
    this.aggregate = options.kind === 'aggregate';
    this.discovery = this.aggregate && options.discovery === true;
    this.approval = options.approval ?? elicitApproval(options.clientRequestTimeoutMs);
    this.members = options.members.map((member) => new Member(member.source, member, this));
    this.watch = new SessionWatch(this.members);
    const first = this.members[0];
    if (first === undefined) throw new Error('A relay needs at least one upstream.');
    this.ns = this.aggregate ? aggregateNamespace(new Map(this.members.map((member) => [member.key, member]))) : identityNamespace(first);
    const ns = this.ns;
    this.linksOut = this.aggregate ? (member, result) => renameLinks(ns, member, result) : undefined;
    this.linksIn = this.aggregate ? (member, params) => namespacedIn(ns, member, params) : undefined;
    this.views = new ViewCache({
      aggregate: this.aggregate,
      members: this.members,
      toolNaming: options.toolNaming,
      promptNaming: options.promptNaming,
      ...(options.onIssue !== undefined && { onIssue: options.onIssue }),
      ...(this.aggregate && { toolOut: (member: Member, tool: Tool) => toolOut(ns, member, tool) }),
      ...(options.accounts === true && { accounts: true }),
    });
    // Members already up are listed now: the catalog is there before any client asks.
    this.views.refreshTools();
  }

  // ---- Relay -------------------------------------------------------------------------

  async connect(transport: Transport, client?: ClientCapabilities): Promise<RelaySession> {
    if (this.closed) throw new Error('This relay is closed; create a new one.');
    const arrival = client === undefined ? undefined : this.watch.arrive(client);
    try {
      return await this.serve(transport, arrival);
    } catch (error) {
      if (arrival !== undefined) this.watch.abandoned(arrival);
      throw error;
    }
  }

  /**
   * `arrival`: the client as counted from its `initialize` (see SessionWatch); it waits for the
   * members restarted to be told its capabilities as for a start, and stays counted as
   * arriving until its session is initialized or gone.
   */
  private async serve(transport: Transport, arrival: Arrival | undefined): Promise<RelaySession> {
    const holdMs = this.options.startHoldMs ?? DEFAULT_START_HOLD_MS;
    await Promise.all((arrival?.restarted ?? []).map((member) => member.whenBack(holdMs)));
    if (this.aggregate) {
      await whenServable(this.members, this.options.aggregateHoldMs ?? DEFAULT_AGGREGATE_HOLD_MS);
    } else {
      await Promise.all(this.members.map((member) => member.whenSettled()));
      await this.members[0]?.whenBack(holdMs);
    }
    let capabilities: ServerCapabilities;
    try {
      capabilities = announcedCapabilities(this.members, this.aggregate);
    } catch (error) {
      if (!(error instanceof RelayError)) throw error;
      if (arrival !== undefined) this.watch.abandoned(arrival);
      return refuseInitialize(transport, this.options.serverInfo.name, error);
    }
    const instructions = announcedInstructions(this.members, this.aggregate);
    const { name, title, version } = this.options.serverInfo;
    const server = new Server(
      { name, version: version ?? this.members[0]?.serverVersion() ?? '0.0.0', ...(title !== undefined && { title }) },
      { capabilities, ...(instructions !== undefined && { instructions }), debouncedNotificationMethods: LIST_CHANGED },
    );
    // The SDK answers setLevel itself when logging is announced; the upstream must hear it.
    server.removeRequestHandler('logging/setLevel');
    const session: Session = { id: this.nextSessionId++, server, capabilities, initialized: false, lastActive: ++this.activity, ...(arrival !== undefined && { arrival }) };
    const handlers = this.discovery ? withDiscovery(createHandlers(this, capabilities), this) : createHandlers(this, capabilities);
    server.fallbackRequestHandler = (request, extra) => this.dispatch(session, handlers, request, extra);
    server.setNotificationHandler(RootsListChangedNotificationSchema, () => this.rootsChanged());
    server.oninitialized = () => {
      const arrived = !session.initialized;
      // Initialized before it is counted: whoever hears of the arrival finds it among the sessions.
      session.initialized = true;
      session.clientCapabilities = server.getClientCapabilities() ?? {};
      if (session.arrival !== undefined) this.watch.settled(session.arrival);
      if (arrived) this.clientCount.arrived();
      this.arrivals.arrived();
      if (arrived) this.watch.changed();
    };
    server.onclose = () => this.dropSession(session);
    if (signalsPressure(transport)) transport.onpressure = (full) => this.pressure.set(session, full);
    this.sessions.add(session);
    try {
      await server.connect(transport);
    } catch (error) {
      this.sessions.delete(session);
      throw error;
    }
    // Discovery answers its three tools the long way: its calls are searches, not a hot path.
    if (!this.discovery) {
      session.fastPath = new FastPath(transport, session, this);
      session.fastPath.install();
    }
    return { close: () => server.close() };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.views.close();
    this.arrivals.close();
    await Promise.all([...this.sessions].map((session) => session.server.close()));
    for (const member of this.members) member.dispose();
  }

  /** Every naming issue of the current tool view (collisions, names not exposed). */
  async namingIssues(): Promise<readonly NamingIssue[]> {
    return (await this.toolView()).issues;
  }

  /**
   * The last tool catalog built: rebuilt whenever a member comes up, goes down or changes
   * its list, whether or not a client is connected. `undefined` before the first.
   */
  catalog(): ToolCatalog | undefined {
    return this.views.latestTools();
  }

  /** Called each time a new catalog is built (it may equal the last one). */
  onCatalogChange(listener: () => void): Disposable {
    return this.views.onToolsChange(listener);
  }

  clients(): number {
    return this.clientCount.value;
  }

  onClientsChange(listener: () => void): Disposable {
    return this.clientCount.onChange(listener);
  }

  // ---- HandlerContext, FastPathContext ---------------------------------------------------

  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs;
  }

  touch(session: SessionLike): void {
    session.lastActive = ++this.activity;
  }

  currentTools(): ToolCatalog | undefined {
    return this.views.currentTools();
  }

  toolView(): Promise<ToolCatalog> {
    return this.views.toolView();
  }

  promptView(): Promise<PromptCatalog> {
    return this.views.promptView();
  }

  /** Members whose upstream announces `capability` and whose lists the client sees. */
  listed(capability: keyof ServerCapabilities): Member[] {
    return this.members.filter((member) => (this.aggregate ? member.isUp() : true) && member.capabilities()?.[capability] !== undefined);
  }

  tolerant<T>(list: Promise<readonly T[]>): Promise<readonly T[]> {
    return tolerant(this.aggregate, list);
  }

  forward(member: Member, session: SessionLike, extra: ServerExtra, method: string, params: Params): Promise<Result> {
    // Progress comes back to the session under the client's token (see relayProgress).
    const onprogress = relayProgress(params, extra.sendNotification);
    return callMember(member, { session, requestId: extra.requestId }, method, params, {
      signal: extra.signal,
      timeoutMs: this.options.requestTimeoutMs,
      ...(onprogress !== undefined && { onprogress: (progress: Params) => onprogress(progress as unknown as Progress) }),
    });
  }

  approve(route: MemberRoute, params: Params, session: SessionLike, extra: ServerExtra): Promise<Result | undefined> {
    return approveCall(this.approval, route.member, route.upstreamName, params, session, extra.requestId, extra.signal);
  }

  subscribe(member: Member, session: SessionLike, extra: ServerExtra, params: Params, uri: string): Promise<Result> {
    return subscribe(this.forwarder, member, session, extra, params, uri);
  }

  unsubscribe(member: Member, session: SessionLike, extra: ServerExtra, params: Params, uri: string): Promise<Result> {
    return unsubscribe(this.forwarder, member, session, extra, params, uri);
  }

  async setLogLevel(session: SessionLike, extra: ServerExtra, params: Params): Promise<Result> {
    const level = params['level'];
    if (!isLogLevel(level)) throw new WireError(ErrorCode.InvalidParams, `Unknown log level ${JSON.stringify(level)}: use one of ${LOG_LEVELS.join(', ')}.`);
    const upstream = this.logLevels.set(session, level);
    if (upstream === undefined) return {};
    try {
      const members = this.listed('logging').filter((member) => member.isUp());
      await Promise.all(members.map((member) => this.forward(member, session, extra, 'logging/setLevel', { ...params, level: upstream })));
    } catch (error) {
      this.logLevels.forget();
      throw error;
    }
    return {};
  }

  // ---- ClientSessions ----------------------------------------------------------------

  sessionCapabilities(): readonly ClientCapabilities[] {
    return this.watch.capabilities(this.sessions);
  }

  servedSessions(): number {
    return [...this.sessions].filter((session) => session.initialized).length;
  }

  busy(): boolean {
    return this.watch.busy();
  }

  onSessionsChange(listener: () => void): Disposable {
    return this.watch.onChange(listener);
  }

  // ---- MemberEvents ------------------------------------------------------------------

  idle(): void {
    this.watch.idle();
  }

  stateChanged(member: Member, state: UpstreamState): void {
    this.views.invalidate();
    this.views.refreshTools();
    if (state.kind === 'up') {
      this.restore(member);
    } else if (!this.aggregate) {
      return; // an instance keeps listing its last tools while it restarts
    }
    broadcastListChanged(this.sessions, this.discovery, LIST_CHANGED);
  }

  toolsChanged(): void {
    this.views.invalidateTools();
    this.views.refreshTools();
    broadcastListChanged(this.sessions, this.discovery, ['notifications/tools/list_changed']);
  }

  promptsChanged(): void {
    this.views.invalidatePrompts();
    broadcastListChanged(this.sessions, this.discovery, ['notifications/prompts/list_changed']);
  }

  resourcesChanged(): void {
    broadcastListChanged(this.sessions, this.discovery, ['notifications/resources/list_changed']);
  }

  notification(member: Member, notification: Notification): void {
    routeNotification(this, member, notification);
  }

  async serverRequest(member: Member, request: JSONRPCRequest, extra: UpstreamRequestExtra): Promise<Result> {
    const waiting = [...this.sessions].some((session) => session.initialized) ? undefined : this.arrivals.wait;
    if (!this.aggregate) return routeServerRequest(this.sessions, member, request, extra, this.options.clientRequestTimeoutMs, waiting);
    // Sampling messages may hold links: out under the client's URIs, and back under the upstream's.
    const params = renameLinks(this.ns, member, paramsOf(request) as Result);
    const outbound = params === request.params ? request : { ...request, params };
    return namespacedIn(this.ns, member, await routeServerRequest(this.sessions, member, outbound, extra, this.options.clientRequestTimeoutMs, waiting));
  }

  // ---- internals -----------------------------------------------------------------------

  private async dispatch(session: Session, handlers: ReadonlyMap<string, Handler>, request: JSONRPCRequest, extra: ServerExtra): Promise<Result> {
    session.lastActive = ++this.activity;
    const handler = handlers.get(request.method);
    if (handler === undefined) throw new WireError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`);
    try {
      return await handler(paramsOf(request), extra, session);
    } catch (error) {
      throw toWireError(error);
    }
  }

  /** After a (re)connection: subscriptions and the log level the clients asked for. */
  private restore(member: Member): void {
    resubscribe(member);
    const level = this.logLevels.upstream();
    if (level !== undefined) this.tellLevel([member], level);
  }

  /** A level no session's request carries (a reconnection, a session that left): nobody waits for the answer. */
  private tellLevel(members: readonly Member[], level: LoggingLevel): void {
    for (const member of members) {
      if (!member.isUp() || member.capabilities()?.logging === undefined) continue;
      void requestUpstream(member.client('logging/setLevel'), { method: 'logging/setLevel', params: { level } }, {}).catch(ignore);
    }
  }

  /** The client's roots changed: only the members that relay the client's roots care. */
  private rootsChanged(): void {
    for (const member of this.members) {
      if (member.roots === undefined && member.isUp()) void member.client('notifications/roots/list_changed').sendRootsListChanged().catch(ignore);
    }
  }

  private dropSession(session: Session): void {
    const arriving = session.arrival !== undefined && !session.initialized;
    if (session.arrival !== undefined) this.watch.settled(session.arrival);
    const left = this.sessions.delete(session) && session.initialized;
    if (left) this.clientCount.left();
    this.pressure.drop(session);
    session.fastPath?.dispose();
    dropSubscriber(this.members, session);
    const level = this.logLevels.drop(session);
    if (level !== undefined) this.tellLevel(this.members, level);
    for (const [taskId, owner] of this.taskOwners) if (owner === session) this.taskOwners.delete(taskId);
    if (left || arriving) this.watch.changed();
  }
}

function ignore(): void {
  // A session or upstream that went away while we told it something: nothing to do.
}
