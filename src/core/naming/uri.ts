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
