/**
 * Two instances of one server that would start exactly alike are one account under two
 * prefixes: the model sees "work" and "personal" and acts on the same data through both.
 * That runs (it is a warning, not an error), but it is never what the user meant, so
 * planning says so, on the second instance, with the setting to give it its own value.
 *
 * What counts is the resolved launch, secret values included (two accounts that differ only
 * by a `${secret:…}` value are two accounts); the message names instances, never values.
 */
import type { UpstreamSpec } from '../config';
import { canonicalJson, type PlannedInstance } from '../plan';
import type { Problem } from '../problems';
import { describeSetting, knownServerOf } from './stateSettings';

export const CLONE_PROBLEM_CODE = 'clone-instance';

/** What a clone is compared on; the fields an instance has that can make it another account. */
export type CloneCandidate = Pick<PlannedInstance, 'key' | 'serverId' | 'upstream' | 'location'>;

type Stdio = Extract<UpstreamSpec, { kind: 'stdio' }>;
type Remote = Extract<UpstreamSpec, { kind: 'remote' }>;
const stdio = (instance: CloneCandidate): Stdio | undefined => (instance.upstream.kind === 'stdio' ? instance.upstream : undefined);
const remote = (instance: CloneCandidate): Remote | undefined => (instance.upstream.kind === 'remote' ? instance.upstream : undefined);

/**
 * Everything that decides what an instance starts as. Two instances equal on every one of
 * these are clones; a new launch field (`roots`, `isolate`) is one line here.
 */
export const SAME_ACCOUNT_FIELDS: readonly (readonly [field: string, valueOf: (instance: CloneCandidate) => unknown])[] = [
  ['kind', (instance) => instance.upstream.kind],
  ['command', (instance) => stdio(instance)?.command],
  ['args', (instance) => stdio(instance)?.args],
  ['env', (instance) => stdio(instance)?.env],
  ['cwd', (instance) => stdio(instance)?.cwd],
  ['url', (instance) => remote(instance)?.url],
  ['transport', (instance) => remote(instance)?.transport],
  ['headers', (instance) => remote(instance)?.headers],
  ['auth', (instance) => remote(instance)?.auth],
];

/** The launch as one comparable string (never shown: it holds secret values). */
export function launchIdentity(instance: CloneCandidate): string {
  return canonicalJson(SAME_ACCOUNT_FIELDS.map(([field, valueOf]) => [field, valueOf(instance) ?? null]));
}

/**
 * One warning per instance that starts like an earlier instance of the same server, in the
 * order given (the file's): the first of a group is the original, the others its clones.
 * Instances of different servers are never compared.
 */
export function findClones(instances: readonly CloneCandidate[]): Problem[] {
  const firstByLaunch = new Map<string, CloneCandidate>();
  const problems: Problem[] = [];
  for (const instance of instances) {
    const identity = `${instance.serverId}\u0000${launchIdentity(instance)}`;
    const original = firstByLaunch.get(identity);
    if (original === undefined) {
      firstByLaunch.set(identity, instance);
      continue;
    }
    const { file, path, offset, length, line, column } = instance.location;
    problems.push({ severity: 'warning', code: CLONE_PROBLEM_CODE, message: cloneMessage(instance, original), file, path, offset, length, line, column });
  }
  return problems;
}

function cloneMessage(clone: CloneCandidate, original: CloneCandidate): string {
  const elsewhere = original.location.file === clone.location.file ? '' : ` (in ${original.location.file})`;
  const head = `${clone.key} would start exactly like ${original.key}${elsewhere}: the two would be the same account.`;
  const launch = stdio(clone);
  const known = launch === undefined ? undefined : knownServerOf(launch.command, launch.args);
  if (known === undefined) return `${head} Give it its own value (an env var, an argument, a \${instanceDir} path).`;
  const settings = known.settings.map(describeSetting).join(' and ');
  return `${head} ${known.name} ${known.keeps}: ${settings} in ${clone.key}.`;
}
