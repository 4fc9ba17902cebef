/**
 * The CLI's approver (`mcplex serve`/`wrap`): the calling client is asked with an MCP
 * elicitation (form mode, one boolean `approve`), on the stream of the call it is about.
 * A client that cannot be asked gets a refusal that says what to do; decline, cancel, a
 * timeout or a client error are a "no" (a guardrail that fails open protects nothing).
 */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { requestDownstream } from '../wire';
import { describeArguments, type ApprovalAnswer, type ApprovalRequest, type CallApproval } from './callApproval';
import { RelayError } from './errors';
import { needOf } from './serverRequestNeeds';

const FORM_ELICITATION = needOf('elicitation/create', { mode: 'form' });

export function elicitApproval(timeoutMs: number): CallApproval {
  return { approve: (request) => ask(request, timeoutMs) };
}

async function ask(request: ApprovalRequest, timeoutMs: number): Promise<ApprovalAnswer> {
  const server = request.session.server;
  if (FORM_ELICITATION?.supports(server.getClientCapabilities()) !== true) {
    throw new RelayError(
      'approval-unavailable',
      `Calling "${request.tool}" on ${request.account} needs your approval, and this client cannot ask you: it does not support MCP elicitation (form mode). ` +
        `Approve it in a client that supports elicitation or remove it from tools.confirm.`,
      ErrorCode.InvalidRequest,
      request.instance,
    );
  }
  const message = `Allow "${request.tool}" on ${request.account}?\n\nArguments:\n${describeArguments(request.arguments)}`;
  const params = {
    mode: 'form',
    message,
    requestedSchema: {
      type: 'object',
      properties: { approve: { type: 'boolean', title: `Allow this call to ${request.tool}`, default: false } },
      required: ['approve'],
    },
  };
  let result: Record<string, unknown>;
  try {
    result = await requestDownstream(server, { method: 'elicitation/create', params }, { signal: request.signal, timeout: timeoutMs, relatedRequestId: request.requestId });
  } catch (error) {
    if (request.signal.aborted) throw error;
    return { kind: 'declined', reason: `the approval was not answered: ${error instanceof Error ? error.message : String(error)}` };
  }
  const content = result['content'] as Record<string, unknown> | undefined;
  if (result['action'] === 'accept' && content?.['approve'] === true) return { kind: 'once' };
  const reason = result['action'] === 'cancel' ? 'the question was dismissed' : result['action'] === 'decline' ? 'declined when asked' : 'not approved when asked';
  return { kind: 'declined', reason };
}
