/**
 * The configuration model: what `.mcplex.jsonc` (and the `mcplex.servers` setting)
 * says once it has been parsed and validated, and what an instance looks like once its
 * server's fields are merged in and every `${...}` is resolved.
 *
 * Everything here is plain, readonly data. Nothing raw from the file passes further in.
 */
import type { JsonPath } from '../problems';

export type Transport = 'auto' | 'http' | 'sse';

/**
 * How a folder's instances reach clients (the file's top-level `exposure`, the
 * `mcplex.exposure` setting): one endpoint each, one for all (`aggregate`), or one for all
 * with a tool that every account of a server publishes alike shown once (`accounts`), or
 * one endpoint with three tools that search, describe and call the others (`discovery`).
 */
export type Exposure = 'instances' | 'aggregate' | 'accounts' | 'discovery';
export const EXPOSURES: readonly Exposure[] = ['instances', 'aggregate', 'accounts', 'discovery'];
/**
 * A server's own `exposure`, which wins over the folder's for that server's instances. Not
 * `discovery`: that replaces a whole endpoint's tool list, so it is the folder's choice.
 */
export type ServerExposure = Exclude<Exposure, 'discovery'>;
export const SERVER_EXPOSURES: readonly ServerExposure[] = ['instances', 'aggregate', 'accounts'];
export const TRANSPORTS: readonly Transport[] = ['auto', 'http', 'sse'];

/**
 * How much of the user's own folders a stdio upstream sees: `none` (all of them), `xdg`
 * (private XDG config, data, state and cache homes; APPDATA/LOCALAPPDATA on Windows) or
 * `home` (also a private HOME/USERPROFILE and TMPDIR), all under `${instanceDir}`.
 */
export type IsolateMode = 'none' | 'xdg' | 'home';
export const ISOLATE_MODES: readonly IsolateMode[] = ['none', 'xdg', 'home'];

export interface ToolFilter {
  /** Glob patterns (picomatch) of upstream tool names to expose; absent = all. */
  readonly allow?: readonly string[];
  /** Glob patterns of upstream tool names to hide and refuse; wins over `allow`. */
  readonly deny?: readonly string[];
  // --- issue 17, policy: read-only accounts, description overrides, pinned definitions ---
  /**
   * Only tools the upstream annotates `readOnlyHint: true` are exposed; another tool only
   * when `allow` names it exactly (a glob never lifts it). An instance's wins over its server's.
   */
  readonly readOnly?: boolean;
  /** Upstream tool name → the description the model reads instead (before the account note). */
  readonly describe?: Readonly<Record<string, string>>;
  /** Record the first tool list; a tool whose definition changes later is hidden until accepted. */
  readonly pin?: boolean;
  // --- end of issue 17 policy ---
  // --- tools.confirm (issue 17: approval before a call) ---
  /**
   * Which calls need the user's approval before they reach the upstream: globs of upstream
   * tool names, or `"writes"` (every tool the upstream does not annotate `readOnlyHint: true`).
   * An instance's replaces its server's.
   */
  readonly confirm?: ToolConfirm;
  // --- end tools.confirm ---
}

/** `tools.confirm`: globs of upstream tool names, or every tool not annotated read-only. */
export type ToolConfirm = readonly string[] | 'writes';
/** `audit` as written: each field optional, an instance's over its server's (field by field). */
export interface AuditConfig {
  readonly enabled?: boolean;
  readonly arguments?: boolean;
  readonly required?: boolean;
}

/** The resolved `audit` setting of an instance (see core/audit). */
export interface AuditSettings {
  /** Record each tools/call (default on: a line per call costs next to nothing). */
  readonly enabled: boolean;
  /** Record the arguments too (default off: they are the user's data). */
  readonly arguments: boolean;
  /** Refuse a call that cannot be recorded (default off: a warning in the log instead). */
  readonly required: boolean;
}

export const DEFAULT_AUDIT: AuditSettings = { enabled: true, arguments: false, required: false };
export const AUDIT_KEYS = ['enabled', 'arguments', 'required'] as const;

/** Where a value came from, so later stages (the tree, diagnostics) can point at it. */
export interface SourceLocation {
  readonly file: string;
  readonly path: JsonPath;
  /** Zero-based offset and length of the value in the file's text. */
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
}

/** Fields a server and an instance share; an instance overrides its server's. */
export interface LaunchSettings {
  readonly label?: string;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly url?: string;
  readonly transport?: Transport;
  readonly headers?: Readonly<Record<string, string>>;
  readonly tools?: ToolFilter;
  /** How a remote upstream authenticates; an instance's replaces its server's whole. */
  readonly auth?: AuthSpec;
  /**
   * What mcplex answers the upstream's `roots/list` with (paths or URIs, `${...}` allowed),
   * or `false` to announce no roots; absent: the client's roots are relayed. An
   * instance's replaces its server's whole.
   */
  readonly roots?: RootsSetting;
  /** Private folders for a stdio upstream (default `none`). */
  readonly isolate?: IsolateMode;
  /** Entries of the real home kept visible (symlinked) in a private home, e.g. `.gitconfig`. */
  readonly share?: readonly string[];
  /** The instance's audit trail of tool calls. */
  readonly audit?: AuditConfig;
}

/** Configured roots as written (paths or URIs), or `false` for none announced. */
export type RootsSetting = readonly string[] | false;

export type AuthType = 'bearer' | 'headers' | 'command' | 'oauth' | 'vscode';
export const AUTH_TYPES: readonly AuthType[] = ['bearer', 'headers', 'command', 'oauth', 'vscode'];
export type VscodeAuthProvider = 'github' | 'microsoft';
/** How an `oauth` instance gets tokens: a user's browser sign-in, or a machine account's own credentials. */
export type OAuthGrant = 'authorization_code' | 'client_credentials';
export const OAUTH_GRANTS: readonly OAuthGrant[] = ['authorization_code', 'client_credentials'];
export const VSCODE_AUTH_PROVIDERS: readonly VscodeAuthProvider[] = ['github', 'microsoft'];

/**
 * Credentials for a remote upstream. In the config, string fields may hold `${...}`;
 * once resolved they hold the values (and in `redacted`, `${secret:NAME}` as written).
 */
export type AuthSpec =
  /** `Authorization: Bearer <token>`, sent to the upstream's origin only. */
  | { readonly type: 'bearer'; readonly token: string }
  /** Any headers, sent to the upstream's origin only. */
  | { readonly type: 'headers'; readonly headers: Readonly<Record<string, string>> }
  /**
   * A credential helper: its stdout (trimmed) is a bearer token. Cached until a JWT's
   * `exp`, else `ttl` seconds, else until the upstream answers 401/403.
   */
  | { readonly type: 'command'; readonly command: string; readonly args: readonly string[]; readonly ttl?: number }
  /**
   * The MCP OAuth flow (discovery, dynamic registration, a client ID metadata document or a
   * configured client, PKCE, refresh); with `grant: client_credentials` a machine account
   * (no browser: `clientId` and `clientSecret` get the tokens).
   */
  | {
      readonly type: 'oauth';
      /** Default `authorization_code`. `client_credentials` needs `clientId` and `clientSecret`. */
      readonly grant?: OAuthGrant;
      readonly scopes?: readonly string[];
      readonly clientId?: string;
      readonly clientSecret?: string;
      /** The loopback redirect's port; default derived from the URL and the prefix. */
      readonly callbackPort?: number;
      readonly clientName?: string;
      /** Sent as `login_hint`: which account the provider should offer first (`me@work.example`). */
      readonly loginHint?: string;
      /**
       * An https URL of a client ID metadata document (its `client_id` is this URL) used as the
       * client id where the authorization server advertises `client_id_metadata_document_supported`;
       * elsewhere mcplex registers dynamically as without it.
       */
      readonly clientMetadataUrl?: string;
    }
  /** A VS Code account (`vscode.authentication`); resolved by the extension only. */
  | {
      readonly type: 'vscode';
      readonly provider: VscodeAuthProvider;
      readonly scopes: readonly string[];
      /** The account's label, so `work` and `personal` use different accounts. */
      readonly account?: string;
    };

/**
 * Where each field value of a server or instance sits in the file, keyed by
 * `fieldKey(pathRelativeToIt)` (e.g. `fieldKey(['env', 'API_KEY'])`). Filled by the
 * parser; absent for configs built in code, where the owner's location stands in.
 */
export type FieldLocations = Readonly<Record<string, SourceLocation>>;

export function fieldKey(relativePath: JsonPath): string {
  return JSON.stringify(relativePath);
}

export interface InstanceConfig extends LaunchSettings {
  /** The account a call of a tool shown once for all accounts (exposure `accounts`) goes to when it names none; one per server. */
  readonly default?: boolean;
  readonly location: SourceLocation;
  readonly fieldLocations?: FieldLocations;
}

export interface ServerConfig extends LaunchSettings {
  /** Instance id (the prefix, e.g. `work`) → its settings, in file order. */
  readonly instances: Readonly<Record<string, InstanceConfig>>;
  /** How this server's instances reach clients, over the folder's `exposure` (see `ServerExposure`). */
  readonly exposure?: ServerExposure;
  readonly location: SourceLocation;
  readonly fieldLocations?: FieldLocations;
}

/** A validated configuration document, before substitution. */
export interface McplexConfig {
  readonly file: string;
  readonly servers: Readonly<Record<string, ServerConfig>>;
  readonly separator?: string;
  readonly note?: string;
  /**
   * Whether a single instance's tool names carry its prefix (`mcplex.toolPrefix`, which
   * this wins over as `separator` does), with where it was written: an aggregate cannot
   * honour `false`, and says so there.
   */
  readonly toolPrefix?: { readonly prefixed: boolean; readonly location: SourceLocation };
  /** The file's choice, over the `mcplex.exposure` setting (and the CLI's default). */
  readonly exposure?: Exposure;
}

/** An upstream's private folders, as the launcher sets them up (`isolate` other than `none`). */
export interface Isolation {
  readonly mode: Exclude<IsolateMode, 'none'>;
  /** Entries of the real home symlinked into the private one (`home` only). */
  readonly share: readonly string[];
}

/** How to reach an instance's upstream, fully resolved. */
export type UpstreamSpec =
  | {
      readonly kind: 'stdio';
      readonly command: string;
      readonly args: readonly string[];
      /** Only the variables the config sets; the launcher merges them over the parent's. */
      readonly env: Readonly<Record<string, string>>;
      readonly cwd?: string;
      /** `${instanceDir}`, when the config uses it or `isolate`: created (0700) before the start. */
      readonly stateDir?: string;
      readonly isolate?: Isolation;
      /** The values of the `${secret:…}` substituted into it, to hide in every message; absent in `redacted`. */
      readonly secretValues?: readonly string[];
    }
  | {
      readonly kind: 'remote';
      /** `${instanceDir}`, when the config uses it (e.g. in a header): created before connecting. */
      readonly stateDir?: string;
      readonly url: string;
      readonly transport: Transport;
      readonly headers: Readonly<Record<string, string>>;
      /** Absent when the upstream needs no credentials (or gets them from `headers`). */
      readonly auth?: AuthSpec;
      /** The values of the `${secret:…}` substituted into it, to hide in every message; absent in `redacted`. */
      readonly secretValues?: readonly string[];
    };

/**
 * One account instance of one server, merged and substituted: ready to plan and run.
 * `redacted` is the same upstream with every `${secret:NAME}` left as written, so it can
 * be logged, shown and hashed without ever exposing a secret value.
 */
export interface ResolvedInstance {
  readonly serverId: string;
  /** The instance key, which is also its prefix (`work`). */
  readonly instanceId: string;
  readonly serverLabel: string;
  readonly instanceLabel: string;
  readonly upstream: UpstreamSpec;
  readonly redacted: UpstreamSpec;
  readonly tools: ToolFilter;
  readonly location: SourceLocation;
  /** Names of the secrets this instance uses (`${secret:NAME}`), resolved or not. */
  readonly secrets: readonly string[];
  /**
   * Where mcplex keeps its own records of this instance (audit trail, pinned tool
   * definitions; see `instanceRecordsOf`), never given to the upstream. Absent: nothing is
   * recorded (an instance still waiting for a secret, a unit test's instance).
   */
  readonly recordsDir?: string;
  /** Its audit trail's setting, defaults filled in; absent: `DEFAULT_AUDIT`. */
  readonly audit?: AuditSettings;
  /**
   * The roots mcplex answers the upstream with, as `file://` (or other) URIs, or `false`
   * when the upstream is told of no roots at all; absent: the client's are relayed.
   */
  readonly roots?: readonly string[] | false;
  /** `default: true`: its server's account when a call of a tool shown once names none (exposure `accounts`). */
  readonly isDefault?: boolean;
  /** Its server's own `exposure`; absent: the folder's. */
  readonly exposure?: ServerExposure;
}

/** Supplies `${secret:NAME}` values. The extension backs it with SecretStorage. */
export interface SecretResolver {
  get(name: string): Promise<string | undefined>;
}

export interface SubstitutionContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets: SecretResolver;
  /** `${workspaceFolder}`: the folder holding the config (the CLI: the config's folder). */
  readonly workspaceFolder: string;
  readonly userHome: string;
  /**
   * Where `${instanceDir}` folders live (VS Code: the extension's global storage). Absent:
   * `$XDG_STATE_HOME/mcplex`, else `~/.local/state/mcplex` (see `instanceDirOf`).
   */
  readonly stateRoot?: string;
}
