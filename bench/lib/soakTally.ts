/**
 * What the soak counts: every operation's outcome, sorted into answers, errors a restart
 * explains (expected while an upstream is killed) and unexplained errors (a failure).
 */
import { percentile } from './stats';
import type { Operation, Outcome } from './soakClients';
import type { MemberKey } from './soakServe';

/** The relay's own words for "this instance is restarting" (see src/core/mux/errors.ts). */
const RESTART_CODES = new Set(['instance-down', 'upstream-closed']);
/** While a member is down its names leave the catalog; a call that raced the list_changed meets that. */
const GONE_CODES = new Set(['unknown-tool', 'unknown-prompt', 'unknown-resource']);
/** How long after a killed member is back an error about it still counts as the restart's. */
const AFTER_RESTART_MS = 5_000;

interface Kill {
  readonly member: MemberKey;
  readonly at: number;
  back: number | undefined;
}

export class Tally {
  readonly latencies = new Map<Operation['kind'], number[]>();
  readonly explained = new Map<string, number>();
  readonly unexplained = new Map<string, { count: number; sample: string }>();
  readonly kills: Kill[] = [];
  errors = 0;

  kill(member: MemberKey, at: number): Kill {
    const kill: Kill = { member, at, back: undefined };
    this.kills.push(kill);
    return kill;
  }

  record(op: Operation, outcome: Outcome, at: number): void {
    if (outcome.ok) {
      const list = this.latencies.get(op.kind) ?? [];
      list.push(outcome.ms);
      this.latencies.set(op.kind, list);
      return;
    }
    this.errors++;
    const duringRestart = op.member !== undefined && this.restarting(op.member, at - outcome.ms, at);
    if (duringRestart && outcome.code !== undefined && RESTART_CODES.has(outcome.code)) {
      this.bump(this.explained, `${outcome.code} (${op.kind})`);
    } else if (duringRestart && outcome.code !== undefined && GONE_CODES.has(outcome.code)) {
      this.bump(this.explained, `${outcome.code} while its instance restarted (${op.kind})`);
    } else {
      const key = `${outcome.kind}${outcome.code !== undefined ? ` ${outcome.code}` : ''} (${op.kind}${op.member !== undefined ? ` on ${op.member}` : ''})`;
      const entry = this.unexplained.get(key) ?? { count: 0, sample: outcome.message };
      entry.count++;
      this.unexplained.set(key, entry);
    }
  }

  /** Unexplained failures outside any operation (a session lost, the stalled stream not closed…). */
  fail(key: string, message: string): void {
    const entry = this.unexplained.get(key) ?? { count: 0, sample: message };
    entry.count++;
    this.unexplained.set(key, entry);
  }

  calls(): number {
    let total = this.errors;
    for (const list of this.latencies.values()) total += list.length;
    return total;
  }

  unexplainedCount(): number {
    let total = 0;
    for (const entry of this.unexplained.values()) total += entry.count;
    return total;
  }

  explainedCount(): number {
    let total = 0;
    for (const count of this.explained.values()) total += count;
    return total;
  }

  /** p50 and p99 of answered operations, in ms: all of them, or one kind. */
  percentiles(kind?: Operation['kind']): { count: number; p50: number; p99: number } {
    const all = kind === undefined ? [...this.latencies.values()].flat() : [...(this.latencies.get(kind) ?? [])];
    all.sort((a, b) => a - b);
    return { count: all.length, p50: percentile(all, 0.5), p99: percentile(all, 0.99) };
  }

  private restarting(member: MemberKey, from: number, to: number): boolean {
    return this.kills.some((kill) => kill.member === member && to >= kill.at && from <= (kill.back ?? Number.POSITIVE_INFINITY) + AFTER_RESTART_MS);
  }

  private bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}
