/**
 * Where an upstream's notifications go: log messages to each session whose level they meet
 * (tagged with the instance in an aggregate; see logLevels), resource updates to the
 * sessions subscribed to that resource, task status to the session that created the task,
 * anything else to all. Progress and cancellation belong to one request, which the relay
 * routes itself (relayProgress, the direct channel): one that reaches here concerns no session.
 * Nothing goes to a session before its `initialized`.
 */
import type { LoggingLevel, Notification, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { admits } from './logLevels';
import type { Member, SessionLike } from './member';
import type { Namespace } from './namespace';
import { notifyDownstream, paramsOf, type Params } from '../wire';

export interface NotificationContext {
  readonly aggregate: boolean;
  readonly ns: Namespace;
  readonly sessions: ReadonlySet<SessionLike & { readonly capabilities: ServerCapabilities; readonly initialized: boolean }>;
  readonly taskOwners: Map<string, SessionLike>;
  readonly logLevels: { of(session: SessionLike): LoggingLevel | undefined };
}

/** Notifications tied to one request: the relay routes those where it sends the request. */
const REQUEST_BOUND = new Set(['notifications/progress', 'notifications/cancelled']);

const TERMINAL_TASK_STATUS = new Set(['completed', 'failed', 'cancelled']);

export function routeNotification(context: NotificationContext, member: Member, notification: Notification): void {
  const params = paramsOf(notification);
  const method = notification.method;
  switch (method) {
    case 'notifications/message': {
      const logger = typeof params['logger'] === 'string' ? `${member.key}/${params['logger']}` : member.key;
      const relayed = context.aggregate ? { ...params, logger } : params;
      for (const session of context.sessions) {
        if (session.initialized && session.capabilities.logging !== undefined && admits(context.logLevels.of(session), params['level'])) send(session, method, relayed);
      }
      return;
    }
    case 'notifications/resources/updated': {
      const uri = typeof params['uri'] === 'string' ? params['uri'] : undefined;
      const subscribers = uri === undefined ? undefined : member.subscriptions.get(uri);
      if (uri === undefined || subscribers === undefined) return;
      const relayed = { ...params, uri: context.ns.uriOut(member, uri) };
      for (const session of subscribers) send(session, method, relayed);
      return;
    }
    case 'notifications/tasks/status': {
      const taskId = typeof params['taskId'] === 'string' ? context.ns.taskIdOut(member, params['taskId']) : undefined;
      const relayed = taskId === undefined ? params : { ...params, taskId };
      const owner = taskId === undefined ? undefined : context.taskOwners.get(taskId);
      if (taskId !== undefined && TERMINAL_TASK_STATUS.has(String(params['status']))) context.taskOwners.delete(taskId);
      if (owner !== undefined) {
        send(owner, method, relayed);
      } else {
        for (const session of context.sessions) if (session.initialized && session.capabilities.tasks !== undefined) send(session, method, relayed);
      }
      return;
    }
    default:
      if (REQUEST_BOUND.has(method)) return;
      for (const session of context.sessions) if (session.initialized) send(session, method, notification.params === undefined ? undefined : params);
  }
}

function send(session: SessionLike, method: string, params: Params | undefined): void {
  void notifyDownstream(session.server, params === undefined ? { method } : { method, params }).catch(() => {
    // The session closed meanwhile, or its client did not ask for this kind of message.
  });
}

/**
 * Sends parameterless list_changed notifications to every session that announced the list.
 * A session not yet initialized is skipped: the spec allows it nothing before `initialized`,
 * and it lists everything afresh once initialized. `discovery`: its three tools never change
 * (its searches read the new catalog), so tools/list_changed is not sent.
 */
export function broadcastListChanged(sessions: NotificationContext['sessions'], discovery: boolean, methods: readonly string[]): void {
  for (const session of sessions) {
    if (!session.initialized) continue;
    for (const method of methods) {
      if (discovery && method === 'notifications/tools/list_changed') continue;
      const capability = method.split('/')[1] as keyof ServerCapabilities;
      if (session.capabilities[capability] !== undefined) void notifyDownstream(session.server, { method }).catch(() => undefined);
    }
  }
}
