/**
 * `serve --exit-when-idle SECONDS`: a daemon (systemd, socket activation) that ends once no
 * client has had a session for that long, and is started again by the next connection.
 * Sessions are counted every second, so one that opens and closes between two counts goes
 * unseen; clients keep their session while they work, and abandoned ones are closed by
 * `--session-idle-timeout`, which is what lets the count reach zero.
 */
import { unrefEvery, type Ending, type Every } from './ending';

/** How long no session has been open, against a limit. */
export class IdleClock {
  private idleSince: number | undefined;

  constructor(
    private readonly limitMs: number,
    private readonly now: () => number = Date.now,
  ) {
    // Started with no session: a daemon nobody connects to ends too.
    this.idleSince = now();
  }

  /** Takes the number of sessions open now. */
  note(sessions: number): void {
    if (sessions > 0) this.idleSince = undefined;
    else this.idleSince ??= this.now();
  }

  /** Whether no session has been open for the whole limit. */
  expired(): boolean {
    return this.idleSince !== undefined && this.now() - this.idleSince >= this.limitMs;
  }
}

export const IDLE_CHECK_MS = 1000;

export function exitWhenIdle(sessions: () => number, limitMs: number, options: { readonly every?: Every; readonly now?: () => number } = {}): Ending {
  const clock = new IdleClock(limitMs, options.now);
  let settle: (reason: string) => void = () => undefined;
  const reached = new Promise<string>((resolve) => (settle = resolve));
  const cancel = (options.every ?? unrefEvery)(() => {
    clock.note(sessions());
    if (!clock.expired()) return;
    cancel();
    settle(`no session for ${Math.round(limitMs / 1000)} s (--exit-when-idle)`);
  }, Math.min(IDLE_CHECK_MS, limitMs));
  return { reached, stop: cancel };
}
