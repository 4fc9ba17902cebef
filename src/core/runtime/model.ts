/**
 * What the window runtime takes in (one `FolderInput` per workspace folder) and what it
 * gives out (instance views for the tree and status bar, definitions for VS Code's MCP
 * provider). Plain readonly data: the extension turns VS Code events into the former and
 * the latter into VS Code objects.
 */
import type { AuditEntry } from '../audit';
import type { FolderOptions, InstanceState, ToolView } from '../engine';
import type { SourceLocation } from '../config';
import type { InstanceIdentity } from '../plan';
import type { Problem } from '../problems';

export interface FolderInput {
  /** Stable key of the folder (VS Code: its URI string). */
  readonly id: string;
  /** Display name, added to a label another folder uses too. */
  readonly name: string;
  /** File-system path: `${workspaceFolder}`, and the default cwd. */
  readonly path: string;
  /** Its `.mcplex.jsonc`, when present. */
  readonly file?: { readonly path: string; readonly text: string };
  /** The `mcplex.servers` setting for this folder (the same shape as the file's `servers`). */
  readonly settingsServers?: unknown;
  /**
   * The CLI's user-level configuration (`~/.config/mcplex/config.jsonc`, the `.mcplex.jsonc`
   * schema): the CLI's settings layer, so it is merged under the folder's file as the
   * setting is. A file, not a value, so its problems have a line and column.
   */
  readonly userFile?: { readonly path: string; readonly text: string };
  /** Its `.vscode/mcp.json`, when present: an instance that starts one of its servers again is warned about. */
  readonly mcpJson?: { readonly path: string; readonly text: string };
  readonly options: FolderOptions;
}


/**
 * What the user sees of an instance: its runner's state, or why it has no runner (the
 * workspace is untrusted, secrets are missing; instanceViews.ts `statusOf` decides).
 */
export type InstanceStatus =
  | InstanceState
  | { readonly kind: 'needs-secret'; readonly secrets: readonly string[] }
  | { readonly kind: 'untrusted' };


export interface InstanceView extends InstanceIdentity {
  readonly folderId: string;
  readonly status: InstanceStatus;
  readonly location?: SourceLocation;
  /** The definition that serves it (absent while untrusted). */
  readonly definitionId?: string;
  /**
   * Its server's accounts are served together in one definition (exposure `accounts`): its
   * label, and the `serverInfo.name` VS Code puts before each tool (`mcp_<slug>_`).
   */
  readonly serverDefinition?: { readonly label: string; readonly slug: string };
  /**
   * The MCP clients (in the window: VS Code) connected to the endpoint that serves it; absent
   * when no endpoint serves it. "running" with 0 is the upstream up and VS Code not connected.
   */
  readonly clients?: number;
  /** Once known (running): names as the model sees them, hidden ones included with their `hidden` reason. */
  readonly tools?: readonly ToolView[];
  /** Who it is signed in as, when the provider tells (a VS Code account's label, an OAuth ID token's email). */
  readonly account?: string;
  /** Another instance of the same upstream is signed in as the same identity: what to tell the user. */
  readonly accountWarning?: string;
  /** Its credentials come from a sign-in (`oauth`, `vscode`): "Sign in" / "Sign out" apply. */
  readonly signsIn?: boolean;
  /**
   * The `${secret:NAME}` names its configuration uses (command, args, env, cwd, url, headers,
   * auth); while it waits for secrets, the missing ones. Absent when it uses none: "Set Secret"
   * applies only where present.
   */
  readonly secrets?: readonly string[];
  /** Its configured roots (URIs) that mcplex answers `roots/list` with; `false`: none announced; absent: the client's. */
  readonly roots?: readonly string[] | false;
  /** Its private folder (`${instanceDir}`), when its configuration uses it or `isolate`. */
  readonly stateDir?: string;
  /** `tools.pin`: the folder of its pinned definitions (`pins.json`), what "Accept Tool Definition" writes. */
  readonly pinsDir?: string;
  /** The `.vscode/mcp.json` server that starts the same thing beside it ("Remove from mcp.json" applies). */
  readonly duplicateOfMcpJson?: string;
  /** Its audit trail (`audit.jsonl`), while it runs with the audit on ("Open Audit Log" applies). */
  readonly auditFile?: string;
  /** Its last tool calls in this window, newest first (at most `RECENT_CALLS`, no arguments); absent before the first. */
  readonly recentCalls?: readonly AuditEntry[];
  /** How its upstream starts, `${secret:…}` as written: `command args…`, or the url (the server row's tooltip). */
  readonly launch?: string;
}

/**
 * A folder whose configuration has errors. It runs its last good load when it had one
 * (`runsLastGood`), else what is valid of the sources as they are (the first load of a window).
 */
export interface BrokenConfig {
  readonly folderId: string;
  /** The first error: in the folder's file before the `mcplex.servers` setting, then in text order. */
  readonly problem: Problem;
  readonly errorCount: number;
  readonly runsLastGood: boolean;
}

export interface DefinitionSpec {
  /** Stable: `${folderId}#${key}`, `${folderId}#aggregate`, or `${folderId}#accounts:${serverId}`. */
  readonly id: string;
  /** Unique and stable, and distinct under Copilot CLI's naming: `<Server label> (<Instance label>)`, a server's `<Server label>`, a folder's `MCPlex (<folder>)` (+ the folder or a digest only where two would give one name). */
  readonly label: string;
  /** `unix:///abs/path.sock#/i/<slug>` on a socket, `http://127.0.0.1:<port>/i/<slug>` on TCP. */
  readonly url: string;
  /** The token header. */
  readonly headers: Readonly<Record<string, string>>;
  /** The instance's plan hash (aggregate: a hash of its members' hashes): VS Code's cache key. */
  readonly version: string;
  /** Instance ids (`${folderId}#${key}`) served by this definition. */
  readonly instanceKeys: readonly string[];
}

export interface UpdateResult {
  /** By file path or settings label; every source of every folder has an entry (maybe empty). */
  readonly problems: ReadonlyMap<string, readonly Problem[]>;
  readonly definitionsChanged: boolean;
  /** Instance ids `${folderId}#${key}`. */
  readonly started: readonly string[];
  readonly stopped: readonly string[];
  /** Replaced with a new process: their launch spec (command, args, env, cwd, url, transport, headers, auth, a secret's value) changed. */
  readonly restarted: readonly string[];
  /**
   * Only what clients see changed (tool filter, labels, note, separator, tool prefix): same
   * process, a new relay under a new `version`; open sessions end and reconnect to it.
   */
  readonly reconfigured: readonly string[];
}

export type { FolderOptions, InstanceState, ToolView };
