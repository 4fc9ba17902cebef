/**
 * The tools of one endpoint as the model sees them, computed the way the relay names
 * them (`nameTools` over the tools the filter lets through, with or without the prefix),
 * plus the ones the filter hides, marked `denied`, so the tree can show both.
 */
import { nameTools } from '../naming';
import type { CompiledToolFilter } from '../naming';
import type { ToolView } from './model';

export interface UpstreamTool {
  readonly name: string;
  readonly description?: string | undefined;
}

export interface EndpointMember {
  /** The member's key on the endpoint: its prefix. */
  readonly prefix: string;
  /** Its upstream's whole list, unfiltered; undefined while unknown. */
  readonly tools: readonly UpstreamTool[] | undefined;
  readonly filter: CompiledToolFilter;
}

export interface EndpointNaming {
  readonly separator: string;
  /** Whether tool names carry the prefix (always in an aggregate). */
  readonly prefixed: boolean;
}

/** By prefix; a member whose list is unknown has no entry. */
export function endpointToolViews(members: readonly EndpointMember[], naming: EndpointNaming): ReadonlyMap<string, readonly ToolView[]> {
  const known = members.filter((member): member is EndpointMember & { tools: readonly UpstreamTool[] } => member.tools !== undefined);
  const entry = (member: (typeof known)[number], denied: boolean) => ({
    key: member.prefix,
    prefix: naming.prefixed ? member.prefix : undefined,
    names: member.tools.filter((tool) => member.filter.allows(tool.name) !== denied).map((tool) => tool.name),
  });
  const exposed = nameTools(known.map((member) => entry(member, false)), { separator: naming.separator });
  // Hidden tools get the name they would have: what the user would see if they allowed one.
  const hidden = nameTools(known.map((member) => entry(member, true)), { separator: naming.separator });
  const taken = new Set<string>();
  const views = new Map<string, ToolView[]>();
  for (const member of known) {
    const list: ToolView[] = [];
    for (const tool of member.tools) {
      const denied = !member.filter.allows(tool.name);
      const name = (denied ? hidden : exposed).exposedName(member.prefix, tool.name);
      if (name === undefined) continue; // not exposable (a naming issue, reported by the relay)
      if (!denied) {
        if (taken.has(name)) continue; // the relay exposes the first of two equal names only
        taken.add(name);
      }
      list.push({ exposedName: name, upstreamName: tool.name, ...(tool.description !== undefined && { description: tool.description }), denied });
    }
    views.set(member.prefix, list);
  }
  return views;
}
