/**
 * `tools.confirm` globs that match none of an instance's tools (issue 17): a typo, or a tool
 * this upstream does not have, would leave the call it meant unguarded. Only known once the
 * upstream has listed its tools, so the window logs it then (`onWarning`), once per new text,
 * with the instance's position; the config validator already refused globs that cannot compile.
 */
import { compileToolConfirm } from '../naming';
import type { WindowInstance } from '../plan';
import type { InstanceView } from './model';

/** Instance id → its warning, for instances whose tools are known and whose globs miss some. */
export function confirmWarnings(instances: readonly WindowInstance[], views: readonly InstanceView[]): ReadonlyMap<string, string> {
  const tools = new Map(views.map((view) => [`${view.folderId}#${view.key}`, view.tools]));
  const warnings = new Map<string, string>();
  for (const instance of instances) {
    const confirm = instance.planned?.tools.confirm;
    const known = tools.get(instance.id);
    if (confirm === undefined || confirm === 'writes' || known === undefined || known.length === 0) continue;
    const unmatched = compileToolConfirm(confirm).unmatched(known.map((tool) => tool.upstreamName));
    if (unmatched.length === 0) continue;
    const { file, line, column } = instance.location;
    const globs = unmatched.map((glob) => `"${glob}"`).join(', ');
    warnings.set(instance.id, `${file}:${line}:${column}: tools.confirm ${globs} ${unmatched.length === 1 ? 'matches' : 'match'} none of this instance's tools; check the spelling against its tool list (calls are guarded only for names that match).`);
  }
  return warnings;
}
