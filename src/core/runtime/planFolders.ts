/**
 * The one planner of the window and the CLI (a window of one folder): every folder's
 * sources loaded (`loadFolder`), planned together (`planFromLoads` → `planWindow`: slugs,
 * labels, hashes), and exposed (`exposePlan`: aggregates, duplicate prefixes, what runs),
 * with every problem by file, two instances that would be one account (`findClones`) included.
 */
import type { WindowPlan } from '../plan';
import type { Problem } from '../problems';
import { problemAt } from '../config';
import { findClones, plannedCandidate } from '../clones';
import { exposePlan, sharesFolderEndpoint, type EndpointLayout, type ExposedPlan } from '../engine';
import { loadFolder, type FolderContext, type FolderLoad } from './loadFolder';
import type { BrokenConfig, FolderInput } from './model';
import { findMcpJsonDuplicates } from './mcpJsonDuplicates';
import { planFromLoads } from './planFromLoads';
import { addProblems, groupByFile } from './problemMap';

export interface PlannedFolders {
  readonly plan: WindowPlan;
  readonly exposed: ExposedPlan;
  /** By file path or settings label: every source each folder read, then planning's and exposure's own. */
  readonly problems: Map<string, Problem[]>;
  /** The folders as given, with the exposure their file chose. */
  readonly folders: readonly FolderInput[];
  /** Window instance id → the `.vscode/mcp.json` server that starts the same thing beside it. */
  readonly mcpJsonDuplicates: ReadonlyMap<string, string>;
  /** By folder id: folders whose sources have errors (see `planFromLoads`). */
  readonly broken: ReadonlyMap<string, BrokenConfig>;
}

/**
 * `lastGood` keeps each folder's last load without errors (see `planFromLoads`); a one-shot
 * caller passes a new map. `trusted: false` plans everything and runs nothing. `layout`: the
 * window's endpoints, or the CLI's one (see `EndpointLayout`).
 */
export async function planFolders(
  given: readonly FolderInput[],
  context: FolderContext,
  lastGood: Map<string, FolderLoad>,
  trusted: boolean,
  layout: EndpointLayout = 'window',
): Promise<PlannedFolders> {
  const loads = await Promise.all(given.map((folder) => loadFolder(folder, context)));
  // The file's `exposure` wins over the setting, as its `separator` and `toolPrefix` do (a
  // broken file keeps its last good choice, as it keeps its instances).
  const folders = given.map((folder, index): FolderInput => {
    const load = loads[index];
    const written = (load?.hasErrors === true ? lastGood.get(folder.id) : load)?.exposure;
    return written === undefined || written === folder.options.exposure ? folder : { ...folder, options: { ...folder.options, exposure: written } };
  });
  const { plan, problems, broken } = planFromLoads(folders, loads, lastGood);
  const options = new Map(folders.map((folder) => [folder.id, folder.options]));
  const exposed = exposePlan(plan, (folderId) => options.get(folderId)?.exposure ?? 'instances', trusted, layout);
  addProblems(problems, groupByFile(exposed.problems));
  addProblems(problems, groupByFile(unprefixedAggregates(folders, loads, plan, layout)));
  // One folder at a time: two folders that read the same user settings report their problems once.
  for (const folder of plan.folders) addProblems(problems, groupByFile(folder.problems));
  // Clones within each folder, on the resolved launch; those waiting for a secret: loadFolder, as written.
  for (const folder of plan.folders) addProblems(problems, groupByFile(findClones(folder.instances.flatMap((instance) => (instance.planned === undefined ? [] : [plannedCandidate(instance.planned)])))));
  const mcpJsonDuplicates = new Map<string, string>();
  for (const folder of folders) {
    if (folder.mcpJson === undefined) continue;
    const instances = plan.folders.find((planned) => planned.id === folder.id)?.instances ?? [];
    const found = findMcpJsonDuplicates(folder.mcpJson.text, instances, { workspaceFolder: folder.path, userHome: context.userHome, env: context.env });
    addProblems(problems, groupByFile(found.problems));
    for (const [id, name] of found.byInstance) mcpJsonDuplicates.set(id, name);
  }
  return { plan, exposed, problems, mcpJsonDuplicates, broken, folders };
}

/**
 * A configuration's `toolPrefix: false` where its instances share one endpoint: the prefix
 * is what tells one account's tools from another's there, so the aggregate keeps it, and
 * says so where the user wrote `false` rather than ignoring it. (The CLI exposes a folder of
 * one instance as that instance alone, where `false` applies; its several share one endpoint
 * even under `instances`.)
 */
function unprefixedAggregates(folders: readonly FolderInput[], loads: readonly FolderLoad[], plan: WindowPlan, layout: EndpointLayout): Problem[] {
  return folders.flatMap((folder, index) => {
    const at = loads[index]?.unprefixedAt;
    const count = plan.folders[index]?.instances.length ?? 0;
    if (at === undefined || !sharesFolderEndpoint(layout, folder.options.exposure, count) || count < 2) return [];
    return [
      problemAt(
        'warning',
        'tool-prefix-in-aggregate',
        at,
        `\`toolPrefix: false\` does not apply here: ${count} instances share one endpoint, where only the prefix tells one account's tools from another's, so their tools keep their prefixes. Serve one instance on its own (\`mcplex serve --instance ID\`; in VS Code, \`"mcplex.exposure": "instances"\`) to use the tools' own names.`,
      ),
    ];
  });
}
