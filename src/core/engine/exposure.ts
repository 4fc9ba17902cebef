/**
 * How a folder's instances reach a client: one endpoint each (`/i/<slug>`), or the
 * folder's aggregate (`/f/<digest>`) — who is in it, under which name and version, and
 * which instances are left out because another one has their prefix. Pure. The window's
 * definitions and the CLI's one endpoint are both built from these shapes.
 */
import { createHash } from 'node:crypto';
import { assignSlugs, definitionLabel, distinctCopilotLabels } from '../naming';
import type { FolderPlan, WindowInstance } from '../plan';
import type { Problem } from '../problems';
import type { Exposure } from '../config';

/**
 * `instances`: one endpoint each; `aggregate`: the folder's instances behind one endpoint,
 * `<prefix><separator><tool>`; `accounts`: that endpoint, with a tool every account of a
 * server publishes alike shown once, with an `account` parameter (catalog/collapseAccounts);
 * `discovery`: that endpoint with three tools that search, describe and call the members'
 * tools (core/discovery). The union is the configuration's (a file can choose it).
 */
export type { Exposure } from '../config';

/** Whether the folder's instances share one endpoint (its aggregate shape). */
export function sharesEndpoint(exposure: Exposure): boolean {
  return exposure !== 'instances';
}

/**
 * The version the folder's endpoint announces (and VS Code caches its tools by): the
 * shape's, marked for `accounts` and `discovery`, whose tools differ from the aggregate's
 * over the same members.
 */
export function endpointVersion(shape: AggregateShape, exposure: Exposure): string {
  return exposure === 'aggregate' || exposure === 'instances' ? shape.version : `${shape.version}-${exposure}`;
}

/** What a folder's aggregate endpoint is: who is in it, where, under which name. */
export interface AggregateShape {
  readonly folderId: string;
  readonly definitionId: string;
  readonly path: string;
  readonly slug: string;
  readonly label: string;
  readonly version: string;
  /** Runnable instances with distinct prefixes, in plan order. */
  readonly members: readonly WindowInstance[];
  /** Every instance of the folder, runnable or not. */
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

export function aggregateShapes(folders: readonly FolderPlan[]): ReadonlyMap<string, AggregateShape> {
  const slugs = assignSlugs(folders.map((folder) => ({ key: folder.id, serverId: 'mx', instanceId: folder.name })));
  // `MCPlex (app)`; `MCPlex (app, 1a2b)` where two folders' labels would give one Copilot CLI name.
  const labels = distinctCopilotLabels(folders.map((folder) => ({ key: folder.id, label: definitionLabel('MCPlex', [folder.name]), qualifiers: [digest(folder.id, 4)] })));
  const shapes = new Map<string, AggregateShape>();
  for (const folder of folders) {
    const { members, problems } = distinctPrefixes(folder.instances.filter((instance) => instance.planned !== undefined));
    shapes.set(folder.id, {
      folderId: folder.id,
      definitionId: aggregateDefinitionId(folder.id),
      path: `/f/${digest(folder.id, 12)}`,
      slug: slugs.get(folder.id) ?? digest(folder.id, 8),
      label: labels.get(folder.id)?.label ?? folder.name,
      version: digest(JSON.stringify([folder.separator, folder.instances.map((instance) => [instance.id, instance.hash, members.includes(instance)])]), 16),
      members,
      instanceIds: folder.instances.map((instance) => instance.id),
      problems,
    });
  }
  return shapes;
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
      message: `Instance "${instance.key}" has the prefix "${instance.prefix}" of "${other.key}", so the two cannot share one endpoint (the folder's aggregate, \`mcplex serve\`); it is left out. Rename one instance (in VS Code, setting "mcplex.exposure" to "instances" also works).`,
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
