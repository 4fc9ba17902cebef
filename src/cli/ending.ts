/**
 * A way for serving to end besides a signal or the client's EOF: the parent gone
 * (`parentWatch.ts`), no session for a while (`idleExit.ts`). Serving stops on the first
 * reason that comes, each the same way: host, relays, then every upstream's process tree.
 */
export interface Ending {
  /** Settles with the reason, said on stderr as `mcplex: <reason>, stopping`. */
  readonly reached: Promise<string>;
  /** Stops watching (serving ended another way). */
  stop(): void;
}

/** Calls `tick` every `ms` until cancelled, without keeping the process alive for it. */
export type Every = (tick: () => void, ms: number) => () => void;

export const unrefEvery: Every = (tick, ms) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};
