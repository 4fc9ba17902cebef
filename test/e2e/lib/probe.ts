// The test-only probe extension (test/e2e/probe): packaging, and reading its report.
import { join } from 'node:path';
import { REPO_ROOT } from './environment';
import { packageVsix } from './vsix';

export const PROBE_DIR = join(REPO_ROOT, 'test', 'e2e', 'probe');
/** The probe's command: writes a new report (with a higher sequence number). */
export const PROBE_COMMAND_TITLE = 'MCPlex Probe: Write Tools';

export interface ProbeTool {
  readonly name: string;
  readonly tags: readonly string[];
  readonly description: string;
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
