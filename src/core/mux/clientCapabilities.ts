/**
 * What the relay announces to an upstream as its client: the one place that says what the
 * relay can pass on. An upstream adapts its surface to these (server-everything lists tools
 * for sampling, elicitation, roots only when they are announced), so announcing more than
 * the client behind the relay supports shows tools that client cannot use.
 *
 * - One client for the process's life (`wrap`, `serve` over stdio): exactly that client's
 *   capabilities, as far as they can be passed on (`forOneClient`).
 * - Many sessions (the CLI's HTTP/socket endpoints): the union of its sessions' (`forSession`,
 *   `unionCapabilities`), re-announced by a restart only when that cuts nobody off
 *   (engine/sessionCapabilities.ts); a request no session can serve is refused at once
 *   (serverRequestNeeds.ts).
 * - The VS Code window: what VS Code itself announces (`VSCODE_CLIENT_CAPABILITIES`).
 */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';

/** The MCP Apps extension (SEP-1865): tools with a `ui://` view in `_meta.ui.resourceUri`. */
export const MCP_APPS_EXTENSION = 'io.modelcontextprotocol/ui';
/** The one view type the extension defines; a host that renders apps lists it in `mimeTypes`. */
export const MCP_APP_MIME_TYPE = 'text/html;profile=mcp-app';

/**
 * Everything the relay can pass on to its sessions. Add a client capability or extension
 * the relay relays here, and only here.
 */
export const RELAY_CLIENT_CAPABILITIES: ClientCapabilities = {
  sampling: {},
  elicitation: { form: {}, url: {} },
  roots: { listChanged: true },
  // Client-side tasks: a task-augmented sampling/elicitation request goes to a session
  // that supports it, and the task's tasks/* requests to that same session.
  tasks: { list: {}, cancel: {}, requests: { sampling: { createMessage: {} }, elicitation: { create: {} } } },
  // MCP Apps, announced as VS Code announces it: servers check it before they attach views
  // to their tools; the relay keeps `_meta.ui` and `ui://` resources intact (renamed inside
  // the `ui://` scheme in an aggregate, see namespace.ts).
  extensions: { [MCP_APPS_EXTENSION]: { mimeTypes: [MCP_APP_MIME_TYPE] } },
};

/**
 * What VS Code 1.139 announces to an MCP server (microsoft/vscode,
 * src/vs/workbench/contrib/mcp/common/mcpServerRequestHandler.ts, `McpServerRequestHandler.create`:
 * roots with listChanged, sampling, elicitation form and url, tasks list/cancel and
 * task-augmented sampling and elicitation), as far as the relay passes it on.
 */
export const VSCODE_CLIENT_CAPABILITIES: ClientCapabilities = forOneClient({
  roots: { listChanged: true },
  sampling: {},
  elicitation: { form: {}, url: {} },
  tasks: { list: {}, cancel: {}, requests: { sampling: { createMessage: {} }, elicitation: { create: {} } } },
  // MCP Apps (DESIGN.md, measured in the e2e suite: apps.e2e.ts).
  extensions: { [MCP_APPS_EXTENSION]: { mimeTypes: [MCP_APP_MIME_TYPE] } },
});

/**
 * The capabilities to announce upstream for one client that is the only one for the
 * upstream's life: the client's own, for each capability the relay passes on at all.
 * With a single session there is nobody else to route to, so every sub-capability the
 * client announced (sampling.tools, elicitation.url, tasks…) is passed through as it is,
 * and so is `experimental` (the upstream's requests reach that one session whatever their
 * method); an extension passes only if the relay relays it.
 */
export function forOneClient(client: ClientCapabilities, relayable: ClientCapabilities = RELAY_CLIENT_CAPABILITIES): ClientCapabilities {
  const picked: Record<string, unknown> = {};
  const keys = new Set([...(Object.keys(relayable) as (keyof ClientCapabilities)[]), 'experimental' as const]);
  for (const key of keys) {
    if (key === 'extensions') continue;
    if (client[key] !== undefined) picked[key] = client[key];
  }
  const extensions = pickExtensions(client.extensions, relayable.extensions);
  if (extensions !== undefined) picked['extensions'] = extensions;
  return picked as ClientCapabilities;
}

/**
 * What the relay announces to one upstream: `announced` (whatever the endpoint's clients
 * support), with `roots` as the instance's configuration decides: its own roots are
 * answered by the relay, so announced whatever the client; `"roots": false` drops it (so
 * the server knows not to ask, rather than being refused).
 */
export function relayClientCapabilities(roots: readonly string[] | false | undefined, announced: ClientCapabilities = RELAY_CLIENT_CAPABILITIES): ClientCapabilities {
  if (roots === undefined || (roots !== false && announced.roots !== undefined)) return announced;
  const { roots: _client, ...rest } = announced;
  return roots === false ? rest : { ...rest, roots: { listChanged: true } };
}

function pickExtensions(client: ClientCapabilities['extensions'], relayable: ClientCapabilities['extensions']): ClientCapabilities['extensions'] {
  if (client === undefined || relayable === undefined) return undefined;
  const picked = Object.fromEntries(Object.entries(client).filter(([name]) => name in relayable));
  return Object.keys(picked).length === 0 ? undefined : picked;
}

/**
 * What a multi-session endpoint's upstream must be told for one of its sessions: the
 * session's own capabilities the relay passes on, without `experimental` (an experimental
 * request names no session that can answer it, so it is not announced for many).
 */
export function forSession(client: ClientCapabilities): ClientCapabilities {
  const { experimental: _experimental, ...relayable } = forOneClient(client);
  return relayable;
}

/** Everything any of `sets` announces, merged key by key at every depth. */
export function unionCapabilities(...sets: readonly ClientCapabilities[]): ClientCapabilities {
  let union: Record<string, unknown> = {};
  for (const set of sets) union = mergeDeep(union, set as Record<string, unknown>);
  return union as ClientCapabilities;
}

/**
 * The part of `wanted` that `announced` lacks, at every depth (`elicitation.url` when only
 * `elicitation.form` was announced); `{}` when `announced` covers it.
 */
export function capabilitiesBeyond(announced: ClientCapabilities, wanted: ClientCapabilities): ClientCapabilities {
  return beyond(announced as Record<string, unknown>, wanted as Record<string, unknown>) as ClientCapabilities;
}

/** Whether an upstream told `announced` already offers everything a client announcing `wanted` can serve. */
export function coversCapabilities(announced: ClientCapabilities, wanted: ClientCapabilities): boolean {
  return Object.keys(capabilitiesBeyond(announced, wanted)).length === 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeDeep(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...into };
  for (const [key, value] of Object.entries(from)) {
    if (value === undefined) continue;
    const present = merged[key];
    merged[key] = isRecord(present) && isRecord(value) ? mergeDeep(present, value) : present !== undefined && !isRecord(value) ? present : value;
  }
  return merged;
}

function beyond(announced: Record<string, unknown>, wanted: Record<string, unknown>): Record<string, unknown> {
  const missing: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (value === undefined) continue;
    const present = announced[key];
    if (present === undefined) {
      missing[key] = value;
    } else if (isRecord(present) && isRecord(value)) {
      const inner = beyond(present, value);
      if (Object.keys(inner).length > 0) missing[key] = inner;
    }
  }
  return missing;
}

/** The capabilities an `initialize` request (or a batch holding one) announces; `{}` for anything else. */
export function initializeCapabilities(message: unknown): ClientCapabilities {
  if (Array.isArray(message)) return initializeCapabilities(message.find((item) => (item as { method?: unknown } | undefined)?.method === 'initialize'));
  const request = message as { method?: unknown; params?: { capabilities?: unknown } } | undefined;
  const capabilities = request?.method === 'initialize' ? request.params?.capabilities : undefined;
  return typeof capabilities === 'object' && capabilities !== null ? (capabilities as ClientCapabilities) : {};
}
