/**
 * `tools.confirm` (issue 17): `"writes"` or an array of globs over upstream tool names.
 * Each glob is compiled here, strictly (an unclosed `[`, `(` or `{` is an error at its
 * position), so a pattern that could never match as meant is caught before anything runs.
 * Whether a glob matches any tool can only be known once the upstream lists its tools: the
 * runtime warns then (see core/runtime/confirmWarnings.ts).
 */
import type { Node } from 'jsonc-parser';
import picomatch from 'picomatch';
import { didYouMean } from './didYouMean';
import type { ToolConfirm } from './model';
import { stringArray, typeError, type Scope } from './validateFields';

const EXAMPLE = '`"writes"` or an array of globs like `["delete_*", "send_email"]`';

export function confirmValue(scope: Scope, node: Node): ToolConfirm | undefined {
  const relative = ['tools', 'confirm'];
  if (node.type === 'string') {
    if (node.value === 'writes') return 'writes';
    const guess = didYouMean(String(node.value), ['writes']);
    const hint = guess === undefined ? '' : ` Did you mean \`"${guess}"\`?`;
    scope.sink.error('invalid-value', node, [...scope.path, ...relative], `\`tools.confirm\` of ${scope.where} must be ${EXAMPLE}, not \`"${String(node.value)}"\`.${hint}`);
    return undefined;
  }
  if (node.type !== 'array') return typeError(scope, relative, node, EXAMPLE);
  const patterns = stringArray(scope, relative, node, false, '`["delete_*", "send_email"]`');
  if (patterns === undefined) return undefined;
  const before = scope.sink.errorCount;
  patterns.forEach((pattern, index) => {
    const problem = globProblem(pattern);
    const item = node.children?.[index];
    if (problem !== undefined && item !== undefined) {
      scope.sink.error('invalid-glob', item, [...scope.path, ...relative, index], `\`tools.confirm\` of ${scope.where}: "${pattern}" is not a valid glob (${problem}).`);
    }
  });
  return scope.sink.errorCount === before ? patterns : undefined;
}

/** Why picomatch refuses `pattern` when brackets must close, or `undefined` when it compiles. */
function globProblem(pattern: string): string | undefined {
  try {
    picomatch.makeRe(pattern, { dot: true, bash: true, strictBrackets: true });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
