/**
 * One upstream inside a relay: follows its source's state, listens to its client, keeps
 * its (whole) tool and prompt lists, and knows which downstream calls are in flight to it (the
 * rule for routing the server's own requests needs that).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, LoggingMessageNotificationSchema, PromptListChangedNotificationSchema, ResourceListChangedNotificationSchema, ResourceUpdatedNotificationSchema, TaskStatusNotificationSchema, ToolListChangedNotificationSchema, type JSONRPCRequest, type Notification, type Prompt, type Result, type ServerCapabilities, type Tool, type ClientNotification, type ClientRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { collectPages, requestUpstream, type Params } from '../wire';
import { compileToolConfirm, compileToolFilter, type CompiledToolConfirm, type CompiledToolFilter } from '../naming';
import type { ToolFilter } from '../config';
import type { PinBook } from '../pins';
import { RelayError, toWireError } from './errors';
import type { CallAudit } from './callAudit';
import type { Disposable, UpstreamConnection, UpstreamSource, UpstreamState } from './upstreamSource';

export type UpstreamRequestExtra = RequestHandlerExtra<ClientRequest, ClientNotification>;

/** What a member reports to its relay. `member` is always the one reporting. */
export interface MemberEvents {
  stateChanged(member: Member, state: UpstreamState): void;
  toolsChanged(member: Member): void;
  promptsChanged(member: Member): void;
  resourcesChanged(member: Member): void;
  /** `notifications/message`, `resources/updated`, `tasks/status` and any other notification. */
  notification(member: Member, notification: Notification): void;
  /** A request from the upstream server to its client: sampling, elicitation, roots, ping… */
  serverRequest(member: Member, request: JSONRPCRequest, extra: UpstreamRequestExtra): Promise<Result>;
  /** The member's last call in flight ended (see `Member.callEnded`). */
  idle?(member: Member): void;
}

/** What a member and the handlers need of a downstream session. */
export interface SessionLike {
  readonly server: Server;
  /** Bumped on every request from the client: the most recently active session wins ties. */
  lastActive: number;
}

/** A downstream call in flight to this member. */
export interface InFlightCall {
  readonly session: SessionLike;
  readonly requestId: string | number;
}

export interface MemberOptions {
  readonly source: UpstreamSource;
  readonly label: string;
  /** The account as the user knows it (the plan's `<Server> · <Instance>`), in approval questions; default `label`. */
  readonly account?: string;
  /** The sentence appended to descriptions (already expanded). */
  readonly note: string;
  readonly tools?: ToolFilter;
  /** `tools.pin`: the instance's approved definitions (the engine gives it, over its records folder). */
  readonly pins?: PinBook;
  /**
   * The instance's own roots (URIs), answered by the relay; `false`: it has none and its
   * upstream was not told of the capability; absent: the client's roots are relayed.
   */
  readonly roots?: readonly string[] | false;
  /** Exposure `accounts`: the server it is an account of (tools collapse within one server); absent: its own key. */
  readonly group?: string;
  /** Exposure `accounts`: the server's `default: true` instance, used when a call names no account. */
  readonly isDefault?: boolean;
  /** Records each `tools/call` to this member (see callAudit); absent: nothing is recorded. */
  readonly audit?: CallAudit;
}

// Requests an upstream sends its client that connectUpstream may have answered itself:
// the relay must see them to pass them on.
const SERVER_TO_CLIENT_METHODS = ['sampling/createMessage', 'elicitation/create', 'roots/list'] as const;

export class Member {
  readonly key: string;
  readonly label: string;
  readonly note: string;
  /** Applied by the catalog, which reports what it hides. */
  readonly filter: CompiledToolFilter;
  /** `tools.describe`, applied by the catalog. */
  readonly describe: Readonly<Record<string, string>> | undefined;
  /** `tools.pin`: checked by the catalog's builder; owned (disposed) by this member. */
  readonly pins: PinBook | undefined;
  readonly account: string;
  /** `tools.confirm`: which calls need the user's approval (see callApproval). */
  readonly confirm: CompiledToolConfirm;
  /** Tools allowed "for this session" (upstream names), forgotten at each new connection. */
  private readonly approved = new Set<string>();
  readonly roots: readonly string[] | false | undefined;
  readonly group: string;
  readonly isDefault: boolean;
  readonly audit: CallAudit | undefined;
  /** Calls in flight, in start order: the last one is the most recent. */
  readonly inflight = new Set<InFlightCall>();
  /** Tasks a client created for this upstream's requests (task id → that client's session). */
  readonly clientTasks = new Map<string, SessionLike>();
  /** Upstream URI → the sessions subscribed to it through this relay. */
  readonly subscriptions = new Map<string, Set<SessionLike>>();
  private connection: UpstreamConnection | undefined;
  private lastCapabilities: ServerCapabilities | undefined;
  private toolList: Promise<readonly Tool[]> | undefined;
  private lastTools: readonly Tool[] | undefined;
  private promptList: Promise<readonly Prompt[]> | undefined;
  private lastPrompts: readonly Prompt[] = [];
  private readonly subscription: Disposable;
  private readonly pinSubscription: Disposable | undefined;

  constructor(
    private readonly source: UpstreamSource,
    options: MemberOptions,
    private readonly events: MemberEvents,
  ) {
    this.key = source.key;
    this.label = options.label;
    this.note = options.note;
    this.filter = compileToolFilter(options.tools);
    this.describe = options.tools?.describe;
    this.pins = options.pins;
    // An accept (CLI or tree) changes what is exposed: the same path as the upstream's list_changed.
    this.pinSubscription = this.pins?.onChange(() => this.events.toolsChanged(this));
    this.account = options.account ?? options.label;
    this.confirm = compileToolConfirm(options.tools?.confirm);
    this.roots = options.roots;
    this.group = options.group ?? source.key;
    this.isDefault = options.isDefault ?? false;
    this.audit = options.audit;
    this.adopt(source.state());
    this.subscription = source.onStateChange((state) => {
      this.adopt(state);
      this.events.stateChanged(this, state);
    });
  }

  whenSettled(): Promise<void> {
    return this.source.whenSettled();
  }

  /** `call` is no longer in flight; the relay hears when none is (a deferred restart waits for it). */
  callEnded(call: InFlightCall): void {
    if (this.inflight.delete(call) && this.inflight.size === 0) this.events.idle?.(this);
  }

  /** Called after the member has adopted the new state (its own listener runs first). */
  onStateChange(listener: (state: UpstreamState) => void): Disposable {
    return this.source.onStateChange(listener);
  }

  /**
   * Resolves once the upstream is up, or no longer coming back (down for good, stopped),
   * or after `timeoutMs`: a failed first start that the supervisor is retrying is worth
   * waiting for.
   */
  whenBack(timeoutMs: number): Promise<void> {
    if (this.isUp() || !this.restarting() || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const subscription = this.source.onStateChange((state) => {
        if (state.kind === 'up' || !this.restarting()) done();
      });
    });
  }

  state(): UpstreamState {
    return this.source.state();
  }

  isUp(): boolean {
    return this.connection !== undefined;
  }

  /** The capabilities of the current connection, or of the last one while it is down. */
  capabilities(): ServerCapabilities | undefined {
    return this.connection?.serverCapabilities ?? this.lastCapabilities;
  }

  instructions(): string | undefined {
    return this.connection?.instructions;
  }

  serverVersion(): string | undefined {
    return this.connection?.serverInfo.version;
  }

  /** The connected client, or an error that says why there is none. */
  client(method: string): Client {
    const connection = this.connection;
    if (connection !== undefined) return connection.client;
    throw new RelayError('instance-down', `Instance "${this.key}" cannot answer ${method}: ${this.whyDown()}.`, ErrorCode.InternalError, this.key);
  }

  restarting(): boolean {
    const state = this.source.state();
    return state.kind === 'starting' || (state.kind === 'down' && state.restarting);
  }

  /** The error that took the upstream down, while it is down. */
  downCause(): Error | undefined {
    const state = this.source.state();
    return state.kind === 'down' && state.cause instanceof Error ? state.cause : undefined;
  }

  whyDown(): string {
    const state = this.source.state();
    switch (state.kind) {
      case 'starting':
        return 'it is still starting; retry in a moment';
      case 'down':
        return state.restarting ? `it is down (${state.reason}) and being restarted; retry in a moment` : `it is down (${state.reason}); fix the cause and restart it`;
      case 'stopped':
        return 'it was stopped';
      case 'up':
        return 'it is connected';
    }
  }

  /**
   * The upstream's whole tool list (the catalog applies the filter, so it can tell what it
   * hides); the last known list while the upstream is down, `undefined` before any.
   */
  tools(): Promise<readonly Tool[] | undefined> {
    if (this.toolList !== undefined) return this.toolList;
    const connection = this.connection;
    if (connection === undefined) return Promise.resolve(this.lastTools);
    if (connection.serverCapabilities.tools === undefined) return Promise.resolve((this.lastTools = []));
    const list = listAll(connection.client, 'tools/list', 'tools').then((tools) => {
      if (this.toolList === list) this.lastTools = tools as Tool[];
      return tools as Tool[];
    });
    this.toolList = list;
    list.catch(() => {
      if (this.toolList === list) this.toolList = undefined;
    });
    return list;
  }

  /**
   * Whether a call to `upstreamName` needs the user's approval before it is sent. For
   * `"writes"`, the tool's `readOnlyHint` as last listed; a tool not (yet) listed is not
   * read-only.
   */
  needsApproval(upstreamName: string): boolean {
    if (this.confirm.none) return false;
    return this.confirm.needsApproval(upstreamName, readOnlyHints(this.lastTools).get(upstreamName)) && !this.approved.has(upstreamName);
  }

  approvedForSession(upstreamName: string): boolean {
    return this.approved.has(upstreamName);
  }

  rememberApproval(upstreamName: string): void {
    this.approved.add(upstreamName);
  }

  prompts(): Promise<readonly Prompt[]> {
    if (this.promptList !== undefined) return this.promptList;
    const connection = this.connection;
    if (connection === undefined || connection.serverCapabilities.prompts === undefined) return Promise.resolve(this.lastPrompts);
    const list = listAll(connection.client, 'prompts/list', 'prompts').then((prompts) => {
      if (this.promptList === list) this.lastPrompts = prompts as Prompt[];
      return prompts as Prompt[];
    });
    this.promptList = list;
    list.catch(() => {
      if (this.promptList === list) this.promptList = undefined;
    });
    return list;
  }

  dispose(): void {
    this.subscription.dispose();
    this.pinSubscription?.dispose();
    this.pins?.dispose();
  }

  private adopt(state: UpstreamState): void {
    const next = state.kind === 'up' ? state.connection : undefined;
    if (next === this.connection) return;
    this.connection = next;
    // A new process (or none) is not what the user allowed "for this session".
    this.approved.clear();
    this.toolList = undefined;
    this.promptList = undefined;
    if (next !== undefined) {
      this.lastCapabilities = next.serverCapabilities;
      this.listen(next.client);
    }
  }

  private listen(client: Client): void {
    const current = (): boolean => this.connection?.client === client;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      if (!current()) return;
      this.toolList = undefined;
      this.events.toolsChanged(this);
    });
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
      if (!current()) return;
      this.promptList = undefined;
      this.events.promptsChanged(this);
    });
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      if (current()) this.events.resourcesChanged(this);
    });
    for (const schema of [LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema, TaskStatusNotificationSchema]) {
      client.setNotificationHandler(schema, (notification: Notification) => {
        if (current()) this.events.notification(this, notification);
      });
    }
    client.fallbackNotificationHandler = async (notification) => {
      if (current()) this.events.notification(this, notification);
    };
    for (const method of SERVER_TO_CLIENT_METHODS) client.removeRequestHandler(method);
    client.fallbackRequestHandler = async (request, extra) => {
      try {
        return await this.events.serverRequest(this, request, extra);
      } catch (error) {
        throw toWireError(error);
      }
    };
  }
}

const hintsByList = new WeakMap<readonly Tool[], ReadonlyMap<string, boolean | undefined>>();

/** Each tool's `annotations.readOnlyHint`, indexed once per list. */
function readOnlyHints(tools: readonly Tool[] | undefined): ReadonlyMap<string, boolean | undefined> {
  if (tools === undefined) return new Map();
  let hints = hintsByList.get(tools);
  if (hints === undefined) hintsByList.set(tools, (hints = new Map(tools.map((tool) => [tool.name, tool.annotations?.readOnlyHint]))));
  return hints;
}

/** Every page of a list, fetched without validating the items (the relay passes them on). */
export function listAll(client: Client, method: string, field: string, params: Params = {}): Promise<unknown[]> {
  return collectPages(async (cursor) => {
    const result = await requestUpstream(client, { method, params: cursor === undefined ? params : { ...params, cursor } }, {});
    const items = (result as Record<string, unknown>)[field];
    const nextCursor = result['nextCursor'];
    return { items: Array.isArray(items) ? items : [], nextCursor: typeof nextCursor === 'string' ? nextCursor : undefined };
  });
}

