/**
 * What the engine is given and keeps: how a folder's instances are exposed, each
 * instance's state, and its tools as the model sees them. Plain readonly data.
 */
import type { CatalogEntry } from '../catalog';
import type { Exposure } from './exposure';

export interface FolderOptions {
  /** `mcplex.separator`; the file's `separator` wins. */
  readonly separator?: string;
  /** `mcplex.note`; the file's `note` wins. */
  readonly note?: string;
  /** `mcplex.toolPrefix`: prefix tool names in per-instance definitions too; the file's `toolPrefix` wins. */
  readonly toolPrefix: boolean;
  /** The CLI's `--tool-prefix`: wins over the file's `toolPrefix` too. */
  readonly toolPrefixOverride?: boolean;
  /**
   * One definition per instance, or one per folder (`aggregate`, `discovery`); `accounts`: in
   * the window one per server, a tool all its accounts share shown once. A server's own
   * `exposure` (`WindowInstance.exposure`) wins over this for its instances.
   */
  readonly exposure: Exposure;
}

/**
 * One instance's life as its runner keeps it: the one stored value per instance, changed
 * only by `next` (instanceState.ts) and rendered as it is by the tree, the status bar, the
 * picker and the log.
 */
export type InstanceState =
  | { readonly kind: 'stopped' }
  /** `attempt` counts the starts of the current series of failures (1 for the first). */
  | { readonly kind: 'starting'; readonly attempt: number }
  | { readonly kind: 'running'; readonly pid?: number }
  /** `retrying`: the supervisor will start it again on its own. */
  | { readonly kind: 'failed'; readonly message: string; readonly retrying: boolean }
  /** Its OAuth or VS Code account needs the user to sign in (never asked for on its own). */
  | { readonly kind: 'needs-sign-in'; readonly message: string };

/**
 * One upstream tool of an instance as the catalog names it (see core/catalog): the name
 * the model sees (before VS Code's own `mcp_<slug>_`), and why the model does not see it,
 * if it does not (`denied` by tools.deny, `filtered` by tools.allow, `collided` with
 * another tool's name, `unnamed`: no name could be made).
 */
export type ToolView = CatalogEntry;
