/**
 * The relay's hot path, taken before the SDK `Server`'s `Protocol` sees a message: a
 * `tools/call` for a tool of the current view, and `tools/list` from that view.
 *
 * Why: the `Protocol` runs zod guards on every message, builds an `AbortController` and a
 * handler context per request and serializes every result; for a call the relay only
 * renames, that is most of its cost. Here the request goes up through the direct channel
 * under its upstream name and the upstream's result comes back as text where both
 * transports allow (a stdio upstream, a host transport with `sendRawResult`), spliced
 * under the client's id: never parsed, never re-serialized. The instance note belongs to
 * descriptions, so a result has nothing to rewrite. `tools/list` answers with the view
 * serialized once per view (a list_changed drops the view and with it the text).
 *
 * Whatever this path does not take — an unknown name, a task-augmented call, an instance
 * that is down, no view built yet, a paginated list — goes to the `Protocol` and the
 * handlers, which produce the same answers and errors the long way. Errors here are worded
 * by the same functions (explainUpstreamFailure, toWireError) and cancellation,
 * progress (under the client's token, restarting the timeout) and in-flight bookkeeping
 * (which session an upstream's sampling request belongs to) behave as there.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId, Result, Tool } from '@modelcontextprotocol/sdk/types.js';
import { Cancellation } from '../wire';
import type { Route, View } from './catalog';
import { directChannel } from './directRequests';
import { explainUpstreamFailure, toWireError } from './errors';
import type { InFlightCall, SessionLike } from './member';
import { canSendRaw, parsedResponse, RawJson } from '../wire';
import { paramsOf, type Params } from '../wire';

export interface FastPathContext {
  currentTools(): View<Tool> | undefined;
  readonly requestTimeoutMs: number;
  /** Marks the session as the most recently active one. */
  touch(session: SessionLike): void;
}

export interface FastSession extends SessionLike {
  readonly capabilities: { readonly tools?: object | undefined };
}

interface MessageLike {
  readonly id?: RequestId;
  readonly method?: string;
  readonly params?: unknown;
}

/** The serialized `tools/list` result of each view, built on the first list that needs it. */
const serializedLists = new WeakMap<View<Tool>, RawJson>();

export class FastPath {
  private readonly calls = new Map<RequestId, Cancellation>();

  constructor(
    private readonly transport: Transport,
    private readonly session: FastSession,
    private readonly context: FastPathContext,
  ) {}

  /** Puts itself in front of the `Protocol` (call after `Server.connect`). */
  install(): void {
    const protocol = this.transport.onmessage;
    this.transport.onmessage = (message, extra) => {
      if (!this.take(message as MessageLike)) protocol?.(message, extra);
    };
  }

  /** The session is gone: its calls are cancelled upstream. */
  dispose(): void {
    for (const cancellation of this.calls.values()) cancellation.abort(new Error('The client session closed.'));
  }

  private take(message: MessageLike): boolean {
    switch (message.method) {
      case 'tools/call':
        return message.id !== undefined && this.call(message.id, paramsOf(message));
      case 'tools/list':
        return message.id !== undefined && this.list(message.id, paramsOf(message));
      case 'notifications/cancelled': {
        const requestId = paramsOf(message)['requestId'] as RequestId | undefined;
        const call = requestId === undefined ? undefined : this.calls.get(requestId);
        call?.abort(paramsOf(message)['reason']);
        return call !== undefined;
      }
      default:
        return false;
    }
  }

  private call(id: RequestId, params: Params): boolean {
    const name = params['name'];
    if (this.session.capabilities.tools === undefined || typeof name !== 'string' || params['task'] !== undefined || this.calls.has(id)) return false;
    const route = this.context.currentTools()?.routes.get(name);
    if (route === undefined || !route.member.isUp()) return false;
    this.context.touch(this.session);
    void this.forward(id, params, name, route);
    return true;
  }

  private async forward(id: RequestId, params: Params, name: string, route: Route): Promise<void> {
    const { member } = route;
    const timeoutMs = this.context.requestTimeoutMs;
    const cancellation = new Cancellation();
    const inflight: InFlightCall = { session: this.session, requestId: id };
    this.calls.set(id, cancellation);
    member.inflight.add(inflight);
    try {
      const channel = directChannel(member.client('tools/call'));
      if (channel === undefined) throw new Error(`Instance "${member.key}" has no connection to call ${name} on.`);
      const token = params._meta?.['progressToken'];
      const result = await channel.requestRaw('tools/call', route.upstreamName === name ? params : { ...params, name: route.upstreamName }, {
        signal: cancellation,
        timeoutMs,
        ...(token !== undefined && { onprogress: (progress: Params) => this.progress(id, token, progress) }),
      });
      // A cancelled request gets no answer (as the Protocol does it).
      if (!cancellation.aborted) await this.respond(id, result);
    } catch (error) {
      if (!cancellation.aborted) {
        const wire = toWireError(explainUpstreamFailure(error, member.key, 'tools/call', member.restarting(), timeoutMs));
        const answer = { jsonrpc: '2.0', id, error: { code: wire.code, message: wire.message, ...(wire.data !== undefined && { data: wire.data }) } };
        await this.transport.send(answer as JSONRPCMessage).catch(ignore);
      }
    } finally {
      this.calls.delete(id);
      member.inflight.delete(inflight);
    }
  }

  private list(id: RequestId, params: Params): boolean {
    const view = this.context.currentTools();
    if (this.session.capabilities.tools === undefined || view === undefined || params['cursor'] !== undefined) return false;
    this.context.touch(this.session);
    if (canSendRaw(this.transport)) {
      let text = serializedLists.get(view);
      if (text === undefined) serializedLists.set(view, (text = new RawJson(JSON.stringify({ tools: view.items }))));
      void this.transport.sendRawResult(id, text).catch(ignore);
    } else {
      void this.transport.send(parsedResponse(id, { tools: view.items as Tool[] })).catch(ignore);
    }
    return true;
  }

  private progress(id: RequestId, token: unknown, progress: Params): void {
    const notification = { jsonrpc: '2.0', method: 'notifications/progress', params: { ...progress, progressToken: token } };
    void this.transport.send(notification as JSONRPCMessage, { relatedRequestId: id }).catch(ignore);
  }

  private respond(id: RequestId, result: Result | RawJson): Promise<void> {
    if (result instanceof RawJson && canSendRaw(this.transport)) return this.transport.sendRawResult(id, result);
    return this.transport.send(parsedResponse(id, result));
  }
}

function ignore(): void {
  // The client went away before its answer: nobody is left to tell.
}
