/** Audit trails: one JSON line per `tools/call` of an instance, rotated by size, read back by `mcplex audit`. */
export { AUDIT_FILE, CALL_OUTCOMES, DEFAULT_KEEP, DEFAULT_MAX_BYTES, rotatedFile, type AuditEntry, type CallOutcome, type CallRecord } from './model';
export { AuditWriter, type AuditWriterOptions } from './auditWriter';
export { entryOf, lineOf } from './entryLine';
export { AuditUnavailableError, InstanceAudit, RECENT_CALLS, type InstanceAuditOptions } from './instanceAudit';
export { followTrail, parseEntry, readRotated, readTrail, type Follower } from './auditReader';
