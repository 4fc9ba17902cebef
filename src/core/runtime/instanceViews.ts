/** The window's instances as views for the tree and the status bar. Pure. */
import type { WindowInstance } from '../plan';
import type { AggregateShape, InstanceRunner } from '../engine';
import type { UpstreamSpec } from '../config';
import type { InstanceStatus, InstanceView, ToolView } from './model';

export interface ViewSources {
  readonly trusted: boolean;
  /** The endpoint it shares (the folder's aggregate, its server's accounts); absent: its own. */
  endpointOf(id: string): AggregateShape | undefined;
  runner(id: string): InstanceRunner | undefined;
  /** Why a runnable instance has no runner (left out of its folder's aggregate). */
  excluded(id: string): string | undefined;
  /** Its tools as the shared endpoint (by definition id) names them. */
  aggregateTools(definitionId: string, id: string): readonly ToolView[] | undefined;
  /** The clients of a shared endpoint (absent: it has none). */
  aggregateClients?(definitionId: string): number | undefined;
  /** The `.vscode/mcp.json` server that starts the same thing as this instance. */
  mcpJsonDuplicate?(id: string): string | undefined;
}

export function instanceView(instance: WindowInstance, sources: ViewSources): InstanceView {
  const shared = sources.endpointOf(instance.id);
  const runner = sources.runner(instance.id);
  const tools = shared === undefined ? runner?.tools() : sources.aggregateTools(shared.definitionId, instance.id);
  const clients = shared === undefined ? runner?.clients() : sources.aggregateClients?.(shared.definitionId);
  const account = runner?.account();
  const upstream = instance.planned?.upstream;
  const signsIn = upstream?.kind === 'remote' && (upstream.auth?.type === 'oauth' || upstream.auth?.type === 'vscode');
  const secrets = instance.planned?.secrets ?? instance.missingSecrets ?? [];
  const roots = instance.planned?.roots;
  const stateDir = upstream?.stateDir;
  const pinsDir = instance.planned?.tools.pin === true ? instance.planned.recordsDir : undefined;
  const duplicateOfMcpJson = sources.mcpJsonDuplicate?.(instance.id);
  const auditFile = runner?.audit.enabled === true ? runner.audit.file : undefined;
  const recentCalls = runner?.audit.recent();
  const launch = launchOf(instance.planned?.redacted);
  return {
    folderId: instance.folderId,
    key: instance.key,
    serverId: instance.serverId,
    instanceId: instance.instanceId,
    prefix: instance.prefix,
    slug: instance.slug,
    label: instance.label,
    serverLabel: instance.serverLabel,
    instanceLabel: instance.instanceLabel,
    status: statusOf(instance, runner, sources),
    location: instance.location,
    ...(sources.trusted && { definitionId: shared?.definitionId ?? instance.id }),
    ...(sources.trusted && shared?.serverId !== undefined && { serverDefinition: { label: shared.label, slug: shared.slug } }),
    ...(tools !== undefined && { tools }),
    ...(clients !== undefined && { clients }),
    ...(account !== undefined && { account }),
    ...(signsIn && { signsIn }),
    ...(secrets.length > 0 && { secrets }),
    ...(roots !== undefined && { roots }),
    ...(stateDir !== undefined && { stateDir }),
    ...(pinsDir !== undefined && { pinsDir }),
    ...(duplicateOfMcpJson !== undefined && { duplicateOfMcpJson }),
    ...(auditFile !== undefined && { auditFile }),
    ...(recentCalls !== undefined && recentCalls.length > 0 && { recentCalls: [...recentCalls] }),
    ...(launch !== undefined && { launch }),
  };
}

/** One line from the redacted spec (never a secret's value): the url, or the command and its arguments; a pending instance's placeholder has no command. */
function launchOf(upstream: UpstreamSpec | undefined): string | undefined {
  if (upstream === undefined) return undefined;
  if (upstream.kind === 'remote') return upstream.url;
  return upstream.command === '' ? undefined : [upstream.command, ...upstream.args].join(' ');
}

/** Its runner's stored state; without a runner, why not (untrusted, missing secrets, left out). */
function statusOf(instance: WindowInstance, runner: InstanceRunner | undefined, sources: ViewSources): InstanceStatus {
  if (!sources.trusted) return { kind: 'untrusted' };
  if (instance.missingSecrets !== undefined) return { kind: 'needs-secret', secrets: instance.missingSecrets };
  if (runner !== undefined) return runner.status();
  const excluded = sources.excluded(instance.id);
  return excluded === undefined ? { kind: 'stopped' } : { kind: 'failed', message: excluded, retrying: false };
}
