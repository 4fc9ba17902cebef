/**
 * The loopback redirect of a browser sign-in. Its port is derived from the upstream URL
 * and the instance prefix: stable (providers that pin redirect URIs keep working across
 * runs) and different per instance (`work` and `personal` can sign in at the same time).
 */
import { createHash } from 'node:crypto';

/** The dynamic/private port range (RFC 6335). */
export const CALLBACK_PORT_MIN = 49152;
export const CALLBACK_PORT_MAX = 65535;
export const CALLBACK_PATH = '/oauth/callback';

export function defaultCallbackPort(url: string, prefix: string): number {
  const digest = createHash('sha256').update(`${url}\n${prefix}`).digest();
  return CALLBACK_PORT_MIN + (digest.readUInt32BE(0) % (CALLBACK_PORT_MAX - CALLBACK_PORT_MIN + 1));
}

export function callbackRedirectUrl(port: number): string {
  return `http://127.0.0.1:${port}${CALLBACK_PATH}`;
}
