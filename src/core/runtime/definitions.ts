/**
 * The window plan as VS Code definitions: one per instance at `/i/<slug>`, or one per
 * folder at `/f/<digest>` in aggregate exposure. Pure: the host's URL form and the token
 * header are passed in.
 */
import { instancePath, sharesEndpoint, type AggregateShape, type Exposure } from '../engine';
import type { WindowPlan } from '../plan';
import type { DefinitionSpec } from './model';

export interface DefinitionContext {
  urlFor(path: string): string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Definitions for what is trusted, in plan order. */
export function buildDefinitions(
  plan: WindowPlan,
  exposureOf: (folderId: string) => Exposure,
  aggregates: ReadonlyMap<string, AggregateShape>,
  context: DefinitionContext,
): DefinitionSpec[] {
  const definitions: DefinitionSpec[] = [];
  for (const folder of plan.folders) {
    if (folder.instances.length === 0) continue;
    const aggregate = aggregates.get(folder.id);
    if (sharesEndpoint(exposureOf(folder.id)) && aggregate !== undefined) {
      definitions.push({
        id: aggregate.definitionId,
        label: aggregate.label,
        url: context.urlFor(aggregate.path),
        headers: context.headers,
        version: aggregate.version,
        instanceKeys: aggregate.instanceIds,
      });
      continue;
    }
    for (const instance of folder.instances) {
      definitions.push({
        id: instance.id,
        label: instance.label,
        url: context.urlFor(instancePath(instance.slug)),
        headers: context.headers,
        version: instance.hash,
        instanceKeys: [instance.id],
      });
    }
  }
  return definitions;
}
