/**
 * `mcplex list`: start every instance in parallel and print the tools each exposes,
 * under the names a client of `mcplex serve` sees. One failing instance is reported and
 * never hides the others.
 */
import { dirname } from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { PlannedInstance } from '../../core/plan';
import { appendNote, nameTools } from '../../core/naming';
import { compileToolFilter } from '../../core/naming';
import type { AuthorizedConnector } from '../../core/auth';
import { listAllTools } from '../../core/wire';
import { hasErrors } from '../../core';
import { cliConnector, unsupportedAuth } from '../cliAuth';
import { loadPlan, reportProblems } from '../loadPlan';
import { ExitCode, type CliIo } from '../io';
import { Progress } from '../progress';

export interface ListedTool {
  readonly instance: string;
  readonly server: string;
  readonly name: string;
  readonly upstreamName: string;
  readonly description: string;
}

type InstanceResult =
  | { readonly ok: true; readonly instance: PlannedInstance; readonly tools: readonly Tool[]; readonly ms: number }
  | { readonly ok: false; readonly instance: PlannedInstance; readonly error: string };

export async function listCommand(options: { readonly config: string; readonly json: boolean }, io: CliIo): Promise<ExitCode> {
  const loadedPlan = await loadPlan(options.config, io);
  reportProblems(loadedPlan, io, (text) => io.writeErr(text));
  const { file, plan } = loadedPlan;

  const progress = new Progress(io, plan.instances.length);
  const folder = dirname(file.path);
  const connector = cliConnector(io, new Map(plan.instances.map((i) => [i.key, { name: i.key, prefix: i.prefix, cwd: folder }])));
  const results = await Promise.all(plan.instances.map((instance) => listInstance(instance, io, progress, connector)));
  await connector.close();

  const succeeded = results.filter((result) => result.ok);
  const names = nameTools(
    succeeded.map((result) => ({
      key: result.instance.key,
      prefix: result.instance.prefix,
      names: result.tools.map((tool) => tool.name),
    })),
    { separator: plan.separator },
  );
  for (const issue of names.issues) io.writeErr(`mcplex: ${issue.message}\n`);

  const listed: ListedTool[] = [];
  for (const result of succeeded) {
    for (const tool of result.tools) {
      const exposed = names.exposedName(result.instance.key, tool.name);
      if (exposed === undefined) continue;
      listed.push({
        instance: result.instance.key,
        server: result.instance.serverId,
        name: exposed,
        upstreamName: tool.name,
        description: appendNote(tool.description, result.instance.note),
      });
    }
  }

  if (options.json) io.writeOut(`${JSON.stringify(listed, null, 2)}\n`);
  else io.writeOut(renderTable(results, listed));

  const failed = results.some((result) => !result.ok);
  return failed || hasErrors(loadedPlan.problems) ? ExitCode.problems : ExitCode.ok;
}

async function listInstance(
  instance: PlannedInstance,
  io: CliIo,
  progress: Progress,
  connector: AuthorizedConnector,
): Promise<InstanceResult> {
  const started = Date.now();
  const stderrTail: string[] = [];
  const unsupported = unsupportedAuth(instance);
  if (unsupported !== undefined) {
    progress.report(`${instance.key}: failed`);
    return { ok: false, instance, error: `${instance.key}: ${unsupported}` };
  }
  try {
    const connection = await connector.connectUpstream(instance.upstream, {
      instance: instance.key,
      onStderr: (line) => {
        stderrTail.push(line);
        if (stderrTail.length > 20) stderrTail.shift();
        if (io.env['MCPLEX_LOG_STDERR'] === '1') io.writeErr(`[${instance.key}] ${line}\n`);
      },
    });
    try {
      const filter = compileToolFilter(instance.tools);
      const tools = (await listAllTools(connection.client)).filter((tool) => filter.allows(tool.name));
      const ms = Date.now() - started;
      progress.report(`${instance.key}: ${tools.length} tool${tools.length === 1 ? '' : 's'} (${ms} ms)`);
      return { ok: true, instance, tools, ms };
    } finally {
      await connection.close();
    }
  } catch (error) {
    const message = io.secrets.redact(error instanceof Error ? error.message : String(error));
    progress.report(`${instance.key}: failed`);
    return { ok: false, instance, error: message };
  }
}

function renderTable(results: readonly InstanceResult[], listed: readonly ListedTool[]): string {
  const lines: string[] = [];
  const width = Math.max(0, ...listed.map((tool) => tool.name.length));
  for (const result of results) {
    const { instance } = result;
    if (!result.ok) {
      lines.push(`${instance.key}  (${instance.label})  FAILED`, `  ${result.error}`, '');
      continue;
    }
    const tools = listed.filter((tool) => tool.instance === instance.key);
    lines.push(`${instance.key}  (${instance.label})  ${tools.length} tool${tools.length === 1 ? '' : 's'}`);
    for (const tool of tools) {
      const upstream = tool.upstreamName === tool.name ? '' : `  ← ${tool.upstreamName}`;
      lines.push(`  ${tool.name.padEnd(width)}${upstream}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
