/**
 * The checks every HTTP request passes before it reaches a relay: who may talk to the host
 * (the bearer token) and from where (Host and Origin, against DNS rebinding: a web page on
 * `evil.example` whose name is re-pointed at 127.0.0.1 sends `Host: evil.example`, and a
 * page of any site sends its own `Origin`).
 *
 * Built once per host so the per-request work is a constant-time compare, a set lookup and a
 * regex test.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type GuardVerdict = 'ok' | 'forbidden' | 'unauthorized';

export interface GuardOptions {
  /** When set, every request must present it. */
  readonly token?: string;
  /**
   * Another header that may carry the token as its whole value (e.g. `X-Mcplex-Token`),
   * for clients whose headers we choose but whose `Authorization` belongs to their own auth.
   */
  readonly tokenHeader?: string;
  /** When set (TCP only), `Host` must name a loopback address with this port. */
  readonly loopbackPort?: number;
}

export type RequestGuard = (headers: IncomingHttpHeaders) => GuardVerdict;

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;
const LOOPBACK_ORIGIN = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function createRequestGuard(options: GuardOptions): RequestGuard {
  const allowedHosts = options.loopbackPort === undefined ? undefined : loopbackHosts(options.loopbackPort);
  const expected = options.token === undefined ? undefined : Buffer.from(options.token, 'utf8');
  const tokenHeader = options.tokenHeader?.toLowerCase();

  return (headers) => {
    if (allowedHosts !== undefined) {
      const host = headers.host;
      if (host === undefined || !allowedHosts.has(host.toLowerCase())) return 'forbidden';
      const origin = headers.origin;
      if (origin !== undefined && !LOOPBACK_ORIGIN.test(origin)) return 'forbidden';
    }
    if (expected === undefined) return 'ok';
    const bearer = BEARER.exec(headers.authorization ?? '')?.[1];
    if (bearer !== undefined && sameToken(expected, bearer)) return 'ok';
    if (tokenHeader !== undefined) {
      const value = headers[tokenHeader];
      if (typeof value === 'string' && sameToken(expected, value.trim())) return 'ok';
    }
    return 'unauthorized';
  };
}

function loopbackHosts(port: number): ReadonlySet<string> {
  const hosts = LOOPBACK_NAMES.map((name) => `${name}:${port}`);
  // A client omits the port when it is the scheme's default.
  return new Set(port === 80 ? [...hosts, ...LOOPBACK_NAMES] : hosts);
}

/**
 * Constant-time in the token's content. A wrong length is refused at once: that tells a
 * caller the length, which is no secret (the host makes every token the same way), and
 * saves hashing both sides on every request (~10 µs of the host's time per call).
 */
function sameToken(expected: Buffer, presented: string): boolean {
  const bytes = Buffer.from(presented, 'utf8');
  return bytes.length === expected.length && timingSafeEqual(expected, bytes);
}
