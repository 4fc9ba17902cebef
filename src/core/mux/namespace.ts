/**
 * How resource URIs and task ids look to the client. An instance relay shows them as the
 * upstream made them; an aggregate, where instances meet, carries the instance in them
 * reversibly (`mcplex://work/<uri>`, `work:<taskId>`).
 *
 * MCP Apps views are the exception: a host renders only `ui://` resources, so an
 * aggregate keeps them in that scheme, `ui://work.<original after ui://>` (naming/uri.ts
 * says why). The same renaming applies wherever the upstream names one: `resources/list`
 * and templates, `resources/read` contents, links in results (resultLinks) and a tool's
 * `_meta.ui.resourceUri` (and the deprecated `_meta["ui/resourceUri"]`, `toolOut` below).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { isUiUri, namespaceUiUri, namespaceUri, parseNamespacedUiUri, parseNamespacedUri } from '../naming';
import type { Member } from './member';

export interface Located {
  readonly member: Member;
  /** The upstream's own URI or task id. */
  readonly id: string;
}

export interface Namespace {
  uriOut(member: Member, uri: string): string;
  uriIn(uri: string): Located | undefined;
  taskIdOut(member: Member, taskId: string): string;
  taskIdIn(taskId: string): Located | undefined;
}

export function identityNamespace(member: Member): Namespace {
  return {
    uriOut: (_member, uri) => uri,
    uriIn: (uri) => ({ member, id: uri }),
    taskIdOut: (_member, taskId) => taskId,
    taskIdIn: (taskId) => ({ member, id: taskId }),
  };
}

// Instance keys match PREFIX_PATTERN, which has no ':', so the first ':' ends the key.
const TASK_SEPARATOR = ':';

export function aggregateNamespace(members: ReadonlyMap<string, Member>): Namespace {
  return {
    uriOut: (member, uri) => (isUiUri(uri) ? namespaceUiUri(member.key, uri) : namespaceUri(member.key, uri)),
    uriIn(uri) {
      const parsed = parseNamespacedUiUri(uri) ?? parseNamespacedUri(uri);
      const member = parsed === undefined ? undefined : members.get(parsed.prefix);
      return member === undefined || parsed === undefined ? undefined : { member, id: parsed.uri };
    },
    taskIdOut: (member, taskId) => `${member.key}${TASK_SEPARATOR}${taskId}`,
    taskIdIn(taskId) {
      const at = taskId.indexOf(TASK_SEPARATOR);
      const member = at < 0 ? undefined : members.get(taskId.slice(0, at));
      return member === undefined ? undefined : { member, id: taskId.slice(at + 1) };
    },
  };
}

/** The deprecated flat key of SEP-1865's drafts, still read by hosts during the migration. */
const FLAT_RESOURCE_URI_KEY = 'ui/resourceUri';

/**
 * `tool` with the view URIs in its `_meta` renamed by `ns.uriOut`; the same object when it
 * names none. Everything else in `_meta.ui` (`visibility`, …) is kept as the upstream wrote it.
 */
export function toolOut(ns: Namespace, member: Member, tool: Tool): Tool {
  const meta = tool._meta;
  if (meta === undefined) return tool;
  let renamed: Record<string, unknown> = meta;
  const ui = meta['ui'];
  if (typeof ui === 'object' && ui !== null && !Array.isArray(ui)) {
    const view = (ui as Record<string, unknown>)['resourceUri'];
    if (typeof view === 'string') renamed = { ...renamed, ui: { ...ui, resourceUri: ns.uriOut(member, view) } };
  }
  const flat = meta[FLAT_RESOURCE_URI_KEY];
  if (typeof flat === 'string') renamed = { ...renamed, [FLAT_RESOURCE_URI_KEY]: ns.uriOut(member, flat) };
  return renamed === meta ? tool : { ...tool, _meta: renamed };
}
