/**
 * Validators for the fields a server and an instance share. Each reports what is
 * wrong (and keeps going) and returns the value only when it is valid, recording
 * where each value sits so later stages can point at it.
 */
import type { Node } from 'jsonc-parser';
import type { JsonPath } from '../problems';
import { didYouMean } from './didYouMean';
import { describeType, objectEntries } from './jsonNodes';
import { fieldKey, ISOLATE_MODES, TRANSPORTS, type IsolateMode, type LaunchSettings, type SourceLocation, type ToolFilter, type Transport } from './model';
import { formatPath, locationInString, problemAt, type ProblemSink } from './positions';
import { warnSecretsInArgs } from './secretInArgs';
import { parseTemplate } from './template';
import { validateAudit } from './validateAudit';
import { validateAuth } from './validateAuth';
import { confirmValue } from './validateConfirm';
import { validateRoots } from './validateRoots';
import { TOOL_POLICY_KEYS, validateToolPolicyField } from './validateToolPolicy';

/** The object being validated: a server or an instance. */
export interface Scope {
  readonly sink: ProblemSink;
  /** For messages: "server `google`", "instance `work` of server `google`". */
  readonly where: string;
  readonly path: JsonPath;
  /** Filled with the location of every accepted value, keyed by `fieldKey`. */
  readonly fields: Record<string, SourceLocation>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type LaunchDraft = Mutable<LaunchSettings>;

export const LAUNCH_KEYS = [
  'label', 'command', 'args', 'env', 'cwd', 'url', 'transport', 'headers', 'tools', 'auth',
  'roots',
  'isolate', 'share',
  'audit',
] as const;

const ENV_NAME = /^[^=\0]+$/;
/** RFC 9110 token characters. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Validates one shared field into `draft`; unknown keys are the caller's job. */
export function validateLaunchField(scope: Scope, draft: LaunchDraft, key: string, node: Node): void {
  switch (key) {
    case 'label': {
      const value = stringValue(scope, [key], node, false);
      if (value !== undefined) draft.label = value;
      return;
    }
    case 'command': {
      const value = stringValue(scope, [key], node, true);
      if (value !== undefined) draft.command = value;
      return;
    }
    case 'cwd': {
      const value = stringValue(scope, [key], node, true);
      if (value !== undefined) draft.cwd = value;
      return;
    }
    case 'args': {
      const value = stringArray(scope, [key], node, true, '`["-y", "some-mcp-server"]`');
      if (value === undefined) return;
      draft.args = value;
      warnSecretsInArgs(scope, node, value);
      return;
    }
    case 'env': {
      const value = stringMap(scope, [key], node, ENV_NAME, 'an environment variable name (not empty, no `=`)');
      if (value !== undefined) draft.env = value;
      return;
    }
    case 'headers': {
      const value = stringMap(scope, [key], node, HEADER_NAME, 'an HTTP header name (letters, digits and `-`)');
      if (value !== undefined) draft.headers = value;
      return;
    }
    case 'url': {
      const value = urlValue(scope, node);
      if (value !== undefined) draft.url = value;
      return;
    }
    case 'transport': {
      const value = transportValue(scope, node);
      if (value !== undefined) draft.transport = value;
      return;
    }
    case 'tools': {
      const value = toolFilter(scope, node);
      if (value !== undefined) draft.tools = value;
      return;
    }
    case 'auth': {
      const value = validateAuth(scope, node);
      if (value !== undefined) draft.auth = value;
      return;
    }
    case 'roots': {
      const value = validateRoots(scope, node);
      if (value !== undefined) draft.roots = value;
      return;
    }
    case 'isolate': {
      const value = isolateValue(scope, node);
      if (value !== undefined) draft.isolate = value;
      return;
    }
    case 'share': {
      const value = shareValue(scope, node);
      if (value !== undefined) draft.share = value;
      return;
    }
    case 'audit': {
      const value = validateAudit(scope, node);
      if (value !== undefined) draft.audit = value;
      return;
    }
  }
}

function isolateValue(scope: Scope, node: Node): IsolateMode | undefined {
  if (node.type !== 'string') return typeError(scope, ['isolate'], node, '`"none"`, `"xdg"` or `"home"`');
  const value = node.value as string;
  if ((ISOLATE_MODES as readonly string[]).includes(value)) {
    remember(scope, ['isolate'], node);
    return value as IsolateMode;
  }
  const guess = didYouMean(value, ISOLATE_MODES);
  scope.sink.error(
    'invalid-value',
    node,
    [...scope.path, 'isolate'],
    `\`isolate\` of ${scope.where} must be \`none\` (the user's own folders), \`xdg\` (private XDG config, data, state and cache folders) or \`home\` (also a private home and temp folder), not \`${value}\`.` +
      (guess ? ` Did you mean \`${guess}\`?` : ''),
  );
  return undefined;
}

/** Entries of the real home, relative to it and inside it (`.gitconfig`, `.config/gh`). */
function shareValue(scope: Scope, node: Node): string[] | undefined {
  const entries = stringArray(scope, ['share'], node, false, '`[".gitconfig", ".ssh"]`');
  if (entries === undefined) return undefined;
  const before = scope.sink.errorCount;
  entries.forEach((entry, index) => {
    const segments = entry.split(/[\\/]/);
    const inside = entry.trim() !== '' && entry !== '.' && !/^([A-Za-z]:)?[\\/]/.test(entry);
    if (inside && !segments.includes('..') && !segments.includes('~')) return;
    const item = node.children?.[index] ?? node;
    scope.sink.error(
      'invalid-value',
      item,
      [...scope.path, 'share', index],
      `\`${entry}\` in \`share\` of ${scope.where} must be a path inside the home folder, relative to it (e.g. \`.gitconfig\` or \`.config/gh\`).`,
    );
  });
  return scope.sink.errorCount === before ? entries : undefined;
}

export function fieldName(relative: JsonPath): string {
  return `\`${formatPath(relative)}\``;
}

export function remember(scope: Scope, relative: JsonPath, node: Node): SourceLocation {
  const location = scope.sink.location(node, [...scope.path, ...relative]);
  scope.fields[fieldKey(relative)] = location;
  return location;
}

export function typeError(scope: Scope, relative: JsonPath, node: Node, expected: string): undefined {
  scope.sink.error(
    'invalid-type',
    node,
    [...scope.path, ...relative],
    `${fieldName(relative)} of ${scope.where} must be ${expected}, not ${describeType(node)}.`,
  );
  return undefined;
}

/**
 * A string; with `template`, its `${...}` references are checked too (they are
 * resolved later, but a misspelt one is a mistake we can show now).
 */
export function stringValue(scope: Scope, relative: JsonPath, node: Node, template: boolean): string | undefined {
  if (node.type !== 'string') return typeError(scope, relative, node, 'a string');
  const value = node.value as string;
  if (value.trim() === '' && relative.length === 1) {
    scope.sink.error(
      'invalid-value',
      node,
      [...scope.path, ...relative],
      `${fieldName(relative)} of ${scope.where} is empty; give it a value or remove it.`,
    );
    return undefined;
  }
  const location = remember(scope, relative, node);
  if (!template) return value;
  const before = scope.sink.errorCount;
  for (const issue of parseTemplate(value).issues) {
    const at = locationInString(location, value, issue.start, issue.end);
    scope.sink.push(problemAt('error', issue.code, at, `In ${fieldName(relative)} of ${scope.where}: ${issue.message}`));
  }
  return scope.sink.errorCount === before ? value : undefined;
}

export function stringArray(
  scope: Scope,
  relative: JsonPath,
  node: Node,
  template: boolean,
  example: string,
): string[] | undefined {
  if (node.type !== 'array') return typeError(scope, relative, node, `an array of strings, e.g. ${example}`);
  remember(scope, relative, node);
  const values: string[] = [];
  let valid = true;
  (node.children ?? []).forEach((item, index) => {
    const value = stringValue(scope, [...relative, index], item, template);
    if (value === undefined) valid = false;
    else values.push(value);
  });
  return valid ? values : undefined;
}

export function stringMap(
  scope: Scope,
  relative: JsonPath,
  node: Node,
  keyPattern: RegExp,
  keyDescription: string,
): Record<string, string> | undefined {
  if (node.type !== 'object') return typeError(scope, relative, node, 'an object of string values');
  remember(scope, relative, node);
  const before = scope.sink.errorCount;
  const values: Record<string, string> = {};
  for (const entry of objectEntries(node, [...scope.path, ...relative], scope.sink, `${fieldName(relative)} of ${scope.where}`)) {
    if (!keyPattern.test(entry.key)) {
      scope.sink.error(
        'invalid-name',
        entry.keyNode,
        entry.path,
        `\`${entry.key}\` in ${fieldName(relative)} of ${scope.where} is not ${keyDescription}.`,
      );
      continue;
    }
    const value = stringValue(scope, [...relative, entry.key], entry.valueNode, true);
    if (value !== undefined) values[entry.key] = value;
  }
  return scope.sink.errorCount === before ? values : undefined;
}

function urlValue(scope: Scope, node: Node): string | undefined {
  const value = stringValue(scope, ['url'], node, true);
  if (value === undefined) return undefined;
  const fix = `\`url\` of ${scope.where} must be an http:// or https:// URL, e.g. \`https://mcp.example.com/mcp\``;
  const parts = parseTemplate(value).parts;
  const first = parts[0];
  // A URL built from variables can only be checked for its scheme here; the resolver
  // checks the whole URL once the variables have values.
  if (first?.kind === 'variable') return value;
  const literal = first?.text ?? '';
  if (!/^https?:\/\//.test(literal)) {
    scope.sink.error('invalid-value', node, [...scope.path, 'url'], `${fix}.`);
    return undefined;
  }
  if (parts.length === 1 && !isHttpUrl(literal)) {
    scope.sink.error('invalid-value', node, [...scope.path, 'url'], `${fix}; \`${literal}\` is not a valid URL.`);
    return undefined;
  }
  return value;
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function transportValue(scope: Scope, node: Node): Transport | undefined {
  if (node.type !== 'string') return typeError(scope, ['transport'], node, '`"auto"`, `"http"` or `"sse"`');
  const value = node.value as string;
  if ((TRANSPORTS as readonly string[]).includes(value)) {
    remember(scope, ['transport'], node);
    return value as Transport;
  }
  const guess = didYouMean(value, TRANSPORTS);
  scope.sink.error(
    'invalid-value',
    node,
    [...scope.path, 'transport'],
    `\`transport\` of ${scope.where} must be \`auto\` (try Streamable HTTP, then SSE), \`http\` or \`sse\`, not \`${value}\`.` +
      (guess ? ` Did you mean \`${guess}\`?` : ''),
  );
  return undefined;
}

function toolFilter(scope: Scope, node: Node): ToolFilter | undefined {
  if (node.type !== 'object') {
    return typeError(scope, ['tools'], node, 'an object like `{ "deny": ["delete_*"] }`');
  }
  remember(scope, ['tools'], node);
  const before = scope.sink.errorCount;
  const filter: Mutable<ToolFilter> = {};
  const where = `\`tools\` of ${scope.where}`;
  for (const entry of objectEntries(node, [...scope.path, 'tools'], scope.sink, where, ['allow', 'deny', 'confirm', ...TOOL_POLICY_KEYS])) {
    if (validateToolPolicyField(scope, filter, entry.key, entry.valueNode)) continue;
    // --- tools.confirm (issue 17) ---
    if (entry.key === 'confirm') {
      const confirm = confirmValue(scope, entry.valueNode);
      if (confirm !== undefined) filter.confirm = confirm;
      continue;
    }
    // --- end tools.confirm ---
    const key = entry.key as 'allow' | 'deny';
    const patterns = stringArray(scope, ['tools', key], entry.valueNode, false, '`["search_*", "get_*"]`');
    if (patterns !== undefined) filter[key] = patterns;
  }
  return scope.sink.errorCount === before ? filter : undefined;
}
