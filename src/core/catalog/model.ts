/**
 * What the model sees of an endpoint, as data: the input (each member's whole list, its
 * filter and note) and the result every reader shares — the relay (lists and routes), the
 * tree's tool rows and `mcplex list`.
 */
import type { CompiledToolFilter, NamingIssue } from '../naming';

/** A tool or a prompt as an upstream lists it; the catalog only reads these two fields. */
export interface CatalogItem {
  readonly name: string;
  readonly description?: string | undefined;
}

/**
 * Why a tool is not exposed: `denied` by `tools.deny`; `filtered`: not matched by
 * `tools.allow`; `collided`: another tool already has its exposed name (or the upstream
 * lists it twice); `unnamed`: no name can be made for it (a prefix that leaves no room).
 */
export type HiddenReason = 'denied' | 'filtered' | 'collided' | 'unnamed';

export interface CatalogMember<T extends CatalogItem, O> {
  /** Whom a route leads to (the relay's member); the catalog never looks inside. */
  readonly owner: O;
  /** Its key on the endpoint: the prefix when names are prefixed. Unique on an endpoint. */
  readonly key: string;
  /** The sentence appended to exposed descriptions (already expanded). */
  readonly note: string;
  /** `tools.allow` / `tools.deny`; absent: everything is allowed (prompts). */
  readonly filter?: CompiledToolFilter | undefined;
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
  /** The upstream's description, without the instance note. */
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
