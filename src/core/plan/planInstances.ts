import { createHash } from 'node:crypto';
import type { ResolvedInstance } from '../config';
import {
  DEFAULT_SEPARATOR,
  assignSlugs,
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
 * `<Server label> · <Instance label>`, with the folder if given. VS Code keys its tool
 * cache and settings on the label and disables one of two servers with the same label,
 * so a clash within the plan is reported and each clashing label gets its key.
 */
function uniqueLabels(accepted: readonly Accepted[], folder: string | undefined, problems: Problem[]): Map<string, string> {
  const suffix = folder === undefined ? '' : ` (${folder})`;
  const byLabel = new Map<string, Accepted[]>();
  for (const item of accepted) {
    const label = `${item.instance.serverLabel} · ${item.instance.instanceLabel}${suffix}`;
    byLabel.set(label, [...(byLabel.get(label) ?? []), item]);
  }
  const labels = new Map<string, string>();
  for (const [label, items] of byLabel) {
    for (const item of items) {
      if (items.length === 1) {
        labels.set(item.key, label);
        continue;
      }
      const unique = `${label} [${item.key}]`;
      labels.set(item.key, unique);
      const others = items.filter((other) => other !== item).map((other) => other.key).join(', ');
      problems.push(problemAt(item.instance, 'warning', 'duplicate-label', `Instance "${item.key}" has the same label "${label}" as ${others}; it is shown as "${unique}". Give the server or the instance its own "label".`));
    }
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
