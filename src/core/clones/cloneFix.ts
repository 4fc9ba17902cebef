/**
 * What the quick fix of a clone warning can do, read from the file itself: the instance the
 * warning sits on and, when its server is a known one, the settings to give it its own
 * state. The editor passes the warning's offset, so nothing but the text travels with a
 * diagnostic.
 */
import { mergeInstance, parseConfig, type SourceLocation } from '../config';
import { knownServerOf, type KnownServer } from './stateSettings';

export interface CloneFix {
  readonly serverId: string;
  readonly instanceId: string;
  /** The instance's key in the file, where the warning sits. */
  readonly location: SourceLocation;
  /** Absent for a server not in the table: then there is nothing to write without guessing. */
  readonly known?: KnownServer;
}

/** The instance of `text` whose key holds `offset` (a warning's start), with its server's known settings. */
export function cloneFixAt(text: string, file: string, offset: number): CloneFix | undefined {
  const { config } = parseConfig(text, file, { checkRunnable: false });
  for (const [serverId, server] of Object.entries(config?.servers ?? {})) {
    for (const [instanceId, instance] of Object.entries(server.instances)) {
      const { location } = instance;
      if (offset < location.offset || offset > location.offset + location.length) continue;
      const merged = mergeInstance(serverId, server, instanceId, instance);
      const known = knownServerOf(merged.command, merged.args ?? []);
      return { serverId, instanceId, location, ...(known !== undefined && { known }) };
    }
  }
  return undefined;
}
