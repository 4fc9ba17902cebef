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
 * descriptions, so an instance relay's result has nothing to rewrite. The aggregate's
 * results may hold resource links under the upstream's URIs (see resultLinks): a result
 * whose text may hold one is parsed and renamed, any other is still spliced. `tools/list` answers with the view
 * serialized once per view (a list_changed drops the view and with it the text).
 *
 * Whatever this path does not take — an unknown name, a task-augmented call, an instance
 * that is down, a tool that needs the user's approval (tools.confirm), no view built yet, a paginated list — goes to the `Protocol` and the
 * handlers, which produce the same answers and errors the long way. Both paths share their
 * steps: the route lookup (toolRoutes) and the call against the member with its in-flight
 * bookkeeping, timeout and wording (memberCall); cancellation and progress (under the
 * client's token, restarting the timeout) behave as there.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId, Result, Tool } from '@modelcontextprotocol/sdk/types.js';
import { Cancellation, canSendRaw, parsedResponse, RawJson, paramsOf, type Params } from '../wire';
import { audited } from './callAudit';
import { toWireError } from './errors';
import type { InFlightCall, Member, SessionLike } from './member';
import { callMemberRaw } from './memberCall';
import { mayHoldLinks } from './resultLinks';
import { routeNow, upstreamParams } from './toolRoutes';
import type { MemberRoute, ToolCatalog } from './viewCache';

export interface FastPathContext {
  currentTools(): ToolCatalog | undefined;
  readonly requestTimeoutMs: number;
  /** Renames the links in a member's result (the aggregate's namespace); absent where URIs are the upstream's own. */
  readonly linksOut: ((member: Member, result: Result) => Result) | undefined;
  /** Renames the client's namespaced URIs in a request back to the member's (see linksIn); absent likewise. */
  readonly linksIn: ((member: Member, params: Params) => Params) | undefined;
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

/** The serialized `tools/list` result of each catalog, built on the first list that needs it. */
const serializedLists = new WeakMap<ToolCatalog, RawJson>();

/** One call in flight: its own cancellation, and the member's in-flight record (one object, not two). */
class FastCall extends Cancellation implements InFlightCall {
  constructor(
    readonly session: SessionLike,
    readonly requestId: RequestId,
  ) {
    super();
  }
}

export class FastPath {
  private readonly calls = new Map<RequestId, FastCall>();

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
    const route = routeNow(this.context, name);
    // A tool under tools.confirm needs someone asked first: the handlers do that (callApproval).
    if (route === undefined || !route.member.isUp() || route.member.needsApproval(route.upstreamName)) return false;
    this.context.touch(this.session);
    void this.forward(id, params, route);
    return true;
  }

  private async forward(id: RequestId, params: Params, route: MemberRoute): Promise<void> {
    const call = new FastCall(this.session, id);
    this.calls.set(id, call);
    try {
      const token = params._meta?.['progressToken'];
      const inbound = this.context.linksIn?.(route.member, params) ?? params;
      const upstream = upstreamParams(inbound, route);
      const { member } = route;
      const result = await audited(member.audit, member.key, route.upstreamName, upstream['arguments'], () =>
        callMemberRaw(member, call, 'tools/call', upstream, {
          signal: call,
          timeoutMs: this.context.requestTimeoutMs,
          ...(token !== undefined && { onprogress: (progress: Params) => this.progress(id, token, progress) }),
        }),
      );
      // A cancelled request gets no answer (as the Protocol does it).
      if (!call.aborted) await this.respond(id, this.renamed(route.member, result));
    } catch (error) {
      if (!call.aborted) {
        const wire = toWireError(error);
        const answer = { jsonrpc: '2.0', id, error: { code: wire.code, message: wire.message, ...(wire.data !== undefined && { data: wire.data }) } };
        await this.transport.send(answer as JSONRPCMessage).catch(ignore);
      }
    } finally {
      this.calls.delete(id);
    }
  }

  private list(id: RequestId, params: Params): boolean {
    const view = this.context.currentTools();
    if (this.session.capabilities.tools === undefined || view === undefined || params['cursor'] !== undefined) return false;
    this.context.touch(this.session);
    if (canSendRaw(this.transport)) {
      let text = serializedLists.get(view);
      if (text === undefined) serializedLists.set(view, (text = new RawJson(JSON.stringify({ tools: view.exposed }))));
      void this.transport.sendRawResult(id, text).catch(ignore);
    } else {
      void this.transport.send(parsedResponse(id, { tools: view.exposed as Tool[] })).catch(ignore);
    }
    return true;
  }

  private progress(id: RequestId, token: unknown, progress: Params): void {
    const notification = { jsonrpc: '2.0', method: 'notifications/progress', params: { ...progress, progressToken: token } };
    void this.transport.send(notification as JSONRPCMessage, { relatedRequestId: id }).catch(ignore);
  }

  private renamed(member: Member, result: Result | RawJson): Result | RawJson {
    const linksOut = this.context.linksOut;
    if (linksOut === undefined) return result;
    if (!(result instanceof RawJson)) return linksOut(member, result);
    const text = result.text;
    return mayHoldLinks(text) ? linksOut(member, JSON.parse(text) as Result) : result;
  }

  private respond(id: RequestId, result: Result | RawJson): Promise<void> {
    if (result instanceof RawJson && canSendRaw(this.transport)) return this.transport.sendRawResult(id, result);
    return this.transport.send(parsedResponse(id, result));
  }
}

function ignore(): void {
  // The client went away before its answer: nobody is left to tell.
}
