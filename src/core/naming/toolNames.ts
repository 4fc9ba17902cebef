import { DEFAULT_NAME_BUDGET, NAME_HASH_LENGTH, PREFIX_PATTERN } from './constants';
import { NamingError } from './errors';
import { shortHash } from './hash';
import type {
  NameEntry,
  NameForm,
  NameOptions,
  NameTable,
  NamedItem,
  NamingIssue,
} from './nameTable';
import { validateSeparator } from './prefix';
import { sanitizeName } from './sanitize';

/** One upstream name on its way to an exposed name. Mutable only inside this module. */
interface Candidate {
  readonly key: string;
  readonly prefix: string | undefined;
  readonly upstreamName: string;
  /** `<prefix><separator>`, or empty without a prefix. */
  readonly head: string;
  /** Characters left after the head. */
  readonly available: number;
  readonly sanitized: string;
  exposedName: string;
  form: NameForm;
}

/** Smallest room after the head: one `_` and the hash. */
const MIN_AVAILABLE = NAME_HASH_LENGTH + 1;

/** Lower ranks win a name that two candidates still share after disambiguation. */
const FORM_RANK: Readonly<Record<NameForm, number>> = {
  readable: 0,
  sanitized: 1,
  shortened: 2,
  disambiguated: 3,
};

/**
 * The exposed names of every entry's names on one endpoint: readable where possible,
 * within `budget` characters of `[A-Za-z0-9_-]` (given a portable separator), unique,
 * and reversible. Deterministic, and for names that do not collide independent of the
 * order of entries. Runs in time linear in the number of names.
 *
 * @throws NamingError `invalid-separator` when the separator cannot be used at all.
 */
export function nameTools(entries: readonly NameEntry[], options: NameOptions): NameTable {
  const { separator } = options;
  const budget = options.budget ?? DEFAULT_NAME_BUDGET;
  const issues: NamingIssue[] = [];

  const separatorCheck = validateSeparator(separator);
  if (separatorCheck?.severity === 'error') {
    throw new NamingError('invalid-separator', separatorCheck.message);
  }
  if (separatorCheck !== undefined && entries.some((entry) => entry.prefix !== undefined)) {
    issues.push({ severity: 'warning', code: 'separator-not-portable', message: separatorCheck.message });
  }

  const candidates = collectCandidates(entries, separator, budget, issues);
  disambiguateCollisions(candidates, issues);
  return buildTable(candidates, issues);
}

function collectCandidates(
  entries: readonly NameEntry[],
  separator: string,
  budget: number,
  issues: NamingIssue[],
): Candidate[] {
  const candidates: Candidate[] = [];
  const seenKeys = new Set<string>();
  for (const { key, prefix, names } of entries) {
    if (seenKeys.has(key)) {
      issues.push({ severity: 'error', code: 'duplicate-key', key, message: `Two sets of names share the key "${key}"; only the first is exposed.` });
      continue;
    }
    seenKeys.add(key);
    if (prefix !== undefined && !PREFIX_PATTERN.test(prefix)) {
      issues.push({ severity: 'error', code: 'invalid-prefix', key, message: `The prefix "${prefix}" of ${key} may use only letters, digits, "_" and "-", starting with a letter or digit; rename the instance.` });
      continue;
    }
    const head = prefix === undefined ? '' : `${prefix}${separator}`;
    const available = budget - head.length;
    if (available < MIN_AVAILABLE) {
      issues.push({ severity: 'error', code: 'prefix-too-long', key, message: `The prefix "${prefix ?? ''}" of ${key} leaves no room for tool names within ${budget} characters; choose a shorter instance name.` });
      continue;
    }
    const seenNames = new Set<string>();
    for (const upstreamName of names) {
      if (seenNames.has(upstreamName)) {
        issues.push({ severity: 'error', code: 'duplicate-name', key, upstreamName, message: `The upstream of ${key} lists "${upstreamName}" more than once; only the first is exposed. This is a bug in that server.` });
        continue;
      }
      seenNames.add(upstreamName);
      candidates.push(makeCandidate(key, prefix, upstreamName, head, available));
    }
  }
  return candidates;
}

function makeCandidate(
  key: string,
  prefix: string | undefined,
  upstreamName: string,
  head: string,
  available: number,
): Candidate {
  const sanitized = sanitizeName(upstreamName);
  const base = { key, prefix, upstreamName, head, available, sanitized };
  if (sanitized.length > available) {
    return { ...base, exposedName: hashedName(base), form: 'shortened' };
  }
  const form: NameForm = sanitized === upstreamName ? 'readable' : 'sanitized';
  return { ...base, exposedName: head + sanitized, form };
}

/**
 * `<head><start of the sanitized name>_<hash>`, exactly filling the budget at most.
 * The hash covers the key, the prefix and the ORIGINAL name, so names that differ only
 * past the cut, or only in replaced characters, still get different names; the key is
 * in it because two servers' instances may share a prefix on one endpoint.
 */
function hashedName(candidate: Pick<Candidate, 'key' | 'prefix' | 'upstreamName' | 'head' | 'available' | 'sanitized'>): string {
  const stem = candidate.sanitized.slice(0, Math.max(0, candidate.available - MIN_AVAILABLE));
  const hash = shortHash([candidate.key, candidate.prefix ?? null, candidate.upstreamName], NAME_HASH_LENGTH);
  return `${candidate.head}${stem}_${hash}`;
}

/**
 * Names that meet after sanitizing: one name that is exactly its upstream name keeps
 * it, every other gets a hash suffix and a warning. When none (or several, from
 * different entries) are exact, all get a hash, so no entry wins by arriving first.
 */
function disambiguateCollisions(candidates: Candidate[], issues: NamingIssue[]): void {
  for (const group of groupByExposedName(candidates)) {
    const readable = group.filter((candidate) => candidate.form === 'readable');
    const keeper = readable.length === 1 ? readable[0] : undefined;
    const original = group[0]?.exposedName ?? '';
    for (const candidate of group) {
      if (candidate === keeper || candidate.form === 'shortened') {
        continue; // A shortened name already carries its own hash.
      }
      candidate.exposedName = hashedName(candidate);
      candidate.form = 'disambiguated';
      const others = group
        .filter((other) => other !== candidate)
        .map((other) => `"${other.upstreamName}" (${other.key})`)
        .join(', ');
      issues.push({
        severity: 'warning',
        code: 'name-collision',
        key: candidate.key,
        upstreamName: candidate.upstreamName,
        exposedName: candidate.exposedName,
        message: `"${candidate.upstreamName}" (${candidate.key}) is exposed as "${candidate.exposedName}" because "${original}" is also the name of ${others}.`,
      });
    }
  }
}

function groupByExposedName(candidates: readonly Candidate[]): Candidate[][] {
  const byName = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const group = byName.get(candidate.exposedName);
    if (group === undefined) {
      byName.set(candidate.exposedName, [candidate]);
    } else {
      group.push(candidate);
    }
  }
  return [...byName.values()].filter((group) => group.length > 1);
}

function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    FORM_RANK[a.form] - FORM_RANK[b.form] ||
    compareStrings(a.key, b.key) ||
    compareStrings(a.upstreamName, b.upstreamName)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildTable(candidates: readonly Candidate[], issues: NamingIssue[]): NameTable {
  // A collision left after hashing (a hash clash, or an upstream name that happens to
  // look like a hashed one) is an error: the winner is chosen by content, not order.
  const losers = new Set<Candidate>();
  for (const group of groupByExposedName(candidates)) {
    const [winner, ...rest] = [...group].sort(compareCandidates);
    for (const loser of rest) {
      losers.add(loser);
      issues.push({
        severity: 'error',
        code: 'unresolved-collision',
        key: loser.key,
        upstreamName: loser.upstreamName,
        exposedName: loser.exposedName,
        message: `"${loser.upstreamName}" (${loser.key}) is not exposed: its name "${loser.exposedName}" is taken by "${winner?.upstreamName ?? ''}" (${winner?.key ?? ''}). Rename the tool upstream or choose another prefix.`,
      });
    }
  }

  const byExposed = new Map<string, { readonly key: string; readonly upstreamName: string }>();
  const byKey = new Map<string, Map<string, string>>();
  const entries: NamedItem[] = [];
  for (const candidate of candidates) {
    if (losers.has(candidate)) {
      continue;
    }
    const { key, upstreamName, exposedName, form } = candidate;
    byExposed.set(exposedName, { key, upstreamName });
    let names = byKey.get(key);
    if (names === undefined) {
      names = new Map();
      byKey.set(key, names);
    }
    names.set(upstreamName, exposedName);
    entries.push({ key, upstreamName, exposedName, form });
  }

  return {
    byExposed,
    exposedName: (key, upstreamName) => byKey.get(key)?.get(upstreamName),
    entries,
    issues,
  };
}
