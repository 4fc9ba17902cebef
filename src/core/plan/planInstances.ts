import { createHash } from 'node:crypto';
import type { ResolvedInstance } from '../config';
import {
  DEFAULT_SEPARATOR,
  assignSlugs,
  copilotServerName,
  definitionLabel,
  distinctCopilotLabels,
  instanceNote,
  validatePrefix,
  validateSeparator,
} from '../naming';
import type { Problem } from '../problems';
import { canonicalJson } from '../wire';
import type { Plan, PlanOptions, PlannedInstance } from './model';

const HASH_LENGTH = 16;

/**
 * Turns resolved instances into planned ones: prefix, slug, label, note and hash.
 * An instance that cannot be planned (invalid prefix, duplicate key) is left out with
 * a problem; the others are planned all the same.
 */
export function planInstances(instances: readonly ResolvedInstance[], options: PlanOptions = {}): Plan {
  const problems: Problem[] = [];
  const separator = checkedSeparator(options.separator, instances, problems);
  const accepted = acceptInstances(instances, separator, problems);
  const slugs = assignSlugs(accepted.map(({ key, instance }) => ({ key, serverId: instance.serverId, instanceId: instance.instanceId })));
  const labels = uniqueLabels(accepted, options.folder, problems);

  const planned = accepted.map(({ key, instance }): PlannedInstance => {
    const slug = slugs.get(key) ?? instance.instanceId;
    const label = labels.get(key) ?? key;
    const note = instanceNote(instance.instanceLabel, options.note);
    const hash = surfaceHash(instance, { label, note, separator, slug });
    return {
      key,
      serverId: instance.serverId,
      instanceId: instance.instanceId,
      prefix: instance.instanceId,
      slug,
      label,
      serverLabel: instance.serverLabel,
      instanceLabel: instance.instanceLabel,
      note,
      upstream: instance.upstream,
      redacted: instance.redacted,
      tools: instance.tools,
      location: instance.location,
      secrets: instance.secrets,
      ...(instance.roots !== undefined && { roots: instance.roots }),
      ...(instance.isDefault === true && { isDefault: true }),
      ...(instance.exposure !== undefined && { exposure: instance.exposure }),
      ...(instance.recordsDir !== undefined && { recordsDir: instance.recordsDir }),
      ...(instance.audit !== undefined && { audit: instance.audit }),
      hash,
    };
  });
  return { instances: planned, separator, problems };
}

export function instanceKey(instance: Pick<ResolvedInstance, 'serverId' | 'instanceId'>): string {
  return `${instance.serverId}/${instance.instanceId}`;
}

/** A wrong separator is reported and replaced by the default, so planning goes on. */
function checkedSeparator(
  separator: string | undefined,
  instances: readonly ResolvedInstance[],
  problems: Problem[],
): string {
  if (separator === undefined) {
    return DEFAULT_SEPARATOR;
  }
  // Warnings (`:` and `.`) are the config validator's to report, at the right position;
  // only a separator that cannot work at all is reported here, for configs built in code.
  const check = validateSeparator(separator);
  const file = instances[0]?.location.file;
  if (check?.severity === 'error' && file !== undefined) {
    problems.push({
      severity: 'error',
      code: 'invalid-separator',
      message: `${check.message} Using "${DEFAULT_SEPARATOR}" meanwhile.`,
      file,
      line: 1,
      column: 1,
      offset: 0,
      length: 0,
      path: ['separator'],
    });
  }
  return check?.severity === 'error' ? DEFAULT_SEPARATOR : separator;
}

interface Accepted {
  readonly key: string;
  readonly instance: ResolvedInstance;
}

function acceptInstances(instances: readonly ResolvedInstance[], separator: string, problems: Problem[]): Accepted[] {
  const accepted: Accepted[] = [];
  const keys = new Set<string>();
  for (const instance of instances) {
    const key = instanceKey(instance);
    const prefixProblem = validatePrefix(instance.instanceId, separator);
    if (prefixProblem !== undefined) {
      problems.push(problemAt(instance, 'error', 'invalid-prefix', `Instance "${key}": ${prefixProblem} The instance name is its prefix.`));
      continue;
    }
    if (keys.has(key)) {
      problems.push(problemAt(instance, 'error', 'duplicate-instance', `Instance "${key}" is defined twice; only the first is used. Rename or remove one of them.`));
      continue;
    }
    keys.add(key);
    accepted.push({ key, instance });
  }
  return accepted;
}

/**
 * `<Server label> (<Instance label>)`, with the folder if given (`naming/copilotNames.ts`:
 * Copilot CLI names the definition `<server>__<instance>` from it). VS Code keys its tool
 * cache and settings on the label and disables one of two servers with the same label, and
 * Copilot CLI keeps only one of two labels that give the same name (`Notes (Work)` and
 * `notes (work)`), so such a clash within the plan is reported and each clashing label gets
 * its key; so does a label that gives Copilot no name at all (`日本語 (仕事)`).
 */
function uniqueLabels(accepted: readonly Accepted[], folder: string | undefined, problems: Problem[]): Map<string, string> {
  const byKey = new Map(accepted.map((item) => [item.key, item]));
  const given = new Map(
    accepted.map(({ key, instance }) => [key, definitionLabel(instance.serverLabel, folder === undefined ? [instance.instanceLabel] : [instance.instanceLabel, folder])]),
  );
  const distinct = distinctCopilotLabels([...given].map(([key, label]) => ({ key, label, qualifiers: [key] })));
  const labels = new Map<string, string>();
  for (const [key, { label, reason, sharedWith }] of distinct) {
    labels.set(key, label);
    const item = byKey.get(key);
    if (item === undefined || reason === undefined) continue;
    const asGiven = given.get(key) ?? label;
    if (reason === 'empty') {
      problems.push(problemAt(item.instance, 'warning', 'unnamed-label', `Instance "${key}" has the label "${asGiven}", which leaves Copilot CLI no name for it (only a-z, 0-9, _ and - count); it is shown as "${label}". Give the server or the instance a "label" with some of those.`));
      continue;
    }
    const others = (sharedWith ?? []).map((other) => `"${other}"`).join(', ');
    problems.push(problemAt(item.instance, 'warning', 'duplicate-label', `Instance "${key}" has the label "${asGiven}", which gives the same Copilot CLI name "${copilotServerName(asGiven) ?? ''}" as ${others}, so one of them would be lost; it is shown as "${label}". Give the server or the instance its own "label".`));
  }
  return labels;
}

/** Everything that, when it changes, changes what the instance looks like to a client. */
function surfaceHash(
  instance: ResolvedInstance,
  planned: { readonly label: string; readonly note: string; readonly separator: string; readonly slug: string },
): string {
  const surface = {
    serverId: instance.serverId,
    instanceId: instance.instanceId,
    serverLabel: instance.serverLabel,
    instanceLabel: instance.instanceLabel,
    upstream: instance.redacted,
    tools: instance.tools,
    // Only when set, so the hash of an instance without roots is what it always was.
    ...(instance.roots !== undefined && { roots: instance.roots }),
    // Whether `account` is required in exposure `accounts`; only when set, as roots.
    ...(instance.isDefault === true && { isDefault: true }),
    // Where it is served (its own definition, its server's, the folder's); only when set, as roots.
    ...(instance.exposure !== undefined && { exposure: instance.exposure }),
    ...planned,
  };
  return createHash('sha256').update(canonicalJson(surface)).digest('hex').slice(0, HASH_LENGTH);
}

function problemAt(instance: ResolvedInstance, severity: Problem['severity'], code: string, message: string): Problem {
  const { file, line, column, offset, length, path } = instance.location;
  return { severity, code, message, file, line, column, offset, length, path };
}
