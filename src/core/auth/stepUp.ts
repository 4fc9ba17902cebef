/**
 * Step-up and revoked tokens mid-session (issue 14, item 13), the credentials' half; the
 * transport's half is `upstream/signInHold.ts`.
 *
 * A 403 `insufficient_scope` from the upstream makes the SDK ask the OAuth client for
 * tokens with the scopes the challenge names. With a refresh token stored, the SDK would
 * refresh instead — same scopes, the same 403, and the call fails. `stepUpFetch` sees the
 * challenge first and tells the provider, which then offers no refresh token until a new
 * sign-in (with the scopes asked for) has stored tokens.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { findAuthError, SignInRequiredError } from './errors';
import { isSameOrigin } from './originScopedFetch';

/** `base` (default `fetch`) that calls `onStepUp` for an upstream's `insufficient_scope` challenge. */
export function stepUpFetch(upstream: URL, onStepUp: () => void, base?: FetchLike): FetchLike {
  return async (url, init) => {
    const response = await (base ?? fetch)(url, init);
    if (response.status === 403 && isSameOrigin(url, upstream) && /\berror="?insufficient_scope\b/.test(response.headers.get('www-authenticate') ?? '')) onStepUp();
    return response;
  };
}

/**
 * A request refused mid-session waits for the sign-in its refusal started. One that failed
 * or timed out becomes "<instance> needs you to sign in: <why>", the words the host shows.
 */
export async function signInForCall(instance: string, awaitSignIn: () => Promise<boolean>): Promise<boolean> {
  try {
    return await awaitSignIn();
  } catch (error) {
    if (findAuthError(error)?.code === 'sign-in-required') throw error;
    const text = error instanceof Error ? error.message : String(error);
    const why = text.startsWith(`${instance}: `) ? text.slice(instance.length + 2) : text;
    throw new SignInRequiredError(instance, why, { cause: error });
  }
}
