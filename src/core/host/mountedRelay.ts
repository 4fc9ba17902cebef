/**
 * One relay mounted at one path of an HTTP host, and its live sessions. Stateful
 * Streamable HTTP: each `initialize` opens a session (a transport of its own and a relay
 * session on it); every later request names it in `Mcp-Session-Id`.
 *
 * Sessions are bounded (sessionLimits): one idle past the timeout is closed, and a new one
 * past the cap closes the one idle longest, or is refused with 503 when none is idle. A
 * closed session is forgotten at once, so its next request gets 404 and its client starts anew.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isInitializeRequest, isJSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { initializeCapabilities, RelayError, type Relay, type RelaySession } from '../mux';
import { HttpServerTransport } from './httpServerTransport';
import { expiry, stalled, sweepEveryMs, type SessionLimits } from './sessionLimits';

export class HttpSession {
  private closing: Promise<void> | undefined;
  private transportClosed = false;

  constructor(
    readonly transport: HttpServerTransport,
    /** Still connecting while the relay sets the session up. */
    private readonly relaySession: Promise<RelaySession>,
  ) {}

  get isClosed(): boolean {
    return this.closing !== undefined;
  }

  markTransportClosed(): void {
    this.transportClosed = true;
  }

  /** Idempotent. Never rejects: a session that fails to close is gone all the same. */
  close(): Promise<void> {
    // Set before `shutdown` runs, so the transport's `onclose` it triggers finds it.
    this.closing ??= Promise.resolve().then(() => this.shutdown());
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const relaySession = await this.relaySession.catch(() => undefined);
    await relaySession?.close().catch(() => undefined);
    // Closing the relay session closes the transport, unless the relay never got it.
    if (!this.transportClosed) {
      await this.transport.close().catch(() => undefined);
    }
  }
}

export class MountedRelay {
  private readonly sessions = new Map<string, HttpSession>();
  /** Sessions still answering their `initialize`, so closing the mount reaches them too. */
  private readonly opening = new Set<HttpSession>();
  private closed = false;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    private readonly relay: Relay,
    private readonly onError: (error: Error) => void,
    private readonly limits: SessionLimits,
  ) {}

  /** Sessions open, and those still answering their `initialize` (held for an upstream's start, a restart, a sign-in): a client waiting is a client. */
  get sessionCount(): number {
    return this.sessions.size + this.opening.size;
  }

  session(id: string): HttpSession | undefined {
    return this.sessions.get(id);
  }

  /**
   * Opens a session for an `initialize` request and lets its transport answer. The
   * session is registered the moment the transport assigns its id, before the reply
   * leaves, so the client's next request (`notifications/initialized`) finds it.
   * Returns false, without answering, when the mount was closed meanwhile. When the relay
   * cannot serve (its only upstream is down), the `initialize` gets a JSON-RPC error saying
   * which instance and why; any other failure to connect rejects.
   */
  async open(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<boolean> {
    if (!this.makeRoom()) {
      replyFull(response, this.limits.maxSessions);
      return true;
    }
    let session: HttpSession | undefined;
    const transport = new HttpServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        if (session !== undefined && !session.isClosed) {
          this.sessions.set(id, session);
          this.startSweeping();
        }
      },
      limits: this.limits.outbox,
      onstalled: (reason) => this.limits.onExpired(stalled(this.path, transport.sessionId ?? '(not initialized)', reason)),
    });
    // Set before the relay connects: the SDK's Protocol chains handlers already there.
    transport.onclose = () => {
      session?.markTransportClosed();
      const id = transport.sessionId;
      if (id !== undefined && this.sessions.get(id) === session) {
        this.sessions.delete(id);
      }
      void session?.close();
    };
    transport.onerror = this.onError;

    // The relay hears what the client supports before it serves it: an upstream to be told
    // more is restarted before this session sees anything (engine/sessionCapabilities.ts).
    const connecting = this.relay.connect(transport, initializeCapabilities(body));
    session = new HttpSession(transport, connecting);
    this.opening.add(session);
    try {
      const refusal = await connecting.then(
        () => undefined,
        async (error: unknown) => {
          await session?.close();
          if (!(error instanceof RelayError)) throw error;
          return error;
        },
      );
      if (this.closed || (session.isClosed && refusal === undefined)) {
        return false;
      }
      if (refusal !== undefined) {
        this.onError(refusal);
        answerRefusal(response, body, refusal);
        return true;
      }
      await transport.handleRequest(request, response, body);
    } finally {
      this.opening.delete(session);
    }
    if (this.closed || transport.sessionId === undefined || this.sessions.get(transport.sessionId) !== session) {
      // The transport refused the initialize (its answer says why), or the mount closed.
      await session.close();
    }
    return true;
  }

  /** Closes every session; later `open` calls close theirs at once. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const sessions = [...this.sessions.values(), ...this.opening];
    this.sessions.clear();
    await Promise.all(sessions.map((session) => session.close()));
  }

  /** Whether a new session fits: at the cap, the session idle longest is closed to make room. */
  private makeRoom(): boolean {
    if (this.sessions.size + this.opening.size < this.limits.maxSessions) return true;
    let oldest: [string, HttpSession, number] | undefined;
    for (const [id, session] of this.sessions) {
      if (session.transport.busy) continue;
      const idle = session.transport.idleFor();
      if (oldest === undefined || idle > oldest[2]) oldest = [id, session, idle];
    }
    if (oldest === undefined) return false;
    this.expire(oldest[0], oldest[1], 'cap', oldest[2]);
    return true;
  }

  private startSweeping(): void {
    if (this.sweeper !== undefined || this.limits.idleMs === 0) return;
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs(this.limits.idleMs)).unref();
  }

  private sweep(): void {
    for (const [id, session] of this.sessions) {
      const idle = session.transport.idleFor();
      if (!session.transport.busy && idle >= this.limits.idleMs) this.expire(id, session, 'idle', idle);
    }
  }

  private expire(id: string, session: HttpSession, reason: 'idle' | 'cap', idleMs: number): void {
    this.sessions.delete(id);
    this.limits.onExpired(expiry(this.path, id, reason, idleMs, this.limits));
    void session.close();
  }
}

function replyFull(response: ServerResponse, maxSessions: number): void {
  const reply = JSON.stringify({
    jsonrpc: '2.0',
    id: null,
    error: { code: -32000, message: `Service Unavailable: this endpoint has ${maxSessions} sessions, each with a request or a stream in progress; try again later.` },
  });
  response.writeHead(503, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(reply), 'Retry-After': '1' });
  response.end(reply);
}

/**
 * The relay's refusal as the answer to the `initialize` request, with HTTP 200 as the SDK's
 * own server transport sends any JSON-RPC error response to a request: a client then shows
 * the message (instance and cause), where an HTTP 500 reads as a broken host.
 */
function answerRefusal(response: ServerResponse, body: unknown, error: RelayError): void {
  const initialize = (Array.isArray(body) ? body : [body]).find((message: unknown) => isJSONRPCRequest(message) && isInitializeRequest(message));
  const data = { code: error.code, ...(error.instance !== undefined && { instance: error.instance }) };
  const reply = JSON.stringify({ jsonrpc: '2.0', id: isJSONRPCRequest(initialize) ? initialize.id : null, error: { code: error.rpcCode, message: error.message, data } });
  response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(reply) });
  response.end(reply);
}
