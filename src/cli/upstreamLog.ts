/**
 * The upstreams' stderr and lifecycle on our stderr, each line tagged with its instance,
 * so a user running `mcplex serve` in a terminal sees which account said what. An
 * upstream may print its own API key: `io` hides every secret value the CLI handed out.
 */
import type { CliIo } from './io';
import { describeSupervisorEvent, type SupervisorEvent } from '../core/upstream';

export function upstreamLogger(io: CliIo): { stderr(key: string, line: string): void; event(event: SupervisorEvent): void } {
  return {
    stderr: (key, line) => io.writeErr(`[${key}] ${line}\n`),
    event: (event) => io.writeErr(`mcplex: ${describeSupervisorEvent(event)}\n`),
  };
}
