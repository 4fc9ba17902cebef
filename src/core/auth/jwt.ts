/**
 * When a JWT expires, read from its payload without verifying it: the upstream verifies
 * the token; we only want to know when to ask for a new one.
 */

/** The `exp` of a JWT in milliseconds since the epoch, or `undefined` when it is not a JWT or has none. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const exp = typeof payload === 'object' && payload !== null ? (payload as { exp?: unknown }).exp : undefined;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When to stop using a token that expires at `expiresAt`: a little before, so a request
 * sent just before expiry does not arrive just after. 30 s early, or halfway through a
 * lifetime shorter than a minute.
 */
export function refreshTime(expiresAt: number, now: number): number {
  const left = expiresAt - now;
  return expiresAt - Math.min(30_000, Math.max(0, left / 2));
}
