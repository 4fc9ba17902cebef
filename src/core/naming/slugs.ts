import { MAX_SLUG } from './constants';
import { shortHash } from './hash';

export interface SlugSource {
  /** Unique in the list, e.g. `google/work`. */
  readonly key: string;
  readonly serverId: string;
  readonly instanceId: string;
}

/** The server part keeps at least this much when the instance part needs room. */
const MIN_SERVER_PART = 4;
/** Hash lengths tried, in turn, for slugs that collide. */
const HASH_LENGTHS = [3, 5, 8] as const;

/**
 * A slug per key for per-instance definitions: each instance announces it as its
 * `serverInfo.name`, and VS Code turns it into the `mcp_<slug>_` before every tool.
 * Slugs use `[a-z0-9_-]` only (so VS Code keeps them as they are), are at most 13
 * characters and unique in the list: VS Code would otherwise number duplicates `2`,
 * `3` in start order, and a tool's name would depend on which account started first.
 *
 * `server-instance` where it fits (`echo-work`); otherwise the server part is cut
 * first, because the instance part names the account the model must tell apart
 * (`goog-personal`). Slugs that still meet get a short hash of their key, at every
 * member of the collision, so a slug never depends on the order of the list.
 */
export function assignSlugs(instances: readonly SlugSource[]): ReadonlyMap<string, string> {
  const unique = new Map<string, SlugSource>();
  for (const instance of instances) {
    if (!unique.has(instance.key)) {
      unique.set(instance.key, instance);
    }
  }
  const sources = [...unique.values()];
  const level = new Map<string, number>(sources.map((source) => [source.key, 0]));
  const slugs = new Map<string, string>();

  for (let round = 0; round <= HASH_LENGTHS.length; round += 1) {
    for (const source of sources) {
      slugs.set(source.key, slugAtLevel(source, level.get(source.key) ?? 0));
    }
    const colliding = collidingKeys(slugs);
    if (colliding.size === 0) {
      return slugs;
    }
    for (const key of colliding) {
      level.set(key, Math.min((level.get(key) ?? 0) + 1, HASH_LENGTHS.length));
    }
  }
  return numberRemainingCollisions(slugs);
}

/** Level 0 is the readable slug; level n ends in a hash of HASH_LENGTHS[n - 1] digits. */
function slugAtLevel(source: SlugSource, level: number): string {
  const server = slugPart(source.serverId);
  const instance = slugPart(source.instanceId);
  const hashLength = level === 0 ? 0 : HASH_LENGTHS[Math.min(level, HASH_LENGTHS.length) - 1] ?? 0;
  if (hashLength === 0) {
    return joinWithin(server, instance, MAX_SLUG);
  }
  const hash = shortHash([source.key], hashLength);
  const room = MAX_SLUG - hashLength - 1;
  return room < 3 ? hash : `${joinWithin(server, instance, room)}-${hash}`;
}

/** `server-instance` in at most `total` characters, cutting the server part first. */
function joinWithin(server: string, instance: string, total: number): string {
  if (server.length + 1 + instance.length <= total) {
    return `${server}-${instance}`;
  }
  const serverRoom = Math.min(server.length, Math.max(Math.min(MIN_SERVER_PART, total - 2), total - 1 - instance.length));
  const instanceRoom = total - 1 - serverRoom;
  return `${trimEdges(server.slice(0, serverRoom))}-${trimEdges(instance.slice(0, instanceRoom))}`;
}

/**
 * A server or instance id as slug characters: lower case, runs of anything outside
 * `[a-z0-9_-]` as one `_`, without `_`/`-` at the ends. An id with nothing usable left
 * (`日本`) becomes a hash of itself, so it is still stable and distinct.
 */
function slugPart(id: string): string {
  const part = trimEdges(id.toLowerCase().replace(/[^a-z0-9_-]+/gu, '_'));
  return part === '' ? shortHash([id], 4) : part;
}

function trimEdges(text: string): string {
  return text.replace(/^[-_]+|[-_]+$/gu, '');
}

function collidingKeys(slugs: ReadonlyMap<string, string>): Set<string> {
  const keysBySlug = new Map<string, string[]>();
  for (const [key, slug] of slugs) {
    const keys = keysBySlug.get(slug);
    if (keys === undefined) {
      keysBySlug.set(slug, [key]);
    } else {
      keys.push(key);
    }
  }
  const colliding = new Set<string>();
  for (const keys of keysBySlug.values()) {
    if (keys.length > 1) {
      keys.forEach((key) => colliding.add(key));
    }
  }
  return colliding;
}

/**
 * Last resort after every hash length clashed (never seen in practice): number the
 * members of each clash in key order, which still does not depend on the list's order.
 */
function numberRemainingCollisions(slugs: Map<string, string>): Map<string, string> {
  const taken = new Set(slugs.values());
  const colliding = [...collidingKeys(slugs)].sort();
  for (const key of colliding) {
    const slug = slugs.get(key) ?? '';
    let counter = 1;
    let candidate = slug;
    while (taken.has(candidate)) {
      const suffix = `-${counter}`;
      candidate = `${slug.slice(0, MAX_SLUG - suffix.length)}${suffix}`;
      counter += 1;
    }
    taken.add(candidate);
    slugs.set(key, candidate);
  }
  return slugs;
}
