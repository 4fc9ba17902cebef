/**
 * The one computation of "what the model sees": every member's tools (or prompts) under
 * their exposed names, the ones the filter or a collision hides and why, and the reverse
 * map a call is routed by. Pure and deterministic; the relay, the runtime's tree and
 * `mcplex list` all call it, so they cannot disagree on a name.
 */
import { appendNote, nameTools, type NameEntry, type NameTable, type ToolVerdict } from '../naming';
import { toolDigest } from '../pins';
import type { Catalog, CatalogEntry, CatalogItem, CatalogMember, CatalogNaming, HiddenItem, HiddenReason, MemberEntries, Route } from './model';

type Verdict = ToolVerdict | 'changed' | 'unapproved';

const HIDDEN_BY: Readonly<Record<Exclude<Verdict, 'allowed'>, HiddenReason>> = {
  denied: 'denied',
  'not-allowed': 'filtered',
  'not-read-only': 'not-read-only',
  changed: 'changed',
  unapproved: 'unapproved',
};

/** Codes that leave a whole member without names (not a collision with anyone). */
const UNNAMED_CODES = new Set(['invalid-prefix', 'prefix-too-long']);

export function buildCatalog<T extends CatalogItem, O>(members: readonly CatalogMember<T, O>[], naming: CatalogNaming | undefined): Catalog<T, O> {
  const verdicts = members.map((member) => (member.items ?? []).map((item) => verdictOf(member, item)));
  const exposedTable = naming === undefined ? undefined : nameTools(nameEntries(members, verdicts, naming, true), { separator: naming.separator });
  // Hidden tools get the name they would have if allowed: named among the hidden ones only,
  // so showing them never changes an exposed name. Its issues are nobody's problem yet.
  const anyHidden = verdicts.some((list) => list.some((verdict) => verdict !== 'allowed'));
  const hiddenTable = naming === undefined || !anyHidden ? undefined : nameTools(nameEntries(members, verdicts, naming, false), { separator: naming.separator });
  const issues = exposedTable?.issues ?? [];
  const unnamedKeys = new Set(issues.filter((issue) => UNNAMED_CODES.has(issue.code)).map((issue) => issue.key));
  const lostNames = new Map(issues.filter((issue) => issue.code === 'unresolved-collision').map((issue) => [`${issue.key ?? ''}\n${issue.upstreamName ?? ''}`, issue.exposedName]));

  const exposed: T[] = [];
  const hidden: HiddenItem[] = [];
  const routes = new Map<string, Route<O>>();
  const seenKeys = new Set<string>();
  const perMember: MemberEntries[] = members.map((member, index) => {
    const { key, items } = member;
    // A second member with a key already used gets no names of its own (nameTools drops it).
    const duplicate = seenKeys.has(key);
    seenKeys.add(key);
    if (items === undefined) return { key, entries: undefined };
    const entries = items.map((item, at): CatalogEntry => {
      const verdict = verdicts[index]?.[at] ?? 'allowed';
      let name: string | undefined;
      let reason: HiddenReason | undefined;
      if (verdict === 'allowed') {
        name = duplicate ? undefined : exposedName(exposedTable, key, item.name);
        if (name === undefined) {
          reason = unnamedKeys.has(key) && !duplicate ? 'unnamed' : 'collided';
          name = lostNames.get(`${key}\n${item.name}`);
        } else if (routes.has(name)) {
          reason = 'collided'; // the upstream lists it twice: the first one has the name
        } else {
          routes.set(name, { member: member.owner, key, upstreamName: item.name });
          if (member.listed) exposed.push({ ...item, name, description: appendNote(describedAs(member, item), member.note) });
        }
      } else {
        reason = HIDDEN_BY[verdict];
        name = duplicate ? undefined : exposedName(hiddenTable, key, item.name);
      }
      const entry = entryOf(item, describedAs(member, item), name ?? item.name, reason);
      if (reason !== undefined) hidden.push({ key, upstreamName: item.name, exposedName: entry.exposedName, reason });
      return entry;
    });
    return { key, entries };
  });
  return { exposed, hidden, routes, issues, members: perMember };
}

/**
 * The filter first (`tools.deny` / `allow` / `readOnly`: what the user decided about a tool
 * by name), then the pins (whether its current definition is the approved one).
 */
function verdictOf<T extends CatalogItem>(member: CatalogMember<T, unknown>, item: T): Verdict {
  const verdict = member.filter?.verdict(item.name, item.annotations?.readOnlyHint) ?? 'allowed';
  if (verdict !== 'allowed' || member.pins === undefined) return verdict;
  const approved = member.pins.get(item.name);
  if (approved === undefined) return 'unapproved';
  return approved === toolDigest(item) ? 'allowed' : 'changed';
}

/** `tools.describe` replaces the upstream's description; the account note is appended after it. */
function describedAs(member: CatalogMember<CatalogItem, unknown>, item: CatalogItem): string | undefined {
  const override = member.describe === undefined || !Object.hasOwn(member.describe, item.name) ? undefined : member.describe[item.name];
  return override ?? item.description;
}

/** The entries of a catalog's member `key`, or `undefined` when its list is unknown (or it is not a member). */
export function entriesOf(catalog: Catalog<CatalogItem, unknown> | undefined, key: string): readonly CatalogEntry[] | undefined {
  return catalog?.members.find((member) => member.key === key)?.entries;
}

function nameEntries<T extends CatalogItem, O>(members: readonly CatalogMember<T, O>[], verdicts: readonly Verdict[][], naming: CatalogNaming, allowed: boolean): NameEntry[] {
  return members.map((member, index) => ({
    key: member.key,
    prefix: naming.prefixed ? member.key : undefined,
    names: (member.items ?? []).filter((_item, at) => (verdicts[index]?.[at] === 'allowed') === allowed).map((item) => item.name),
  }));
}

/** Without naming (`table` undefined) a name is the upstream's own. */
function exposedName(table: NameTable | undefined, key: string, upstreamName: string): string | undefined {
  return table === undefined ? upstreamName : table.exposedName(key, upstreamName);
}

function entryOf(item: CatalogItem, description: string | undefined, exposedName: string, hidden: HiddenReason | undefined): CatalogEntry {
  return {
    exposedName,
    upstreamName: item.name,
    ...(description !== undefined && { description }),
    ...(hidden !== undefined && { hidden }),
  };
}
