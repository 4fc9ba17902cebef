/**
 * `audit`: the instance's trail of tool calls. `{ "enabled": false }` turns it off,
 * `"arguments": true` records argument values, `"required": true` refuses a call that
 * cannot be recorded. An unknown key is an error with a "did you mean".
 */
import type { Node } from 'jsonc-parser';
import { objectEntries } from './jsonNodes';
import { AUDIT_KEYS, type AuditConfig } from './model';
import { remember, typeError, type Scope } from './validateFields';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function validateAudit(scope: Scope, node: Node): AuditConfig | undefined {
  if (node.type !== 'object') return typeError(scope, ['audit'], node, 'an object like `{ "arguments": true }`');
  remember(scope, ['audit'], node);
  const before = scope.sink.errorCount;
  const audit: Mutable<AuditConfig> = {};
  for (const entry of objectEntries(node, [...scope.path, 'audit'], scope.sink, `\`audit\` of ${scope.where}`, AUDIT_KEYS)) {
    const key = entry.key as (typeof AUDIT_KEYS)[number];
    if (entry.valueNode.type !== 'boolean') {
      typeError(scope, ['audit', key], entry.valueNode, '`true` or `false`');
      continue;
    }
    remember(scope, ['audit', key], entry.valueNode);
    audit[key] = entry.valueNode.value as boolean;
  }
  return scope.sink.errorCount === before ? audit : undefined;
}
