/**
 * The upstream's own requests (sampling, elicitation, roots, ping…) and which client
 * answers them.
 *
 * They go to the session with the most recent call in flight to that upstream whose client
 * supports the request, else to the most recently active session that supports it, else
 * they fail with MethodNotFound naming the instance. Over Streamable HTTP the request
 * travels on the stream of the call that caused it (`relatedRequestId`).
 *
 * `roots/list` is the exception: an upstream asks for roots as soon as it is initialized,
 * which, with instances started eagerly, is before any client is connected. Failing it
 * would leave the upstream without the client's roots (many servers ask only once, and
 * log the failure), so while no client has initialized yet it waits for the first one,
 * briefly (ROOTS_ARRIVAL_WAIT_MS). Once a client is there, a client without roots gets the
 * answer such a client gives itself, MethodNotFound, at once: waiting for another client
 * hung the first tool call of servers that ask per call (@playwright/mcp).
 * An instance with roots of its own (`roots` in the config) never asks a client: the
 * relay answers with its roots, so two accounts never share the client's one folder.
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, type JSONRPCRequest, type ProgressNotification, type Result } from '@modelcontextprotocol/sdk/types.js';
import { WireError } from './errors';
import type { InFlightCall, Member, SessionLike, UpstreamRequestExtra } from './member';
import { needOf, type Need } from './serverRequestNeeds';
import { paramsOf, requestDownstream, type Params } from '../wire';

interface Target {
  readonly session: SessionLike;
  readonly requestId?: string | number;
}

/** Resolves true when a client session has initialized, false at `deadline` (ms) or on abort. */
export type SessionArrival = (signal: AbortSignal, deadline: number) => Promise<boolean>;

/**
 * How long `roots/list` waits for the first client at an eager start. Seconds, not the client
 * request timeout: an upstream blocked on its roots blocks its own initialization work, and
 * a client that comes later is told of roots by `roots/list_changed` anyway.
 */
export const ROOTS_ARRIVAL_WAIT_MS = 10_000;

export async function routeServerRequest(
  sessions: Iterable<SessionLike>,
  member: Member,
  request: JSONRPCRequest,
  extra: UpstreamRequestExtra,
  timeoutMs: number,
  /** `undefined` once a client has initialized: from then on nobody waits for one. */
  arrival: SessionArrival | undefined,
): Promise<Result> {
  if (request.method === 'roots/list' && member.roots !== undefined) return ownRoots(member, member.roots);
  const params = paramsOf(request);
  const need = needOf(request.method, params);
  let target = taskOwner(sessions, member, params) ?? pickSession(sessions, member, need);
  if (target === undefined && request.method === 'roots/list' && arrival !== undefined) {
    // One arrival is enough: the first client to initialize answers, or its lack of roots does.
    if (await arrival(extra.signal, Date.now() + Math.min(ROOTS_ARRIVAL_WAIT_MS, timeoutMs))) target = pickSession(sessions, member, need);
  }
  if (target === undefined) throw refusal(sessions, member, request.method, need);
  const options: RequestOptions = { signal: extra.signal, timeout: timeoutMs };
  if (target.requestId !== undefined) options.relatedRequestId = target.requestId;
  const onprogress = relayProgress(params, extra.sendNotification);
  if (onprogress !== undefined) options.onprogress = onprogress;
  const result = await requestDownstream(target.session.server, { method: request.method, params }, options);
  // A task the client created for this request: its tasks/* requests go to the same client.
  const taskId = (result['task'] as { taskId?: unknown } | undefined)?.taskId;
  if (params['task'] !== undefined && typeof taskId === 'string') member.clientTasks.set(taskId, target.session);
  return result;
}

/** No session can serve it: answered at once, as a client without the capability answers. */
function refusal(sessions: Iterable<SessionLike>, member: Member, method: string, need: Need | undefined): WireError {
  const partly = need?.partly;
  if (partly !== undefined && [...sessions].some((session) => partly.supports(session.server.getClientCapabilities()))) {
    return new WireError(partly.code, `${partly.message} (instance "${member.key}" sent ${method}; no client connected to mcplex supports ${need?.capability}).`);
  }
  const what = need === undefined ? 'any client' : `a client that supports ${need.capability}`;
  return new WireError(ErrorCode.MethodNotFound, `Instance "${member.key}" sent ${method}, but ${what} is not connected to mcplex.`);
}

/** The session that created the task a tasks/* request names, while it is connected. */
function taskOwner(sessions: Iterable<SessionLike>, member: Member, params: Params): Target | undefined {
  const taskId = params['taskId'];
  if (typeof taskId !== 'string') return undefined;
  const owner = member.clientTasks.get(taskId);
  if (owner === undefined) return undefined;
  for (const session of sessions) if (session === owner) return { session };
  member.clientTasks.delete(taskId);
  return undefined;
}

/** The configured answer to `roots/list`: a name for each root, so a server can show it. */
function ownRoots(member: Member, roots: readonly string[] | false): Result {
  // With `roots: false` the upstream was never told of the capability, so asking is its mistake.
  if (roots === false) throw new WireError(ErrorCode.MethodNotFound, `Instance "${member.key}" has no roots (\`"roots": false\` in its configuration).`);
  return { roots: roots.map((uri) => ({ uri, name: rootName(uri) })) };
}

function rootName(uri: string): string {
  const trimmed = uri.replace(/\/+$/, '');
  const last = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last) || uri;
  } catch {
    return last || uri;
  }
}

/**
 * Progress for a relayed request, passed back under the token of whoever asked: each side
 * of the relay numbers its own requests, so the token the asker chose cannot travel on.
 * `undefined` when the asker gave no token.
 */
export function relayProgress(
  params: Params,
  sendNotification: (notification: ProgressNotification) => Promise<void>,
): RequestOptions['onprogress'] {
  const token = params._meta?.['progressToken'];
  if (token === undefined) return undefined;
  return (progress) => void sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken: token as string | number } }).catch(ignore);
}

function pickSession(sessions: Iterable<SessionLike>, member: Member, need: Need | undefined): Target | undefined {
  const supports = (session: SessionLike): boolean => need === undefined || need.supports(session.server.getClientCapabilities());
  let caller: InFlightCall | undefined;
  for (const call of member.inflight) if (supports(call.session)) caller = call;
  if (caller !== undefined) return { session: caller.session, requestId: caller.requestId };
  let latest: SessionLike | undefined;
  for (const session of sessions) if (supports(session) && (latest === undefined || session.lastActive > latest.lastActive)) latest = session;
  return latest === undefined ? undefined : { session: latest };
}

function ignore(): void {
  // The asker went away while its request ran: nobody is left to tell.
}
