/**
 * Approval before a call (`tools.confirm`, issue 17): the port a host implements, and the
 * one step the handlers run before a confirmed tool's call goes to its member.
 *
 * A call to a tool that needs approval never takes the fast path (it has nobody to ask):
 * `Member.needsApproval` sends it to the handlers, which call `approveCall` before
 * `forward`. The host decides how to ask: the window shows a modal (src/extension), the
 * CLI asks the calling client with an elicitation (elicitApproval.ts). A declined call
 * never reaches the upstream and is answered with a tool result the model can read, marked
 * `_meta["mcplex/declined"]` (the audit trail classifies the outcome from that key).
 *
 * "Allow for this session" is remembered by the member, per upstream tool name, until its
 * upstream reconnects (a restart) or the relay is rebuilt (the configuration changed, the
 * window closed): a new process or a new rule asks again.
 */
import type { Result } from '@modelcontextprotocol/sdk/types.js';
import type { Params } from '../wire';
import type { Member, SessionLike } from './member';

/** The `_meta` key of a declined call's result: the contract with the audit trail. Keep it exactly. */
export const DECLINED_META_KEY = 'mcplex/declined';

/** What the user is asked about. */
export interface ApprovalRequest {
  /** The instance's key on its endpoint (its prefix). */
  readonly instance: string;
  /** The account as the user knows it: the plan's label, `<Server> · <Instance>`. */
  readonly account: string;
  /** The upstream's own name of the tool. */
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The client session that made the call (the CLI asks that client). */
  readonly session: SessionLike;
  /** The call's request id on that session (an elicitation travels on its stream). */
  readonly requestId: string | number;
  /** Aborted when the caller cancels the call or its session closes. */
  readonly signal: AbortSignal;
}

/** `once`/`session`: go ahead (`session`: and do not ask again, see above); `declined`: with why, for the model. */
export type ApprovalAnswer = { readonly kind: 'once' } | { readonly kind: 'session' } | { readonly kind: 'declined'; readonly reason: string };

/** How a host asks the user. Throws a `RelayError` (`approval-unavailable`) when nobody can be asked. */
export interface CallApproval {
  approve(request: ApprovalRequest): Promise<ApprovalAnswer>;
}

/**
 * Asks for approval of a confirmed tool's call: `undefined` when it may go ahead, else the
 * declined result to answer with. A cancelled call throws (nobody is answered).
 */
export async function approveCall(approval: CallApproval, member: Member, tool: string, params: Params, session: SessionLike, requestId: string | number, signal: AbortSignal): Promise<Result | undefined> {
  if (member.approvedForSession(tool)) return undefined;
  const args = params['arguments'];
  const answer = await approval.approve({
    instance: member.key,
    account: member.account,
    tool,
    arguments: typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {},
    session,
    requestId,
    signal,
  });
  signal.throwIfAborted();
  if (answer.kind === 'session') member.rememberApproval(tool);
  return answer.kind === 'declined' ? declinedResult(tool, member.account, answer.reason) : undefined;
}

export function declinedResult(tool: string, account: string, reason: string): Result {
  return {
    isError: true,
    content: [{ type: 'text', text: `The user declined the call to "${tool}" on ${account} (${reason}); it did not run. Do not retry it unless the user asks you to.` }],
    _meta: { [DECLINED_META_KEY]: true },
  };
}

/** The call's arguments for a person to read: pretty JSON, cut at `limit` characters. */
export function describeArguments(args: Readonly<Record<string, unknown>>, limit = 2_000): string {
  if (Object.keys(args).length === 0) return '(no arguments)';
  const text = JSON.stringify(args, null, 2);
  return text.length <= limit ? text : `${text.slice(0, limit)}\n… (${text.length - limit} more characters)`;
}
