/**
 * Links on their way back to an upstream. In the aggregate the client only ever sees
 * `mcplex://<prefix>/…` URIs (lists, results, resultLinks), so that is what it sends back:
 * as a tool's or a prompt's argument (a model that follows a `resource_link` into a tool
 * that takes a URI), or inside sampling content. The upstream knows only its own URIs, so a
 * namespaced URI of the member the request goes to is given back its upstream form. URIs
 * of another member are left as they are: that upstream could not read them anyway.
 * (`resources/read`, `subscribe`, `unsubscribe` and `completion/complete` locate their
 * member by the URI itself: handlers.ts.)
 */
import type { Member } from './member';
import type { Namespace } from './namespace';
import { NAMESPACE_SCHEME } from '../naming';

const NAMESPACED = `${NAMESPACE_SCHEME}://`;

/** `value` with every string that is a namespaced URI of `member` renamed back; the same object when none is. */
export function namespacedIn<T>(ns: Namespace, member: Member, value: T): T {
  return renameIn(ns, member, value, 0) as T;
}

/** Deep enough for any argument object a model writes; deeper values pass untouched. */
const MAX_DEPTH = 32;

function renameIn(ns: Namespace, member: Member, value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(NAMESPACED)) return value;
    const located = ns.uriIn(value);
    return located !== undefined && located.member === member ? located.id : value;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const next = value.map((item: unknown) => renameIn(ns, member, item, depth + 1));
    return next.some((item, index) => item !== value[index]) ? next : value;
  }
  let changed: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = renameIn(ns, member, item, depth + 1);
    if (next !== item) (changed ??= { ...value })[key] = next;
  }
  return changed ?? value;
}
