/**
 * Two instances signed in to one upstream as the same identity are one account twice: the
 * agent would act on it under two prefixes and two account notes. Found from what the
 * views already know (who each is signed in as) and said where the user looks. Pure.
 */
import type { UpstreamSpec } from '../config';

export interface AccountHolder {
  /** `${folderId}#${key}` */
  readonly id: string;
  /** How the user knows it: `Fixture · Work`. */
  readonly label: string;
  /** Who it is signed in as (an ID token's email, a VS Code account's label), when known. */
  readonly account?: string | undefined;
  /** What the account is of (`signInScope`); undefined when it does not sign in. */
  readonly scope?: string | undefined;
}

/**
 * What an identity is an account of: the upstream it signs in to, by URL, for an OAuth or
 * VS Code sign-in. One person is the same email on two different services, and that is fine.
 */
export function signInScope(upstream: UpstreamSpec | undefined): string | undefined {
  if (upstream?.kind !== 'remote') return undefined;
  const type = upstream.auth?.type;
  if (type !== 'oauth' && type !== 'vscode') return undefined;
  try {
    return new URL(upstream.url).href;
  } catch {
    return upstream.url;
  }
}

/** Instance id → the warning, for every instance that shares its identity with another. */
export function sameAccountWarnings(holders: readonly AccountHolder[]): ReadonlyMap<string, string> {
  const groups = new Map<string, AccountHolder[]>();
  for (const holder of holders) {
    if (holder.scope === undefined || holder.account === undefined || holder.account.trim() === '') continue;
    const key = JSON.stringify([holder.scope, holder.account.trim().toLowerCase()]);
    groups.set(key, [...(groups.get(key) ?? []), holder]);
  }
  const warnings = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const holder of group) {
      const others = group.filter((other) => other !== holder).map((other) => other.label);
      warnings.set(holder.id, `signed in as ${holder.account ?? ''}, the same account as ${others.join(', ')}: sign one of them out and in again as the other account`);
    }
  }
  return warnings;
}
