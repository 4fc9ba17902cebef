/**
 * Plan a whole VS Code window: every workspace folder's instances at once, because what
 * VS Code sees must be unique in the window, not only in one folder. Slugs (VS Code's
 * `mcp_<slug>_` tool prefix) are assigned over all folders; labels that two folders
 * share, or that give one Copilot CLI name, get the folder's name in both (`Notes (work, app)`:
 * VS Code disables one of two servers with the same label); each hash covers the final slug
 * and label, so `version` changes with them.
 */
import { createHash } from 'node:crypto';
import type { ResolvedInstance, ServerExposure, SourceLocation } from '../config';
import { assignSlugs, distinctCopilotLabels } from '../naming';
import type { Problem } from '../problems';
import { canonicalJson } from '../wire';
import type { InstanceIdentity, PlannedInstance } from './model';
import { planInstances } from './planInstances';

const HASH_LENGTH = 16;

/** An instance whose secrets are not stored yet: it gets a name, slug and label, not a process. */
export interface PendingInstance {
  readonly serverId: string;
  readonly instanceId: string;
  readonly serverLabel: string;
  readonly instanceLabel: string;
  readonly location: SourceLocation;
  /** The secrets it is waiting for. */
  readonly secrets: readonly string[];
  /** Its server's own `exposure`: it is shown where its server's accounts are, running or not. */
  readonly exposure?: ServerExposure;
}

export interface WindowFolder {
  /** Stable id of the folder (VS Code: its URI). */
  readonly id: string;
  /** Added to a label that another folder's gives the same Copilot CLI name as. */
  readonly name: string;
  readonly instances: readonly ResolvedInstance[];
  readonly pending?: readonly PendingInstance[];
  readonly separator?: string;
  readonly note?: string;
  /** Whether an instance exposed alone names its tools with its prefix; absent: the engine folder's option. */
  readonly toolPrefix?: boolean;
  /**
   * Anything else that shapes what a client sees of this folder's instances (say, whether
   * tool names are prefixed); it goes into every hash, so a change refreshes VS Code's cache.
   */
  readonly surface?: unknown;
  /**
   * Slugs the caller chose, by instance key, instead of the assigned ones (`mcplex wrap`
   * announces its `--prefix`, as it always has). Unique in the window is then the caller's care.
   */
  readonly slugs?: ReadonlyMap<string, string>;
}

export interface WindowInstance extends InstanceIdentity {
  /** `<folder id>#<server id>/<instance id>`: unique in the window. */
  readonly id: string;
  readonly folderId: string;
  readonly location: SourceLocation;
  /** Over the folder plan's hash, the window's slug and label, and the folder's surface. */
  readonly hash: string;
  /** Ready to run, with the window's slug, label and hash; absent while secrets are missing. */
  readonly planned?: PlannedInstance;
  /** The secrets it waits for, when `planned` is absent. */
  readonly missingSecrets?: readonly string[];
  /** Its server's own `exposure`, over the folder's; absent: the folder's. */
  readonly exposure?: ServerExposure;
}

export interface FolderPlan {
  readonly id: string;
  readonly name: string;
  readonly separator: string;
  readonly note?: string;
  readonly toolPrefix?: boolean;
  readonly instances: readonly WindowInstance[];
  readonly problems: readonly Problem[];
}

export interface WindowPlan {
  /** In the order the folders were given. */
  readonly folders: readonly FolderPlan[];
  /** Every folder's instances, folder by folder. */
  readonly instances: readonly WindowInstance[];
}

export function windowInstanceId(folderId: string, key: string): string {
  return `${folderId}#${key}`;
}

export function planWindow(folders: readonly WindowFolder[]): WindowPlan {
  const perFolder = folders.map((folder) => ({ folder, ...planFolder(folder) }));
  const all = perFolder.flatMap(({ folder, planned, pending }) =>
    planned.map((instance) => ({ folder, id: windowInstanceId(folder.id, instance.key), instance, missing: pending.get(instance.key) })),
  );
  const slugs = assignSlugs(all.map(({ id, instance }) => ({ key: id, serverId: instance.serverId, instanceId: instance.instanceId })));
  const labels = windowLabels(all.map(({ folder, id, instance }) => ({ folder, id, label: instance.label })));

  const byFolder = new Map<string, WindowInstance[]>(folders.map((folder) => [folder.id, []]));
  for (const { folder, id, instance, missing } of all) {
    const slug = folder.slugs?.get(instance.key) ?? slugs.get(id) ?? instance.slug;
    const label = labels.get(id) ?? instance.label;
    const hash = windowHash(instance.hash, slug, label, folder.surface);
    const common = {
      id,
      folderId: folder.id,
      key: instance.key,
      serverId: instance.serverId,
      instanceId: instance.instanceId,
      prefix: instance.prefix,
      slug,
      label,
      serverLabel: instance.serverLabel,
      instanceLabel: instance.instanceLabel,
      location: instance.location,
      hash,
      ...(instance.exposure !== undefined && { exposure: instance.exposure }),
    };
    const windowInstance: WindowInstance =
      missing === undefined ? { ...common, planned: { ...instance, slug, label, hash } } : { ...common, missingSecrets: missing };
    byFolder.get(folder.id)?.push(windowInstance);
  }

  const plans = perFolder.map(({ folder, separator, problems }): FolderPlan => ({
    id: folder.id,
    name: folder.name,
    separator,
    ...(folder.note !== undefined && { note: folder.note }),
    ...(folder.toolPrefix !== undefined && { toolPrefix: folder.toolPrefix }),
    instances: byFolder.get(folder.id) ?? [],
    problems,
  }));
  return { folders: plans, instances: plans.flatMap((plan) => plan.instances) };
}

/**
 * One folder through `planInstances` (prefix checks, duplicates, labels within the folder,
 * the base hash). Pending instances go through with an empty placeholder upstream, so they
 * are checked and named like the others; `pending` says which keys they are.
 */
function planFolder(folder: WindowFolder): {
  planned: readonly PlannedInstance[];
  pending: ReadonlyMap<string, readonly string[]>;
  separator: string;
  problems: readonly Problem[];
} {
  const placeholders = (folder.pending ?? []).map((pending): ResolvedInstance => {
    const upstream = { kind: 'stdio', command: '', args: [], env: {} } as const;
    return { ...pending, upstream, redacted: upstream, tools: {}, secrets: pending.secrets };
  });
  const plan = planInstances([...folder.instances, ...placeholders], {
    ...(folder.separator !== undefined && { separator: folder.separator }),
    ...(folder.note !== undefined && { note: folder.note }),
  });
  const resolvedKeys = new Set(folder.instances.map((instance) => `${instance.serverId}/${instance.instanceId}`));
  const pending = new Map<string, readonly string[]>();
  for (const item of folder.pending ?? []) {
    const key = `${item.serverId}/${item.instanceId}`;
    // A key both resolved and pending is a duplicate; planInstances kept the resolved one.
    if (!resolvedKeys.has(key)) pending.set(key, item.secrets);
  }
  return { planned: plan.instances, pending, separator: plan.separator, problems: plan.problems };
}

interface Labelled {
  readonly folder: WindowFolder;
  readonly id: string;
  readonly label: string;
}

/**
 * Labels as planned, with the folder's name where two folders' labels give one Copilot CLI
 * name (`Notes (work, app)`: VS Code disables one of two servers with the same label, and
 * Copilot CLI keeps one of two with the same name), then a digest of the folder's id where
 * two folders have the same name (`app` in two places). Within a folder, `planInstances`
 * has already made them distinct.
 */
function windowLabels(items: readonly Labelled[]): ReadonlyMap<string, string> {
  const distinct = distinctCopilotLabels(
    items.map(({ folder, id, label }) => ({ key: id, label, qualifiers: [folder.name, shortDigest(folder.id, 4)] })),
  );
  return new Map([...distinct].map(([id, { label }]) => [id, label]));
}

function windowHash(base: string, slug: string, label: string, surface: unknown): string {
  return shortDigest(canonicalJson({ base, slug, label, surface: surface ?? null }), HASH_LENGTH);
}

function shortDigest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
