/**
 * `roots`: the folders (or URIs) mcplex answers an upstream's `roots/list` with, or
 * `false` to tell the upstream of no roots at all. Absent, the client's roots are relayed.
 */
import type { Node } from 'jsonc-parser';
import { fieldKey, type RootsSetting } from './model';
import { locationInString, problemAt } from './positions';
import { parseTemplate } from './template';
import { fieldName, remember, stringArray, typeError, type Scope } from './validateFields';

const EXPECTED = 'a list of folders or URIs, e.g. `["${workspaceFolder}/work"]`, or `false` to announce no roots';

export function validateRoots(scope: Scope, node: Node): RootsSetting | undefined {
  if (node.type === 'boolean') {
    if (node.value === false) {
      remember(scope, ['roots'], node);
      return false;
    }
    // `true` would mean "the client's roots", which is what leaving it out already does.
    scope.sink.error(
      'invalid-value',
      node,
      [...scope.path, 'roots'],
      `\`roots\` of ${scope.where} must be ${EXPECTED}, not \`true\`. Leave it out to relay the client's roots.`,
    );
    return undefined;
  }
  if (node.type !== 'array') return typeError(scope, ['roots'], node, EXPECTED);
  const roots = stringArray(scope, ['roots'], node, true, '`["${workspaceFolder}/work"]`');
  if (roots === undefined) return undefined;
  const before = scope.sink.errorCount;
  roots.forEach((root, index) => {
    // An empty root would silently mean the config's own folder.
    const item = node.children?.[index];
    if (root.trim() === '' && item !== undefined) {
      scope.sink.error('invalid-value', item, [...scope.path, 'roots', index], `${fieldName(['roots', index])} of ${scope.where} is empty; write a folder or remove it.`);
    }
    refuseSecrets(scope, index, root);
  });
  return scope.sink.errorCount === before ? roots : undefined;
}

/** A root is shown to the upstream as it is, so it never holds a secret. */
function refuseSecrets(scope: Scope, index: number, value: string): void {
  const location = scope.fields[fieldKey(['roots', index])];
  if (location === undefined) return;
  for (const part of parseTemplate(value).parts) {
    if (part.kind !== 'variable' || part.variable.kind !== 'secret') continue;
    const at = locationInString(location, value, part.start, part.end);
    scope.sink.push(
      problemAt('error', 'invalid-value', at, `In ${fieldName(['roots', index])} of ${scope.where}: a root is a folder, not a secret; \`${part.source}\` cannot be used here.`),
    );
  }
}
