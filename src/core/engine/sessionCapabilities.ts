/**
 * When a multi-session endpoint (`serve --http`, `serve --socket`) tells an upstream again
 * what its clients can serve. Capabilities are announced once, at `initialize`, so telling
 * more means restarting the upstream, which ends its state and every call in flight; the
 * upstream is therefore started told nothing (`{}`, plus its configured roots) and told
 * more only when that cuts nobody off:
 *
 * - every session is covered by what it was told: nothing to do;
 * - the upstream is not running (not started yet, down): tell it, it hears at its next start;
 * - a session is already served, whatever it supports: keep (a restart under it would fail
 *   its calls while the upstream starts again and lose the state it holds there, its
 *   subscriptions and tasks among them); a client that joins is served with what the
 *   upstream was told, and a request beyond that is refused at once;
 * - a call is in flight (one a session that left still waits on): wait for the relay to be idle;
 * - otherwise (only clients still arriving, as a client alone is): restart before they are
 *   served, told what it was told before and what every one of them supports.
 *
 * A session leaving never narrows it: what an upstream is told only grows between starts,
 * so the restarts are bounded by the capabilities there are.
 */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { coversCapabilities, forSession, relayClientCapabilities, unionCapabilities } from '../mux';

export interface SessionsNow {
  /** What each session announced: those served and those arriving (their `initialize` held). */
  readonly sessions: readonly ClientCapabilities[];
  /** How many of them are served already (past `initialized`). */
  readonly served: number;
  /** A request to the relay's upstreams is in flight. */
  readonly busy: boolean;
  /** The upstream is up or starting: it was told already, and only a restart tells it more. */
  readonly running: boolean;
  /** The instance's configured roots (`relayClientCapabilities`): its own, `false`, or absent for the client's. */
  readonly roots?: readonly string[] | false;
}

export type Announcement =
  | { readonly kind: 'keep' }
  /** Tell the upstream `capabilities` from now on; `restart`: it is running and must start again to hear it. */
  | { readonly kind: 'announce'; readonly capabilities: ClientCapabilities; readonly restart: boolean };

const KEEP: Announcement = { kind: 'keep' };

/** What to do about an upstream told `told` (the relay's side, before roots are applied), given its sessions `now`. */
export function nextAnnouncement(told: ClientCapabilities, now: SessionsNow): Announcement {
  // Compared as the upstream hears them: configured roots are announced whatever the clients, `false` never.
  const heard = relayClientCapabilities(now.roots, told);
  const covered = (session: ClientCapabilities): boolean => coversCapabilities(heard, relayClientCapabilities(now.roots, forSession(session)));
  if (now.sessions.every(covered)) return KEEP;
  const capabilities = unionCapabilities(told, ...now.sessions.map(forSession));
  if (!now.running) return { kind: 'announce', capabilities, restart: false };
  if (now.served > 0 || now.busy) return KEEP;
  return { kind: 'announce', capabilities, restart: true };
}
