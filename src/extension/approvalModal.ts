/**
 * The window's approver for `tools.confirm` (issue 17): a modal that names the account, the
 * tool (its upstream name) and the call's arguments (pretty JSON, cut, with every value the
 * window knows as secret hidden), answered "Allow Once", "Allow for This Session" or "Deny".
 * Escape, the modal's Cancel or any other answer is a "no": a guardrail that fails open
 * protects nothing. "For this session" is kept by the relay (core/mux/callApproval.ts) until
 * the instance restarts, its configuration changes or the window closes.
 */
import { describeArguments, type ApprovalAnswer, type ApprovalRequest, type CallApproval } from '../core/mux';
import type { Redactor } from '../core/redaction';
import type { VsCodeApi } from './vscodeApi';

export const ALLOW_ONCE = 'Allow Once';
export const ALLOW_FOR_SESSION = 'Allow for This Session';
export const DENY = 'Deny';

export function modalApproval(api: Pick<VsCodeApi, 'window'>, redactor: Pick<Redactor, 'redact'>): CallApproval {
  return { approve: (request) => ask(api, redactor, request) };
}

async function ask(api: Pick<VsCodeApi, 'window'>, redactor: Pick<Redactor, 'redact'>, request: ApprovalRequest): Promise<ApprovalAnswer> {
  const detail = [
    `Account: ${request.account}`,
    `Tool: ${request.tool}`,
    `Arguments:\n${redactor.redact(describeArguments(request.arguments))}`,
    'MCPlex asks because this tool is under tools.confirm in .mcplex.jsonc.',
  ].join('\n\n');
  const answer = await api.window.showWarningMessage(`Allow "${request.tool}" on ${request.account}?`, { modal: true, detail }, ALLOW_ONCE, ALLOW_FOR_SESSION, DENY);
  if (answer === ALLOW_ONCE) return { kind: 'once' };
  if (answer === ALLOW_FOR_SESSION) return { kind: 'session' };
  return { kind: 'declined', reason: answer === DENY ? 'denied in VS Code' : 'the question was dismissed in VS Code' };
}
