/**
 * `mcplex pin show|accept` (issue 17, `tools.pin`): reads and approves the pinned tool
 * definitions of a configuration's instances. Nothing is started: the running relay (or
 * `mcplex list`) records what the upstream lists now as pending in pins.json; accepting
 * moves it to approved, and a running relay, watching that file, exposes the tool again.
 */
import { PinStore, PinsFileError, type PinnedDefinition, type PinsRecord } from '../../core/pins';
import type { PlannedInstance } from '../../core/plan';
import type { PinInvocation } from '../args';
import { ExitCode, type CliIo } from '../io';
import { loadPlan, reportProblems } from '../loadPlan';
import { selectInstances } from '../selectInstances';

export async function pinCommand(options: PinInvocation, io: CliIo): Promise<ExitCode> {
  const loaded = await loadPlan(options, io, { layout: 'alone' });
  reportProblems(loaded, io, (text) => io.writeErr(text));
  const selected = selectInstances(loaded.plan.instances, options.instance);
  if (typeof selected === 'string') {
    io.writeErr(`mcplex: ${selected}\n`);
    return ExitCode.usage;
  }
  try {
    return options.action === 'show' ? await show(selected, options.json, io) : await accept(selected, options.tools, io);
  } catch (error) {
    if (!(error instanceof PinsFileError)) throw error;
    io.writeErr(`mcplex: ${error.message}\n`);
    return ExitCode.problems;
  }
}

async function show(instances: readonly PlannedInstance[], json: boolean, io: CliIo): Promise<ExitCode> {
  const pinned = instances.filter((instance) => instance.tools.pin === true);
  const records = await Promise.all(
    pinned.map(async (instance) => {
      const store = storeOf(instance);
      return { instance, store, record: await store.read() };
    }),
  );
  if (json) {
    io.writeOut(`${JSON.stringify(records.map(({ instance, store, record }) => ({ instance: instance.key, file: store.file ?? null, ...(record ?? { approved: null, pending: null }) })), null, 2)}\n`);
    return ExitCode.ok;
  }
  if (pinned.length === 0) io.writeOut('No instance pins its tools here (set "tools": { "pin": true }).\n');
  const lines: string[] = [];
  for (const { instance, store, record } of records) {
    lines.push(`${instance.key}  (${instance.label})  ${store.file ?? '(no records folder)'}`);
    if (record === undefined) {
      lines.push('  nothing recorded yet: its next tool list will be approved', '');
      continue;
    }
    const pending = Object.entries(record.pending);
    lines.push(`  ${Object.keys(record.approved).length} approved, ${pending.length} waiting for approval`);
    for (const [name, pin] of pending) lines.push(...pendingLines(name, pin, record));
    if (pending.length > 0) lines.push(`  accept: mcplex pin accept --instance ${instance.key} [TOOL…]`);
    lines.push('');
  }
  io.writeOut(lines.join('\n'));
  return ExitCode.ok;
}

/** A waiting tool: new, or changed (what changed, and both descriptions: the text is the attack surface). */
function pendingLines(name: string, pin: PinnedDefinition, record: PinsRecord): string[] {
  const approved = record.approved[name];
  if (approved === undefined) return [`  ${name}: new since you approved the list`, `    description: ${text(pin.definition.description)}`];
  const changed = (['description', 'inputSchema', 'outputSchema', 'annotations'] as const).filter(
    (field) => JSON.stringify(approved.definition[field]) !== JSON.stringify(pin.definition[field]),
  );
  const lines = [`  ${name}: changed since you approved it (${changed.join(', ') || 'definition'})`];
  if (changed.includes('description')) lines.push(`    approved: ${text(approved.definition.description)}`, `    now:      ${text(pin.definition.description)}`);
  return lines;
}

function text(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : '(none)';
}

async function accept(instances: readonly PlannedInstance[], tools: readonly string[], io: CliIo): Promise<ExitCode> {
  const [instance] = instances;
  if (instance === undefined) return ExitCode.usage;
  if (instance.tools.pin !== true) {
    io.writeErr(`mcplex: instance ${instance.key} does not pin its tools ("tools": { "pin": true }); there is nothing to accept\n`);
    return ExitCode.usage;
  }
  const accepted = await storeOf(instance).accept(tools);
  io.writeErr(accepted.length === 0 ? `mcplex: ${instance.key}: no tool is waiting for approval\n` : `mcplex: ${instance.key}: accepted ${accepted.join(', ')}\n`);
  return ExitCode.ok;
}

function storeOf(instance: PlannedInstance): PinStore {
  return new PinStore(instance.recordsDir);
}
