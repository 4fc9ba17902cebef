import type { AuditSettings, ServerExposure, SourceLocation, ToolFilter, UpstreamSpec } from '../config';
import type { Problem } from '../problems';

/** Who an instance is: its ids and the names it is shown and announced under. */
export interface InstanceIdentity {
  /** `serverId/instanceId`, unique in a plan (in a window, with the folder). */
  readonly key: string;
  readonly serverId: string;
  readonly instanceId: string;
  /** Put before tool names where instances meet on one endpoint (= instanceId). */
  readonly prefix: string;
  /** Announced as `serverInfo.name` in per-instance definitions; unique in the plan or window. */
  readonly slug: string;
  /** The definition label, `<Server label> · <Instance label>`; unique in the plan or window. */
  readonly label: string;
  readonly serverLabel: string;
  readonly instanceLabel: string;
}

/** An instance with everything it needs to run and be shown: names, slug, label, hash. */
export interface PlannedInstance extends InstanceIdentity {
  /** Appended to the description of every tool, prompt and resource. */
  readonly note: string;
  readonly upstream: UpstreamSpec;
  readonly redacted: UpstreamSpec;
  readonly tools: ToolFilter;
  readonly location: SourceLocation;
  readonly secrets: readonly string[];
  /**
   * The roots the relay answers the upstream's `roots/list` with (URIs), `false` when the
   * upstream is told of no roots; absent: the client's roots are relayed.
   */
  readonly roots?: readonly string[] | false;
  /** `default: true`: its server's account when a call names none (exposure `accounts`). */
  readonly isDefault?: boolean;
  /** Its server's own `exposure`, over the folder's; absent: the folder's. */
  readonly exposure?: ServerExposure;
  /** `ResolvedInstance.recordsDir`: where mcplex keeps its own records of it (pinned definitions, audit trail); absent: none are kept. */
  readonly recordsDir?: string;
  /**
   * Its audit setting; absent: `DEFAULT_AUDIT`. Not in the hash: the runner applies a
   * change in place (nothing a client sees changes).
   */
  readonly audit?: AuditSettings;
  /**
   * 16 hex digits over what shapes the instance's surface (redacted upstream, tool
   * filter, labels, note, separator, slug). VS Code's definition `version`. Secret
   * VALUES are not in it: a changed secret must restart the instance by other means.
   */
  readonly hash: string;
}

export interface Plan {
  readonly instances: readonly PlannedInstance[];
  readonly separator: string;
  /** What planning found: invalid prefixes, duplicates, label clashes, the separator. */
  readonly problems: readonly Problem[];
}

export interface PlanOptions {
  /** Between prefix and tool name; default `__`. */
  readonly separator?: string;
  /** Note template with `{label}`; default `DEFAULT_NOTE_TEMPLATE`. */
  readonly note?: string;
  /**
   * Workspace folder name to add to every label, `Google · Work (app)`: the caller
   * passes it when another folder has instances with the same labels.
   */
  readonly folder?: string;
}
