/**
 * One line of an instance's audit trail (`audit.jsonl`), as written and as read back.
 * The field names are the file format: readers outside mcplex (jq, a SIEM) rely on them,
 * so a field is added, never renamed.
 */

/** How a `tools/call` ended: `declined` by the confirmation gate, `timed-out` past the request timeout. */
export type CallOutcome = 'ok' | 'error' | 'declined' | 'timed-out';
export const CALL_OUTCOMES: readonly CallOutcome[] = ['ok', 'error', 'declined', 'timed-out'];

export interface AuditEntry {
  /** When the call started (ISO 8601, UTC). */
  readonly time: string;
  /** `server/instance`, as `mcplex list` and `--instance` name it. */
  readonly instance: string;
  /** The tool's upstream name (not the prefixed name the client called). */
  readonly tool: string;
  readonly outcome: CallOutcome;
  readonly durationMs: number;
  /** Only with `audit.arguments: true`; known secret values are redacted in it. */
  readonly arguments?: unknown;
}

/** One call as the relay saw it, before it becomes a line. */
export interface CallRecord {
  /** Epoch milliseconds at the start. */
  readonly startedAt: number;
  readonly tool: string;
  readonly outcome: CallOutcome;
  readonly durationMs: number;
  readonly arguments: unknown;
}

/** The trail's file names: the current one and its rotated predecessors (`audit.1.jsonl` is the newest of those). */
export const AUDIT_FILE = 'audit.jsonl';
export function rotatedFile(index: number): string {
  return index === 0 ? AUDIT_FILE : `audit.${index}.jsonl`;
}

/** 5 MiB per file, the current one and 3 rotated: at most ~20 MiB per instance, some 50 000 calls. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_KEEP = 3;
