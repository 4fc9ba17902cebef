/**
 * One upstream behind one endpoint: what a VS Code per-instance definition and
 * `mcplex wrap` serve.
 */
import { DEFAULT_SEPARATOR, instanceNote, type NamingIssue } from '../naming';
import type { ToolFilter } from '../config';
import type { PinBook } from '../pins';
import type { CallApproval } from './callApproval';
import type { CallAudit } from './callAudit';
import { RelayCore } from './relayCore';
import type { CatalogSource, ClientSessions, ClientSource, Relay } from './relay';
import { withKey, type UpstreamSource } from './upstreamSource';

/** Generous, because tools can be slow; progress from the upstream restarts the clock. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000;
/** Sampling and elicitation wait for a person. */
export const DEFAULT_CLIENT_REQUEST_TIMEOUT_MS = 60 * 60_000;

export interface InstanceRelayOptions {
  readonly source: UpstreamSource;
  /** `serverInfo.name`: the instance's slug, which VS Code turns into `mcp_<slug>_`. */
  readonly slug: string;
  /** The label in the instance note. Deliberately not `serverInfo.title`: VS Code builds
   *  its tool prefix from `title || name`, and only the slug is short and unique. */
  readonly label: string;
  /**
   * `true`: tools are exposed as `<prefix><separator><tool>` (`mcplex wrap`); `false`: under
   * their own (sanitized) names, for hosts that add their own prefix (VS Code).
   */
  readonly prefixTools: boolean;
  /** The tool prefix; default the source's key. */
  readonly prefix?: string;
  readonly separator?: string;
  /** Note template with `{label}`; default the naming module's. */
  readonly note?: string;
  readonly tools?: ToolFilter;
  /** `tools.pin`: see `MemberOptions.pins`. */
  readonly pins?: PinBook;
  /** See `MemberOptions.roots`: the instance's own roots, `false` for none, absent for the client's. */
  readonly roots?: readonly string[] | false;
  /** Records each `tools/call` (see callAudit). */
  readonly audit?: CallAudit;
  readonly version?: string;
  readonly requestTimeoutMs?: number;
  readonly clientRequestTimeoutMs?: number;
  readonly onIssue?: (issue: NamingIssue) => void;
  /** See `CoreOptions.startHoldMs`. */
  readonly startHoldMs?: number;
  /** The account in approval questions (the plan's label); default `label`. */
  readonly account?: string;
  /** See `CoreOptions.approval`. */
  readonly approval?: CallApproval;
}

export interface InstanceRelay extends Relay, CatalogSource, ClientSource, ClientSessions {
  namingIssues(): Promise<readonly NamingIssue[]>;
}

export function createInstanceRelay(options: InstanceRelayOptions): InstanceRelay {
  const separator = options.separator ?? DEFAULT_SEPARATOR;
  return new RelayCore({
    kind: 'instance',
    members: [{ source: withKey(options.source, options.prefix ?? options.source.key), label: options.label, note: instanceNote(options.label, options.note), ...(options.tools !== undefined && { tools: options.tools }), ...(options.pins !== undefined && { pins: options.pins }), ...(options.roots !== undefined && { roots: options.roots }), ...(options.account !== undefined && { account: options.account }), ...(options.audit !== undefined && { audit: options.audit }) }],
    serverInfo: { name: options.slug, ...(options.version !== undefined && { version: options.version }) },
    toolNaming: { separator, prefixed: options.prefixTools },
    promptNaming: undefined,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    clientRequestTimeoutMs: options.clientRequestTimeoutMs ?? DEFAULT_CLIENT_REQUEST_TIMEOUT_MS,
    ...(options.onIssue !== undefined && { onIssue: options.onIssue }),
    ...(options.startHoldMs !== undefined && { startHoldMs: options.startHoldMs }),
    ...(options.approval !== undefined && { approval: options.approval }),
  });
}
