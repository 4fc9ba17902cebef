/**
 * `tools.confirm` (issue 17): which upstream tools need the user's approval before a call
 * reaches them. Globs match upstream tool names as `tools.allow`/`tools.deny` do (the same
 * picomatch options); `"writes"` is every tool the upstream does not annotate
 * `readOnlyHint: true` — an upstream that says nothing about a tool is asked about, since
 * a guardrail that fails open protects nothing.
 */
import picomatch from 'picomatch';
import type { ToolConfirm } from '../config';
import { GLOB_OPTIONS } from './toolFilter';

export interface CompiledToolConfirm {
  /** Whether nothing ever needs approval (the relay's hot path asks this first). */
  readonly none: boolean;
  /** `readOnly`: the upstream's `annotations.readOnlyHint` of the tool, `undefined` when unknown. */
  needsApproval(upstreamName: string, readOnly: boolean | undefined): boolean;
  /** The globs that match none of `names` (a typo, or a tool this upstream does not have); none for `"writes"`. */
  unmatched(names: readonly string[]): readonly string[];
}

const NONE: CompiledToolConfirm = { none: true, needsApproval: () => false, unmatched: () => [] };

export function compileToolConfirm(confirm: ToolConfirm | undefined): CompiledToolConfirm {
  if (confirm === undefined || confirm.length === 0) return NONE;
  if (confirm === 'writes') return { none: false, needsApproval: (_name, readOnly) => readOnly !== true, unmatched: () => [] };
  const matcher = picomatch([...confirm], GLOB_OPTIONS);
  return {
    none: false,
    needsApproval: (name) => matcher(name),
    unmatched: (names) => confirm.filter((pattern) => {
      const one = picomatch(pattern, GLOB_OPTIONS);
      return !names.some((name) => one(name));
    }),
  };
}
