// Where the provisioned tools are: runs test/e2e/provision.sh (a second or so when the
// cache is warm) and reads the paths it wrote to ~/.cache/mcplex-e2e/env.json.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const CACHE_DIR = process.env['MCPLEX_E2E_CACHE'] ?? join(homedir(), '.cache', 'mcplex-e2e');

export interface E2eEnvironment {
  /** node 24's binary: code-server 4.139.1 runs on nothing else. */
  readonly node24: string;
  readonly codeServerEntry: string;
  readonly chromium: string;
  /** Folder of the playwright-core package, for require(). */
  readonly playwrightCore: string;
}

export class ProvisioningError extends Error {
  readonly code = 'E2E_PROVISIONING_FAILED';
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'ProvisioningError';
  }
}

function stringField(record: Record<string, unknown>, key: string, file: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value === '') {
    throw new ProvisioningError(`${file} lacks "${key}": rerun test/e2e/provision.sh`);
  }
  return value;
}

export function readEnvironment(file = join(CACHE_DIR, 'env.json')): E2eEnvironment {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ProvisioningError(`cannot read ${file}: run test/e2e/provision.sh first`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new ProvisioningError(`${file} is not a JSON object: rerun test/e2e/provision.sh`);
  }
  const record = parsed as Record<string, unknown>;
  return {
    node24: stringField(record, 'node24', file),
    codeServerEntry: stringField(record, 'codeServerEntry', file),
    chromium: stringField(record, 'chromium', file),
    playwrightCore: stringField(record, 'playwrightCore', file),
  };
}

let provisioned: Promise<E2eEnvironment> | undefined;

/** Runs the provisioning script once per test process, then reads its answer. */
export function provision(): Promise<E2eEnvironment> {
  provisioned ??= (async () => {
    const script = join(REPO_ROOT, 'test', 'e2e', 'provision.sh');
    try {
      const { stdout } = await execFileAsync('bash', [script], {
        env: { ...process.env, MCPLEX_E2E_CACHE: CACHE_DIR },
        maxBuffer: 16 * 1024 * 1024,
      });
      process.stderr.write(stdout);
    } catch (cause) {
      const stderr = (cause as { stderr?: string }).stderr ?? '';
      throw new ProvisioningError(`test/e2e/provision.sh failed:\n${stderr.trim()}`, { cause });
    }
    return readEnvironment();
  })();
  return provisioned;
}
