import { shortHash } from './hash';

/**
 * The name Copilot CLI sessions and the Agents window give a VS Code MCP definition.
 *
 * VS Code 1.139.1 hands every MCP server of the window to these sessions through its MCP
 * gateway, named from the definition's LABEL. The rule lives in the Copilot extension that
 * ships inside VS Code 1.139.1 (copilot-chat 0.67.0, `extensions/copilot/dist/extension.js`;
 * source: microsoft/vscode-copilot-chat, src/extension/agents/copilotcli/node/mcpHandler.ts,
 * `CopilotCLIMCPHandler.loadMcpConfigWithGateway` and `normalizeServerName`):
 *
 *     const toolInvalidCharRe = /[^a-z0-9_-]/gi;
 *     let normalized = originalName.toLowerCase().replace(toolInvalidCharRe, '_');
 *     normalized = normalized.replace(/^_+|_+$/g, '');
 *     // empty → undefined → `vscode-mcp-server-${Object.keys(mcpConfig).length}`
 *     mcpConfig[serverId] = { type: 'http', url, tools: ['*'], displayName: server.label };
 *
 * So each character outside `[a-z0-9_-]` becomes its own `_` (not a run: `Notes · Work`
 * gives `notes___work`; the regex has no `u` flag, so a character outside the BMP gives
 * two), leading and trailing `_` go, there is no length limit, and a label with nothing
 * left gets a numbered name that depends on the order of the servers. Two labels with one
 * name do not both arrive: the later entry overwrites the earlier in `mcpConfig`.
 * (`loadMcpConfig` takes this path in the Agents window, `chat.experimentalSessionsWindowOverride`,
 * and wherever `github.copilot.chat.cli.mcp.enabled` is on, its default.)
 *
 * Copilot CLI then names each tool `<server name>-<tool name>`, and some model endpoints
 * refuse tool names past 64 characters (microsoft/mcp#842: `AzureMCP-AllTools-azmcp_…`),
 * so a short label is worth more than a long one.
 */
export function copilotServerName(label: string): string | undefined {
  const name = label.toLowerCase().replace(INVALID_CHARACTER, '_').replace(EDGE_UNDERSCORES, '');
  return name === '' ? undefined : name;
}

/** Exactly VS Code's `toolInvalidCharRe`, without the `u` flag on purpose (see above). */
const INVALID_CHARACTER = /[^a-z0-9_-]/gi;
const EDGE_UNDERSCORES = /^_+|_+$/g;

/**
 * `<Server> (<qualifier>, …)`: the form of every definition label mcplex makes.
 * Parentheses read naturally in VS Code's MCP views (`Notes (work)`), and survive the
 * rule above as one `__` between server and account (`notes__work`), the trailing `)`
 * dropping away; a comma and space between qualifiers gives `__` too (`notes__work__app`),
 * where ` · ` gave three underscores.
 */
export function definitionLabel(base: string, qualifiers: readonly string[]): string {
  return qualifiers.length === 0 ? base : `${base} (${qualifiers.join(', ')})`;
}

/** One more qualifier inside a label's final parentheses, or new ones if it has none. */
export function qualifyLabel(label: string, qualifier: string): string {
  return label.endsWith(')') ? `${label.slice(0, -1)}, ${qualifier})` : `${label} (${qualifier})`;
}

export interface NamedLabel {
  /** Unique in the list. */
  readonly key: string;
  readonly label: string;
  /**
   * What may be added to the label, in order, when its Copilot name is shared or empty
   * (a folder's name, the instance key). After these, a hash of the key.
   */
  readonly qualifiers: readonly string[];
}

export interface DistinctLabel {
  readonly label: string;
  /** Whether the label was qualified; absent when it is as given. */
  readonly reason?: 'shared' | 'empty';
  /** The keys whose labels gave the same Copilot name as this one, before it was qualified. */
  readonly sharedWith?: readonly string[];
}

/**
 * Labels whose Copilot names (`copilotServerName`) are distinct and never empty.
 * A label that shares its name with another, or has none, takes its next qualifier; all
 * labels of a shared name do (neither wins by the order of the list, so an instance's
 * name does not move when another is added before it), and the round repeats until no
 * name is shared. A label without a clash is left exactly as it is.
 */
export function distinctCopilotLabels(items: readonly NamedLabel[]): ReadonlyMap<string, DistinctLabel> {
  const state = new Map(items.map((item) => [item.key, { item, label: item.label, used: 0 }]));
  const result = new Map<string, DistinctLabel>();
  for (;;) {
    const byName = new Map<string, string[]>();
    const unnamed: string[] = [];
    for (const [key, { label }] of state) {
      const name = copilotServerName(label);
      if (name === undefined) unnamed.push(key);
      else byName.set(name, [...(byName.get(name) ?? []), key]);
    }
    const clashing = [...byName.values()].filter((keys) => keys.length > 1);
    if (clashing.length === 0 && unnamed.length === 0) break;
    for (const keys of clashing) {
      for (const key of keys) {
        qualifyOnce(state, key);
        if (!result.has(key)) result.set(key, { label: '', reason: 'shared', sharedWith: keys.filter((other) => other !== key) });
      }
    }
    for (const key of unnamed) {
      qualifyOnce(state, key);
      if (!result.has(key)) result.set(key, { label: '', reason: 'empty' });
    }
  }
  return new Map([...state].map(([key, { label }]) => [key, { ...result.get(key), label }]));
}

/** Hash lengths tried after the given qualifiers; the last, the whole SHA-256, cannot meet another key's. */
const KEY_HASH_LENGTHS = [4, 8, 64] as const;

function qualifyOnce(state: Map<string, { item: NamedLabel; label: string; used: number }>, key: string): void {
  const entry = state.get(key);
  if (entry === undefined) return;
  const { qualifiers } = entry.item;
  const hashLength = KEY_HASH_LENGTHS[Math.min(entry.used - qualifiers.length, KEY_HASH_LENGTHS.length - 1)] ?? 64;
  const qualifier = entry.used < qualifiers.length ? qualifiers[entry.used] ?? '' : shortHash([key], hashLength);
  entry.label = qualifyLabel(entry.label, qualifier);
  entry.used += 1;
}
