/**
 * `tools.allow` / `tools.deny`: which upstream tools an instance exposes.
 * Patterns are globs over the upstream tool name (picomatch, so `delete_*`, `{get,list}_*`).
 * Deny wins over allow; no allow list means everything not denied is allowed.
 *
 * `readOnly` (issue 17) then hides every tool the upstream does not annotate
 * `readOnlyHint: true`, unless `allow` names it exactly: an exception is a deliberate,
 * literal choice of one tool, so a glob (`*`, `get_*`) never lifts it — a new writing tool
 * the upstream adds later is never let through by a pattern written for other tools.
 */
import picomatch from 'picomatch';
import type { ToolFilter } from '../config';

export type ToolVerdict = 'allowed' | 'denied' | 'not-allowed' | 'not-read-only';

export interface CompiledToolFilter {
  /** `readOnlyHint`: the upstream's `annotations.readOnlyHint` (only `true` counts as read-only). */
  verdict(upstreamName: string, readOnlyHint?: unknown): ToolVerdict;
  allows(upstreamName: string, readOnlyHint?: unknown): boolean;
}

// Tool names are not paths: `*` must also match `/` and a leading dot.
export const GLOB_OPTIONS = { dot: true, nonegate: false, noextglob: false, bash: true } as const;

export function compileToolFilter(filter: ToolFilter | undefined): CompiledToolFilter {
  const deny = compile(filter?.deny);
  const allow = filter?.allow === undefined ? undefined : compile(filter.allow);
  const exceptions = new Set(filter?.readOnly === true ? filter.allow ?? [] : []);
  const verdict = (name: string, readOnlyHint?: unknown): ToolVerdict => {
    if (deny(name)) return 'denied';
    if (allow !== undefined && !allow(name)) return 'not-allowed';
    if (filter?.readOnly === true && readOnlyHint !== true && !exceptions.has(name)) return 'not-read-only';
    return 'allowed';
  };
  return { verdict, allows: (name, readOnlyHint) => verdict(name, readOnlyHint) === 'allowed' };
}

function compile(patterns: readonly string[] | undefined): (name: string) => boolean {
  if (patterns === undefined || patterns.length === 0) return () => false;
  const matcher = picomatch([...patterns], GLOB_OPTIONS);
  return (name) => matcher(name);
}
