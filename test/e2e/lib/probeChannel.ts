// Asking the probe for reports during a session: the first one it writes on activation,
// a new one on "MCPlex Probe: Write Tools", and waiting until VS Code's view settles.
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForFile } from './files';
import { parseProbeReport, PROBE_COMMAND_TITLE, type ProbeReport } from './probe';

/** The part of a VsCodeSession the channel drives. */
export interface CommandRunner {
  runCommand(title: string): Promise<void>;
}

export class ProbeChannel {
  private last: ProbeReport | undefined;

  constructor(
    private readonly session: CommandRunner,
    readonly outputFile: string,
  ) {}

  /** The report the probe writes by itself when the window (re)starts. */
  async first(timeoutMs = 90_000): Promise<ProbeReport> {
    this.last = parseProbeReport(await waitForFile(this.outputFile, timeoutMs));
    return this.last;
  }

  /** Forget the current report: the next window writes a new one from sequence 1. */
  forget(): void {
    rmSync(this.outputFile, { force: true });
    this.last = undefined;
  }

  /** Runs the probe's command and returns the report it writes for it. */
  async next(timeoutMs = 60_000): Promise<ProbeReport> {
    const after = this.last?.sequence ?? 0;
    await this.session.runCommand(PROBE_COMMAND_TITLE);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Reports are renamed into place whole, so what is read always parses.
      const report = parseProbeReport(await waitForFile(this.outputFile, Math.max(deadline - Date.now(), 1)));
      if (report.sequence > after) {
        this.last = report;
        return report;
      }
      if (Date.now() >= deadline) throw new Error(`the probe wrote no report after #${after} within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /**
   * Asks for new reports until `accept` holds for one (VS Code applies a provider's change
   * a moment after the file changed); fails with the last report's view otherwise.
   */
  async until(accept: (report: ProbeReport) => boolean, describe: (report: ProbeReport) => string, timeoutMs = 30_000): Promise<ProbeReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const report = await this.next(Math.max(deadline - Date.now(), 5_000));
      if (accept(report)) return report;
      if (Date.now() >= deadline) {
        throw new Error(`VS Code's view did not settle within ${timeoutMs} ms; last report: ${describe(report)}`);
      }
      await sleep(500);
    }
  }
}
