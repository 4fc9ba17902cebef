/**
 * Many instances behind one endpoint (`mcplex serve`, the aggregate definition): tools
 * and prompts as `<prefix><separator><name>`, resource URIs as `mcplex://<prefix>/<uri>`,
 * task ids as `<prefix>:<id>`. An instance that is down has its tools left out of the
 * lists (calls to them say why) while the others serve.
 */
import { DEFAULT_SEPARATOR, instanceNote, type NamingIssue } from '../naming';
import type { ToolFilter } from '../config';
import type { PinBook } from '../pins';
import { DEFAULT_CLIENT_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './instanceRelay';
import type { CallApproval } from './callApproval';
import type { CallAudit } from './callAudit';
import { RelayCore } from './relayCore';
import type { CatalogSource, ClientSessions, ClientSource, Relay } from './relay';
import type { UpstreamSource, UpstreamState } from './upstreamSource';

export interface AggregateMemberOptions {
  /** Its key is the prefix. */
  readonly source: UpstreamSource;
  readonly label: string;
  readonly tools?: ToolFilter;
  /** `tools.pin`: see `MemberOptions.pins`. */
  readonly pins?: PinBook;
  /** Each member its own roots (`false`: none), or absent: the client's. */
  readonly roots?: readonly string[] | false;
  /** Exposure `accounts`: the server it is an account of, and whether it is the server's default. */
  readonly group?: string;
  readonly isDefault?: boolean;
  /** The account in approval questions (the plan's label); default `label`. */
  readonly account?: string;
  /** Records each `tools/call` to this member (see callAudit). */
  readonly audit?: CallAudit;
}

export interface AggregateRelayOptions {
  readonly members: readonly AggregateMemberOptions[];
  /** `serverInfo.name`; default `mcplex`. */
  readonly name?: string;
  readonly title?: string;
  readonly version?: string;
  readonly separator?: string;
  readonly note?: string;
  readonly requestTimeoutMs?: number;
  readonly clientRequestTimeoutMs?: number;
  readonly onIssue?: (issue: NamingIssue) => void;
  /** List three tools that search, describe and call the members' tools, instead of the tools (the `discovery` exposure). */
  readonly discovery?: boolean;
  /** Exposure `accounts`: a tool every account of a server publishes alike is shown once, with an `account` parameter. */
  readonly accounts?: boolean;
  /** See `CoreOptions.approval`. */
  readonly approval?: CallApproval;
}

export interface AggregateRelay extends Relay, CatalogSource, ClientSource, ClientSessions {
  namingIssues(): Promise<readonly NamingIssue[]>;
  /** Each instance's state, for `mcplex serve` to report the ones that are down. */
  states(): ReadonlyMap<string, UpstreamState>;
}

export function createAggregateRelay(options: AggregateRelayOptions): AggregateRelay {
  const separator = options.separator ?? DEFAULT_SEPARATOR;
  const core = new RelayCore({
    kind: 'aggregate',
    members: options.members.map((member) => ({
      source: member.source,
      label: member.label,
      note: instanceNote(member.label, options.note),
      ...(member.tools !== undefined && { tools: member.tools }),
      ...(member.pins !== undefined && { pins: member.pins }),
      ...(member.roots !== undefined && { roots: member.roots }),
      ...(member.group !== undefined && { group: member.group }),
      ...(member.isDefault !== undefined && { isDefault: member.isDefault }),
      ...(member.account !== undefined && { account: member.account }),
      ...(member.audit !== undefined && { audit: member.audit }),
    })),
    serverInfo: { name: options.name ?? 'mcplex', ...(options.title !== undefined && { title: options.title }), version: options.version ?? '0.1.0' },
    toolNaming: { separator, prefixed: true },
    promptNaming: { separator, prefixed: true },
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    clientRequestTimeoutMs: options.clientRequestTimeoutMs ?? DEFAULT_CLIENT_REQUEST_TIMEOUT_MS,
    ...(options.onIssue !== undefined && { onIssue: options.onIssue }),
    ...(options.discovery === true && { discovery: true }),
    ...(options.accounts === true && { accounts: true }),
    ...(options.approval !== undefined && { approval: options.approval }),
  });
  return {
    connect: (transport, capabilities) => core.connect(transport, capabilities),
    close: () => core.close(),
    namingIssues: () => core.namingIssues(),
    catalog: () => core.catalog(),
    onCatalogChange: (listener) => core.onCatalogChange(listener),
    clients: () => core.clients(),
    onClientsChange: (listener) => core.onClientsChange(listener),
    sessionCapabilities: () => core.sessionCapabilities(),
    servedSessions: () => core.servedSessions(),
    busy: () => core.busy(),
    onSessionsChange: (listener) => core.onSessionsChange(listener),
    states: () => new Map(core.members.map((member) => [member.key, member.state()])),
  };
}
