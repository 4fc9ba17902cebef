/**
 * `mcplex audit`: the audit trails of a configuration's instances (core/audit), as a table
 * or as the stored JSON lines; `--follow` keeps printing new calls until Ctrl-C. Reads
 * only: nothing is started, and an instance waiting for a secret still has its trail read
 * (its records folder does not depend on the secret).
 */
import { followTrail, readRotated, readTrail, type AuditEntry, type Follower } from '../../core/audit';
import { defaultStateRoot, instanceRecordsOf } from '../../core/config';
import type { AuditInvocation } from '../args';
import { ExitCode, type CliIo } from '../io';
import { loadPlan } from '../loadPlan';
import { selectInstances } from '../selectInstances';

interface Trail {
  readonly key: string;
  readonly dir: string;
}

export async function auditCommand(options: Omit<AuditInvocation, 'kind'>, io: CliIo): Promise<ExitCode> {
  const loaded = await loadPlan(options, io);
  const { context, folder } = loaded.sources;
  const stateRoot = context.stateRoot ?? defaultStateRoot(context.env, context.userHome);
  const all = loaded.window.instances.map((instance) => ({
    key: instance.key,
    instanceId: instance.instanceId,
    dir: instance.planned?.recordsDir ?? instanceRecordsOf(stateRoot, folder, instance.serverId, instance.instanceId),
  }));
  const selected = selectInstances(all, options.instance);
  if (typeof selected === 'string') {
    io.writeErr(`mcplex: ${selected}\n`);
    return ExitCode.usage;
  }
  const print = (entry: AuditEntry): void => io.writeOut(options.json ? `${JSON.stringify(entry)}\n` : `${row(entry)}\n`);
  if (!options.json) io.writeOut(`${header()}\n`);
  let unreadable = false;
  // One trail that cannot be read is said, with its folder, and never hides the others.
  const read = (trail: Trail, reader: (dir: string) => Promise<AuditEntry[]>): Promise<AuditEntry[]> =>
    reader(trail.dir).catch((error: unknown) => {
      unreadable = true;
      io.writeErr(`mcplex: ${trail.key}: cannot read its audit trail in ${trail.dir}: ${error instanceof Error ? error.message : String(error)}\n`);
      return [];
    });
  if (!options.follow) {
    const entries = (await Promise.all(selected.map((trail) => read(trail, readTrail)))).flat();
    for (const entry of byTime(entries)) print(entry);
    return unreadable ? ExitCode.problems : ExitCode.ok;
  }
  // The rotated history first (in time order), then each current file from its start and as it grows.
  const history = (await Promise.all(selected.map((trail) => read(trail, readRotated)))).flat();
  for (const entry of byTime(history)) print(entry);
  const followers: Follower[] = selected.map((trail) => followTrail(trail.dir, print));
  await io.interrupted();
  for (const follower of followers) follower.stop();
  return unreadable ? ExitCode.problems : ExitCode.ok;
}

function byTime(entries: readonly AuditEntry[]): AuditEntry[] {
  // ISO times of one clock sort as text; stable, so one instance's order is kept on a tie.
  return [...entries].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

const WIDTHS = [24, 24, 28, 9] as const;

function header(): string {
  return columns(['TIME', 'INSTANCE', 'TOOL', 'OUTCOME', 'DURATION']);
}

function row(entry: AuditEntry): string {
  return columns([entry.time, entry.instance, entry.tool, entry.outcome, `${entry.durationMs} ms`]);
}

function columns(cells: readonly string[]): string {
  return cells.map((cell, index) => (index < WIDTHS.length ? cell.padEnd(WIDTHS[index] ?? 0) : cell)).join(' ').trimEnd();
}
