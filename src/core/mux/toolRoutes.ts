/**
 * How a `tools/call` finds its upstream, for both paths that take one (the fast path before
 * the SDK `Protocol`, the handlers after it): one Map lookup in the relay's tool catalog,
 * and the request's params under the upstream's name.
 */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
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

/** The route of `name`, building the catalog when none is current; an unknown name is the client's error. */
export async function routeTool(routes: ToolRoutes, name: unknown): Promise<MemberRoute> {
  if (typeof name !== 'string') throw new RelayError('unknown-tool', 'tools/call needs a tool name (params.name).', ErrorCode.InvalidParams);
  const route = routeNow(routes, name) ?? (await routes.toolView()).routes.get(name);
  if (route === undefined) {
    throw new RelayError('unknown-tool', `Unknown tool "${name}": no instance here offers it (or tools.allow/tools.deny hides it); list the tools again.`, ErrorCode.InvalidParams);
  }
  return route;
}

/** The call's params as the upstream must get them: a shallow copy only when the name changes. */
export function upstreamParams(params: Params, route: MemberRoute): Params {
  return params['name'] === route.upstreamName ? params : { ...params, name: route.upstreamName };
}
