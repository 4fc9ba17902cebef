/**
 * "Accept Tool Definition" (issue 17, `tools.pin`) on a tool row the pins hide: shows what
 * changed — the approved description beside the new one, and which other parts changed —
 * in a modal, and approves it only on an explicit "Accept". The approval is written to the
 * instance's pins.json (core/pins); the running relay watches that file and lists the tool
 * again, as it does for `mcplex pin accept`.
 */
import { PinStore, PinsFileError, type PinnedDefinition } from '../../core/pins';
import type { ToolNode } from '../view';
import type { VsCodeApi } from '../vscodeApi';

export const ACCEPT_ACTION = 'Accept';

export interface PinActionDeps {
  readonly api: Pick<VsCodeApi, 'window'>;
  readonly log: { info(message: string): void };
}

export async function acceptToolDefinition(deps: PinActionDeps, argument: unknown): Promise<void> {
  const tool = argument as Partial<ToolNode> | undefined;
  if (typeof tool !== 'object' || tool === null || tool.kind !== 'tool' || tool.instance === undefined || tool.upstreamName === undefined) return;
  const { instance, upstreamName } = tool;
  if (instance.pinsDir === undefined) return;
  const store = new PinStore(instance.pinsDir);
  const record = await store.read();
  const waiting = record?.pending[upstreamName];
  if (record === undefined || waiting === undefined) {
    await deps.api.window.showInformationMessage(`"${upstreamName}" of ${instance.label} is not waiting for approval (it may have been accepted already).`);
    return;
  }
  const answer = await deps.api.window.showWarningMessage(
    `Accept the new definition of "${upstreamName}" for ${instance.label}?`,
    { modal: true, detail: changeDetail(record.approved[upstreamName], waiting) },
    ACCEPT_ACTION,
  );
  if (answer !== ACCEPT_ACTION) return;
  try {
    await store.accept([upstreamName]);
  } catch (error) {
    if (!(error instanceof PinsFileError)) throw error;
    await deps.api.window.showErrorMessage(error.message);
    return;
  }
  deps.log.info(`${instance.serverId}/${instance.instanceId}: accepted the definition of ${upstreamName}`);
}

/** Old and new description in full (the text is what could carry an injection), then the other parts that changed. */
export function changeDetail(approved: PinnedDefinition | undefined, waiting: PinnedDefinition): string {
  const now = describe(waiting.definition.description);
  if (approved === undefined) return `This tool appeared after you approved the server's tools.\n\nIts description:\n${now}`;
  const others = (['inputSchema', 'outputSchema', 'annotations'] as const).filter((field) => JSON.stringify(approved.definition[field]) !== JSON.stringify(waiting.definition[field]));
  const before = describe(approved.definition.description);
  const parts = before === now ? ['The description did not change.'] : [`Approved description:\n${before}`, `New description:\n${now}`];
  if (others.length > 0) parts.push(`Also changed: ${others.join(', ')}.`);
  return parts.join('\n\n');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : '(no description)';
}
