import { MAX_SLUG } from './constants';
import { shortHash } from './hash';

export interface SlugSource {
  /** Unique in the list, e.g. `google/work`. */
  readonly key: string;
  readonly serverId: string;
  readonly instanceId: string;
}

/**
 * A server's stem keeps at most this many characters, so every account has at least
 * `MAX_SLUG - MAX_STEM - 1` = 6 of its own (`memory-person`, `github-enterp`).
 */
export const MAX_STEM = 6;
/** Hash lengths tried, in turn, for a stem another server already holds. */
const STEM_HASH_LENGTHS = [2, 3, 4] as const;
/** Hash lengths tried, in turn, for a slug another instance already holds. */
const SLUG_HASH_LENGTHS = [3, 5, 8] as const;

/**
 * A slug per key for per-instance definitions: each instance announces it as its
 * `serverInfo.name`, and VS Code turns it into the `mcp_<slug>_` before every tool.
 *
 * VS Code 1.139's rule (microsoft/vscode, src/vs/workbench/contrib/mcp/common/mcpServer.ts,
 * `McpPrefixGenerator.take`, fed by `McpServer` with the announced `serverInfo` name, or the
 * definition's label before the server has ever run): the name is lower-cased, each run of
 * characters outside `[a-z0-9_.-]` becomes `_`, and it is cut to
 * `McpToolName.MaxPrefixLen - McpToolName.Prefix.length - 1` = 18 − 4 − 1 = 13 characters
 * (mcpTypes.ts: `Prefix = 'mcp_'`, `MaxPrefixLen = 18`); a second server with the same cut
 * name becomes `<name>2`, `<name>3` in start order. So slugs use `[a-z0-9_-]` only (kept as
 * they are), are at most 13 characters, and are unique in the window: a tool's name never
 * depends on which account started first.
 *
 * The rule, `<stem>-<account>`:
 * - The stem is the server's id cut to `MAX_STEM` characters and depends on the server ids
 *   alone (`serverStems`), so every account of a server shares it and the model sees them
 *   side by side (`mcp_memory-work_…`, `mcp_memory-person_…`). Two servers that would cut
 *   to one stem (`google`, `googlemaps`) keep them apart: the one whose id is its stem
 *   uncut keeps it, the others get a short hash (`goog3f`).
 * - The account part is the instance id, cut to what the stem leaves (13 − stem − 1).
 * - Two instances that still meet (`Work` and `work`, or one key in two folders): the one
 *   whose ids the slug spells exactly keeps it, then the first in key order; the others end
 *   in a hash of their own key (`echo-work-3fa`), with the stem unchanged.
 *
 * Nothing depends on the order of the list, and a slug changes only when a newcomer would
 * read exactly like it and ranks first. Adding an account to a server never changes a stem,
 * and renames no other account unless their ids cut to the same slug.
 */
export function assignSlugs(instances: readonly SlugSource[]): ReadonlyMap<string, string> {
  const unique = new Map<string, SlugSource>();
  for (const instance of instances) {
    if (!unique.has(instance.key)) unique.set(instance.key, instance);
  }
  const sources = [...unique.values()];
  const stems = stemCandidates(sources.map((source) => source.serverId));
  const stemOf = settle(stems);
  const candidates = sources.map((source): Candidate => {
    const stemCandidate = stems.find((candidate) => candidate.key === source.serverId);
    const stem = stemOf.get(source.serverId) ?? slugPart(source.serverId);
    return slugCandidate(source, stem, stemCandidate?.exact === true && stem === stemCandidate.readable);
  });
  return settle(candidates);
}

/** Each server's stem, as `assignSlugs` gives it to all of that server's instances. */
export function serverStems(serverIds: readonly string[]): ReadonlyMap<string, string> {
  return settle(stemCandidates(serverIds));
}

/** What one name would read, whether it spells its ids exactly, and its fallbacks. */
interface Candidate {
  readonly key: string;
  readonly readable: string;
  /** The readable form is the ids themselves, uncut and unchanged. */
  readonly exact: boolean;
  /** The fallback at a level; levels run from 0 up to `levels - 1`. */
  variant(level: number): string;
  readonly levels: number;
}

function stemCandidates(serverIds: readonly string[]): Candidate[] {
  return [...new Set(serverIds)].map((serverId) => {
    const part = slugPart(serverId);
    const readable = trimEdges(part.slice(0, MAX_STEM));
    return {
      key: serverId,
      readable,
      exact: part === serverId && part.length <= MAX_STEM,
      levels: STEM_HASH_LENGTHS.length,
      variant: (level) => withHash(readable, shortHash(['stem', serverId], STEM_HASH_LENGTHS[level] ?? 4), MAX_STEM, ''),
    };
  });
}

function slugCandidate(source: SlugSource, stem: string, stemExact: boolean): Candidate {
  const room = MAX_SLUG - stem.length - 1;
  const part = slugPart(source.instanceId);
  const account = trimEdges(part.slice(0, room));
  return {
    key: source.key,
    readable: `${stem}-${account}`,
    exact: stemExact && part === source.instanceId && part.length <= room,
    levels: SLUG_HASH_LENGTHS.length,
    variant: (level) => {
      const hash = shortHash([source.key], Math.min(SLUG_HASH_LENGTHS[level] ?? 8, room));
      return `${stem}-${withHash(account, hash, room, '-')}`;
    },
  };
}

/** `text` cut to leave room for `hash` within `total` characters, then the hash. */
function withHash(text: string, hash: string, total: number, joiner: string): string {
  const kept = trimEdges(text.slice(0, Math.max(0, total - hash.length - joiner.length)));
  return kept === '' ? hash : `${kept}${joiner}${hash}`;
}

/**
 * Unique names for the candidates. Every readable form goes to one candidate, picked by a
 * rank that does not depend on the list (exact first, then key order); the others take
 * their first fallback nobody holds.
 */
function settle(candidates: readonly Candidate[]): Map<string, string> {
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const group = groups.get(candidate.readable) ?? [];
    group.push(candidate);
    groups.set(candidate.readable, group);
  }
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const losers: Candidate[] = [];
  for (const readable of [...groups.keys()].sort(compareText)) {
    const [winner, ...rest] = (groups.get(readable) ?? []).sort(byRank);
    if (winner === undefined) continue;
    names.set(winner.key, readable);
    taken.add(readable);
    losers.push(...rest);
  }
  for (const loser of losers) {
    const name = firstFree(loser, taken);
    names.set(loser.key, name);
    taken.add(name);
  }
  return names;
}

function firstFree(candidate: Candidate, taken: ReadonlySet<string>): string {
  for (let level = 0; level < candidate.levels; level += 1) {
    const name = candidate.variant(level);
    if (!taken.has(name)) return name;
  }
  // Every hash length clashed (never seen in practice): number it, still independent of order.
  const last = candidate.variant(candidate.levels - 1);
  for (let counter = 1; ; counter += 1) {
    const suffix = `-${counter}`;
    const name = `${last.slice(0, last.length - suffix.length)}${suffix}`;
    if (!taken.has(name)) return name;
  }
}

function byRank(a: Candidate, b: Candidate): number {
  if (a.exact !== b.exact) return a.exact ? -1 : 1;
  return compareText(a.key, b.key);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A server or instance id as slug characters: lower case, runs of anything outside
 * `[a-z0-9_-]` as one `_`, without `_`/`-` at the ends. An id with nothing usable left
 * (`日本`) becomes a hash of itself, so it is still stable and distinct.
 */
/**
 * `id` as VS Code's `mcp_<name>_` keeps it, cut to `length` characters: the readable form
 * every slug starts from (a server's shared endpoint announces it, core/engine/exposure.ts).
 */
export function readableSlug(id: string, length: number): string {
  return trimEdges(slugPart(id).slice(0, length));
}

function slugPart(id: string): string {
  const part = trimEdges(id.toLowerCase().replace(/[^a-z0-9_-]+/gu, '_'));
  return part === '' ? shortHash([id], 4) : part;
}

function trimEdges(text: string): string {
  return text.replace(/^[-_]+|[-_]+$/gu, '');
}
