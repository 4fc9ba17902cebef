/** Serving relays: over stdio, and over Streamable HTTP on loopback TCP or a unix socket. */
export { HostError } from './errors';
export type { HostErrorCode } from './errors';
export { DEFAULT_MAX_BODY_BYTES, HttpHost } from './httpHost';
export type { HttpHostOptions, MountHandle } from './httpHost';
export { DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_MS } from './sessionLimits';
export type { SessionExpiry } from './sessionLimits';
export { DEFAULT_OUTBOX_LIMITS } from './outboxLimits';
export type { OutboxLimits } from './outboxLimits';
export type { BoundAddress, ListenAddress, LoopbackHost } from './listenAddress';
export { isNamedPipe } from './listenAddress';
export type { InheritedExpectation, InheritedListen } from './inheritedSocket';
export type { Relay, RelaySession } from '../mux';
export { createSocketFetch } from './socketFetch';
export type { SocketFetch } from './socketFetch';
export { serveStdio } from './stdioHost';
export type { StdioHost, StdioHostOptions } from './stdioHost';
