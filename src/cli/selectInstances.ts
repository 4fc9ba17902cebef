/** `--instance work` or `--instance notes/work` (serve, audit): the one instance it names. */
export interface Selectable {
  readonly key: string;
  readonly instanceId: string;
}

/** All of `instances` without `wanted`; else the one it names, or why none (a name that matches nothing lists what would). */
export function selectInstances<T extends Selectable>(instances: readonly T[], wanted: string | undefined): readonly T[] | string {
  if (wanted === undefined) return instances;
  const matches = instances.filter((instance) => instance.key === wanted || instance.instanceId === wanted);
  if (matches.length === 1) return matches;
  const known = instances.map((instance) => instance.key).join(', ') || 'none';
  return matches.length === 0
    ? `--instance ${wanted}: no such instance (instances: ${known})`
    : `--instance ${wanted} matches ${matches.map((m) => m.key).join(' and ')}; say which, e.g. --instance ${matches[0]?.key}`;
}
