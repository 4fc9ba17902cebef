/**
 * A `${secret:…}` in `args` ends up on the command line, which every local user can read
 * in the process list (`ps`, /proc/PID/cmdline); the environment is private to the user.
 * Not an error — some servers take a key only as a flag — but worth a warning at the
 * reference itself, with the better place named.
 */
import type { Node } from 'jsonc-parser';
import { formatPath, locationInString, problemAt } from './positions';
import { parseTemplate } from './template';
import type { Scope } from './validateFields';

export function warnSecretsInArgs(scope: Scope, argsNode: Node, args: readonly string[]): void {
  args.forEach((arg, index) => {
    const itemNode = argsNode.children?.[index];
    if (itemNode === undefined) return;
    for (const part of parseTemplate(arg).parts) {
      if (part.kind !== 'variable' || part.variable.kind !== 'secret') continue;
      const path = [...scope.path, 'args', index];
      const at = locationInString(scope.sink.location(itemNode, path), arg, part.start, part.end);
      const name = part.variable.name;
      const variable = name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
      scope.sink.push(
        problemAt(
          'warning',
          'secret-in-args',
          at,
          `\`${formatPath(['args', index])}\` of ${scope.where} passes the secret \`${name}\` on the command line, where every local user can read it in the process list; pass it in \`env\` instead if the server reads it from there (e.g. \`"env": { "${variable}": "\${secret:${name}}" }\`).`,
        ),
      );
    }
  });
}
