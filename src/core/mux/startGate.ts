/**
 * When a new session of an aggregate may initialize. Its capabilities are announced once,
 * so it is worth waiting a moment for members that are starting together; but one member
 * that never finishes its start must not hold every session hostage (22–30 s each, issue
 * 15 item 3). So: until every member has settled, or — once one member is up — at most
 * `holdMs` more. A late member joins the session with `tools/list_changed`.
 */
import type { Member } from './member';
import type { Disposable } from './upstreamSource';

/** Long enough for members started together to come up together, short enough to go unnoticed. */
export const DEFAULT_AGGREGATE_HOLD_MS = 1000;

export function whenServable(members: readonly Member[], holdMs: number): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const subscriptions: Disposable[] = [];
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const subscription of subscriptions) subscription.dispose();
      resolve();
    };
    const check = (): void => {
      if (members.every((member) => member.state().kind !== 'starting')) return finish();
      if (timer === undefined && members.some((member) => member.isUp())) timer = setTimeout(finish, holdMs);
    };
    for (const member of members) subscriptions.push(member.onStateChange(check));
    check();
  });
}
