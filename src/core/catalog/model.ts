/**
 * What the model sees of an endpoint, as data: the input (each member's whole list, its
 * filter and note) and the result every reader shares — the relay (lists and routes), the
 * tree's tool rows and `mcplex list`.
 */
import type { CompiledToolFilter, NamingIssue } from '../naming';

/**
 * A tool or a prompt as an upstream lists it; the catalog reads the name, the description,
 * `annotations.readOnlyHint` (`tools.readOnly`) and, for pinned definitions, the schemas.
 */
export interface CatalogItem {
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema?: unknown;
  readonly outputSchema?: unknown;
  readonly annotations?: { readonly readOnlyHint?: boolean | undefined } | undefined;
}

/**
 * Why a tool is not exposed: `denied` by `tools.deny`; `filtered`: not matched by
 * `tools.allow`; `collided`: another tool already has its exposed name (or the upstream
 * lists it twice); `unnamed`: no name can be made for it (a prefix that leaves no room).
 * Issue 17: `not-read-only`: `tools.readOnly` and the upstream does not annotate it
 * `readOnlyHint: true`; `changed`: `tools.pin` and its definition differs from the one
 * approved; `unapproved`: `tools.pin` and it was not in the approved list (it appeared later).
 */
export type HiddenReason = 'denied' | 'filtered' | 'collided' | 'unnamed' | 'not-read-only' | 'changed' | 'unapproved';

export interface CatalogMember<T extends CatalogItem, O> {
  /** Whom a route leads to (the relay's member); the catalog never looks inside. */
  readonly owner: O;
  /** Its key on the endpoint: the prefix when names are prefixed. Unique on an endpoint. */
  readonly key: string;
  /** The sentence appended to exposed descriptions (already expanded). */
  readonly note: string;
  /** `tools.allow` / `tools.deny` / `tools.readOnly`; absent: everything is allowed (prompts). */
  readonly filter?: CompiledToolFilter | undefined;
  /** `tools.describe`: upstream name → the description the model reads instead (the note still follows). */
  readonly describe?: Readonly<Record<string, string>> | undefined;
  /**
   * `tools.pin`: upstream name → the digest (core/pins `toolDigest`) of the definition the
   * user approved; a tool missing here or with another digest is hidden. Absent: not pinned.
   */
  readonly pins?: ReadonlyMap<string, string> | undefined;
  /** The upstream's WHOLE list, unfiltered; `undefined` while unknown. */
  readonly items: readonly T[] | undefined;
  /** Whether its items are listed to clients (an aggregate leaves out members that are down). */
  readonly listed: boolean;
}

/** `undefined` instead: names as the upstream gives them (an instance relay's prompts). */
export interface CatalogNaming {
  readonly separator: string;
  /** Whether names carry the member's key as prefix (always in an aggregate). */
  readonly prefixed: boolean;
}

export interface Route<O> {
  readonly member: O;
  readonly key: string;
  readonly upstreamName: string;
}

/** One upstream tool of a member as the tree shows it. */
export interface CatalogEntry {
  /**
   * The name the model sees (before a host's own prefix); for a hidden tool the name it
   * would have if allowed, or its upstream name when none can be made.
   */
  readonly exposedName: string;
  readonly upstreamName: string;
  /** The description without the instance note: `tools.describe`'s when it names the tool, else the upstream's. */
  readonly description?: string;
  /** Absent when exposed. */
  readonly hidden?: HiddenReason;
}

export interface HiddenItem {
  readonly key: string;
  readonly upstreamName: string;
  readonly exposedName: string;
  readonly reason: HiddenReason;
}

export interface MemberEntries {
  readonly key: string;
  /** Every tool of its upstream in upstream order, exposed or not; `undefined` while unknown. */
  readonly entries: readonly CatalogEntry[] | undefined;
}

export interface Catalog<T extends CatalogItem, O> {
  /** What a client lists: listed members' exposed items, renamed, descriptions with the note. */
  readonly exposed: readonly T[];
  readonly hidden: readonly HiddenItem[];
  /** Exposed name → upstream; includes members that are not listed, so calls say why they fail. */
  readonly routes: ReadonlyMap<string, Route<O>>;
  /** Naming problems of the exposed names (collisions, names that cannot be made). */
  readonly issues: readonly NamingIssue[];
  /** Per member, in the order given. */
  readonly members: readonly MemberEntries[];
  /** Exposure `accounts`: exposed name → the accounts a call may choose (see collapseAccounts). */
  readonly accounts?: ReadonlyMap<string, AccountRoute<O>>;
}

/** One account a collapsed tool can be called on. */
export interface AccountChoice<O> {
  readonly owner: O;
  readonly label: string;
}

/** A tool shown once for several accounts: the call's `account` picks whom it goes to. */
export interface AccountRoute<O> {
  readonly upstreamName: string;
  /** Account id (the instance id, the member's key) → its member, in configuration order. */
  readonly choices: ReadonlyMap<string, AccountChoice<O>>;
  /** Used when the call has no `account`; absent: `account` is required. */
  readonly defaultAccount?: string;
}
