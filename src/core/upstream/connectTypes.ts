/**
 * What connecting to an upstream takes (`ConnectOptions`) and gives back
 * (`UpstreamConnection`), with the defaults. In a file of their own so the stdio, remote and
 * handshake halves of connecting share them without importing one another; `connect` is
 * where the rest of the code imports them from.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ClientCapabilities, Implementation, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { RemoteAuth } from '../auth/remoteAuth';

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
  /** Credentials of a remote upstream (`createRemoteAuth`); ignored for stdio. */
  readonly auth?: RemoteAuth;
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
