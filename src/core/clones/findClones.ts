/**
 * Two instances of one server that would start exactly alike are one account under two
 * prefixes: the model sees "work" and "personal" and acts on the same data through both.
 * That runs (it is a warning, not an error), but it is never what the user meant, so
 * planning says so, on the second instance, with the setting to give it its own value.
 *
 * What counts is the resolved launch, secret values included (two accounts that differ only
 * by a `${secret:…}` value are two accounts); the message names instances, never values.
 * An instance still waiting for a secret is compared as written: the same text in one
 * folder resolves to the same launch.
 */
import type { MergedInstance, SourceLocation } from '../config';
import { canonicalJson, type PlannedInstance } from '../plan';
import type { Problem } from '../problems';
import { describeSetting, knownServerOf } from './stateSettings';

export const CLONE_PROBLEM_CODE = 'clone-instance';

/**
 * Everything that decides what an instance starts as, by the name both the resolved upstream
 * and the merged configuration give it. Two instances equal on every one of these are
 * clones; a new launch field (`roots`, `isolate`) is one line here.
 */
export const SAME_ACCOUNT_FIELDS: readonly string[] = ['command', 'args', 'env', 'cwd', 'url', 'transport', 'headers', 'auth', 'roots', 'isolate', 'stateDir'];

/** An instance as compared: who it is, where it is written, and its launch by field name. */
export interface CloneCandidate {
  /** `server/instance`. */
  readonly key: string;
  readonly serverId: string;
  readonly location: SourceLocation;
  readonly launch: Readonly<Record<string, unknown>>;
}

/** A planned instance, compared on its resolved upstream (secret values included). */
export function plannedCandidate(planned: Pick<PlannedInstance, 'key' | 'serverId' | 'location' | 'upstream' | 'roots'>): CloneCandidate {
  return { key: planned.key, serverId: planned.serverId, location: planned.location, launch: { ...planned.upstream, roots: planned.roots } };
}

/** An instance as written (merged with its server, nothing substituted): for one waiting for a secret. */
export function writtenCandidate(merged: MergedInstance): CloneCandidate {
  const key = `${merged.serverId}/${merged.instanceId}`;
  return { key, serverId: merged.serverId, location: merged.location, launch: { ...merged, ...(hasOwnFolder(merged) && { stateDir: key }) } };
}

/**
 * Whether an instance as written gets a folder of its own (`${instanceDir}` anywhere, or an
 * `isolate` other than `none`): it resolves to a path no other instance has, so it is never
 * a clone, however alike the text reads.
 */
export function hasOwnFolder(written: object): boolean {
  const { isolate } = written as { readonly isolate?: unknown };
  return (isolate !== undefined && isolate !== 'none') || JSON.stringify(written).includes('${instanceDir}');
}

/** The launch as one comparable string (never shown: it holds secret values). */
export function launchIdentity(candidate: CloneCandidate): string {
  return canonicalJson(SAME_ACCOUNT_FIELDS.map((field) => [field, candidate.launch[field] ?? null]));
}

/**
 * One warning per instance that starts like an earlier instance of the same server, in the
 * order given (the file's): the first of a group is the original, the others its clones.
 * Instances of different servers are never compared.
 */
export function findClones(candidates: readonly CloneCandidate[]): Problem[] {
  const firstByLaunch = new Map<string, CloneCandidate>();
  const problems: Problem[] = [];
  for (const candidate of candidates) {
    const identity = `${candidate.serverId}\u0000${launchIdentity(candidate)}`;
    const original = firstByLaunch.get(identity);
    if (original === undefined) {
      firstByLaunch.set(identity, candidate);
      continue;
    }
    const { file, path, offset, length, line, column } = candidate.location;
    problems.push({ severity: 'warning', code: CLONE_PROBLEM_CODE, message: cloneMessage(candidate, original), file, path, offset, length, line, column });
  }
  return problems;
}

function cloneMessage(clone: CloneCandidate, original: CloneCandidate): string {
  const elsewhere = original.location.file === clone.location.file ? '' : ` (in ${original.location.file})`;
  const head = `${clone.key} would start exactly like ${original.key}${elsewhere}: the two would be the same account.`;
  const known = knownServerOf(stringOf(clone.launch['command']), stringsOf(clone.launch['args']));
  if (known === undefined) return `${head} Give it its own value (an env var, an argument, a \${instanceDir} path).`;
  const settings = known.settings.map(describeSetting).join(' and ');
  return `${head} ${known.name} ${known.keeps}: ${settings} in ${clone.key}.`;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringsOf(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
