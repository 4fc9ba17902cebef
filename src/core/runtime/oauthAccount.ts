/**
 * Who an OAuth sign-in is for, when the authorization server says: the ID token's
 * `email`, `preferred_username` or `name` (OpenID Connect). Read without verifying: it is
 * shown to the user ("signed in as …"), never trusted for anything.
 */

const CLAIMS = ['email', 'preferred_username', 'name'] as const;

/** From the stored tokens record (JSON text); undefined when nothing tells. */
export function accountOfTokens(text: string): string | undefined {
  let tokens: unknown;
  try {
    tokens = JSON.parse(text);
  } catch {
    return undefined;
  }
  const idToken = typeof tokens === 'object' && tokens !== null ? (tokens as { id_token?: unknown }).id_token : undefined;
  if (typeof idToken !== 'string') return undefined;
  const payload = idToken.split('.')[1];
  if (payload === undefined || payload === '') return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return undefined;
    for (const claim of CLAIMS) {
      const value = (claims as Record<string, unknown>)[claim];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
    }
  } catch {
    // Not a JWT: nothing to tell.
  }
  return undefined;
}
