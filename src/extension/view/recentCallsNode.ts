/**
 * The "Recent calls" row under an instance: its last tool calls in this window, newest
 * first (tool, an icon for the outcome, how long ago; the tooltip adds the duration and
 * the exact time). Pure, like the rest of the tree model: `now` is passed in, so a test
 * reads the same words every time. The whole trail is one click away ("Open Audit Log").
 */
import type { AuditEntry, CallOutcome } from '../../core/audit';
import type { InstanceView } from '../../core/runtime';
import type { InstanceRef, NodeBase, TreeIcon } from './treeModel';

export interface RecentCallNode extends NodeBase {
  readonly kind: 'recentCall';
  readonly instance: InstanceRef;
  readonly children: readonly [];
}

export interface RecentCallsNode extends NodeBase {
  readonly kind: 'recentCalls';
  readonly instance: InstanceRef;
  readonly children: readonly RecentCallNode[];
}

const OUTCOME_ICONS: Readonly<Record<CallOutcome, TreeIcon>> = {
  ok: { id: 'pass', color: 'testing.iconPassed' },
  error: { id: 'error', color: 'list.errorForeground' },
  declined: { id: 'circle-slash', color: 'list.warningForeground' },
  'timed-out': { id: 'watch', color: 'list.warningForeground' },
};

/** The row, or nothing before the instance's first recorded call. */
export function recentCallsNode(view: InstanceView, ref: InstanceRef, now: number): RecentCallsNode | undefined {
  const calls = view.recentCalls;
  if (calls === undefined || calls.length === 0) return undefined;
  return {
    kind: 'recentCalls',
    id: `recentCalls:${ref.runtimeId}`,
    instance: ref,
    label: 'Recent calls',
    description: `${calls.length} · last ${ago(calls[0]?.time, now)}`,
    tooltip: view.auditFile === undefined ? 'The last tool calls in this window' : `The last tool calls in this window; all of them: ${view.auditFile}`,
    icon: { id: 'history' },
    contextValue: 'recentCalls',
    collapsible: 'collapsed',
    children: calls.map((call, index) => callNode(call, ref, index, now)),
  };
}

function callNode(call: AuditEntry, ref: InstanceRef, index: number, now: number): RecentCallNode {
  return {
    kind: 'recentCall',
    // By time and position: two calls in the same millisecond stay two rows.
    id: `recentCall:${ref.runtimeId}:${call.time}:${index}`,
    instance: ref,
    label: call.tool,
    description: `${call.outcome} · ${ago(call.time, now)}`,
    tooltip: `${call.tool}: ${call.outcome} in ${call.durationMs} ms\n${call.time}`,
    icon: OUTCOME_ICONS[call.outcome],
    contextValue: 'recentCall',
    collapsible: 'none',
    children: [],
  };
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function ago(time: string | undefined, now: number): string {
  const at = time === undefined ? Number.NaN : Date.parse(time);
  if (Number.isNaN(at)) return 'at an unknown time';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
