/**
 * How a `tools/call` finds its upstream, for both paths that take one (the fast path before
 * the SDK `Protocol`, the handlers after it): one Map lookup in the relay's tool catalog,
 * and the request's params under the upstream's name.
 *
 * A name the endpoint does not expose may still be an upstream's own: an MCP Apps view
 * calls its server's tools by the names its server gave them, not by the prefixed ones
 * (SEP-1865: the host passes the app's `tools/call` on as it is). Such a call goes to the
 * one tool the catalog exposes under that upstream name — never to a denied, filtered or
 * collided one, which have no route (`tools.deny` is a guardrail) — and a name that several
 * instances expose is refused with the names to use instead. Only the long path does this
 * (the fast path takes exposed names only, and leaves every other call to the handlers).
 */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { HiddenReason } from '../catalog';
import type { Params } from '../wire';
import { RelayError } from './errors';
import type { MemberRoute, ToolCatalog } from './viewCache';

export interface ToolRoutes {
  /** The catalog if one is built and current, without waiting. */
  currentTools(): ToolCatalog | undefined;
  toolView(): Promise<ToolCatalog>;
}

/** The route of `name` in the current catalog, without waiting: `undefined` when there is none yet or the name is unknown. */
export function routeNow(routes: Pick<ToolRoutes, 'currentTools'>, name: string): MemberRoute | undefined {
  return routes.currentTools()?.routes.get(name);
}

/**
 * The route of `name` (an exposed name, or else an upstream name exposed by exactly one
 * instance), building the catalog when none is current; an unknown or ambiguous name is the client's error.
 */
export async function routeTool(routes: ToolRoutes, name: unknown): Promise<MemberRoute> {
  if (typeof name !== 'string') throw new RelayError('unknown-tool', 'tools/call needs a tool name (params.name).', ErrorCode.InvalidParams);
  const exact = routeNow(routes, name);
  if (exact !== undefined) return exact;
  const catalog = await routes.toolView();
  const route = catalog.routes.get(name);
  if (route !== undefined) return route;
  const byUpstream = upstreamRoutes(catalog).get(name) ?? [];
  const [only, ...others] = byUpstream;
  if (only !== undefined && others.length === 0) return only.route;
  if (only !== undefined) {
    const names = byUpstream.map((entry) => `"${entry.exposedName}" (instance "${entry.route.key}")`).join(', ');
    throw new RelayError('ambiguous-tool', `Tool "${name}" is offered by several instances here: ${names}; call it by one of these names.`, ErrorCode.InvalidParams);
  }
  const hidden = catalog.hidden.find((item) => item.exposedName === name);
  if (hidden !== undefined) throw new RelayError('hidden-tool', `Tool "${name}" is not available: ${HIDDEN_BECAUSE[hidden.reason]}. The call was not made.`, ErrorCode.InvalidParams);
  throw new RelayError('unknown-tool', `Unknown tool "${name}": no instance here offers it (or tools.allow/tools.deny hides it); list the tools again.`, ErrorCode.InvalidParams);
}

/** Why a hidden tool's call is refused, in words a model can act on (it cannot lift any of these). */
const HIDDEN_BECAUSE: Readonly<Record<HiddenReason, string>> = {
  denied: 'this account denies it (tools.deny)',
  filtered: 'this account does not allow it (tools.allow)',
  collided: 'another tool of this endpoint has its name',
  unnamed: 'no name fits its prefix',
  'not-read-only': 'this account is read-only and the tool is not marked read-only; ask the user to make the change another way',
  changed: 'its definition changed since the user approved it; the user must accept the new definition first',
  unapproved: 'the user has not approved this tool yet',
};

/** The call's params as the upstream must get them: a shallow copy only when the name changes. */
export function upstreamParams(params: Params, route: MemberRoute): Params {
  return params['name'] === route.upstreamName ? params : { ...params, name: route.upstreamName };
}

interface ExposedRoute {
  readonly exposedName: string;
  readonly route: MemberRoute;
}

/** Upstream name → the exposed tools of that name, built once per catalog (on the first call that needs it). */
const upstreamIndex = new WeakMap<ToolCatalog, ReadonlyMap<string, readonly ExposedRoute[]>>();

function upstreamRoutes(catalog: ToolCatalog): ReadonlyMap<string, readonly ExposedRoute[]> {
  let index = upstreamIndex.get(catalog);
  if (index === undefined) {
    const built = new Map<string, ExposedRoute[]>();
    for (const [exposedName, route] of catalog.routes) {
      const list = built.get(route.upstreamName) ?? [];
      list.push({ exposedName, route });
      built.set(route.upstreamName, list);
    }
    upstreamIndex.set(catalog, (index = built));
  }
  return index;
}
