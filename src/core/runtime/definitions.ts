/**
 * The window plan as VS Code definitions: one per instance at `/i/<slug>`, one per shared
 * endpoint — the folder's at `/f/<digest>` (aggregate, discovery), a server's at
 * `/s/<digest>` (accounts) — where its first instance is in plan order. Pure: the host's
 * URL form and the token header are passed in.
 */
import { endpointOf, instancePath, type AggregateShape } from '../engine';
import type { WindowPlan } from '../plan';
import type { DefinitionSpec } from './model';

export interface DefinitionContext {
  urlFor(path: string): string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Definitions for what is trusted, in plan order. */
export function buildDefinitions(plan: WindowPlan, shapes: ReadonlyMap<string, AggregateShape>, context: DefinitionContext): DefinitionSpec[] {
  const definitions: DefinitionSpec[] = [];
  const added = new Set<string>();
  for (const instance of plan.instances) {
    const shape = endpointOf(shapes, instance.id);
    if (shape === undefined) {
      definitions.push({
        id: instance.id,
        label: instance.label,
        url: context.urlFor(instancePath(instance.slug)),
        headers: context.headers,
        version: instance.hash,
        instanceKeys: [instance.id],
      });
      continue;
    }
    if (added.has(shape.definitionId)) continue;
    added.add(shape.definitionId);
    definitions.push({
      id: shape.definitionId,
      label: shape.label,
      url: context.urlFor(shape.path),
      headers: context.headers,
      version: shape.version,
      instanceKeys: shape.instanceIds,
    });
  }
  return definitions;
}
