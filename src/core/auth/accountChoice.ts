/**
 * Two accounts of one provider in one browser: without being asked, the authorization
 * server signs the second instance in with the session the first one left behind. The
 * authorization request can say otherwise: `prompt=select_account` (OpenID Connect) shows
 * the account chooser, `login_hint` names the account to offer. Pure.
 */

/** An instance that may sign in in a browser: its upstream's URL and how it authenticates. */
export interface SignInTarget {
  readonly url: string;
  readonly authType: string | undefined;
}

/**
 * The upstream URLs more than one OAuth instance signs in to (in one window, one CLI
 * configuration). Every instance of such a URL asks for the chooser — not only the second:
 * whichever signs in first, the browser may hold the other account's session.
 */
export function sharedSignInUrls(targets: readonly SignInTarget[]): ReadonlySet<string> {
  const counts = new Map<string, number>();
  for (const target of targets) {
    if (target.authType !== 'oauth') continue;
    const url = sameUrl(target.url);
    counts.set(url, (counts.get(url) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, count]) => count > 1).map(([url]) => url));
}

/** Whether `url` is one of `shared` (as `sharedSignInUrls` spells them). */
export function isSharedSignInUrl(shared: ReadonlySet<string>, url: string): boolean {
  return shared.has(sameUrl(url));
}

/**
 * The authorization URL the SDK built, with the account choice added: `prompt` gains
 * `select_account` (kept with what the SDK set, e.g. `consent`: `prompt` is a list) and
 * `login_hint` is set. Untouched when neither applies.
 */
export function accountChoiceUrl(authorizationUrl: URL, choice: { readonly selectAccount: boolean; readonly loginHint?: string | undefined }): URL {
  const url = new URL(authorizationUrl.href);
  if (choice.selectAccount) {
    const prompts = (url.searchParams.get('prompt') ?? '').split(' ').filter((value) => value !== '');
    if (!prompts.includes('select_account')) url.searchParams.set('prompt', [...prompts, 'select_account'].join(' '));
  }
  if (choice.loginHint !== undefined && choice.loginHint !== '') url.searchParams.set('login_hint', choice.loginHint);
  return url;
}

/** One spelling per URL (`URL.href`), so `HTTPS://X/mcp` and `https://x/mcp` count as one. */
function sameUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
