/**
 * The relay engine shared by the instance relay (one member) and the aggregate (many):
 * downstream sessions, upstream members, forwarding in both directions.
 *
 * Routing of the upstream's own requests (sampling, elicitation, roots): they go to the
 * session with the most recent call in flight to that upstream whose client supports
 * the request, else to the most recently active session that supports it, else they fail
 * with MethodNotFound naming the instance. Over Streamable HTTP the request travels on the
 * stream of the call that caused it (`relatedRequestId`).
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { mergeCapabilities, type RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  RootsListChangedNotificationSchema,
  type ClientCapabilities,
  type JSONRPCRequest,
  type Notification,
  type Prompt,
  type Result,
  type ServerCapabilities,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { NamingIssue } from '../naming';
import { buildView, type View } from './catalog';
import { explainUpstreamFailure, RelayError, toWireError, WireError } from './errors';
import { createHandlers, type Handler, type HandlerContext, type ServerExtra } from './handlers';
import { Member, type InFlightCall, type MemberEvents, type MemberOptions, type SessionLike, type UpstreamRequestExtra } from './member';
import { aggregateNamespace, identityNamespace, type Namespace } from './namespace';
import { routeNotification } from './notifications';
import type { Relay, RelaySession } from './relay';
import type { UpstreamState } from './upstreamSource';
import { notifyDownstream, paramsOf, requestDownstream, requestUpstream, type Params } from './wire';

export interface CoreOptions {
  readonly kind: 'instance' | 'aggregate';
  readonly members: readonly MemberOptions[];
  readonly serverInfo: { readonly name: string; readonly title?: string; readonly version?: string };
  readonly toolNaming: { readonly separator: string; readonly prefixed: boolean };
  /** Prompt names in the aggregate are namespaced like tools; an instance keeps them. */
  readonly promptNaming: { readonly separator: string; readonly prefixed: boolean } | undefined;
  readonly requestTimeoutMs: number;
  readonly clientRequestTimeoutMs: number;
  readonly onIssue?: (issue: NamingIssue) => void;
}

export interface Session extends SessionLike {
  readonly id: number;
  readonly capabilities: ServerCapabilities;
}

const LIST_CHANGED = ['notifications/tools/list_changed', 'notifications/prompts/list_changed', 'notifications/resources/list_changed'];

/** The client capability a server-to-client request needs. */
const NEEDS: Readonly<Record<string, keyof ClientCapabilities>> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export class RelayCore implements Relay, HandlerContext, MemberEvents {
  readonly aggregate: boolean;
  readonly members: readonly Member[];
  readonly ns: Namespace;
  readonly taskOwners = new Map<string, SessionLike>();
  readonly sessions = new Set<Session>();
  private tools: View<Tool> | undefined;
  private toolsPending: Promise<View<Tool>> | undefined;
  private prompts: Promise<View<Prompt>> | undefined;
  private generation = 0;
  private activity = 0;
  private nextSessionId = 1;
  private logLevel: string | undefined;
  private closed = false;

  constructor(private readonly options: CoreOptions) {
    this.aggregate = options.kind === 'aggregate';
    this.members = options.members.map((member) => new Member(member.source, member, this));
    const first = this.members[0];
    if (first === undefined) throw new Error('A relay needs at least one upstream.');
    this.ns = this.aggregate ? aggregateNamespace(new Map(this.members.map((member) => [member.key, member]))) : identityNamespace(first);
  }

  // ---- Relay -------------------------------------------------------------------------

  async connect(transport: Transport): Promise<RelaySession> {
    if (this.closed) throw new Error('This relay is closed; create a new one.');
    await Promise.all(this.members.map((member) => member.whenSettled()));
    const capabilities = this.announcedCapabilities();
    const instructions = this.instructions();
    const { name, title, version } = this.options.serverInfo;
    const server = new Server(
      { name, version: version ?? this.members[0]?.serverVersion() ?? '0.0.0', ...(title !== undefined && { title }) },
      { capabilities, ...(instructions !== undefined && { instructions }), debouncedNotificationMethods: LIST_CHANGED },
    );
    // The SDK answers setLevel itself when logging is announced; the upstream must hear it.
    server.removeRequestHandler('logging/setLevel');
    const session: Session = { id: this.nextSessionId++, server, capabilities, lastActive: ++this.activity };
    const handlers = createHandlers(this, capabilities);
    server.fallbackRequestHandler = (request, extra) => this.dispatch(session, handlers, request, extra);
    server.setNotificationHandler(RootsListChangedNotificationSchema, () => this.rootsChanged());
    server.onclose = () => this.dropSession(session);
    this.sessions.add(session);
    try {
      await server.connect(transport);
    } catch (error) {
      this.sessions.delete(session);
      throw error;
    }
    return { close: () => server.close() };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions].map((session) => session.server.close()));
    for (const member of this.members) member.dispose();
  }

  /** Every naming issue of the current tool view (collisions, names not exposed). */
  async namingIssues(): Promise<readonly NamingIssue[]> {
    return (await this.toolView()).issues;
  }

  // ---- HandlerContext ----------------------------------------------------------------

  currentTools(): View<Tool> | undefined {
    return this.tools;
  }

  toolView(): Promise<View<Tool>> {
    if (this.toolsPending !== undefined) return this.toolsPending;
    const generation = this.generation;
    const pending = buildView(this.members, (member) => this.tolerant(member.tools()), {
      naming: this.options.toolNaming,
      listDown: !this.aggregate,
    });
    this.toolsPending = pending;
    pending.then(
      (view) => {
        if (generation !== this.generation) return;
        this.tools = view;
        for (const issue of view.issues) this.options.onIssue?.(issue);
      },
      () => {
        if (this.toolsPending === pending) this.toolsPending = undefined;
      },
    );
    return pending;
  }

  promptView(): Promise<View<Prompt>> {
    if (this.prompts !== undefined) return this.prompts;
    const pending = buildView(this.members, (member) => this.tolerant(member.prompts()), {
      naming: this.options.promptNaming,
      listDown: !this.aggregate,
    });
    this.prompts = pending;
    pending.catch(() => {
      if (this.prompts === pending) this.prompts = undefined;
    });
    return pending;
  }

  /** Members whose upstream announces `capability` and whose lists the client sees. */
  listed(capability: keyof ServerCapabilities): Member[] {
    return this.members.filter((member) => (this.aggregate ? member.isUp() : true) && member.capabilities()?.[capability] !== undefined);
  }

  /** In an aggregate one failing instance must not hide the others; an instance relay reports it. */
  tolerant<T>(list: Promise<readonly T[]>): Promise<readonly T[]> {
    return this.aggregate ? list.catch(() => []) : list;
  }

  async forward(member: Member, session: SessionLike, extra: ServerExtra, method: string, params: Params): Promise<Result> {
    const client = member.client(method);
    const call: InFlightCall = { session, requestId: extra.requestId };
    member.inflight.add(call);
    try {
      return await requestUpstream(client, { method, params }, this.upstreamOptions(params, extra));
    } catch (error) {
      throw explainUpstreamFailure(error, member.key, method, member.restarting(), this.options.requestTimeoutMs);
    } finally {
      member.inflight.delete(call);
    }
  }

  async subscribe(member: Member, session: SessionLike, extra: ServerExtra, params: Params, uri: string): Promise<Result> {
    const subscribers = member.subscriptions.get(uri);
    if (subscribers !== undefined) {
      subscribers.add(session);
      return {};
    }
    const created = new Set<SessionLike>([session]);
    member.subscriptions.set(uri, created);
    try {
      return await this.forward(member, session, extra, 'resources/subscribe', { ...params, uri });
    } catch (error) {
      if (member.subscriptions.get(uri) === created) member.subscriptions.delete(uri);
      throw error;
    }
  }

  async unsubscribe(member: Member, session: SessionLike, extra: ServerExtra, params: Params, uri: string): Promise<Result> {
    const subscribers = member.subscriptions.get(uri);
    if (subscribers === undefined || !subscribers.delete(session) || subscribers.size > 0) return {};
    member.subscriptions.delete(uri);
    return this.forward(member, session, extra, 'resources/unsubscribe', { ...params, uri });
  }

  async setLogLevel(session: SessionLike, extra: ServerExtra, params: Params): Promise<Result> {
    this.logLevel = typeof params['level'] === 'string' ? params['level'] : this.logLevel;
    await Promise.all(this.listed('logging').filter((member) => member.isUp()).map((member) => this.forward(member, session, extra, 'logging/setLevel', params)));
    return {};
  }

  // ---- MemberEvents ------------------------------------------------------------------

  stateChanged(member: Member, state: UpstreamState): void {
    this.invalidate();
    if (state.kind === 'up') {
      this.restore(member);
    } else if (!this.aggregate) {
      return; // an instance keeps listing its last tools while it restarts
    }
    this.broadcast(LIST_CHANGED);
  }

  toolsChanged(): void {
    this.invalidateTools();
    this.broadcast(['notifications/tools/list_changed']);
  }

  promptsChanged(): void {
    this.prompts = undefined;
    this.broadcast(['notifications/prompts/list_changed']);
  }

  resourcesChanged(): void {
    this.broadcast(['notifications/resources/list_changed']);
  }

  notification(member: Member, notification: Notification): void {
    routeNotification(this, member, notification);
  }

  async serverRequest(member: Member, request: JSONRPCRequest, extra: UpstreamRequestExtra): Promise<Result> {
    const need = NEEDS[request.method];
    const target = this.pickSession(member, need);
    if (target === undefined) {
      const what = need === undefined ? 'any client' : `a client that supports ${need}`;
      throw new WireError(ErrorCode.MethodNotFound, `Instance "${member.key}" sent ${request.method}, but ${what} is not connected to mcplex.`);
    }
    const params = paramsOf(request);
    const options: RequestOptions = { signal: extra.signal, timeout: this.options.clientRequestTimeoutMs };
    if (target.requestId !== undefined) options.relatedRequestId = target.requestId;
    const token = params._meta?.['progressToken'];
    if (token !== undefined) {
      options.onprogress = (progress) => void extra.sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken: token as string | number } }).catch(ignore);
    }
    return requestDownstream(target.session.server, { method: request.method, params }, options);
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

  /**
   * Request options toward the upstream. A client's progress token cannot go up as is: two
   * sessions may use the same token, so the SDK gives the upstream request its own and the
   * progress comes back to the session under the client's token.
   */
  private upstreamOptions(params: Params, extra: ServerExtra): RequestOptions {
    const options: RequestOptions = { signal: extra.signal, timeout: this.options.requestTimeoutMs, resetTimeoutOnProgress: true };
    const token = params._meta?.['progressToken'];
    if (token !== undefined) {
      options.onprogress = (progress) => void extra.sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken: token as string | number } }).catch(ignore);
    }
    return options;
  }

  private pickSession(member: Member, need: keyof ClientCapabilities | undefined): { session: SessionLike; requestId?: string | number } | undefined {
    const supports = (session: SessionLike): boolean => need === undefined || session.server.getClientCapabilities()?.[need] !== undefined;
    let caller: InFlightCall | undefined;
    for (const call of member.inflight) if (supports(call.session)) caller = call;
    if (caller !== undefined) return { session: caller.session, requestId: caller.requestId };
    let latest: Session | undefined;
    for (const session of this.sessions) if (supports(session) && (latest === undefined || session.lastActive > latest.lastActive)) latest = session;
    return latest === undefined ? undefined : { session: latest };
  }

  private announcedCapabilities(): ServerCapabilities {
    if (!this.aggregate) {
      const member = this.members[0];
      const capabilities = member?.capabilities();
      if (member === undefined || capabilities === undefined) {
        throw new RelayError('instance-down', `Instance "${member?.key}" cannot serve: ${member?.whyDown()}.`, ErrorCode.InternalError, member?.key);
      }
      return capabilities;
    }
    let merged: ServerCapabilities = {};
    for (const member of this.members) merged = mergeCapabilities(merged, member.capabilities() ?? {});
    // Instances come and go under one endpoint: the tool list changes with them.
    return mergeCapabilities(merged, { tools: { listChanged: true } });
  }

  private instructions(): string | undefined {
    if (!this.aggregate) return this.members[0]?.instructions();
    const lines: string[] = [];
    for (const member of this.members) {
      const text = member.instructions();
      if (member.isUp() && text !== undefined && text.trim() !== '') lines.push(`Instance "${member.key}" (${member.label}): ${text.trim()}`);
      if (!member.isUp()) lines.push(`Instance "${member.key}" (${member.label}) is unavailable: ${member.whyDown()}.`);
    }
    return lines.length === 0 ? undefined : lines.join('\n\n');
  }

  /** After a (re)connection: subscriptions and the log level the clients asked for. */
  private restore(member: Member): void {
    const client = member.client('resources/subscribe');
    for (const uri of member.subscriptions.keys()) {
      void requestUpstream(client, { method: 'resources/subscribe', params: { uri } }, {}).catch(ignore);
    }
    if (this.logLevel !== undefined && member.capabilities()?.logging !== undefined) {
      void requestUpstream(client, { method: 'logging/setLevel', params: { level: this.logLevel } }, {}).catch(ignore);
    }
  }

  private invalidate(): void {
    this.invalidateTools();
    this.prompts = undefined;
  }

  private invalidateTools(): void {
    this.generation++;
    this.tools = undefined;
    this.toolsPending = undefined;
  }

  /** Sends parameterless list_changed notifications to every session that announced the list. */
  private broadcast(methods: readonly string[]): void {
    for (const session of this.sessions) {
      for (const method of methods) {
        const capability = method.split('/')[1] as keyof ServerCapabilities;
        if (session.capabilities[capability] !== undefined) void notifyDownstream(session.server, { method }).catch(ignore);
      }
    }
  }

  private rootsChanged(): void {
    for (const member of this.members) {
      if (member.isUp()) void member.client('notifications/roots/list_changed').sendRootsListChanged().catch(ignore);
    }
  }

  private dropSession(session: Session): void {
    this.sessions.delete(session);
    for (const member of this.members) {
      for (const [uri, subscribers] of member.subscriptions) {
        if (!subscribers.delete(session) || subscribers.size > 0) continue;
        member.subscriptions.delete(uri);
        if (member.isUp()) void requestUpstream(member.client('resources/unsubscribe'), { method: 'resources/unsubscribe', params: { uri } }, {}).catch(ignore);
      }
    }
    for (const [taskId, owner] of this.taskOwners) if (owner === session) this.taskOwners.delete(taskId);
  }
}

function ignore(): void {
  // A session or upstream that went away while we told it something: nothing to do.
}
