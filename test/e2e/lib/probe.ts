// The test-only probe extension (test/e2e/probe): packaging, reading its report, and having
// it invoke tools through VS Code's own MCP client.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './environment';
import { waitForFile } from './files';
import { packageVsix } from './vsix';

export const PROBE_DIR = join(REPO_ROOT, 'test', 'e2e', 'probe');
/** The probe's command: writes a new report (with a higher sequence number). */
export const PROBE_COMMAND_TITLE = 'MCPlex Probe: Write Tools';
/** The probe's command that invokes the tools listed in the file `mcplexProbe.invokeRequest` names. */
export const PROBE_INVOKE_COMMAND_TITLE = 'MCPlex Probe: Invoke Tools';

export interface ProbeTool {
  readonly name: string;
  readonly tags: readonly string[];
  readonly description: string;
  readonly inputSchema?: { readonly properties?: Readonly<Record<string, { readonly enum?: readonly string[] }>>; readonly required?: readonly string[] };
}

export interface ProbeReport {
  readonly sequence: number;
  readonly vscodeVersion: string;
  readonly providerExtensions: readonly { readonly id: string; readonly active: boolean; readonly error?: string }[];
  readonly startServers: { readonly ok: boolean; readonly error?: string; readonly attempts: number; readonly ms: number };
  /** With `mcplexProbe.startOrder`: each server started, in that order, and how it went. */
  readonly starts?: readonly { readonly id: string; readonly ok: boolean; readonly error?: string }[];
  readonly tools: readonly ProbeTool[];
}

export function packageProbe(outDir: string): Promise<string> {
  return packageVsix(PROBE_DIR, join(outDir, 'mcplex-e2e-probe.vsix'));
}

/** Parses the probe's JSON, failing with the text when its shape is not the probe's. */
export function parseProbeReport(text: string): ProbeReport {
  const value: unknown = JSON.parse(text);
  const report = value as Partial<ProbeReport> | null;
  if (
    typeof report !== 'object' || report === null ||
    typeof report.sequence !== 'number' ||
    !Array.isArray(report.tools) ||
    typeof report.startServers !== 'object'
  ) {
    throw new Error(`not a probe report: ${text.slice(0, 500)}`);
  }
  return report as ProbeReport;
}

/** The MCP tools in a report (VS Code tags them `mcp`), by name. */
export function mcpToolNames(report: ProbeReport): string[] {
  return report.tools.filter((tool) => tool.tags.includes('mcp')).map((tool) => tool.name).sort();
}

/** VS Code's id of a definition a provider extension hands it: `<extension id>/<label>`. */
export function definitionId(extensionId: string, label: string): string {
  return `${extensionId.toLowerCase()}/${label}`;
}

/** One call for the probe: the tool's name in `vscode.lm.tools` and its input. */
export interface ToolCall {
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** What `vscode.lm.invokeTool` gave back: text parts (others by their kind), or the error's message. */
export interface ToolCallResult {
  readonly name: string;
  readonly ok: boolean;
  readonly parts?: readonly { readonly text?: string; readonly kind?: string }[];
  readonly error?: string;
  readonly ms: number;
}

export interface InvocationReport {
  readonly sequence: number;
  /** `chat.tools.global.autoApprove` as the extension host read it. */
  readonly autoApprove?: unknown;
  readonly results: readonly ToolCallResult[];
  /** Set when the probe could not read the request at all. */
  readonly error?: string;
}

/** The settings that point the probe's "Invoke Tools" at a request file and a results file in `dir`. */
export function invocationSettings(dir: string): { 'mcplexProbe.invokeRequest': string; 'mcplexProbe.invokeResults': string } {
  return {
    'mcplexProbe.invokeRequest': join(dir, 'probe-invoke-request.json'),
    'mcplexProbe.invokeResults': join(dir, 'probe-invoke-results.json'),
  };
}

/** The text parts of one result joined by newlines; fails with the probe's error when the call failed. */
export function resultText(result: ToolCallResult | undefined): string {
  if (!result) throw new Error('the probe returned fewer results than calls');
  if (!result.ok) throw new Error(`${result.name} failed in VS Code: ${result.error ?? '(no message)'}`);
  return (result.parts ?? []).map((part) => part.text ?? `[${part.kind ?? 'unknown part'}]`).join('\n');
}

/**
 * Has the probe invoke `calls` in order (`vscode.lm.invokeTool`, as a participant outside a
 * chat request would) and returns one result per call. The session must have been started
 * with {@link invocationSettings} for the same `dir`.
 */
export async function invokeTools(
  session: { runCommand(title: string): Promise<void> },
  dir: string,
  calls: readonly ToolCall[],
  timeoutMs = 60_000,
): Promise<InvocationReport> {
  const files = invocationSettings(dir);
  const resultsFile = files['mcplexProbe.invokeResults'];
  // The probe renames its results into place whole; removing the old file first means the
  // file that appears is this request's answer.
  rmSync(resultsFile, { force: true });
  writeFileSync(files['mcplexProbe.invokeRequest'], JSON.stringify(calls));
  await session.runCommand(PROBE_INVOKE_COMMAND_TITLE);
  const text = await waitForFile(resultsFile, timeoutMs);
  const report = JSON.parse(text) as Partial<InvocationReport> | null;
  if (typeof report !== 'object' || report === null || !Array.isArray(report.results)) {
    throw new Error(`not an invocation report: ${text.slice(0, 500)}`);
  }
  if (report.error !== undefined) throw new Error(`the probe could not invoke tools: ${report.error}`);
  if (report.results.length !== calls.length) {
    throw new Error(`the probe answered ${report.results.length} of ${calls.length} calls: ${text.slice(0, 1000)}`);
  }
  return report as InvocationReport;
}
