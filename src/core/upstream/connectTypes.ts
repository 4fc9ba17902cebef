/**
 * What connecting to an upstream takes (`ConnectOptions`) and gives back
 * (`UpstreamConnection`), with the defaults. In a file of their own so the stdio, remote and
 * handshake halves of connecting share them without importing one another; `connect` is
 * where the rest of the code imports them from.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ClientCapabilities, Implementation, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

export interface ConnectOptions {
  /** `server/instance`, e.g. `notes/work`, for messages. */
  readonly instance: string;
  readonly clientInfo?: Implementation;
  readonly capabilities?: ClientCapabilities;
  /** Each line a stdio upstream writes to stderr. */
  readonly onStderr?: (line: string) => void;
  /** Deadline for connect + initialize, all attempts together. Default 30000 ms. */
  readonly timeoutMs?: number;
  /** Grace between the steps of stopping a stdio process. Default 2000 ms. */
  readonly graceMs?: number;
  /** The largest message a stdio upstream may write (see `ProcessTransport`). Default 64 MiB. */
  readonly maxMessageBytes?: number;
  /**
   * Abandons the attempt: whatever it opened is closed (a process within its grace time)
   * and the connect rejects with the signal's reason. A stop must not wait for a handshake
   * that may never finish.
   */
  readonly signal?: AbortSignal;
  /** Credentials of a remote upstream (`createRemoteAuth`); ignored for stdio. */
  readonly auth?: RemoteAuth;
}

/**
 * A remote upstream's credentials, as the transports use them. Declared here, not in
 * `auth/`, so connecting knows nothing of how credentials are made: `auth/` implements it.
 */
export interface RemoteAuth {
  /** Used by the transports for every request (MCP and OAuth alike). */
  readonly fetch?: FetchLike;
  /** The SDK's OAuth client; the transports call it on 401. */
  readonly authProvider?: OAuthClientProvider;
  /**
   * After a connect failed for want of authorization: waits for a browser sign-in that
   * is under way to store its tokens. True when the connect should be tried again.
   */
  awaitSignIn?(): Promise<boolean>;
  /**
   * After a request of a connected session was refused for want of authorization (a
   * revoked token, a step-up): waits for the browser sign-in that the refusal started.
   * True when the request should be sent once more; false when none is under way; throws
   * a "needs you to sign in" error when it did not complete.
   */
  holdForSignIn?(): Promise<boolean>;
  /** Current credential values, to hide them in any message. */
  secretValues(): readonly string[];
  /**
   * The credential failure inside `error` (a sign-in needed, a helper that failed), if any:
   * its message already says what happened and what to do.
   */
  credentialFailure?(error: unknown): Error | undefined;
  /** Stops what is waiting (a sign-in listener). */
  close(): Promise<void>;
}

export type ConnectedTransport = 'stdio' | 'http' | 'sse';

export interface UpstreamConnection {
  /** Initialized: `serverInfo` and `serverCapabilities` are known. */
  readonly client: Client;
  readonly transport: ConnectedTransport;
  /** The stdio process's id (and its process group's). */
  readonly pid?: number;
  readonly serverInfo: Implementation;
  readonly serverCapabilities: ServerCapabilities;
  readonly instructions?: string;
  /** Closes the session; a stdio upstream is stopped with its whole process tree. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_GRACE_MS = 2000;
