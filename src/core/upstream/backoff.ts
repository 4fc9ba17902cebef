/**
 * How long to wait before the next start of an upstream that failed: jittered exponential
 * backoff. Pure, so the delays can be checked without a clock.
 *
 * The jitter spreads the restarts of many instances that failed together (the network came
 * back, a token was renewed) so they do not all hit the same server at the same moment.
 */

export interface RetryPolicy {
  /** The wait after the first failure. Default 500 ms. */
  readonly initialDelayMs?: number;
  /** No wait is longer. Default 30000 ms. */
  readonly maxDelayMs?: number;
  /** Each consecutive failure multiplies the wait by this. Default 2. */
  readonly factor?: number;
  /** The wait varies by up to ± this fraction (0 to 1). Default 0.2. */
  readonly jitter?: number;
  /**
   * Consecutive failures (failed starts and early exits) after which the supervisor gives
   * up and reports the instance down for good. Default: no limit. (A start no retry can
   * cure, a missing or non-executable command, is never retried, whatever this says.)
   */
  readonly maxAttempts?: number;
  /**
   * An upstream that stayed up this long has proved healthy: its next crash starts a new
   * series at `initialDelayMs`. A shorter life counts as one more failure, so a flapping
   * server slows down. Default 30000 ms.
   */
  readonly resetAfterMs?: number;
}

export type ResolvedRetryPolicy = Required<Omit<RetryPolicy, 'maxAttempts'>> & { readonly maxAttempts: number };

export const DEFAULT_RETRY_POLICY: ResolvedRetryPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.2,
  maxAttempts: Number.POSITIVE_INFINITY,
  resetAfterMs: 30_000,
};

/** Fills in the defaults; a value that makes no sense is a programming error, said plainly. */
export function resolveRetryPolicy(policy: RetryPolicy = {}): ResolvedRetryPolicy {
  const resolved: ResolvedRetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...definedOnly(policy),
  };
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new RangeError(`Invalid retry policy: ${what}.`);
  };
  check(resolved.initialDelayMs >= 0, `initialDelayMs must be >= 0 (got ${resolved.initialDelayMs})`);
  check(resolved.maxDelayMs >= resolved.initialDelayMs, `maxDelayMs must be >= initialDelayMs (got ${resolved.maxDelayMs})`);
  check(resolved.factor >= 1, `factor must be >= 1 (got ${resolved.factor})`);
  check(resolved.jitter >= 0 && resolved.jitter <= 1, `jitter must be between 0 and 1 (got ${resolved.jitter})`);
  check(resolved.maxAttempts >= 1, `maxAttempts must be >= 1 (got ${resolved.maxAttempts})`);
  check(resolved.resetAfterMs >= 0, `resetAfterMs must be >= 0 (got ${resolved.resetAfterMs})`);
  return resolved;
}

/**
 * The wait after the `failures`-th consecutive failure (1 for the first):
 * `initialDelayMs · factor^(failures-1)`, capped at `maxDelayMs`, then moved by up to
 * ± `jitter` of itself using `random()` in [0, 1), and capped again.
 */
export function backoffDelay(failures: number, policy: ResolvedRetryPolicy, random: () => number): number {
  const exponent = Math.max(0, failures - 1);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.min(policy.maxDelayMs, Math.round(base + spread)));
}

function definedOnly(policy: RetryPolicy): Partial<ResolvedRetryPolicy> {
  return Object.fromEntries(Object.entries(policy).filter(([, value]) => value !== undefined));
}
