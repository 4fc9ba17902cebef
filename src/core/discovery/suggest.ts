/**
 * The names to offer for a tool name nobody has: the closest by edit distance, to the whole
 * name or to the tool's own name after the prefix (`read_notes` → `work__read_note`,
 * `personal__read_note`), so a model that dropped or misspelt the prefix finds its way.
 */
import { editDistance } from '../config';

/** Longer names are cut before any distance is computed (the work grows with the square). */
const MAX_COMPARED = 80;

export interface NamedTool {
  readonly name: string;
  /** The upstream's own name (the name without the prefix). */
  readonly upstreamName: string;
}

export function closestNames(wanted: string, tools: readonly NamedTool[], count = 3): string[] {
  const word = wanted.slice(0, MAX_COMPARED).toLowerCase();
  return tools
    .map((tool) => ({
      name: tool.name,
      distance: Math.min(editDistance(word, tool.name.slice(0, MAX_COMPARED).toLowerCase()), editDistance(word, tool.upstreamName.slice(0, MAX_COMPARED).toLowerCase())),
    }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((entry) => entry.name);
}
