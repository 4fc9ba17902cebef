/**
 * A private OS keychain for a test: a D-Bus session bus of its own and gnome-keyring's
 * Secret Service on it, with a temporary HOME (so the keyring file is the test's too),
 * unlocked with a throwaway password. Both daemons are our direct children (not
 * `dbus-launch`, which daemonizes), so `stop` ends them by pid and waits until they are gone.
 * Debian's packages (test/provision.sh); `keyringToolsMissing` says what a machine lacks.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TOOLS = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon', 'secret-tool'] as const;

/** Why the keychain tests cannot run here (to skip with), or undefined when they can. */
export function keyringToolsMissing(): string | undefined {
  if (process.platform !== 'linux') return 'the keychain tests use gnome-keyring (Linux)';
  const missing = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  return missing.length === 0 ? undefined : `${missing.join(', ')} not installed (run bash test/provision.sh: Debian's dbus, gnome-keyring, libsecret-tools)`;
}

export interface KeyringSession {
  /** HOME, XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS: what a process needs to reach this keychain. */
  readonly env: Readonly<Record<string, string>>;
  readonly home: string;
  readonly pids: readonly number[];
  /** `secret-tool lookup service S username A`: the keychain's own view of one entry. */
  lookup(service: string, account: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export async function startKeyringSession(): Promise<KeyringSession> {
  const home = mkdtempSync(join(tmpdir(), 'mcplex-keyring-home-'));
  const runtime = mkdtempSync(join(tmpdir(), 'mcplex-keyring-run-'));
  chmodSync(runtime, 0o700);
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    // The keyring first, then its bus; each awaited, so nothing outlives the test.
    for (const child of [...children].reverse()) await ended(child);
    rmSync(home, { recursive: true, force: true });
    rmSync(runtime, { recursive: true, force: true });
  };
  try {
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1', `--address=unix:path=${join(runtime, 'bus')}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(bus);
    const address = await firstLine(bus, 'dbus-daemon');
    const env = { HOME: home, XDG_RUNTIME_DIR: runtime, DBUS_SESSION_BUS_ADDRESS: address };
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(keyring);
    // --unlock reads the new login keyring's password from stdin.
    keyring.stdin?.end('test-keyring-password');
    await serviceOnBus(env, keyring);
    return {
      env,
      home,
      pids: children.map((child) => child.pid ?? -1),
      lookup: async (service, account) => {
        try {
          const { stdout } = await run('secret-tool', ['lookup', 'service', service, 'username', account], { env: { PATH: process.env['PATH'] ?? '', ...env } });
          return stdout;
        } catch {
          return undefined; // secret-tool exits 1 when there is no such entry
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function firstLine(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end !== -1) resolve(text.slice(0, end).trim());
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
  });
}

/** Until gnome-keyring owns org.freedesktop.secrets: before that, a client could make the bus start another one. */
async function serviceOnBus(env: Record<string, string>, keyring: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (keyring.exitCode !== null) throw new Error(`gnome-keyring-daemon exited (${keyring.exitCode}) before it was ready`);
    const { stdout } = await run('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
    }).catch(() => ({ stdout: '' }));
    if (stdout.includes('boolean true')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('gnome-keyring-daemon did not take org.freedesktop.secrets on the test bus in 60 s');
}

/** SIGTERM, and SIGKILL if it lingers; resolves once the process has exited. */
function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
