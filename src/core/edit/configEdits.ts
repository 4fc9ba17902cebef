/**
 * The edits the extension makes to `.mcplex.jsonc`, as pure functions text → text:
 * create the file, add a server (imported from `.vscode/mcp.json`), add an instance,
 * remove one, allow or deny a tool. Each keeps the rest of the file as it was
 * (see jsonEdit.ts). Golden files under test/fixtures/edits/ show every case byte for byte.
 */
import type { LaunchSettings } from '../config';
import { EditError } from './errors';
import { appendToArray, nodeAt, parseStrict, removeValue, setValue } from './jsonEdit';
import type { JsonValue } from './renderJson';
import { detectStyle, type TextStyle } from './textStyle';

/** The URI scheme under which the extension serves the schema (a TextDocumentContentProvider). */
export const SCHEMA_SCHEME = 'mcplex-schema';
/**
 * What a created file's `$schema` says: served by the extension itself, so VS Code loads
 * it offline (a web address would have to exist and be reachable). Also the schema's `$id`.
 */
export const SCHEMA_URL = `${SCHEMA_SCHEME}:/mcplex.schema.json`;

/** The fields a server or an instance may carry, as the file writes them. */
export type LaunchFields = LaunchSettings;

export interface ServerFields extends LaunchFields {
  readonly instances?: Readonly<Record<string, LaunchFields>>;
}

/** A new file: `$schema` and empty `servers`, in the given style. */
export function newConfigText(style: TextStyle = detectStyle(undefined)): string {
  return setValue('', [], { $schema: SCHEMA_URL, servers: {} }, style);
}

/**
 * Adds server `serverId`. `text` undefined (no file) or blank: the file is created with
 * `$schema`. Fails when the server exists.
 */
export function addServer(text: string | undefined, serverId: string, server: ServerFields): string {
  const base = baseText(text);
  if (nodeAt(base, ['servers', serverId]) !== undefined) {
    throw new EditError('exists', `The server "${serverId}" is already in the file; pick another id or add an instance to it.`);
  }
  return setValue(base, ['servers', serverId], toJson(server), detectStyle(text));
}

/** Adds instance `instanceId` to an existing server. Fails when it exists. */
export function addInstance(text: string | undefined, serverId: string, instanceId: string, instance: LaunchFields): string {
  const base = baseText(text);
  if (nodeAt(base, ['servers', serverId]) === undefined) {
    throw new EditError('not-found', `The server "${serverId}" is not in the file; add it first.`);
  }
  if (nodeAt(base, ['servers', serverId, 'instances', instanceId]) !== undefined) {
    throw new EditError('exists', `The server "${serverId}" already has an instance "${instanceId}"; pick another prefix.`);
  }
  return setValue(base, ['servers', serverId, 'instances', instanceId], toJson(instance), detectStyle(text));
}

export function removeInstance(text: string, serverId: string, instanceId: string): string {
  return removeValue(text, ['servers', serverId, 'instances', instanceId]);
}

export interface ToolFilterState {
  /** The instance's own `tools.deny`, as written. */
  readonly instanceDeny: readonly string[];
  readonly instanceAllow?: readonly string[];
  /** The server's `tools.deny` (the instance cannot lift it). */
  readonly serverDeny: readonly string[];
}

/** What the file says about tools for one instance. */
export function toolFilterState(text: string, serverId: string, instanceId: string): ToolFilterState {
  const strings = (path: readonly string[]): readonly string[] | undefined => {
    const node = nodeAt(text, path);
    if (node?.type !== 'array') return undefined;
    return (node.children ?? []).flatMap((child) => (typeof child.value === 'string' ? [child.value] : []));
  };
  const instancePath = ['servers', serverId, 'instances', instanceId, 'tools'];
  const allow = strings([...instancePath, 'allow']);
  return {
    instanceDeny: strings([...instancePath, 'deny']) ?? [],
    ...(allow !== undefined && { instanceAllow: allow }),
    serverDeny: strings(['servers', serverId, 'tools', 'deny']) ?? [],
  };
}

/**
 * Hides `tool` from the model: appends its name to the instance's `tools.deny` (unless
 * it is listed there already).
 */
export function denyTool(text: string, serverId: string, instanceId: string, tool: string): string {
  requireInstance(text, serverId, instanceId);
  const state = toolFilterState(text, serverId, instanceId);
  if (state.instanceDeny.includes(tool)) return text;
  return appendToArray(text, ['servers', serverId, 'instances', instanceId, 'tools', 'deny'], tool);
}

/**
 * Shows `tool` to the model again: removes its exact name from the instance's
 * `tools.deny`, and adds it to the instance's `tools.allow` when that list leaves it out.
 * A glob or the server's own list that denies it cannot be undone here: the error says
 * which pattern to edit. `matches(pattern)` tells whether a pattern covers the tool.
 */
export function allowTool(text: string, serverId: string, instanceId: string, tool: string, matches: (pattern: string) => boolean): string {
  requireInstance(text, serverId, instanceId);
  const state = toolFilterState(text, serverId, instanceId);
  const serverPattern = state.serverDeny.find(matches);
  if (serverPattern !== undefined) {
    throw new EditError('not-editable', `"${tool}" is denied for every instance by the server's tools.deny pattern "${serverPattern}"; edit that list in the file.`);
  }
  const globs = state.instanceDeny.filter((pattern) => pattern !== tool && matches(pattern));
  if (globs.length > 0) {
    throw new EditError('not-editable', `"${tool}" is denied by the pattern "${globs[0]}" in tools.deny; edit the pattern in the file.`);
  }
  const instancePath = ['servers', serverId, 'instances', instanceId, 'tools'];
  let result = text;
  const index = state.instanceDeny.indexOf(tool);
  if (index !== -1) result = removeValue(result, [...instancePath, 'deny', index]);
  if (state.instanceAllow !== undefined && !state.instanceAllow.some(matches)) result = appendToArray(result, [...instancePath, 'allow'], tool);
  result = dropIfEmpty(dropIfEmpty(result, [...instancePath, 'deny']), instancePath);
  return collapseBlankObject(result, instancePath.slice(0, -1));
}

/** `{\n   }` (what removing the last member leaves) back to `{}`, as it was before. */
function collapseBlankObject(text: string, path: readonly (string | number)[]): string {
  const node = nodeAt(text, [...path]);
  if (node?.type !== 'object' || (node.children?.length ?? 0) > 0) return text;
  const inside = text.slice(node.offset + 1, node.offset + node.length - 1);
  if (inside.trim() !== '' || inside === '') return text;
  return `${text.slice(0, node.offset)}{}${text.slice(node.offset + node.length)}`;
}

/** Removes an array or object left empty by an edit, so allowing the last denied tool
 *  gives back the file as it was before it was denied. */
function dropIfEmpty(text: string, path: readonly (string | number)[]): string {
  const node = nodeAt(text, [...path]);
  if (node === undefined || (node.type !== 'array' && node.type !== 'object') || (node.children?.length ?? 0) > 0) return text;
  return removeValue(text, [...path]);
}

function requireInstance(text: string, serverId: string, instanceId: string): void {
  if (nodeAt(text, ['servers', serverId, 'instances', instanceId]) === undefined) {
    throw new EditError('not-found', `The instance "${instanceId}" of "${serverId}" is not in the file any more.`);
  }
}

/** Blank or missing text → a new document (with `$schema`) in the text's style. */
function baseText(text: string | undefined): string {
  if (text === undefined) return newConfigText();
  // Blank, or only comments: the document goes after what is there.
  if (parseStrict(text) === undefined) return setValue(text, [], { $schema: SCHEMA_URL, servers: {} });
  if (nodeAt(text, ['servers']) === undefined) return setValue(text, ['servers'], {});
  return text;
}

/** Drops undefined fields (exactOptionalPropertyTypes keeps them out, but be sure) and empty maps. */
function toJson(fields: ServerFields): JsonValue {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value === 'object' && !Array.isArray(value) && key !== 'instances' && Object.keys(value).length === 0) continue;
    out[key] = key === 'instances' ? mapValues(value as Record<string, LaunchFields>) : (value as JsonValue);
  }
  return out;
}

function mapValues(instances: Readonly<Record<string, LaunchFields>>): JsonValue {
  return Object.fromEntries(Object.entries(instances).map(([id, fields]) => [id, toJson(fields)]));
}
