// What every mcplex e2e test does around its own steps, written once: the provisioned
// environment, a scratch folder for the run (workspace, VSIX files, the probe's report), a
// real VS Code with mcplex (and, when asked, the probe) installed, and at the end the session
// closed — which fails the test if a process outlives it — then the folder removed.
// A test keeps its own shape: `const run = await E2eRun.create('x'); try { … } finally { await run.close(); }`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provision, type E2eEnvironment } from './environment';
import { packageExtension } from './mcplexVsix';
import { packageProbe } from './probe';
import { VsCodeSession, type VsCodeSessionOptions } from './vsCodeSession';

export interface McplexSessionOptions extends Omit<VsCodeSessionOptions, 'vsixFiles' | 'environment'> {
  /** Install the probe too, writing its report to `run.probeOutput`, and wait for this many MCP tools. */
  readonly probe?: { readonly expectMcpTools: number };
}

export class E2eRun {
  private started: VsCodeSession | undefined;

  private constructor(
    /** The run's scratch folder; removed by `close` (kept with MCPLEX_E2E_KEEP=1, as the session's own files are). */
    readonly root: string,
    readonly environment: E2eEnvironment,
  ) {}

  /** Provisions (once per process) and makes the run's folder, `mcplex-<name>-e2e-XXXXXX`. */
  static async create(name: string): Promise<E2eRun> {
    const environment = await provision();
    return new E2eRun(mkdtempSync(join(tmpdir(), `mcplex-${name}-e2e-`)), environment);
  }

  /** The session once `startMcplex` has started it (a failing test's `catch` takes its screenshot). */
  get session(): VsCodeSession | undefined {
    return this.started;
  }

  /** Where the probe writes its report (`mcplexProbe.output`) when the session has one. */
  get probeOutput(): string {
    return join(this.root, 'probe.json');
  }

  /** VS Code on `workspace` with the product's VSIX (and the probe's); `close` stops it. */
  async startMcplex(options: McplexSessionOptions): Promise<VsCodeSession> {
    const { probe, settings, ...rest } = options;
    const vsixFiles = await Promise.all([packageExtension(this.root), ...(probe === undefined ? [] : [packageProbe(this.root)])]);
    const probeSettings = probe === undefined ? {} : { 'mcplexProbe.output': this.probeOutput, 'mcplexProbe.expectMcpTools': probe.expectMcpTools };
    this.started = await VsCodeSession.start({ ...rest, vsixFiles, environment: this.environment, settings: { ...probeSettings, ...settings } });
    return this.started;
  }

  /** Closes the session (if one started), then removes the run's folder even when closing failed. */
  async close(): Promise<void> {
    try {
      await this.started?.close();
    } finally {
      if (process.env['MCPLEX_E2E_KEEP'] !== '1') rmSync(this.root, { recursive: true, force: true });
    }
  }
}
