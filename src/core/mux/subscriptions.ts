/**
 * Resource subscriptions shared by sessions: the upstream hears one subscribe per URI (when
 * the first session subscribes) and one unsubscribe (when the last one leaves, by request
 * or by going away); after a reconnection it hears the subscribe again.
 */
import type { Result } from '@modelcontextprotocol/sdk/types.js';
import type { ServerExtra } from './handlers';
import type { Member, SessionLike } from './member';
import { requestUpstream, type Params } from '../wire';

/** Sends one request to a member's upstream on behalf of a session (the relay's `forward`). */
export type Forward = (member: Member, session: SessionLike, extra: ServerExtra, method: string, params: Params) => Promise<Result>;

export async function subscribe(forward: Forward, member: Member, session: SessionLike, extra: ServerExtra, params: Params, uri: string): Promise<Result> {
  const subscribers = member.subscriptions.get(uri);
  if (subscribers !== undefined) {
    subscribers.add(session);
    return {};
  }
  const created = new Set<SessionLike>([session]);
  member.subscriptions.set(uri, created);
  try {
    return await forward(member, session, extra, 'resources/subscribe', { ...params, uri });
  } catch (error) {
    if (member.subscriptions.get(uri) === created) member.subscriptions.delete(uri);
    throw error;
  }
}

export async function unsubscribe(forward: Forward, member: Member, session: SessionLike, extra: ServerExtra, params: Params, uri: string): Promise<Result> {
  const subscribers = member.subscriptions.get(uri);
  if (subscribers === undefined || !subscribers.delete(session) || subscribers.size > 0) return {};
  member.subscriptions.delete(uri);
  return forward(member, session, extra, 'resources/unsubscribe', { ...params, uri });
}

/** A session went away: it leaves every subscription, and URIs nobody holds are unsubscribed. */
export function dropSubscriber(members: readonly Member[], session: SessionLike): void {
  for (const member of members) {
    for (const [uri, subscribers] of member.subscriptions) {
      if (!subscribers.delete(session) || subscribers.size > 0) continue;
      member.subscriptions.delete(uri);
      if (member.isUp()) void requestUpstream(member.client('resources/unsubscribe'), { method: 'resources/unsubscribe', params: { uri } }, {}).catch(ignore);
    }
  }
}

/** After a (re)connection the new upstream knows nothing of what the sessions subscribed to. */
export function resubscribe(member: Member): void {
  const client = member.client('resources/subscribe');
  for (const uri of member.subscriptions.keys()) {
    void requestUpstream(client, { method: 'resources/subscribe', params: { uri } }, {}).catch(ignore);
  }
}

function ignore(): void {
  // An upstream that went away meanwhile: the next reconnection subscribes again.
}
