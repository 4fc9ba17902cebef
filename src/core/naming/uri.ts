import { PREFIX_PATTERN } from './constants';
import { NamingError } from './errors';

/**
 * Resource URIs on an endpoint shared by several instances carry the instance:
 * `mcplex://<prefix>/<original URI, verbatim>`.
 *
 * Why this form:
 * - Exact for any string (unicode, `?`, `#`, spaces, text that is no URI at all): a
 *   prefix never contains `/`, so the first `/` after the authority ends it and the
 *   rest is the original, byte for byte.
 * - The original is NOT percent-encoded, so resource templates still work: a client
 *   that expands `mcplex://work/file:///{path}` gets `mcplex://work/file:///a.txt`,
 *   the namespaced form of what the upstream's template expands to. Encoding would
 *   turn `{path}` into `%7Bpath%7D` and break expansion.
 * - One scheme for every upstream: a scheme-preserving form (`file://work@/...`) has no
 *   reversible place for the prefix in URIs without an authority (`urn:`, `data:`).
 */
export const NAMESPACE_SCHEME = 'mcplex';

const NAMESPACED = /^mcplex:\/\/([A-Za-z0-9][A-Za-z0-9_-]*)\/([\s\S]*)$/iu;

export function namespaceUri(prefix: string, uri: string): string {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new NamingError('invalid-prefix', `Cannot namespace a URI under the prefix "${prefix}": use letters, digits, "_" and "-" only.`);
  }
  return `${NAMESPACE_SCHEME}://${prefix}/${uri}`;
}

/** The prefix and original URI of a namespaced URI, or `undefined` if it is not one. */
export function parseNamespacedUri(uri: string): { readonly prefix: string; readonly uri: string } | undefined {
  const match = NAMESPACED.exec(uri);
  if (match === null) {
    return undefined;
  }
  const [, prefix = '', original = ''] = match;
  return { prefix, uri: original };
}

/**
 * An MCP Apps view (`ui://…`, SEP-1865) must stay in the `ui://` scheme: hosts render only
 * `ui://` resources. On a shared endpoint the prefix goes in front of the original's
 * authority, joined by a dot: `ui://weather/view` of `work` is `ui://work.weather/view`.
 *
 * Why this form: a prefix never contains `.`, so the first `.` after `ui://` ends it and the
 * rest is the original after its `ui://`, byte for byte (templates still expand, as above);
 * and the server's own name stays readable as a label of the authority.
 */
export const UI_SCHEME = 'ui';

const UI_URI = /^ui:\/\//iu;
const NAMESPACED_UI = /^(ui):\/\/([A-Za-z0-9][A-Za-z0-9_-]*)\.([\s\S]*)$/iu;

/** Whether `uri` is an MCP Apps view URI (`ui://…`, scheme case-insensitive). */
export function isUiUri(uri: string): boolean {
  return UI_URI.test(uri);
}

/** `ui://<prefix>.<original after ui://>`; `uri` must be a `ui://` URI (see `isUiUri`). */
export function namespaceUiUri(prefix: string, uri: string): string {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new NamingError('invalid-prefix', `Cannot namespace a URI under the prefix "${prefix}": use letters, digits, "_" and "-" only.`);
  }
  // The scheme as written (`ui`, `UI`): the original comes back byte for byte.
  return `${uri.slice(0, UI_SCHEME.length)}://${prefix}.${uri.replace(UI_URI, '')}`;
}

/** The prefix and original URI of a namespaced `ui://` URI, or `undefined` if it is not one. */
export function parseNamespacedUiUri(uri: string): { readonly prefix: string; readonly uri: string } | undefined {
  const match = NAMESPACED_UI.exec(uri);
  if (match === null) {
    return undefined;
  }
  const [, scheme = UI_SCHEME, prefix = '', rest = ''] = match;
  return { prefix, uri: `${scheme}://${rest}` };
}
