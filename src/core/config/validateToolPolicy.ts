/**
 * Issue 17's policy fields of `tools` (beside `allow` / `deny`): `readOnly`, `describe`,
 * `pin`. Kept apart from the filter's own validation so each guardrail reads on its own.
 *
 * `describe` is checked here as a map of non-empty strings only: whether its names match
 * tools is known once the upstream lists them, and the catalog leaves an unknown name
 * alone (the override simply never applies); `mcplex check` cannot start upstreams.
 */
import type { Node } from 'jsonc-parser';
import { objectEntries } from './jsonNodes';
import type { ToolFilter } from './model';
import { fieldName, remember, typeError, type Scope } from './validateFields';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const TOOL_POLICY_KEYS = ['readOnly', 'describe', 'pin'] as const;

/** Validates `tools.<key>` into `filter` when `key` is a policy field; `false` for any other key. */
export function validateToolPolicyField(scope: Scope, filter: Mutable<ToolFilter>, key: string, node: Node): boolean {
  switch (key) {
    case 'readOnly':
    case 'pin': {
      if (node.type !== 'boolean') {
        typeError(scope, ['tools', key], node, '`true` or `false`');
        return true;
      }
      remember(scope, ['tools', key], node);
      filter[key] = node.value as boolean;
      return true;
    }
    case 'describe': {
      const value = describeMap(scope, node);
      if (value !== undefined) filter.describe = value;
      return true;
    }
    default:
      return false;
  }
}

function describeMap(scope: Scope, node: Node): Record<string, string> | undefined {
  const relative = ['tools', 'describe'];
  if (node.type !== 'object') return typeError(scope, relative, node, 'an object like `{ "search": "Searches the work wiki." }`');
  remember(scope, relative, node);
  const before = scope.sink.errorCount;
  const texts: Record<string, string> = {};
  for (const entry of objectEntries(node, [...scope.path, ...relative], scope.sink, `${fieldName(relative)} of ${scope.where}`)) {
    const at = [...relative, entry.key];
    if (entry.valueNode.type !== 'string') {
      typeError(scope, at, entry.valueNode, 'the description the model reads instead, a string');
      continue;
    }
    const text = entry.valueNode.value as string;
    if (text.trim() === '') {
      scope.sink.error('invalid-value', entry.valueNode, [...scope.path, ...at], `${fieldName(at)} of ${scope.where} is empty; write the description or remove the entry.`);
      continue;
    }
    remember(scope, at, entry.valueNode);
    texts[entry.key] = text;
  }
  return scope.sink.errorCount === before ? texts : undefined;
}
