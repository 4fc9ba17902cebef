/**
 * Brings the running set in line with a new plan: stops what is gone, replaces what
 * launches differently (the upstream as launched, secret values included, `roots: false`),
 * reconfigures what only looks different (plan hash: tool filter, labels, note, separator,
 * tool prefix, the list of roots) by swapping its relay and keeping its process, leaves the
 * rest alone, creates what is new, and rebuilds a folder's aggregate when its members
 * changed (a folder's or a server's shared endpoint). An upstream whose roots changed is told so once its new relay is built.
 * Everything old is closed before anything new is mounted, so a path that moves from one
 * instance to another is free when it is needed.
 */
import { canonicalJson, type WindowInstance, type WindowPlan } from '../plan';
import type { Problem } from '../problems';
import { endpointOf, type AggregateShape } from './exposure';
import type { FolderAggregate } from './folderAggregate';
import { InstanceRunner, type RunnableInstance } from './instanceRunner';

export type Runnable = RunnableInstance;

export function isRunnable(instance: WindowInstance): instance is Runnable {
  return instance.planned !== undefined;
}

export interface ReconcileInput {
  readonly runners: Map<string, InstanceRunner>;
  /** By definition id, as `shapes`. */
  readonly aggregates: Map<string, FolderAggregate>;
  /** The instances that should run (empty when untrusted). */
  readonly wanted: ReadonlyMap<string, Runnable>;
  /** The endpoints instances share, by definition id. */
  readonly shapes: ReadonlyMap<string, AggregateShape>;
  createRunner(instance: Runnable): InstanceRunner;
  /** Mounts a runner that `reconcile` has just given a new plan (per-instance exposure). */
  exposeRunner(runner: InstanceRunner): void;
  createAggregate(shape: AggregateShape, members: readonly InstanceRunner[]): FolderAggregate;
  /** Start new instances now (`eager`), or leave them to `ensureRunning`. */
  readonly eager: boolean;
}

export interface Changes {
  /** New instances (spawned now when eager). */
  readonly started: string[];
  readonly stopped: string[];
  /**
   * Replaced, process and all, because their launch spec changed (command, args, env, cwd,
   * url, transport, headers, auth, secret values); started again if eager or if they were running.
   */
  readonly restarted: string[];
  /**
   * Only their surface changed: same process (same pid), a new relay under the new
   * version. Their clients' sessions end, and they see the new surface on the next one.
   */
  readonly reconfigured: string[];
}

export async function reconcile(input: ReconcileInput): Promise<Changes> {
  const { runners, aggregates, wanted } = input;
  const changes: Changes = { started: [], stopped: [], restarted: [], reconfigured: [] };
  const wasRunning = new Set<string>();
  const closing: Promise<void>[] = [];
  const reconfiguring = new Map<InstanceRunner, Runnable>();

  for (const [id, runner] of runners) {
    const next = wanted.get(id);
    if (next !== undefined && InstanceRunner.launchDigestOf(next.planned) === runner.launchDigest) {
      if (next.hash === runner.instance.hash) {
        // Nothing a client sees changed; what acts in place (the audit setting) follows the plan.
        runner.retune(next);
        continue;
      }
      changes.reconfigured.push(id);
      reconfiguring.set(runner, next);
      closing.push(runner.unexpose());
      continue;
    }
    if (runner.source.state().kind !== 'stopped') wasRunning.add(id);
    (next === undefined ? changes.stopped : changes.restarted).push(id);
    runners.delete(id);
    closing.push(runner.close());
  }
  for (const [key, aggregate] of aggregates) {
    const shape = input.shapes.get(key);
    const current =
      shape !== undefined &&
      shape.version === aggregate.options.version &&
      shape.members.length === aggregate.members.length &&
      aggregate.members.every((member, index) => shape.members[index]?.id === member.id && runners.get(member.id) === member);
    if (current) continue;
    aggregates.delete(key);
    closing.push(aggregate.close());
  }
  await Promise.all(closing);

  const rootsMoved: InstanceRunner[] = [];
  for (const [runner, instance] of reconfiguring) {
    if (canonicalJson(runner.planned.roots ?? null) !== canonicalJson(instance.planned.roots ?? null)) rootsMoved.push(runner);
    runner.reconfigure(instance);
    input.exposeRunner(runner);
  }
  const created: InstanceRunner[] = [];
  for (const [id, instance] of wanted) {
    if (runners.has(id)) continue;
    const runner = input.createRunner(instance);
    runners.set(id, runner);
    created.push(runner);
    if (!changes.restarted.includes(id)) changes.started.push(id);
  }
  for (const [key, shape] of input.shapes) {
    if (aggregates.has(key)) continue;
    const members = shape.members.flatMap((member) => {
      const runner = runners.get(member.id);
      return runner === undefined ? [] : [runner];
    });
    if (members.length > 0) aggregates.set(key, input.createAggregate(shape, members));
  }
  for (const runner of created) {
    if (input.eager || wasRunning.has(runner.id)) void runner.start();
  }
  // Last, so the relay that answers the upstream's new roots/list is already built.
  for (const runner of rootsMoved) runner.rootsChanged();
  return changes;
}

export interface Selection {
  readonly wanted: Map<string, Runnable>;
  /** Runnable instances left out of their folder's aggregate, and why. */
  readonly excluded: Map<string, string>;
  /** Why they were left out, at their position. */
  readonly problems: readonly Problem[];
}

/** The instances that should have a runner: trusted, resolved, and (in a shared endpoint) with a prefix of their own there. */
export function selectRunnable(plan: WindowPlan, shapes: ReadonlyMap<string, AggregateShape>, trusted: boolean): Selection {
  const selection: Selection = { wanted: new Map(), excluded: new Map(), problems: [] };
  const problems = [...shapes.values()].flatMap((shape) => shape.problems);
  for (const instance of plan.instances) {
    if (!isRunnable(instance)) continue;
    const shape = endpointOf(shapes, instance.id);
    if (shape !== undefined && !shape.members.some((member) => member.id === instance.id)) {
      selection.excluded.set(instance.id, `it shares its prefix "${instance.prefix}" with another instance of the folder; rename one`);
      continue;
    }
    if (trusted) selection.wanted.set(instance.id, instance);
  }
  return { ...selection, problems };
}
