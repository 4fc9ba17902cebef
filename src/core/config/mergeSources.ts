/**
 * Two sources of one folder's servers, merged: the `mcplex.servers` setting (accounts
 * wanted in every workspace) and the folder's `.mcplex.jsonc`. The file is the more
 * specific of the two, so it wins: per server id its fields override the setting's, and
 * the instances are the union of both, the file's instance replacing the setting's
 * instance of the same id as a whole (half of one account and half of another would
 * be nobody's account).
 *
 * Merge the sources as parsed with `checkRunnable: false`, then run `keepRunnable` over
 * the result: an instance in the setting may take its `command` from the file's server.
 */
import type { FieldLocations, InstanceConfig, LaunchSettings, McplexConfig, ServerConfig } from './model';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Every field a server shares with its instances, the file's overriding the setting's.
 * A record so that a field added to `LaunchSettings` cannot be forgotten here: a file's
 * `isolate` or `auth` the merge dropped would run an account on the setting's (shared) terms.
 */
const LAUNCH_FIELD_SET: Readonly<Record<keyof LaunchSettings, true>> = {
  label: true, command: true, args: true, env: true, cwd: true, url: true, transport: true, headers: true, tools: true,
  auth: true, roots: true, isolate: true, share: true, audit: true,
};
const LAUNCH_FIELDS = Object.keys(LAUNCH_FIELD_SET) as (keyof LaunchSettings)[];

/** `settings` overridden by `file`; undefined only when both are. */
export function mergeSources(settings: McplexConfig | undefined, file: McplexConfig | undefined): McplexConfig | undefined {
  if (settings === undefined) return file;
  if (file === undefined) return settings;
  const servers: Record<string, ServerConfig> = { ...settings.servers };
  for (const [serverId, server] of Object.entries(file.servers)) {
    const base = settings.servers[serverId];
    servers[serverId] = base === undefined ? server : mergeServer(base, server);
  }
  const merged: Mutable<McplexConfig> = { file: file.file, servers };
  const separator = file.separator ?? settings.separator;
  const note = file.note ?? settings.note;
  if (separator !== undefined) merged.separator = separator;
  if (note !== undefined) merged.note = note;
  const toolPrefix = file.toolPrefix ?? settings.toolPrefix;
  if (toolPrefix !== undefined) merged.toolPrefix = toolPrefix;
  const exposure = file.exposure ?? settings.exposure;
  if (exposure !== undefined) merged.exposure = exposure;
  return merged;
}

function mergeServer(base: ServerConfig, over: ServerConfig): ServerConfig {
  const merged: Mutable<ServerConfig> = { ...base, instances: {}, location: over.location };
  const overridden = new Set<string>();
  for (const field of LAUNCH_FIELDS) {
    if (over[field] === undefined) continue;
    (merged as Record<string, unknown>)[field] = over[field];
    overridden.add(field);
  }
  // `command` and `url` exclude each other: the file choosing one drops the setting's other.
  if (over.command !== undefined && over.url === undefined) dropField(merged, 'url', overridden);
  if (over.url !== undefined && over.command === undefined) dropField(merged, 'command', overridden);
  // The server's own exposure is the file's, as its launch fields are.
  if (over.exposure !== undefined) {
    merged.exposure = over.exposure;
    overridden.add('exposure');
  }
  const fieldLocations = mergeLocations(base.fieldLocations, over.fieldLocations, overridden);
  if (fieldLocations === undefined) delete merged.fieldLocations;
  else merged.fieldLocations = fieldLocations;
  const instances: Record<string, InstanceConfig> = { ...base.instances, ...over.instances };
  merged.instances = instances;
  return merged;
}

function dropField(server: Mutable<ServerConfig>, field: 'command' | 'url', overridden: Set<string>): void {
  delete server[field];
  overridden.add(field);
}

/** The setting's locations of fields the file did not override, and all of the file's. */
function mergeLocations(
  base: FieldLocations | undefined,
  over: FieldLocations | undefined,
  overridden: ReadonlySet<string>,
): FieldLocations | undefined {
  if (base === undefined) return over;
  const kept = Object.entries(base).filter(([key]) => !overridden.has(String((JSON.parse(key) as unknown[])[0])));
  return { ...Object.fromEntries(kept), ...over };
}
