/**
 * How a folder's instances reach a client: one endpoint each (`/i/<slug>`), or an endpoint
 * several share — the folder's aggregate (`/f/<digest>`) or, in the window, one server's
 * accounts (`/s/<digest>`, exposure `accounts`) — who is in each, under which name and
 * version, and which instances are left out because another one has their prefix. Pure.
 * The window's definitions and the CLI's one endpoint are both built from these shapes.
 */
import { createHash } from 'node:crypto';
import { assignSlugs, definitionLabel, distinctCopilotLabels, MAX_SLUG, MAX_STEM, readableSlug } from '../naming';
import type { FolderPlan, WindowInstance } from '../plan';
import type { Problem } from '../problems';
import type { Exposure } from '../config';

/**
 * `instances`: one endpoint each; `aggregate`: the folder's instances behind one endpoint,
 * `<prefix><separator><tool>`; `accounts`: a tool every account of a server publishes alike
 * shown once, with an `account` parameter (catalog/collapseAccounts) — in the window one
 * endpoint per server, in the CLI's one endpoint per server's tools; `discovery`: the
 * folder's endpoint with three tools that search, describe and call the members' tools
 * (core/discovery). The union is the configuration's (a file can choose it, a server its
 * own but `discovery`).
 */
export type { Exposure } from '../config';

/** How an instance is exposed: its server's own choice, else its folder's. */
export function exposureOf(instance: WindowInstance, folderExposure: Exposure): Exposure {
  return instance.exposure ?? folderExposure;
}

/**
 * Where the endpoints are: `window` (VS Code: per instance, per server for `accounts`, the
 * folder's for `aggregate` and `discovery`); `one-endpoint` (`mcplex serve` of a whole
 * folder: every instance in the folder's endpoint whatever the folder's exposure, a server in
 * `accounts` collapsing its own tools there); `alone` (`serve --instance`, `pin`: each
 * instance on its own, sharing nothing).
 */
export type EndpointLayout = 'window' | 'one-endpoint' | 'alone';

/**
 * Whether a folder of `count` instances has one endpoint they share (its aggregate shape:
 * where two prefixes cannot be one), leaving aside the window's servers with an exposure of
 * their own. The CLI has one endpoint: `instances` there is one instance served as itself,
 * and several are behind that endpoint all the same — so `check`, `list` and `serve` refuse
 * a shared prefix that VS Code's one definition per instance allows.
 */
export function sharesFolderEndpoint(layout: EndpointLayout, folderExposure: Exposure, count: number): boolean {
  if (layout === 'alone' || (layout === 'one-endpoint' && count === 0)) return false;
  return folderExposure !== 'instances' || (layout === 'one-endpoint' && count > 1);
}

/** An endpoint several instances share: who is in it, where, under which name. */
export interface AggregateShape {
  /** The engine's key for it, and VS Code's definition id. */
  readonly definitionId: string;
  readonly folderId: string;
  /** Set for one server's accounts (exposure `accounts` in the window); absent: the folder's endpoint. */
  readonly serverId?: string;
  readonly path: string;
  readonly slug: string;
  readonly label: string;
  /** What clients are told and VS Code caches tools by: the members' hashes, marked for `accounts` and `discovery`. */
  readonly version: string;
  /** Three tools that search, describe and call the members' (exposure `discovery`). */
  readonly discovery: boolean;
  /** The servers (ids) whose tools every account publishes alike are shown once, with `account`. */
  readonly collapse: readonly string[];
  /** Runnable instances with distinct prefixes, in plan order. */
  readonly members: readonly WindowInstance[];
  /** Every instance it serves, runnable or not. */
  readonly instanceIds: readonly string[];
  /** Instances left out because another one has their prefix. */
  readonly problems: readonly Problem[];
}

export function instancePath(slug: string): string {
  return `/i/${slug}`;
}

export function aggregateDefinitionId(folderId: string): string {
  return `${folderId}#aggregate`;
}

/**
 * One server's accounts in one definition: stable as accounts come and go and labels
 * change. `:` never appears in an instance key (`server/instance`) nor in `aggregate`.
 */
export function accountsDefinitionId(folderId: string, serverId: string): string {
  return `${folderId}#accounts:${serverId}`;
}

/**
 * The endpoints instances share, by definition id, in plan order (an endpoint where its
 * first instance is). An instance in none of them has its own (`/i/<slug>`).
 */
export function aggregateShapes(
  folders: readonly FolderPlan[],
  exposureOfFolder: (folderId: string) => Exposure,
  layout: EndpointLayout,
): ReadonlyMap<string, AggregateShape> {
  const slugs = assignSlugs(folders.map((folder) => ({ key: folder.id, serverId: 'mx', instanceId: folder.name })));
  const groups = folders.flatMap((folder) => groupsOf(folder, exposureOfFolder(folder.id), layout));
  const labels = shapeLabels(groups);
  const serverSlugs = uniqueServerSlugs(groups, folders);
  const shapes = new Map<string, AggregateShape>();
  for (const group of groups) {
    const { folder, serverId, instances } = group;
    const { members, problems } = distinctPrefixes(instances.filter((instance) => instance.planned !== undefined));
    const definitionId = serverId === undefined ? aggregateDefinitionId(folder.id) : accountsDefinitionId(folder.id, serverId);
    const base = [folder.separator, instances.map((instance) => [instance.id, instance.hash, members.includes(instance)])];
    // The folder's endpoint keeps the version it always had; a collapse (CLI) or a server's endpoint is marked apart.
    const digested = digest(JSON.stringify(serverId === undefined && group.collapse.length > 0 ? [...base, group.collapse] : base), 16);
    const mark = group.discovery ? '-discovery' : group.collapse.length > 0 ? '-accounts' : '';
    shapes.set(definitionId, {
      definitionId,
      folderId: folder.id,
      ...(serverId !== undefined && { serverId }),
      path: serverId === undefined ? `/f/${digest(folder.id, 12)}` : `/s/${digest(definitionId, 12)}`,
      slug: serverId === undefined ? (slugs.get(folder.id) ?? digest(folder.id, 8)) : (serverSlugs.get(definitionId) ?? digest(definitionId, 8)),
      label: labels.get(definitionId) ?? serverId ?? folder.name,
      version: `${digested}${mark}`,
      discovery: group.discovery,
      collapse: group.collapse,
      members,
      instanceIds: instances.map((instance) => instance.id),
      problems,
    });
  }
  return shapes;
}

/** The definition id of the shared endpoint that serves an instance; absent: its own. */
export function endpointOf(shapes: ReadonlyMap<string, AggregateShape>, instanceId: string): AggregateShape | undefined {
  for (const shape of shapes.values()) if (shape.instanceIds.includes(instanceId)) return shape;
  return undefined;
}

interface Group {
  readonly folder: FolderPlan;
  readonly serverId?: string;
  readonly instances: readonly WindowInstance[];
  readonly discovery: boolean;
  readonly collapse: readonly string[];
}

/** A folder's shared endpoints: the folder's (if any instance is in it) and, in the window, one per server in `accounts`. */
function groupsOf(folder: FolderPlan, folderExposure: Exposure, layout: EndpointLayout): Group[] {
  if (layout !== 'window') {
    if (!sharesFolderEndpoint(layout, folderExposure, folder.instances.length)) return [];
    const collapse = new Set(folder.instances.filter((instance) => exposureOf(instance, folderExposure) === 'accounts').map((instance) => instance.serverId));
    return [{ folder, instances: folder.instances, discovery: folderExposure === 'discovery', collapse: [...collapse] }];
  }
  const byServer = new Map<string, WindowInstance[]>();
  const shared: WindowInstance[] = [];
  const order: string[] = [];
  for (const instance of folder.instances) {
    const exposure = exposureOf(instance, folderExposure);
    if (exposure === 'instances') continue;
    if (exposure !== 'accounts') {
      if (shared.length === 0) order.push('');
      shared.push(instance);
      continue;
    }
    const list = byServer.get(instance.serverId) ?? [];
    if (list.length === 0) order.push(instance.serverId);
    list.push(instance);
    byServer.set(instance.serverId, list);
  }
  return order.map((serverId): Group =>
    serverId === ''
      ? { folder, instances: shared, discovery: folderExposure === 'discovery', collapse: [] }
      : { folder, serverId, instances: byServer.get(serverId) ?? [], discovery: false, collapse: [serverId] },
  );
}

/**
 * The shapes' labels, distinct under Copilot CLI's naming (core/naming/copilotNames): a
 * folder's endpoint is `MCPlex (app)`; a server's is the server (`Notes`): it is that
 * server, its tools taking `account`. A label whose Copilot name another shares takes the
 * folder's name, then a digest of the folder (`Notes (app)`, `MCPlex (app, 1a2b)`).
 */
function shapeLabels(groups: readonly Group[]): ReadonlyMap<string, string> {
  const labelled = groups.flatMap(({ folder, serverId, instances }) => {
    if (serverId === undefined) return [{ key: aggregateDefinitionId(folder.id), label: definitionLabel('MCPlex', [folder.name]), qualifiers: [digest(folder.id, 4)] }];
    const first = instances[0];
    return first === undefined ? [] : [{ key: accountsDefinitionId(folder.id, serverId), label: first.serverLabel, qualifiers: [folder.name, digest(folder.id, 4)] }];
  });
  return new Map([...distinctCopilotLabels(labelled)].map(([key, distinct]) => [key, distinct.label]));
}

/**
 * A server's endpoint announces its own id as `serverInfo.name` (VS Code: `mcp_<slug>_`
 * before each tool), lower-cased to VS Code's characters and its 13; one that another
 * endpoint or instance already reads as ends in a short hash of its definition id.
 */
function uniqueServerSlugs(groups: readonly Group[], folders: readonly FolderPlan[]): ReadonlyMap<string, string> {
  const taken = new Set(folders.flatMap((folder) => folder.instances.map((instance) => instance.slug)));
  const slugs = new Map<string, string>();
  for (const { folder, serverId } of groups) {
    if (serverId === undefined) continue;
    const id = accountsDefinitionId(folder.id, serverId);
    const readable = readableSlug(serverId, MAX_SLUG);
    const slug = taken.has(readable) ? `${readableSlug(serverId, MAX_STEM)}-${digest(id, 4)}` : readable;
    taken.add(slug);
    slugs.set(id, slug);
  }
  return slugs;
}

function distinctPrefixes(instances: readonly WindowInstance[]): { members: WindowInstance[]; problems: Problem[] } {
  const byPrefix = new Map<string, WindowInstance>();
  const problems: Problem[] = [];
  for (const instance of instances) {
    const other = byPrefix.get(instance.prefix);
    if (other === undefined) {
      byPrefix.set(instance.prefix, instance);
      continue;
    }
    const { file, line, column, offset, length, path } = instance.location;
    problems.push({
      severity: 'error',
      code: 'duplicate-prefix',
      message: `Instance "${instance.key}" has the prefix "${instance.prefix}" of "${other.key}", so the two cannot share one endpoint (the folder's aggregate, \`mcplex serve\`); it is left out. Rename one instance, or serve each alone: \`mcplex serve --instance ID\`, or in VS Code exposure "instances" (one definition each).`,
      file,
      line,
      column,
      offset,
      length,
      path,
    });
  }
  return { members: [...byPrefix.values()], problems };
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
