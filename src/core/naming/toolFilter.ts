/**
 * `tools.allow` / `tools.deny`: which upstream tools an instance exposes.
 * Patterns are globs over the upstream tool name (picomatch, so `delete_*`, `{get,list}_*`).
 * Deny wins over allow; no allow list means everything not denied is allowed.
 */
import picomatch from 'picomatch';
import type { ToolFilter } from '../config';

export type ToolVerdict = 'allowed' | 'denied' | 'not-allowed';

export interface CompiledToolFilter {
  verdict(upstreamName: string): ToolVerdict;
  allows(upstreamName: string): boolean;
}

// Tool names are not paths: `*` must also match `/` and a leading dot.
export const GLOB_OPTIONS = { dot: true, nonegate: false, noextglob: false, bash: true } as const;

export function compileToolFilter(filter: ToolFilter | undefined): CompiledToolFilter {
  const deny = compile(filter?.deny);
  const allow = filter?.allow === undefined ? undefined : compile(filter.allow);
  const verdict = (name: string): ToolVerdict => {
    if (deny(name)) return 'denied';
    if (allow !== undefined && !allow(name)) return 'not-allowed';
    return 'allowed';
  };
  return { verdict, allows: (name) => verdict(name) === 'allowed' };
}

function compile(patterns: readonly string[] | undefined): (name: string) => boolean {
  if (patterns === undefined || patterns.length === 0) return () => false;
  const matcher = picomatch([...patterns], GLOB_OPTIONS);
  return (name) => matcher(name);
}
