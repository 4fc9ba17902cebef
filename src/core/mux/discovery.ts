/**
 * The `discovery` exposure on top of the aggregate: the client lists three tools
 * (core/discovery) instead of every instance's, searches the aggregate's catalog, reads
 * one tool's schema and calls it by name. Everything is the aggregate's own: the catalog
 * it lists (so a denied, filtered or collided tool, which the catalog neither exposes nor
 * routes, is never found nor called), and `call_tool` is the aggregate's `tools/call`
 * under the tool's name (the same route lookup, the same forwarding, links and tasks).
 *
 * The search index is built once per catalog and dropped with it: when an instance's
 * list changes the relay builds a new catalog, and the next search indexes that one.
 * The three tools never change, so clients are never told the list changed.
 */
import type { Result, Tool } from '@modelcontextprotocol/sdk/types.js';
import { CALL_TOOL, closestNames, DEFAULT_SEARCH_LIMIT, DESCRIBE_TOOL, DISCOVERY_TOOLS, MAX_SEARCH_LIMIT, oneLine, SEARCH_TOOLS, SearchIndex, type SearchDocument } from '../discovery';
import { RelayError } from './errors';
import { callTool, type Handler, type HandlerContext } from './handlers';
import { routeTool } from './toolRoutes';
import type { MemberRoute, ToolCatalog } from './viewCache';
import type { Params } from '../wire';

interface Listed extends SearchDocument {
  readonly tool: Tool;
  readonly upstreamName: string;
  readonly route: MemberRoute;
}

const indexes = new WeakMap<ToolCatalog, SearchIndex<Listed>>();

/** `handlers` with `tools/list` and `tools/call` answered as the discovery endpoint. */
export function withDiscovery(handlers: Map<string, Handler>, context: HandlerContext): Map<string, Handler> {
  handlers.set('tools/list', () => Promise.resolve({ tools: DISCOVERY_TOOLS as unknown as Tool[] }));
  handlers.set('tools/call', async (params, extra, session) => {
    const args = argumentsOf(params);
    switch (params['name']) {
      case SEARCH_TOOLS:
        return search(await context.toolView(), args);
      case DESCRIBE_TOOL:
        return describe(context, args);
      case CALL_TOOL: {
        const name = args['name'];
        const unknown = await unknownTool(context, name);
        if (unknown !== undefined) return unknown;
        const inner = args['arguments'];
        return callTool(context, { ...(params._meta !== undefined && { _meta: params._meta }), name: name as string, arguments: isObject(inner) ? inner : {} }, extra, session);
      }
      default:
        // A tool's own name still works (an MCP Apps view calls its server's tools directly).
        return callTool(context, params, extra, session);
    }
  });
  return handlers;
}

function search(catalog: ToolCatalog, args: Params): Result {
  const query = args['query'];
  if (typeof query !== 'string' || query.trim() === '') return failure(`${SEARCH_TOOLS} needs "query": a few words of what the tool should do.`);
  const limit = args['limit'] ?? DEFAULT_SEARCH_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) return failure(`${SEARCH_TOOLS}: "limit" is a whole number from 1 to ${MAX_SEARCH_LIMIT}.`);
  const index = indexOf(catalog);
  const hits = index.search(query, limit);
  if (hits.length === 0) return text(`No tool matches "${query}" (${index.size} tools here); try other words.`);
  return text(hits.map(({ document }) => `${document.name} — ${oneLine(document.description) || '(no description)'} [account: ${document.accountLabel}]`).join('\n'));
}

async function describe(context: HandlerContext, args: Params): Promise<Result> {
  const name = args['name'];
  const unknown = await unknownTool(context, name);
  if (unknown !== undefined) return unknown;
  const route = await routeTool(context, name);
  const listed = indexOf(await context.toolView())
    .documents()
    .find((document) => document.route === route);
  // Routed but not listed: its instance is down (the call would say so, and why).
  if (listed === undefined) return failure(`Tool "${String(name)}" is not available now: its instance "${route.key}" is not running.`);
  return text(JSON.stringify({ ...listed.tool, account: listed.accountLabel }));
}

/** An error result naming the closest tools when `name` routes nowhere; `undefined` when it does. */
async function unknownTool(context: HandlerContext, name: unknown): Promise<Result | undefined> {
  if (typeof name !== 'string' || name === '') return failure('Give the tool\'s "name", as search_tools returned it.');
  try {
    await routeTool(context, name);
    return undefined;
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;
    // Ambiguous, or hidden from the model (denied, read-only, changed since approved): the reason, as a tool error.
    if (error.code === 'ambiguous-tool' || error.code === 'hidden-tool') return failure(error.message);
    if (error.code !== 'unknown-tool') throw error;
    const closest = closestNames(name, indexOf(await context.toolView()).documents());
    const hint = closest.length === 0 ? 'No tool is available here now.' : `Closest: ${closest.join(', ')}.`;
    return failure(`Unknown tool "${name}". ${hint} Use ${SEARCH_TOOLS} to find one.`);
  }
}

function indexOf(catalog: ToolCatalog): SearchIndex<Listed> {
  let index = indexes.get(catalog);
  if (index === undefined) {
    // Descriptions without the instance note: the account is its own field.
    const own = new Map(catalog.members.flatMap((member) => (member.entries ?? []).map((entry) => [`${member.key}\n${entry.exposedName}`, entry.description] as const)));
    const documents = catalog.exposed.flatMap((tool): Listed[] => {
      const route = catalog.routes.get(tool.name);
      if (route === undefined) return [];
      const description = own.get(`${route.key}\n${tool.name}`);
      return [{ name: tool.name, description, accountLabel: route.member.label, accountKey: route.key, tool, upstreamName: route.upstreamName, route }];
    });
    indexes.set(catalog, (index = new SearchIndex(documents)));
  }
  return index;
}

function argumentsOf(params: Params): Params {
  const args = params['arguments'];
  return isObject(args) ? (args as Params) : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: string): Result {
  return { content: [{ type: 'text', text: value }] };
}

function failure(message: string): Result {
  return { content: [{ type: 'text', text: message }], isError: true };
}
