/**
 * A call → its line in the trail. Secret values are hidden twice: in every string of the
 * arguments before they are serialized (a secret holding `"` or `\` would otherwise be
 * escaped by JSON and slip past a search of the text), and in the finished line (a secret
 * that is a tool name or a key).
 */
import type { Redactor } from '../redaction';
import type { AuditEntry, CallRecord } from './model';

export function entryOf(instance: string, call: CallRecord, withArguments: boolean, redactor: Redactor): AuditEntry {
  return {
    time: new Date(call.startedAt).toISOString(),
    instance,
    tool: call.tool,
    outcome: call.outcome,
    durationMs: Math.round(call.durationMs),
    ...(withArguments && call.arguments !== undefined && { arguments: redactDeep(call.arguments, redactor) }),
  };
}

export function lineOf(entry: AuditEntry, redactor: Redactor): string {
  return `${redactor.redact(JSON.stringify(entry))}\n`;
}

function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactor.redact(key), redactDeep(item, redactor)]));
  }
  return value;
}
