/** Waiting on a WindowRuntime in integration tests: poll until a check holds, else say what the instances were doing. */
import type { WindowRuntime } from '../../src/core/runtime';

export async function until<T>(runtime: WindowRuntime, check: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(runtime.instances().map((i) => [i.key, i.status]))}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
