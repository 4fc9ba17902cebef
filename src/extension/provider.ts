/**
 * The MCP server definition provider "mcplex": one `McpHttpServerDefinition` per
 * instance, per server in `accounts` exposure, or per folder in `aggregate` and `discovery`,
 * pointing at the window's host.
 *
 * `provide` never prompts and returns nothing in an untrusted workspace. `resolve` runs
 * just before VS Code starts a server: it makes sure the instance runs (starting it on
 * demand, signing in when it must: a browser page, a VS Code account dialog) and, when it
 * cannot, fails with the instance's own error, which VS Code shows.
 * The change event fires only when the definitions changed, so VS Code does not re-read
 * and restart for an edit that left them as they were.
 */
import type * as vscode from 'vscode';
import { RuntimeError, type DefinitionSpec } from '../core/runtime';
import type { VsCodeApi } from './vscodeApi';

export const PROVIDER_ID = 'mcplex';

type ProviderApi = Pick<VsCodeApi, 'EventEmitter' | 'McpHttpServerDefinition' | 'Uri'>;

export interface DefinitionSource {
  definitions(): readonly DefinitionSpec[];
  ensureRunning(definitionId: string, options?: { readonly interactive?: boolean }): Promise<void>;
}

export interface ProviderGate {
  isTrusted(): boolean;
  /** Settles once the first look at the workspace is done, so `provide` does not answer empty too early. */
  readonly ready: Promise<void>;
}

/** How long `provide` waits for the first update before answering with what it has. */
export const READY_TIMEOUT_MS = 10_000;

export class DefinitionNotFoundError extends Error {
  readonly code = 'definition-not-found';
  constructor(label: string) {
    super(`"${label}" is no longer in the MCPlex configuration: run "MCP: List Servers" again to see the current servers.`);
    this.name = 'DefinitionNotFoundError';
  }
}

export class InstanceStartError extends Error {
  readonly code = 'instance-start-failed';
  constructor(label: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${label} could not start: ${reason}`, { cause });
    this.name = 'InstanceStartError';
  }
}

export class McplexDefinitionProvider implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition> {
  private readonly changed: vscode.EventEmitter<void>;
  readonly onDidChangeMcpServerDefinitions: vscode.Event<void>;

  constructor(
    private readonly api: ProviderApi,
    private readonly source: DefinitionSource,
    private readonly gate: ProviderGate,
  ) {
    this.changed = new api.EventEmitter<void>();
    this.onDidChangeMcpServerDefinitions = this.changed.event;
  }

  async provideMcpServerDefinitions(): Promise<vscode.McpHttpServerDefinition[]> {
    await withTimeout(this.gate.ready, READY_TIMEOUT_MS);
    if (!this.gate.isTrusted()) return [];
    return this.source.definitions().map((spec) => this.toDefinition(spec));
  }

  async resolveMcpServerDefinition(server: vscode.McpHttpServerDefinition): Promise<vscode.McpHttpServerDefinition> {
    // VS Code hands back the definition it got from `provide`; the label is its key.
    const spec = this.source.definitions().find((candidate) => candidate.label === server.label);
    if (spec === undefined) throw new DefinitionNotFoundError(server.label);
    try {
      // VS Code starts the server because the user (or the agent) wants it: a sign-in may ask now.
      await this.source.ensureRunning(spec.id, { interactive: true });
    } catch (error) {
      // The runtime's own errors already name the instance and the cause; wrapping them
      // again would read "X could not start: "X" could not start: …".
      if (error instanceof RuntimeError) throw error;
      throw new InstanceStartError(spec.label, error);
    }
    return this.toDefinition(spec);
  }

  /** Tells VS Code to ask again; call once per update whose definitions changed. */
  notifyChanged(): void {
    this.changed.fire();
  }

  toDefinition(spec: DefinitionSpec): vscode.McpHttpServerDefinition {
    return new this.api.McpHttpServerDefinition(spec.label, this.api.Uri.parse(spec.url), { ...spec.headers }, spec.version);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}
