import type { CliIo } from '../../src/cli/io';
import { Redactor } from '../../src/core/redaction';

/**
 * A CLI run's io for tests that call the CLI's functions in process: no terminal, empty stdin,
 * output dropped, never interrupted. `overrides` sets what the test looks at (cwd, env, where
 * stderr goes, the secret store).
 */
export function quietIo(overrides: Partial<CliIo> = {}): CliIo {
  return {
    cwd: '/',
    env: {},
    secrets: new Redactor(),
    writeOut: () => undefined,
    writeErr: () => undefined,
    stderrIsTty: false,
    stdinIsTty: false,
    readStdin: () => Promise.resolve(''),
    promptHidden: () => Promise.resolve(''),
    interrupted: () => new Promise<string>(() => undefined),
    ...overrides,
  };
}
