// One real VS Code for one test: a throwaway code-server profile, the workbench opened in
// headless chromium, helpers to drive it, and a close() that proves nothing was left behind.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchChromium, type BrowserContext, type Page } from './browser';
import {
  childEnvironment,
  CodeServerError,
  createProfile,
  freePort,
  installExtensions,
  logTail,
  startCodeServer,
  type Profile,
} from './codeServer';
import { provision, REPO_ROOT, type E2eEnvironment } from './environment';
import { waitForFile } from './files';
import { descendantsOf, isAlive, pollUntil, processesOfRun, signal, type ProcessInfo } from './processes';

export interface VsCodeSessionOptions {
  /** The folder VS Code opens. */
  readonly workspace: string;
  /** VSIX files installed into the session's own extensions folder before VS Code starts. */
  readonly vsixFiles?: readonly string[];
  /** User settings, over the session's defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Keep workspace trust on (default: off, so every folder is trusted without a prompt). */
  readonly workspaceTrust?: boolean;
  /** Defaults to running test/e2e/provision.sh. */
  readonly environment?: E2eEnvironment;
  readonly startTimeoutMs?: number;
}

/** Settings that keep a fresh profile quiet: no welcome page, tips, updates or telemetry. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
};

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

export class VsCodeSession {
  /** Milliseconds each phase of start() took, for reports. */
  readonly timings: Record<string, number> = {};
  private closed = false;

  private constructor(
    readonly runId: string,
    readonly profile: Profile,
    readonly port: number,
    private codeServer: ChildProcess | undefined,
    private browser: BrowserContext | undefined,
    private currentPage: Page | undefined,
  ) {}

  static async start(options: VsCodeSessionOptions): Promise<VsCodeSession> {
    const began = Date.now();
    const environment = options.environment ?? (await provision());
    const runId = randomBytes(6).toString('hex');
    const profile = createProfile(mkdtempSync(join(tmpdir(), 'mcplex-e2e-')), {
      ...QUIET_SETTINGS,
      'security.workspace.trust.enabled': options.workspaceTrust ?? false,
      ...options.settings,
    });
    const env = childEnvironment(profile, runId);
    const session = new VsCodeSession(runId, profile, await freePort(), undefined, undefined, undefined);
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    let mark = Date.now();
    const phase = (name: string): void => {
      session.timings[name] = Date.now() - mark;
      mark = Date.now();
    };
    try {
      await installExtensions(environment, profile, env, options.vsixFiles ?? []);
      phase('installExtensions');
      session.codeServer = await startCodeServer(environment, profile, env, session.port, timeoutMs);
      phase('startCodeServer');
      session.browser = await launchChromium(environment.playwrightCore, environment.chromium, profile.chromiumProfileDir, env);
      const page = session.browser.pages()[0] ?? (await session.browser.newPage());
      page.setDefaultTimeout(timeoutMs);
      session.currentPage = page;
      phase('launchChromium');
      await page.goto(`http://127.0.0.1:${session.port}/?folder=${encodeURIComponent(options.workspace)}`);
      // The status bar is drawn once the workbench has laid itself out.
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible' });
      phase('openWorkbench');
    } catch (error) {
      await session.close().catch(() => undefined);
      throw new CodeServerError(
        `VS Code did not start: ${error instanceof Error ? error.message : String(error)}\n` +
          `code-server log:\n${logTail(profile.logFile)}`,
        { cause: error },
      );
    }
    session.timings['total'] = Date.now() - began;
    return session;
  }

  get page(): Page {
    if (!this.currentPage) throw new Error('the session has no page: it is closed or never opened one');
    return this.currentPage;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Runs a command palette entry by its title: F1, type the title, Enter on that row. */
  async runCommand(title: string): Promise<void> {
    const page = this.page;
    await page.keyboard.press('F1');
    await page.locator(`${QUICK_INPUT} .quick-input-box input`).waitFor({ state: 'visible' });
    await page.keyboard.type(title);
    // Enter picks the first row: wait until the filter has made it the command asked for.
    const first = page.locator(`${QUICK_INPUT_ROWS}[data-index="0"]`);
    const firstLabel = (): Promise<string> => first.getAttribute('aria-label', { timeout: 1_000 }).then((label) => label ?? '', () => '');
    const matched = await pollAsync(async () => (await firstLabel()).startsWith(title), 15_000);
    if (!matched) {
      const rows = await this.quickPickRows(1_000).catch(() => []);
      throw new Error(`the command palette shows no "${title}"; first rows: ${JSON.stringify(rows.slice(0, 5))}`);
    }
    await page.keyboard.press('Enter');
  }

  /** The labels (aria-label) of the rows the open quick pick shows, top to bottom. */
  async quickPickRows(timeoutMs = 15_000): Promise<string[]> {
    const rows = this.page.locator(QUICK_INPUT_ROWS);
    await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
    return rows.evaluateAll((elements) =>
      elements
        .map((element) => ({
          index: Number(element.getAttribute('data-index')),
          label: element.getAttribute('aria-label') ?? element.textContent ?? '',
        }))
        .sort((a, b) => a.index - b.index)
        .map((row) => row.label),
    );
  }

  /** Waits until the quick pick shows a row for which `predicate` holds; returns all rows then. */
  async waitForQuickPickRow(predicate: (label: string) => boolean, timeoutMs = 15_000): Promise<string[]> {
    let rows: string[] = [];
    const found = await pollAsync(async () => {
      rows = await this.quickPickRows(1_000).catch(() => []);
      return rows.some(predicate);
    }, timeoutMs);
    if (!found) throw new Error(`no quick pick row matched within ${timeoutMs} ms; rows: ${JSON.stringify(rows)}`);
    return rows;
  }

  /** Writes `<repo>/test-results/<name>.png` and returns its path. */
  async screenshot(name: string): Promise<string> {
    const dir = join(REPO_ROOT, 'test-results');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Merges `changes` into the profile's user settings.json; VS Code applies them as it notices the file change. */
  writeUserSettings(changes: Readonly<Record<string, unknown>>): void {
    const file = join(this.profile.userDataDir, 'User', 'settings.json');
    const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...current, ...changes }, null, 2));
  }

  waitForFile(path: string, timeoutMs: number): Promise<string> {
    return waitForFile(path, timeoutMs);
  }

  /**
   * Closes chromium, stops code-server by the pid it was started with, and checks that no
   * process of the run is left (code-server's children and the MCP servers they spawned
   * end with it). A leftover is killed and reported as an error, so a leak fails the test.
   * Set MCPLEX_E2E_KEEP=1 to keep the run's folder (logs, profile) for a look afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const began = Date.now();
    let mark = began;
    const phase = (name: string): void => {
      this.timings[name] = Date.now() - mark;
      mark = Date.now();
    };
    const browser = this.browser;
    this.browser = undefined;
    this.currentPage = undefined;
    if (browser) await browser.close().catch(() => undefined);
    phase('closeChromium');
    const codeServer = this.codeServer;
    const tracked: ProcessInfo[] = [...processesOfRun(this.runId)];
    if (codeServer?.pid !== undefined) {
      tracked.push(...descendantsOf(codeServer.pid));
      const exited = (): boolean => codeServer.exitCode !== null || codeServer.signalCode !== null;
      if (!exited()) {
        signal(codeServer.pid, 'SIGTERM');
        if (!(await pollUntil(exited, 10_000))) signal(codeServer.pid, 'SIGKILL');
      }
    }
    phase('stopCodeServer');
    const leftovers = (): ProcessInfo[] => {
      const byPid = new Map<number, ProcessInfo>();
      for (const info of [...tracked.filter(isAlive), ...processesOfRun(this.runId)]) byPid.set(info.pid, info);
      return [...byPid.values()];
    };
    if (process.env['MCPLEX_E2E_DEBUG'] === '1') {
      const waiting = leftovers().map((info) => `${info.pid} ${info.commandLine.slice(0, 120)}`);
      process.stderr.write(`[e2e] waiting for ${waiting.length} processes to end:\n  ${waiting.join('\n  ')}\n`);
    }
    await pollUntil(() => leftovers().length === 0, 10_000);
    const left = leftovers();
    phase('awaitLeftovers');
    for (const info of left) signal(info.pid, 'SIGKILL');
    if (process.env['MCPLEX_E2E_KEEP'] !== '1') rmSync(this.profile.runDir, { recursive: true, force: true });
    if (left.length > 0) {
      const list = left.map((info) => `  ${info.pid}: ${info.commandLine.slice(0, 200)}`).join('\n');
      throw new Error(`processes of the run outlived it (killed now):\n${list}`);
    }
  }
}

async function pollAsync(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
