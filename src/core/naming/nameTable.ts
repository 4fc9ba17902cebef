/** Types of the result of naming the tools (or prompts) of one endpoint. */

/** The tools of one instance as its upstream names them. */
export interface NameEntry {
  /** Identifies the instance in the reverse map, e.g. `google/work`. */
  readonly key: string;
  /**
   * `work` in `work__create_event`; `undefined` for no prefix (per-instance definitions,
   * where VS Code's `mcp_<slug>_` already names the account).
   */
  readonly prefix: string | undefined;
  /** Upstream names in the upstream's order. */
  readonly names: readonly string[];
}

export interface NameOptions {
  readonly separator: string;
  /** Characters available for the exposed name; default 46 (64 minus VS Code's prefix). */
  readonly budget?: number;
}

/**
 * How an exposed name was made: `readable` is the upstream name as is (after the
 * prefix); `sanitized` had characters replaced; `shortened` was too long and ends in a
 * hash; `disambiguated` collided with another name and ends in a hash.
 */
export type NameForm = 'readable' | 'sanitized' | 'shortened' | 'disambiguated';

export interface NamedItem {
  readonly key: string;
  readonly upstreamName: string;
  readonly exposedName: string;
  readonly form: NameForm;
}

export type NamingIssueCode =
  /** Warning: two names met after sanitizing; the lossy one got a hash suffix. */
  | 'name-collision'
  /** Error: an upstream listed the same name twice; the later one is not exposed. */
  | 'duplicate-name'
  /** Error: a collision a hash could not resolve; the later name is not exposed. */
  | 'unresolved-collision'
  /** Error: two entries share a key; the later entry is not exposed. */
  | 'duplicate-key'
  /** Error: the prefix breaks PREFIX_PATTERN; the entry is not exposed. */
  | 'invalid-prefix'
  /** Error: prefix and separator leave no room for names; the entry is not exposed. */
  | 'prefix-too-long'
  /** Warning: the separator has `.` or `:`, which common clients reject. */
  | 'separator-not-portable';

export interface NamingIssue {
  readonly severity: 'error' | 'warning';
  readonly code: NamingIssueCode;
  /** What happened and what to do, for a log line or a diagnostic. */
  readonly message: string;
  readonly key?: string;
  readonly upstreamName?: string;
  readonly exposedName?: string;
}

export interface NameTable {
  /** Exposed name → where it goes. */
  readonly byExposed: ReadonlyMap<string, { readonly key: string; readonly upstreamName: string }>;
  /** The exposed name of an upstream name, or `undefined` when it is not exposed. */
  exposedName(key: string, upstreamName: string): string | undefined;
  /** Every exposed name, entries in the order given and names in upstream order. */
  readonly entries: readonly NamedItem[];
  readonly issues: readonly NamingIssue[];
}
