import type { Plan, PlannedInstance } from './model';

export interface PlanDiff {
  /** In `after` only. */
  readonly added: readonly PlannedInstance[];
  /** In `before` only (the old instance, to stop). */
  readonly removed: readonly PlannedInstance[];
  /** In both with a different hash (the new instance, to restart with). */
  readonly changed: readonly PlannedInstance[];
  /** In both with the same hash (the new instance; keep the running one). */
  readonly unchanged: readonly PlannedInstance[];
}

/** What to start, stop, restart and keep when the plan changes, by key and hash. */
export function diffPlans(
  before: Pick<Plan, 'instances'> | undefined,
  after: Pick<Plan, 'instances'>,
): PlanDiff {
  const previous = new Map((before?.instances ?? []).map((instance) => [instance.key, instance]));
  const added: PlannedInstance[] = [];
  const changed: PlannedInstance[] = [];
  const unchanged: PlannedInstance[] = [];
  for (const instance of after.instances) {
    const old = previous.get(instance.key);
    if (old === undefined) {
      added.push(instance);
    } else if (old.hash === instance.hash) {
      unchanged.push(instance);
    } else {
      changed.push(instance);
    }
  }
  const current = new Set(after.instances.map((instance) => instance.key));
  const removed = (before?.instances ?? []).filter((instance) => !current.has(instance.key));
  return { added, removed, changed, unchanged };
}
