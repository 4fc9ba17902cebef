/**
 * A request forwarded to one member, as both paths run it (the fast path's `tools/call`,
 * and every request the handlers forward): sent through the direct channel (see
 * directRequests) with its timeout, counted in the member's in-flight calls while it runs
 * (an upstream's sampling or elicitation goes to the session of the call that caused it),
 * and a failure that is the relay's business worded for the client (explainUpstreamFailure).
 *
 * Nothing here allocates beyond what the channel needs: the caller owns the in-flight
 * record (the fast path's doubles as its cancellation) and the options.
 */
import type { Result } from '@modelcontextprotocol/sdk/types.js';
import type { Params, RawJson } from '../wire';
import { directChannel, type DirectRequestOptions } from './directRequests';
import { explainUpstreamFailure } from './errors';
import type { InFlightCall, Member } from './member';

/** The result as an object. */
export function callMember(member: Member, call: InFlightCall, method: string, params: Params, options: DirectRequestOptions): Promise<Result> {
  return run(member, call, method, params, options, false) as Promise<Result>;
}

/** The result as the upstream's text where the transports allow (see rawJson), else as an object. */
export function callMemberRaw(member: Member, call: InFlightCall, method: string, params: Params, options: DirectRequestOptions): Promise<Result | RawJson> {
  return run(member, call, method, params, options, true);
}

async function run(member: Member, call: InFlightCall, method: string, params: Params, options: DirectRequestOptions, raw: boolean): Promise<Result | RawJson> {
  member.inflight.add(call);
  try {
    // Throws "cannot answer … it is down" (instance-down) when the member has no connection.
    const channel = directChannel(member.client(method));
    if (channel === undefined) throw new Error(`Instance "${member.key}" has no connection to send ${method} on.`);
    return await (raw ? channel.requestRaw(method, params, options) : channel.request(method, params, options));
  } catch (error) {
    throw explainUpstreamFailure(error, member.key, method, member.restarting(), options.timeoutMs, member.downCause());
  } finally {
    member.callEnded(call);
  }
}
