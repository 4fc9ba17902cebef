/**
 * The limits that shape every name mcplex exposes.
 *
 * VS Code names a tool for the model `mcp_<slug>_<tool>`, with a slug of at most
 * 13 characters, so its host prefix takes up to 4 + 13 + 1 = 18 characters; the whole
 * name must stay within 64 characters of `[A-Za-z0-9_-]` (OpenAI and Claude reject `:`
 * and anything longer). What we expose therefore has 64 − 18 = 46 characters to work with.
 */

/** An instance prefix (the instance key, e.g. `work`). */
export const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A complete tool name as a client sees it, host prefix included. */
export const EXPOSED_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const MAX_TOOL_NAME = 64;

/** `mcp_` + a 13-character slug + `_`: the longest prefix VS Code puts in front. */
export const MAX_HOST_PREFIX = 18;

/** The longest slug VS Code keeps from `serverInfo.name`. */
export const MAX_SLUG = 13;

/** Characters available for `<prefix><separator><tool>`. */
export const DEFAULT_NAME_BUDGET = MAX_TOOL_NAME - MAX_HOST_PREFIX;

export const DEFAULT_SEPARATOR = '__';

/**
 * The fewest characters a prefix and separator must leave for the tool's own name.
 * Below this, shortened names would be little more than a hash.
 */
export const MIN_TOOL_CHARACTERS = 8;

/** Length of the hash appended to shortened or disambiguated names (hex digits). */
export const NAME_HASH_LENGTH = 6;
