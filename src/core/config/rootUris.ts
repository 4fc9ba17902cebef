/**
 * Configured roots, once their `${...}` are filled in, as the URIs an upstream receives:
 * a URI stays as written, a path becomes a `file://` URI, relative to the config's folder
 * (like `cwd`: a config means the same whichever directory mcplex was started from).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonPath } from '../problems';
import type { RootsSetting, SubstitutionContext } from './model';

/** `scheme://…`; two letters at least, so a Windows drive (`C:\`, `C:/`) stays a path. */
const URI = /^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//;

export function rootUris(
  roots: RootsSetting,
  ctx: Pick<SubstitutionContext, 'workspaceFolder'>,
  value: (relative: JsonPath) => string,
): readonly string[] | false {
  if (roots === false) return false;
  return roots.map((_, index) => rootUri(value(['roots', index]), ctx.workspaceFolder));
}

export function rootUri(root: string, workspaceFolder: string): string {
  if (URI.test(root)) return root;
  return pathToFileURL(path.resolve(workspaceFolder, root)).href;
}
