/**
 * Walks the parsed tree level by level (document → servers → instances), collecting
 * every problem, and builds a config from what is valid: a server with an error in
 * its own fields is left out with all its instances; an instance with an error is
 * left out alone.
 */
import type { Node } from 'jsonc-parser';
import type { JsonPath } from '../problems';
import { containsOffset, describeType, objectEntries } from './jsonNodes';
import { EXPOSURES, SERVER_EXPOSURES, fieldKey, type Exposure, type InstanceConfig, type McplexConfig, type ServerConfig, type ServerExposure, type SourceLocation } from './model';
import type { ProblemSink } from './positions';
import { LAUNCH_KEYS, validateLaunchField, type LaunchDraft, type Scope } from './validateFields';

const TOP_LEVEL_KEYS = ['$schema', 'servers', 'separator', 'note', 'toolPrefix', 'exposure'] as const;
const INSTANCE_KEYS = [...LAUNCH_KEYS, 'default'] as const;
const SERVER_KEYS = [...LAUNCH_KEYS, 'exposure', 'instances'] as const;

/** Server and instance ids: they become tool-name prefixes. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const SEPARATOR_CHARS = /^[A-Za-z0-9_:.-]+$/;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `syntaxErrors` are the offsets of syntax errors: a server or instance whose text
 * holds one may have been half-read by the error-tolerant parser, so it is left out.
 */
export function validateDocument(
  root: Node,
  sink: ProblemSink,
  syntaxErrors: readonly number[],
): McplexConfig | undefined {
  if (root.type !== 'object') {
    sink.error(
      'invalid-type',
      root,
      [],
      `The configuration must be an object like \`{ "servers": { … } }\`, not ${describeType(root)}.`,
    );
    return undefined;
  }
  const config: Mutable<McplexConfig> = { file: sink.file, servers: {} };
  let sawServers = false;
  for (const entry of objectEntries(root, [], sink, 'the configuration', TOP_LEVEL_KEYS)) {
    const { key, valueNode: node } = entry;
    if (key === 'servers') {
      sawServers = true;
      config.servers = validateServers(node, sink, syntaxErrors);
    } else if (key === 'toolPrefix') {
      if (node.type === 'boolean') config.toolPrefix = { prefixed: node.value as boolean, location: sink.location(node, entry.path) };
      else sink.error('invalid-type', node, entry.path, `\`toolPrefix\` must be true (tool names \`<prefix>__<tool>\`) or false (the tools' own names), not ${describeType(node)}.`);
    } else if (key === 'exposure') {
      const exposure = exposureValue(EXPOSURES, node, entry.path, sink, '', '');
      if (exposure !== undefined) config.exposure = exposure;
    } else if (node.type !== 'string') {
      sink.error('invalid-type', node, entry.path, `\`${key}\` must be a string, not ${describeType(node)}.`);
    } else if (key === 'separator') {
      const separator = validateSeparator(node, sink);
      if (separator !== undefined) config.separator = separator;
    } else if (key === 'note') {
      config.note = node.value as string;
    }
  }
  if (!sawServers) {
    sink.error(
      'missing-field',
      { offset: root.offset, length: 1 },
      [],
      'The configuration has no `servers`; add `"servers": { "my-server": { "command": "…", "instances": { "work": {} } } }`.',
    );
  }
  return config;
}

/** One of `allowed`, or an error at `node` that lists them (`where`: whose it is; `hint`: why a value is not allowed there). */
function exposureValue<T extends Exposure>(allowed: readonly T[], node: Node, path: JsonPath, sink: ProblemSink, where: string, hint: string): T | undefined {
  const exposure = allowed.find((value) => value === node.value);
  if (exposure !== undefined) return exposure;
  const written = node.type === 'string' ? `\`"${String(node.value)}"\`` : describeType(node);
  sink.error(node.type === 'string' ? 'invalid-value' : 'invalid-type', node, path, `\`exposure\`${where} must be ${allowed.map((value) => `\`"${value}"\``).join(', ')}, not ${written}.${hint}`);
  return undefined;
}

function validateSeparator(node: Node, sink: ProblemSink): string | undefined {
  const value = node.value as string;
  const path = ['separator'];
  if (value.length < 1 || value.length > 3 || !SEPARATOR_CHARS.test(value)) {
    sink.error(
      'invalid-value',
      node,
      path,
      `\`separator\` must be 1 to 3 characters from letters, digits, \`_\` and \`-\` (default \`__\`; \`:\` and \`.\` work but common clients reject them), not \`${value}\`.`,
    );
    return undefined;
  }
  const risky = /[:.]/.exec(value)?.[0];
  if (risky) {
    sink.warning(
      'discouraged-value',
      node,
      path,
      `\`separator\` \`${value}\` contains \`${risky}\`, which common clients (OpenAI, the Claude API) reject in tool names; prefer \`__\` or \`-\`.`,
    );
  }
  return value;
}

function validateServers(node: Node, sink: ProblemSink, syntaxErrors: readonly number[]): Record<string, ServerConfig> {
  const servers: Record<string, ServerConfig> = {};
  if (node.type !== 'object') {
    sink.error('invalid-type', node, ['servers'], `\`servers\` must be an object of server id → server, not ${describeType(node)}.`);
    return servers;
  }
  for (const entry of objectEntries(node, ['servers'], sink, '`servers`')) {
    const server = validateServer(entry.key, entry.keyNode, entry.valueNode, sink, syntaxErrors);
    if (server) servers[entry.key] = server;
  }
  return servers;
}

function checkId(kind: 'Server' | 'Instance', id: string, keyNode: Node, path: JsonPath, sink: ProblemSink): boolean {
  if (ID_PATTERN.test(id)) return true;
  const fixed = id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[_-]+/, '');
  const example = fixed && ID_PATTERN.test(fixed) ? `, e.g. \`${fixed}\`` : '';
  sink.error(
    'invalid-name',
    keyNode,
    path,
    `${kind} id \`${id}\` is not valid: use only letters, digits, \`_\` and \`-\`, starting with a letter or digit${example}.`,
  );
  return false;
}

function validateServer(
  id: string,
  keyNode: Node,
  node: Node,
  sink: ProblemSink,
  syntaxErrors: readonly number[],
): ServerConfig | undefined {
  const path = ['servers', id];
  const where = `server \`${id}\``;
  const before = sink.errorCount;
  checkId('Server', id, keyNode, path, sink);
  if (node.type !== 'object') {
    sink.error('invalid-type', node, path, `Server \`${id}\` must be an object with \`command\` or \`url\` and \`instances\`, not ${describeType(node)}.`);
    return undefined;
  }
  // Half-read by the error-tolerant parser: its syntax error says it all, and guessing
  // at the rest would only add noise. Left out until the syntax is fixed.
  const instancesProperty = node.children?.find((property) => property.children?.[0]?.value === 'instances');
  if (containsOffset(node, outside(instancesProperty, syntaxErrors))) return undefined;
  const location = sink.location(keyNode, path);
  const scope: Scope = { sink, where, path, fields: {} };
  const draft: LaunchDraft & { exposure?: ServerExposure } = {};
  let instancesNode: Node | undefined;
  for (const entry of objectEntries(node, path, sink, where, SERVER_KEYS)) {
    if (entry.key === 'instances') instancesNode = entry.valueNode;
    else if (entry.key === 'exposure') {
      const exposure = exposureValue(SERVER_EXPOSURES, entry.valueNode, entry.path, sink, ` of ${where}`, entry.valueNode.value === 'discovery' ? ' `discovery` replaces a whole endpoint\'s tools, so it is the folder\'s choice: set it at the top level.' : '');
      if (exposure !== undefined) {
        draft.exposure = exposure;
        scope.fields[fieldKey(['exposure'])] = sink.location(entry.valueNode, entry.path);
      }
    } else validateLaunchField(scope, draft, entry.key, entry.valueNode);
  }
  if (!instancesNode) {
    sink.error('missing-field', keyNode, path, `Server \`${id}\` has no \`instances\`; add at least one, e.g. \`"instances": { "work": {} }\`.`);
  }
  // Counted before the instances are walked: a broken instance only drops itself.
  const serverIsValid = sink.errorCount === before;
  const instances = instancesNode ? validateInstances(id, instancesNode, sink, syntaxErrors) : {};
  if (!serverIsValid) return undefined;
  return { ...draft, instances, location, fieldLocations: scope.fields };
}

/** The offsets that are not inside `node`. */
function outside(node: Node | undefined, offsets: readonly number[]): number[] {
  return node ? offsets.filter((offset) => !containsOffset(node, [offset])) : [...offsets];
}

function validateInstances(
  serverId: string,
  node: Node,
  sink: ProblemSink,
  syntaxErrors: readonly number[],
): Record<string, InstanceConfig> {
  const path = ['servers', serverId, 'instances'];
  const instances: Record<string, InstanceConfig> = {};
  if (node.type !== 'object') {
    sink.error('invalid-type', node, path, `\`instances\` of server \`${serverId}\` must be an object of instance id → settings, e.g. \`{ "work": {} }\`, not ${describeType(node)}.`);
    return instances;
  }
  const entries = objectEntries(node, path, sink, `\`instances\` of server \`${serverId}\``);
  if ((node.children ?? []).length === 0) {
    sink.error('invalid-value', node, path, `Server \`${serverId}\` has no instances; add at least one, e.g. \`"instances": { "work": {} }\`.`);
  }
  const defaults: { id: string; node: Node }[] = [];
  for (const entry of entries) {
    const instance = validateInstance(serverId, entry.key, entry.keyNode, entry.valueNode, sink, syntaxErrors, (node) => defaults.push({ id: entry.key, node }));
    if (instance) instances[entry.key] = instance;
  }
  // Two defaults would make a call without `account` a guess: each is reported where it is written.
  if (defaults.length > 1) {
    for (const { id, node } of defaults) {
      const others = defaults.filter((other) => other.id !== id).map((other) => `\`${other.id}\``).join(', ');
      sink.error('duplicate-default', node, [...path, id, 'default'], `Instance \`${id}\` of server \`${serverId}\` is \`default: true\`, and so is ${others}: a server has one default account. Keep \`default\` on one of them.`);
    }
  }
  return instances;
}

function validateInstance(
  serverId: string,
  id: string,
  keyNode: Node,
  node: Node,
  sink: ProblemSink,
  syntaxErrors: readonly number[],
  /** Called with the node of a `default: true`, so the server can find two. */
  onDefault: (node: Node) => void,
): InstanceConfig | undefined {
  const path = ['servers', serverId, 'instances', id];
  const where = `instance \`${id}\` of server \`${serverId}\``;
  const before = sink.errorCount;
  checkId('Instance', id, keyNode, path, sink);
  if (node.type !== 'object') {
    sink.error('invalid-type', node, path, `Instance \`${id}\` of server \`${serverId}\` must be an object (\`{}\` inherits everything from the server), not ${describeType(node)}.`);
    return undefined;
  }
  if (containsOffset(node, syntaxErrors)) return undefined;
  const location: SourceLocation = sink.location(keyNode, path);
  const scope: Scope = { sink, where, path, fields: {} };
  const draft: LaunchDraft & { default?: boolean } = {};
  for (const entry of objectEntries(node, path, sink, where, INSTANCE_KEYS)) {
    if (entry.key !== 'default') validateLaunchField(scope, draft, entry.key, entry.valueNode);
    else if (entry.valueNode.type !== 'boolean') sink.error('invalid-type', entry.valueNode, entry.path, `\`default\` of ${where} must be true or false, not ${describeType(entry.valueNode)}.`);
    else if (entry.valueNode.value === true) {
      draft.default = true;
      scope.fields[fieldKey(['default'])] = sink.location(entry.valueNode, entry.path);
      onDefault(entry.valueNode);
    }
  }
  if (sink.errorCount !== before) return undefined;
  return { ...draft, location, fieldLocations: scope.fields };
}
