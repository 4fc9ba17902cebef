/**
 * The row a folder shows while its configuration has errors: the instances below it run the
 * last good version of the file (or, on a first load, only what is valid), and a click opens
 * the first problem. Without it a typo looked like instances silently gone or never there.
 */
import { isAbsolute } from 'node:path';
import type { BrokenConfig } from '../../core/runtime';
import type { NodeBase } from './treeModel';

export interface ConfigErrorNode extends NodeBase {
  readonly kind: 'configError';
  readonly folderId: string;
  /** Where a click goes: a file, 1-based line and column; or the `mcplex.servers` setting. */
  readonly open: { readonly kind: 'file'; readonly file: string; readonly line: number; readonly column: number } | { readonly kind: 'settings' };
  readonly children: readonly [];
}

export const CONFIG_ERROR_CONTEXT = 'configError';

export function configErrorRow(broken: BrokenConfig): ConfigErrorNode {
  const { problem, errorCount, runsLastGood } = broken;
  const inFile = isAbsolute(problem.file);
  const where = inFile ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  const errors = `${errorCount} error${errorCount === 1 ? '' : 's'}`;
  const runs = runsLastGood ? 'running its last good version' : 'only its valid part runs';
  return {
    kind: 'configError',
    id: `configError:${broken.folderId}`,
    folderId: broken.folderId,
    label: inFile ? 'The configuration file has errors' : 'The mcplex.servers setting has errors',
    description: `${errors} · ${runs}`,
    tooltip: [
      runsLastGood
        ? 'Until its errors are fixed, the instances below run the last version of the configuration that had none; nothing was stopped.'
        : 'Until its errors are fixed, only the servers and instances without errors run.',
      '',
      `First problem (${where}):`,
      problem.message,
      '',
      'Click to open it.',
    ].join('\n'),
    icon: { id: 'error', color: 'list.errorForeground' },
    contextValue: CONFIG_ERROR_CONTEXT,
    collapsible: 'none',
    open: inFile ? { kind: 'file', file: problem.file, line: problem.line, column: problem.column } : { kind: 'settings' },
    children: [],
  };
}
