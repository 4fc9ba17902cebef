/**
 * Every folder's load → the window's plan and its problems by file. A `.mcplex.jsonc` that
 * does not parse (a half-typed edit) keeps its folder's last good instances, so one stray
 * comma never stops servers that were running. Kept apart from windowRuntime.ts so that
 * rule, and how problems are gathered, can be read and changed on their own.
 */
import { planWindow, type WindowFolder, type WindowPlan } from '../plan';
import type { Problem } from '../problems';
import type { FolderLoad } from './loadFolder';
import type { FolderInput } from './model';
import { addProblems } from './problemMap';

export interface LoadedWindow {
  readonly plan: WindowPlan;
  /** By file path or settings label: every source each folder read, then the planning's own. */
  readonly problems: Map<string, Problem[]>;
}

/**
 * `loads[i]` is `folders[i]`'s. Updates `lastGood` (by folder id): a folder's load when it
 * parses; folders no longer given are forgotten.
 */
export function planFromLoads(folders: readonly FolderInput[], loads: readonly FolderLoad[], lastGood: Map<string, FolderLoad>): LoadedWindow {
  const problems = new Map<string, Problem[]>();
  const planned: WindowFolder[] = folders.map((folder, index) => {
    const load = loads[index] as FolderLoad;
    addProblems(problems, load.problems);
    // A file that does not parse keeps the folder's last good instances running.
    const previous = lastGood.get(folder.id);
    const used = load.syntaxError && previous !== undefined ? previous : load;
    if (!load.syntaxError) lastGood.set(folder.id, load);
    return {
      id: folder.id,
      name: folder.name,
      instances: used.instances,
      pending: used.pending,
      ...(used.separator !== undefined && { separator: used.separator }),
      ...(used.note !== undefined && { note: used.note }),
      toolPrefix: used.toolPrefix,
      surface: { toolPrefix: used.toolPrefix, exposure: folder.options.exposure },
    };
  });
  const present = new Set(folders.map((folder) => folder.id));
  for (const id of lastGood.keys()) if (!present.has(id)) lastGood.delete(id);
  return { plan: planWindow(planned), problems };
}
