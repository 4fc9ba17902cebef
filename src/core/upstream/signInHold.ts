/**
 * A connected remote upstream's requests that are refused for want of authorization (a
 * token revoked mid-session, a tool that needs more scopes: 401, or 403
 * `insufficient_scope`). The SDK's transport has already asked the OAuth client for new
 * tokens, which started a browser sign-in, and then rejects with `UnauthorizedError`; here
 * the message waits for that sign-in (bounded by the sign-in's own timeout) and is sent
 * once more. A sign-in that does not complete fails the message with the credentials'
 * "needs you to sign in". Only after the handshake: connecting has its own retry.
 */
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RemoteAuth } from './connectTypes';

export function holdForSignIn(transport: Transport, auth: RemoteAuth): void {
  const { holdForSignIn: signedIn } = auth;
  if (signedIn === undefined) return;
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    try {
      await send(message, options);
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || !(await signedIn())) throw error;
      await send(message, options);
    }
  };
}
