/**
 * A plan as it will be exposed: the endpoints instances share (the folder's aggregate, a
 * server's accounts: members, version, the duplicate-prefix problems), and which instances
 * get a runner. The window and the CLI both go through here, so "two instances share a
 * prefix" is found in one place.
 */
import type { WindowInstance, WindowPlan } from '../plan';
import type { Problem } from '../problems';
import { aggregateShapes, type AggregateShape, type EndpointLayout, type Exposure } from './exposure';
import { selectRunnable, type Runnable } from './reconcile';

export interface ExposedPlan {
  /** By definition id (`aggregateShapes`). */
  readonly shapes: ReadonlyMap<string, AggregateShape>;
  /** The instances that should run (none while untrusted). */
  readonly wanted: ReadonlyMap<string, Runnable>;
  /** Runnable instances left out of their folder's aggregate, and why. */
  readonly excluded: ReadonlyMap<string, string>;
  /** Why some were left out (duplicate prefixes), at their positions. */
  readonly problems: readonly Problem[];
}

export function exposePlan(plan: WindowPlan, exposureOf: (folderId: string) => Exposure, trusted: boolean, layout: EndpointLayout = 'window'): ExposedPlan {
  const shapes = aggregateShapes(plan.folders, exposureOf, layout);
  const selection = selectRunnable(plan, shapes, trusted);
  return {
    shapes,
    wanted: selection.wanted,
    excluded: selection.excluded,
    problems: selection.problems,
  };
}

/** The plan with only the instances `keep` accepts (`mcplex serve --instance`, instances the CLI cannot sign in). */
export function narrowPlan(plan: WindowPlan, keep: (instance: WindowInstance) => boolean): WindowPlan {
  const folders = plan.folders.map((folder) => ({ ...folder, instances: folder.instances.filter(keep) }));
  return { folders, instances: folders.flatMap((folder) => folder.instances) };
}
