/**
 * Every folder's load → the window's plan and its problems by file. A folder whose sources
 * have any error (a half-typed edit, a misspelt key, a wrong type) keeps its last good
 * instances, so one typo never stops servers that were running. Per folder, not per server:
 * the file is edited as a whole, a rename or a move touches several servers at once, and
 * "the file has errors, it runs its last good version" is one thing the user can read and
 * act on; a mix of old and new servers would be a configuration nobody wrote. Kept apart
 * from windowRuntime.ts so that rule, and how problems are gathered, can be read and
 * changed on their own.
 */
import { planWindow, type WindowFolder, type WindowPlan } from '../plan';
import type { Problem } from '../problems';
import type { FolderLoad } from './loadFolder';
import { isConfigError, SETTINGS_LABEL } from './loadFolder';
import type { BrokenConfig, FolderInput } from './model';
import { addProblems } from './problemMap';

export interface LoadedWindow {
  readonly plan: WindowPlan;
  /** By file path or settings label: every source each folder read, then the planning's own. */
  readonly problems: Map<string, Problem[]>;
  /** By folder id: the folders whose sources have errors. */
  readonly broken: ReadonlyMap<string, BrokenConfig>;
}

/**
 * `loads[i]` is `folders[i]`'s. Updates `lastGood` (by folder id): a folder's load when its
 * sources have no error; folders no longer given are forgotten.
 */
export function planFromLoads(folders: readonly FolderInput[], loads: readonly FolderLoad[], lastGood: Map<string, FolderLoad>): LoadedWindow {
  const problems = new Map<string, Problem[]>();
  const broken = new Map<string, BrokenConfig>();
  const planned: WindowFolder[] = folders.map((folder, index) => {
    const load = loads[index] as FolderLoad;
    addProblems(problems, load.problems);
    // Sources with errors keep the folder's last good instances running.
    const previous = lastGood.get(folder.id);
    const used = load.hasErrors && previous !== undefined ? previous : load;
    if (!load.hasErrors) lastGood.set(folder.id, load);
    const report = brokenConfig(folder.id, load, used === previous);
    if (report !== undefined) broken.set(folder.id, report);
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
  return { plan: planWindow(planned), problems, broken };
}

/** The first error the user should fix: in the folder's file before the setting, then in text order. */
function brokenConfig(folderId: string, load: FolderLoad, runsLastGood: boolean): BrokenConfig | undefined {
  if (!load.hasErrors) return undefined;
  const errors = [...load.problems.values()].flat().filter(isConfigError);
  const ordered = [...errors].sort((a, b) => Number(a.file === SETTINGS_LABEL) - Number(b.file === SETTINGS_LABEL) || a.offset - b.offset);
  const first = ordered[0];
  return first === undefined ? undefined : { folderId, problem: first, errorCount: errors.length, runsLastGood };
}
