/**
 * The loopback redirect of a browser sign-in. Its port is derived from the upstream URL
 * and the instance prefix: stable (providers that pin redirect URIs keep working across
 * runs) and different per instance (`work` and `personal` can sign in at the same time).
 *
 * The range is the one the OS also hands out for outgoing connections, so a derived port
 * is sometimes taken. A client mcplex registered itself can move: each instance has a short
 * list of candidates, derived the same way, tried in order (and registered again with the
 * new redirect). A port the user pinned, or a client they registered, cannot move.
 */
import { createHash } from 'node:crypto';

/** The dynamic/private port range (RFC 6335). */
export const CALLBACK_PORT_MIN = 49152;
export const CALLBACK_PORT_MAX = 65535;
export const CALLBACK_PATH = '/oauth/callback';
/** How many derived ports an instance tries before it gives up. */
export const CALLBACK_PORT_CANDIDATES = 8;

export function defaultCallbackPort(url: string, prefix: string): number {
  return callbackPortCandidate(url, prefix, 0);
}

/** Candidate `attempt` (0 is the default port): the same for the same URL and prefix, run after run. */
export function callbackPortCandidate(url: string, prefix: string, attempt: number): number {
  const seed = attempt === 0 ? `${url}\n${prefix}` : `${url}\n${prefix}\n${attempt}`;
  const digest = createHash('sha256').update(seed).digest();
  return CALLBACK_PORT_MIN + (digest.readUInt32BE(0) % (CALLBACK_PORT_MAX - CALLBACK_PORT_MIN + 1));
}

/** Which candidate `port` is for this URL and prefix; undefined when it is none of them. */
export function callbackPortAttempt(url: string, prefix: string, port: number): number | undefined {
  for (let attempt = 0; attempt < CALLBACK_PORT_CANDIDATES; attempt += 1) {
    if (callbackPortCandidate(url, prefix, attempt) === port) return attempt;
  }
  return undefined;
}

/** The candidate after `port`, wrapping around; undefined when `port` is not a candidate. */
export function nextCallbackPort(url: string, prefix: string, port: number): number | undefined {
  const attempt = callbackPortAttempt(url, prefix, port);
  return attempt === undefined ? undefined : callbackPortCandidate(url, prefix, (attempt + 1) % CALLBACK_PORT_CANDIDATES);
}

export function callbackRedirectUrl(port: number): string {
  return `http://127.0.0.1:${port}${CALLBACK_PATH}`;
}

/** The port of one of our loopback redirect URLs; undefined for any other URL. */
export function callbackPortOf(redirectUrl: string): number | undefined {
  const match = /^http:\/\/127\.0\.0\.1:(\d+)\/oauth\/callback$/.exec(redirectUrl);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
