// code-server on node 24 with a throwaway profile: settings, extensions, start, readiness.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { E2eEnvironment } from './environment';
import { RUN_MARKER_VARIABLE } from './processes';

const execFileAsync = promisify(execFile);

export class CodeServerError extends Error {
  readonly code = 'E2E_CODE_SERVER_FAILED';
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'CodeServerError';
  }
}

/** The folders of one run, all under `runDir` so one removal cleans everything up. */
export interface Profile {
  readonly runDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** TMPDIR for everything the run starts: VS Code's IPC sockets would pile up in /tmp. */
  readonly tmpDir: string;
  readonly chromiumProfileDir: string;
  /** An empty config file: ~/.config/code-server/config.yaml may turn on a password. */
  readonly configFile: string;
  readonly logFile: string;
}

export function createProfile(runDir: string, settings: Readonly<Record<string, unknown>>): Profile {
  const profile: Profile = {
    runDir,
    userDataDir: join(runDir, 'user-data'),
    extensionsDir: join(runDir, 'extensions'),
    tmpDir: join(runDir, 'tmp'),
    chromiumProfileDir: join(runDir, 'chromium'),
    configFile: join(runDir, 'code-server.yaml'),
    logFile: join(runDir, 'code-server.log'),
  };
  for (const dir of [profile.userDataDir, profile.extensionsDir, profile.tmpDir, profile.chromiumProfileDir]) {
    mkdirSync(dir, { recursive: true });
  }
  mkdirSync(join(profile.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  writeFileSync(profile.configFile, '');
  return profile;
}

/**
 * The environment of every process the run starts: ours, minus what would reconfigure
 * code-server behind our back (PORT overrides --bind-addr, PASSWORD turns on a login,
 * VSCODE_* leak from a VS Code terminal), plus the run's TMPDIR, XDG folders and marker.
 */
export function childEnvironment(profile: Profile, runId: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key.startsWith('VSCODE_') || ['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN'].includes(key)) continue;
    env[key] = value;
  }
  env['TMPDIR'] = profile.tmpDir;
  // code-server writes logs and a default config under XDG folders; keep them in the run.
  env['XDG_CONFIG_HOME'] = join(profile.runDir, 'xdg', 'config');
  env['XDG_DATA_HOME'] = join(profile.runDir, 'xdg', 'data');
  env['XDG_CACHE_HOME'] = join(profile.runDir, 'xdg', 'cache');
  // Copilot Chat keeps a lock and session state under COPILOT_HOME (default ~/.copilot); keep them in the run too.
  env['COPILOT_HOME'] = join(profile.runDir, 'copilot');
  env[RUN_MARKER_VARIABLE] = runId;
  return env;
}

function baseArguments(environment: E2eEnvironment, profile: Profile): string[] {
  return [
    environment.codeServerEntry,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--config', profile.configFile,
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

export async function installExtensions(
  environment: E2eEnvironment,
  profile: Profile,
  env: Record<string, string>,
  vsixFiles: readonly string[],
): Promise<void> {
  if (vsixFiles.length === 0) return;
  const args = [...baseArguments(environment, profile), '--force'];
  for (const file of vsixFiles) args.push('--install-extension', file);
  try {
    await execFileAsync(environment.node24, args, { env, timeout: 120_000 });
  } catch (cause) {
    const output = cause as { stdout?: string; stderr?: string };
    throw new CodeServerError(
      `code-server could not install ${vsixFiles.join(', ')}:\n${output.stderr ?? ''}${output.stdout ?? ''}`.trim(),
      { cause },
    );
  }
}

export { freePort } from '../../helpers/freePort';

export function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts code-server and resolves once its /healthz answers; stdout and stderr go to the log file. */
export async function startCodeServer(
  environment: E2eEnvironment,
  profile: Profile,
  env: Record<string, string>,
  port: number,
  timeoutMs: number,
): Promise<ChildProcess> {
  const log = openSync(profile.logFile, 'a');
  const args = [
    ...baseArguments(environment, profile),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--ignore-last-opened',
  ];
  const child = spawn(environment.node24, args, { env, stdio: ['ignore', log, log] });
  closeSync(log);
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = `exited with ${signal ?? `code ${code}`}`;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit) break;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const why = exit ?? `did not answer /healthz within ${timeoutMs} ms`;
  if (!exit) child.kill('SIGKILL');
  throw new CodeServerError(`code-server ${why}; last lines of ${profile.logFile}:\n${logTail(profile.logFile)}`);
}
