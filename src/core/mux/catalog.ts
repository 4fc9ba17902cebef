/**
 * The tools (or prompts) a relay shows: every listed member's items under their exposed
 * names, with the instance note, and the reverse map a call is routed by (one Map lookup).
 */
import { appendNote, nameTools, type NameEntry, type NamingIssue } from '../naming';
import type { Member } from './member';

export interface Route {
  readonly member: Member;
  readonly upstreamName: string;
}

export interface View<T> {
  readonly items: readonly T[];
  /** Exposed name → upstream; includes members that are down, so calls say why they fail. */
  readonly routes: ReadonlyMap<string, Route>;
  readonly issues: readonly NamingIssue[];
}

export interface ViewOptions {
  /** `undefined`: names as the upstream gives them (prompts of an instance relay). */
  readonly naming: { readonly separator: string; readonly prefixed: boolean } | undefined;
  /** Whether a member that is down has its items listed (routes always include them). */
  readonly listDown: boolean;
}

interface Named {
  readonly name: string;
  readonly description?: string | undefined;
}

export async function buildView<T extends Named>(
  members: readonly Member[],
  itemsOf: (member: Member) => Promise<readonly T[]>,
  options: ViewOptions,
): Promise<View<T>> {
  const lists = await Promise.all(members.map(itemsOf));
  const naming = options.naming;
  const entries: NameEntry[] = members.map((member, index) => ({
    key: member.key,
    prefix: naming?.prefixed === true ? member.key : undefined,
    names: (lists[index] ?? []).map((item) => item.name),
  }));
  const table = naming === undefined ? undefined : nameTools(entries, { separator: naming.separator });
  const items: T[] = [];
  const routes = new Map<string, Route>();
  members.forEach((member, index) => {
    const listed = options.listDown || member.isUp();
    for (const item of lists[index] ?? []) {
      const exposed = table === undefined ? item.name : table.exposedName(member.key, item.name);
      if (exposed === undefined || routes.has(exposed)) continue;
      routes.set(exposed, { member, upstreamName: item.name });
      if (listed) items.push({ ...item, name: exposed, description: appendNote(item.description, member.note) });
    }
  });
  return { items, routes, issues: table?.issues ?? [] };
}
