/**
 * The one place a planned instance (or a folder's instances) becomes a relay, for the
 * window and the CLI alike: what a client sees — `serverInfo.name` and `version`, labels,
 * notes, separator, tool prefixes, filters — comes from the plan and nowhere else, so a
 * `mcplex serve`, a `mcplex wrap` and a VS Code definition of the same instance agree.
 */
import { createAggregateRelay, createInstanceRelay, withKey, type AggregateRelay, type CallApproval, type CallAudit, type InstanceRelay, type Relay, type UpstreamSource } from '../mux';
import { PinStore } from '../pins';
import type { PlannedInstance } from '../plan';

/** Where the engine puts the relays it builds: the window's HttpHost, or the CLI's one endpoint. */
export interface RelayHost {
  /** Serves `relay` at `path` until the handle is disposed (which ends its sessions, not the relay). */
  mount(path: string, relay: Relay): { dispose(): Promise<void> };
}

/** One member of a relay: the instance as planned, over its supervised upstream. */
export interface RelayMember {
  readonly planned: PlannedInstance;
  readonly source: UpstreamSource;
  /** The instance's audit (owned by its runner, so it outlives the relay); absent: calls are not recorded. */
  readonly audit?: CallAudit;
}

/** How the names and descriptions of a folder's tools are written. */
export interface RelayNaming {
  readonly separator: string;
  /** The note template (`{label}`); absent: the naming module's default. */
  readonly note?: string;
}

/** Who asks the user about a call under tools.confirm (the window's modal); absent: the calling client, by elicitation. */
export interface RelayApproval {
  readonly approval?: CallApproval;
}

export type RelaySpec = RelayApproval &
  ({
      readonly kind: 'instance';
      readonly member: RelayMember;
      /** `<prefix><separator><tool>` (the CLI, `mcplex.toolPrefix`), or the tools' own names (VS Code adds its own prefix). */
      readonly prefixTools: boolean;
      readonly naming: RelayNaming;
    }
  | {
      readonly kind: 'aggregate';
      readonly members: readonly RelayMember[];
      /** `serverInfo.name`; absent: `mcplex`. */
      readonly name?: string;
      /** Derived from the members' plan hashes (`AggregateShape.version`). */
      readonly version: string;
      /** Exposure `accounts`: these servers' (ids) tools all their accounts share are shown once, with an `account` parameter. */
      readonly collapse?: readonly string[];
      readonly naming: RelayNaming;
      /** Three tools that search, describe and call the members' tools, instead of those tools. */
      readonly discovery?: boolean;
    });

export function buildRelay(spec: RelaySpec & { readonly kind: 'instance' }): InstanceRelay;
export function buildRelay(spec: RelaySpec & { readonly kind: 'aggregate' }): AggregateRelay;
export function buildRelay(spec: RelaySpec): InstanceRelay | AggregateRelay;
export function buildRelay(spec: RelaySpec): InstanceRelay | AggregateRelay {
  const note = spec.naming.note === undefined ? {} : { note: spec.naming.note };
  const approval = spec.approval === undefined ? {} : { approval: spec.approval };
  if (spec.kind === 'instance') {
    const { planned, source, audit } = spec.member;
    return createInstanceRelay({
      source,
      slug: planned.slug,
      label: planned.instanceLabel,
      account: planned.label,
      prefixTools: spec.prefixTools,
      prefix: planned.prefix,
      separator: spec.naming.separator,
      tools: planned.tools,
      ...pinsOf(planned),
      ...(planned.roots !== undefined && { roots: planned.roots }),
      ...(audit !== undefined && { audit }),
      // The plan hash: VS Code's cache key, and what every client is told, whatever serves it.
      version: planned.hash,
      ...note,
      ...approval,
    });
  }
  return createAggregateRelay({
    members: spec.members.map(({ planned, source, audit }) => ({
      source: withKey(source, planned.prefix),
      label: planned.instanceLabel,
      account: planned.label,
      tools: planned.tools,
      ...pinsOf(planned),
      ...(planned.roots !== undefined && { roots: planned.roots }),
      // Only the accounts of a collapsing server are a group; every other member is its own
      // (its key, `server/instance`, is never a server id).
      group: spec.collapse?.includes(planned.serverId) === true ? planned.serverId : planned.key,
      ...(planned.isDefault === true && { isDefault: true }),
      ...(audit !== undefined && { audit }),
    })),
    ...(spec.collapse !== undefined && spec.collapse.length > 0 && { accounts: true }),
    ...(spec.name !== undefined && { name: spec.name }),
    version: spec.version,
    separator: spec.naming.separator,
    ...note,
    ...(spec.discovery === true && { discovery: true }),
    ...approval,
  });
}

/**
 * `tools.pin`: each relay gets its own store over the instance's records folder (the relay's
 * member disposes it); relays of one instance meet in the file. Without a records folder
 * the pins live in memory: still pinned, never silently open.
 */
function pinsOf(planned: PlannedInstance): { pins?: PinStore } {
  return planned.tools.pin === true ? { pins: new PinStore(planned.recordsDir) } : {};
}
