/**
 * The Instances view's content as plain data: workspace folder → server → instance →
 * tools as the model sees them. Pure (no `vscode`): instancesTree.ts turns these nodes into
 * TreeItems, the commands receive them back as their argument, and the tests read them.
 */
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '../../core/config';
import type { BrokenConfig, InstanceStatus, InstanceView, ToolView } from '../../core/runtime';
import { configErrorRow, type ConfigErrorNode } from './configErrorRow';
import { recentCallsNode, type RecentCallNode, type RecentCallsNode } from './recentCallsNode';
import { renderState } from './stateRender';

export interface TreeIcon {
  /** A codicon id (`pass`, `sync~spin`…). */
  readonly id: string;
  /** A theme color id, when the state deserves one. */
  readonly color?: string;
}

export interface NodeBase {
  /** Stable across refreshes, so VS Code keeps what the user expanded. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon?: TreeIcon;
  /** The `viewItem` the manifest's menus match. */
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
}

export interface FolderNode extends NodeBase {
  readonly kind: 'folder';
  readonly folderId: string;
  readonly children: readonly (ConfigErrorNode | ServerNode | MessageNode)[];
}

export interface ServerNode extends NodeBase {
  readonly kind: 'server';
  readonly folderId: string;
  readonly serverId: string;
  readonly children: readonly InstanceNode[];
}

/** What the instance commands need of an instance, whether it comes from the tree or a pick. */
export interface InstanceRef {
  /** The runtime's id: `${folderId}#${serverId}/${instanceId}`. */
  readonly runtimeId: string;
  readonly folderId: string;
  readonly serverId: string;
  readonly instanceId: string;
  readonly label: string;
  readonly location?: SourceLocation;
  /** Its private folder (`${instanceDir}`), when its configuration uses one. */
  readonly stateDir?: string;
  /** `tools.pin`: where its approved tool definitions are kept. */
  readonly pinsDir?: string;
  /** Its audit trail, while it runs with the audit on ("Open Audit Log"). */
  readonly auditFile?: string;
}

export interface InstanceNode extends NodeBase {
  readonly kind: 'instance';
  readonly instance: InstanceRef;
  readonly status: InstanceStatus['kind'];
  readonly children: readonly (RecentCallsNode | ToolNode | MessageNode)[];
}

export interface ToolNode extends NodeBase {
  readonly kind: 'tool';
  readonly instance: InstanceRef;
  /** The name the model calls it by (VS Code's `mcp_<slug>_` included in per-instance mode). */
  readonly modelName: string;
  readonly upstreamName: string;
  /** Why the model does not see it; absent when it does. */
  readonly hidden?: HiddenReason;
  readonly children: readonly [];
}

export interface MessageNode extends NodeBase {
  readonly kind: 'message';
  readonly children: readonly [];
}

export type TreeNode = FolderNode | ConfigErrorNode | ServerNode | InstanceNode | RecentCallsNode | RecentCallNode | ToolNode | MessageNode;
export type { ConfigErrorNode, RecentCallNode, RecentCallsNode };

export interface TreeFolder {
  readonly id: string;
  readonly name: string;
}

export function instanceRef(view: InstanceView): InstanceRef {
  return {
    runtimeId: `${view.folderId}#${view.key}`,
    folderId: view.folderId,
    serverId: view.serverId,
    instanceId: view.instanceId,
    label: view.label,
    ...(view.location !== undefined && { location: view.location }),
    ...(view.stateDir !== undefined && { stateDir: view.stateDir }),
    ...(view.pinsDir !== undefined && { pinsDir: view.pinsDir }),
    ...(view.auditFile !== undefined && { auditFile: view.auditFile }),
  };
}

/**
 * Folders in workspace order; in each, a row first when its configuration has errors (`broken`),
 * then servers and instances in the order the plan gives.
 */
export function buildTree(instances: readonly InstanceView[], folders: readonly TreeFolder[], broken: readonly BrokenConfig[] = [], now = Date.now()): FolderNode[] {
  return folders.map((folder) => {
    const errors = broken.filter((config) => config.folderId === folder.id).map(configErrorRow);
    const own = instances.filter((instance) => instance.folderId === folder.id);
    const servers = new Map<string, InstanceView[]>();
    for (const instance of own) servers.set(instance.serverId, [...(servers.get(instance.serverId) ?? []), instance]);
    const children = [...servers.entries()].map(([serverId, members]) => serverNode(folder, serverId, members, now));
    const count = own.length;
    return {
      kind: 'folder',
      id: `folder:${folder.id}`,
      folderId: folder.id,
      label: folder.name,
      description: count === 0 ? 'no instances' : `${count} instance${count === 1 ? '' : 's'}`,
      icon: { id: 'root-folder' },
      contextValue: 'folder',
      collapsible: 'expanded',
      children:
        children.length > 0 || errors.length > 0
          ? [...errors, ...children]
          : [message(`folder:${folder.id}:empty`, 'No instances: run "MCPlex: Add Account Instance"', 'info')],
    };
  });
}

function serverNode(folder: TreeFolder, serverId: string, members: readonly InstanceView[], now: number): ServerNode {
  const first = members[0];
  const running = members.filter((member) => member.status.kind === 'running').length;
  // Exposure `accounts`: the server is one MCP server in VS Code, its accounts behind it.
  const together = first?.serverDefinition;
  return {
    kind: 'server',
    id: `server:${folder.id}#${serverId}`,
    folderId: folder.id,
    serverId,
    label: first?.serverLabel ?? serverId,
    description: `${running}/${members.length} running${together === undefined ? '' : ' · one MCP server'}`,
    tooltip: serverTooltip(first?.serverLabel ?? serverId, serverId, members),
    icon: { id: 'server' },
    contextValue: SERVER_CONTEXT,
    collapsible: 'expanded',
    children: members.map((member) => instanceNode(member, now)),
  };
}

/** The server row's context value: "Add Account to This Server" and "Restart This Server's Instances" apply. */
export const SERVER_CONTEXT = 'server';

/** What the server row says on hover: what it starts, how many accounts and each one's state, where it is defined. */
function serverTooltip(label: string, serverId: string, members: readonly InstanceView[]): string {
  const launches = [...new Set(members.flatMap((member) => (member.launch === undefined ? [] : [member.launch])))];
  const files = [...new Set(members.flatMap((member) => (member.location === undefined ? [] : [member.location.file])))];
  // Instances may override the command or url: one line when they agree, each one when not.
  const launchLines = launches.length === 1 ? [`Starts: ${launches[0] ?? ''}`] : launches.length > 1 ? ['Starts:', ...launches.map((launch) => `  ${launch}`)] : [];
  return [
    label === serverId ? `Server "${serverId}"` : `${label} (server "${serverId}")`,
    ...launchLines,
    `${members.length} account${members.length === 1 ? '' : 's'}:`,
    ...members.map((member) => `  ${member.instanceLabel} (${member.prefix}): ${renderState(member.status, member.clients).text}`),
    ...servedTogether(members[0]?.serverDefinition),
    ...files.map((file) => `Defined in ${file}`),
  ].join('\n');
}

/** Exposure `accounts`: the line that says the server's accounts are one MCP server in VS Code. */
function servedTogether(definition: InstanceView['serverDefinition']): string[] {
  if (definition === undefined) return [];
  return [`Served as one MCP server, "${definition.label}" (exposure "accounts"): a tool every account has is listed once, as mcp_${definition.slug}_<tool>, and takes an "account" parameter`];
}

/** Appended to the context value of an instance that signs in (`oauth`, `vscode`): Sign in / Sign out apply. */
export const SIGNS_IN_CONTEXT = '.auth';

/** Appended after that to the context value of an instance whose configuration uses a `${secret:NAME}`: Set Secret applies. */
export const USES_SECRETS_CONTEXT = '.secrets';

/** Appended last to the context value of an instance that a `.vscode/mcp.json` server duplicates: "Remove from mcp.json" applies. */
export const MCP_JSON_DUPLICATE_CONTEXT = '.mcpJson';

function instanceNode(view: InstanceView, now: number): InstanceNode {
  const ref = instanceRef(view);
  const status = renderState(view.status, view.clients);
  const shown = view.tools?.filter((tool) => tool.hidden === undefined).length;
  const signedIn = view.account !== undefined && view.status.kind === 'running' ? [`signed in as ${view.account}`] : [];
  const sameAccount = view.accountWarning === undefined ? [] : ['⚠ same account as another instance'];
  const duplicate = view.duplicateOfMcpJson;
  const parts = [
    view.prefix,
    status.text,
    ...signedIn,
    ...sameAccount,
    ...(shown === undefined ? [] : [`${shown} tool${shown === 1 ? '' : 's'}`]),
    ...(duplicate === undefined ? [] : ['also in mcp.json']),
  ];
  const tooltip = [
    `${view.label} (prefix "${view.prefix}")`,
    `State: ${status.text}`,
    ...(status.detail === undefined ? [] : [status.detail]),
    ...(status.explanation === undefined ? [] : [status.explanation]),
    ...(view.account === undefined ? [] : [`Signed in as ${view.account}`]),
    ...(view.accountWarning === undefined ? [] : [`Warning: ${view.accountWarning}`]),
    ...rootsLines(view.roots),
    ...(view.stateDir === undefined ? [] : [`State folder: ${view.stateDir}`]),
    ...(view.definitionId === ref.runtimeId ? [`VS Code names its tools mcp_${view.slug}_<tool>`] : []),
    ...(view.serverDefinition === undefined ? [] : [`Served with the other accounts of ${view.serverLabel} as one MCP server, "${view.serverDefinition.label}": the model picks this one with account "${view.instanceId}"`]),
    ...(view.location === undefined ? [] : [`Defined in ${view.location.file}:${view.location.line}`]),
    ...(duplicate === undefined
      ? []
      : [`Warning: "${duplicate}" in .vscode/mcp.json starts the same server, so the model reaches this account twice (once without its note). "Remove from mcp.json" removes it.`]),
  ].join('\n');
  return {
    kind: 'instance',
    id: `instance:${ref.runtimeId}`,
    instance: ref,
    status: view.status.kind,
    label: view.instanceLabel,
    description: parts.join(' · '),
    tooltip,
    icon: status.icon,
    contextValue: `instance.${status.context}${view.signsIn === true ? SIGNS_IN_CONTEXT : ''}${(view.secrets?.length ?? 0) > 0 ? USES_SECRETS_CONTEXT : ''}${duplicate === undefined ? '' : MCP_JSON_DUPLICATE_CONTEXT}`,
    collapsible: 'collapsed',
    children: [...optional(recentCallsNode(view, ref, now)), ...toolChildren(view, ref)],
  };
}

/** Its own roots, as folders where they are files: which folders this account's server may use. */
function rootsLines(roots: InstanceView['roots']): string[] {
  if (roots === undefined) return [];
  if (roots === false) return ['Roots: none (the server is told of no roots)'];
  if (roots.length === 0) return ['Roots: an empty list (not the client\'s)'];
  return ['Roots (not the client\'s):', ...roots.map((uri) => `  ${shownRoot(uri)}`)];
}

function shownRoot(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

function toolChildren(view: InstanceView, ref: InstanceRef): (ToolNode | MessageNode)[] {
  if (view.tools === undefined) {
    const text = view.status.kind === 'running' || view.status.kind === 'starting' ? 'Listing tools…' : 'Its tools show once it runs';
    return [message(`tools:${ref.runtimeId}:unknown`, text, 'info')];
  }
  if (view.tools.length === 0) return [message(`tools:${ref.runtimeId}:none`, 'No tools', 'info')];
  // Per-instance definitions: VS Code puts `mcp_<slug>_` before each name, a server's
  // definition (exposure `accounts`) its own slug; a folder aggregate's slug is its own, and
  // the name the relay exposes is what the tree can promise.
  const hostPrefix = view.definitionId === ref.runtimeId ? `mcp_${view.slug}_` : view.serverDefinition === undefined ? '' : `mcp_${view.serverDefinition.slug}_`;
  // The label is the server's own name, so rows differ where the tools differ; the
  // description is the name the model calls it by (every row of an instance shares its stem).
  return view.tools.map((tool) => {
    const modelName = `${hostPrefix}${tool.exposedName}`;
    const hidden = tool.hidden === undefined ? undefined : HIDDEN_ROWS[tool.hidden];
    const description = hidden?.description ?? modelName;
    const names = hidden === undefined ? [`The model calls it ${modelName}`] : [];
    return {
      kind: 'tool',
      id: `tool:${ref.runtimeId}:${tool.upstreamName}`,
      instance: ref,
      modelName,
      upstreamName: tool.upstreamName,
      ...(tool.hidden !== undefined && { hidden: tool.hidden }),
      label: tool.upstreamName,
      description,
      tooltip: [tool.upstreamName, ...names, ...(tool.description === undefined ? [] : ['', tool.description]), ...(hidden === undefined ? [] : ['', hidden.tooltip])].join('\n'),
      icon: hidden?.icon ?? { id: 'tools' },
      contextValue: hidden?.contextValue ?? 'tool.allowed',
      collapsible: 'none',
      children: [],
    };
  });
}

type HiddenReason = NonNullable<ToolView['hidden']>;

/**
 * How a hidden tool's row reads. The context value picks its menu: "Allow Tool" for a tool
 * the filter hides (`tool.denied`), "Deny Tool" for one it lets through (`tool.allowed`),
 * which a name collision or a missing name does not change.
 */
const HIDDEN_ROWS: Readonly<Record<HiddenReason, { description: string; tooltip: string; icon: TreeIcon; contextValue: string }>> = {
  denied: {
    description: 'denied: hidden from the model',
    tooltip: 'Denied by tools.deny: the model does not see it.',
    icon: { id: 'circle-slash', color: 'disabledForeground' },
    contextValue: 'tool.denied',
  },
  filtered: {
    description: 'not in tools.allow: hidden from the model',
    tooltip: 'Not matched by tools.allow: the model does not see it.',
    icon: { id: 'circle-slash', color: 'disabledForeground' },
    contextValue: 'tool.denied',
  },
  collided: {
    description: 'name taken: hidden from the model',
    tooltip: 'Another tool of this endpoint already has this name, so the model does not see this one; rename one upstream or deny one of them.',
    icon: { id: 'warning', color: 'list.warningForeground' },
    contextValue: 'tool.allowed',
  },
  unnamed: {
    description: 'no name: hidden from the model',
    tooltip: 'Its prefix leaves no room for a tool name, so the model does not see it; choose a shorter instance name.',
    icon: { id: 'warning', color: 'list.warningForeground' },
    contextValue: 'tool.allowed',
  },
  // Issue 17. A read-only account's writing tool has no "Allow Tool": lifting the guardrail
  // is an edit of tools.allow by name, made on purpose in the file.
  'not-read-only': {
    description: 'not read-only: hidden from the model',
    tooltip: 'This account is read-only (tools.readOnly) and the server does not mark this tool read-only, so the model does not see it. Name it in tools.allow to make an exception.',
    icon: { id: 'lock', color: 'disabledForeground' },
    contextValue: 'tool.notReadOnly',
  },
  changed: {
    description: 'changed since you approved it: hidden',
    tooltip: 'Its description, schema or annotations changed since you approved it (tools.pin), so the model does not see it and calls are refused. Accept Tool Definition shows the change.',
    icon: { id: 'shield', color: 'list.warningForeground' },
    contextValue: 'tool.changed',
  },
  unapproved: {
    description: 'new since you approved the list: hidden',
    tooltip: 'The server listed this tool after you approved its tools (tools.pin), so the model does not see it until you accept it.',
    icon: { id: 'shield', color: 'list.warningForeground' },
    contextValue: 'tool.changed',
  },
};

function optional<T>(node: T | undefined): T[] {
  return node === undefined ? [] : [node];
}

function message(id: string, label: string, icon: string): MessageNode {
  return { kind: 'message', id, label, icon: { id: icon }, contextValue: 'message', collapsible: 'none', children: [] };
}
