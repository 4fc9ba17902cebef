/**
 * Reaching a remote upstream: Streamable HTTP, SSE, or `auto` (Streamable HTTP first, SSE
 * when that fails), with the credentials of `src/core/auth` and one retry after a browser
 * sign-in. Every failure becomes an `UpstreamConnectionError` whose message hides header and
 * credential values. Apart from `connect` because it changes with the SDK's HTTP transports
 * and with auth, neither of which a stdio upstream knows about.
 */
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { UpstreamSpec } from '../config';
import { DEFAULT_GRACE_MS, DEFAULT_TIMEOUT_MS, type ConnectOptions, type RemoteAuth, type UpstreamConnection } from './connectTypes';
import { describeRemoteFailure, displayUrl } from './describeFailure';
import { UpstreamConnectionError, UpstreamTimeoutError } from './errors';
import { connection, handshake } from './handshake';
import { holdForSignIn } from './signInHold';

type RemoteSpec = Extract<UpstreamSpec, { kind: 'remote' }>;

interface Remote {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly auth?: RemoteAuth;
}

export async function connectRemoteUpstream(
  spec: RemoteSpec,
  options: ConnectOptions,
  deadline: number,
): Promise<UpstreamConnection> {
  const url = parseUrl(spec.url, options.instance, spec.transport);
  const remote: Remote = { url, headers: spec.headers, ...(options.auth !== undefined && { auth: options.auth }) };
  switch (spec.transport) {
    case 'http':
    case 'sse':
      return connectRemote(spec.transport, remote, options, deadline).catch((error: unknown) => {
        throw remoteError(options.instance, spec.transport, remote, error);
      });
    case 'auto':
      return connectAuto(remote, options, deadline);
  }
}

// ---- credentials (src/core/auth): the transports get the auth's fetch and OAuth client;
// a connect refused for want of a sign-in is tried once more after the browser sign-in
// that the OAuth client started has stored its tokens (that wait is the user's, not the deadline's).
async function connectRemote(
  kind: 'http' | 'sse',
  remote: Remote,
  options: ConnectOptions,
  deadline: number,
): Promise<UpstreamConnection> {
  try {
    return await connectRemoteOnce(kind, remote, options, deadline);
  } catch (error) {
    if (!(error instanceof UnauthorizedError) || !(await remote.auth?.awaitSignIn?.())) throw error;
    const fresh = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return connectRemoteOnce(kind, remote, options, fresh);
  }
}

/** Whether the failure is about credentials: trying SSE next would fail the same way. */
function isAuthFailure(error: unknown, remote: Remote): boolean {
  return error instanceof UnauthorizedError || remote.auth?.credentialFailure?.(error) !== undefined;
}

/** Header and credential values, to be hidden in messages (keys do not matter). */
function secretsOf(remote: Remote): Record<string, string> {
  const credentials = (remote.auth?.secretValues() ?? []).map((value, index) => [`auth-${index}`, value]);
  return { ...remote.headers, ...Object.fromEntries(credentials) };
}
// ---- end of credentials

function connectRemoteOnce(
  kind: 'http' | 'sse',
  remote: Remote,
  options: ConnectOptions,
  deadline: number,
): Promise<UpstreamConnection> {
  const requestInit: RequestInit = { headers: { ...remote.headers } };
  const auth = {
    ...(remote.auth?.fetch !== undefined && { fetch: remote.auth.fetch }),
    ...(remote.auth?.authProvider !== undefined && { authProvider: remote.auth.authProvider }),
  };
  const transport =
    kind === 'http'
      ? new StreamableHTTPClientTransport(remote.url, { requestInit, ...auth })
      : new SSEClientTransport(remote.url, { requestInit, ...auth });
  // A stateful server keeps a session until told otherwise (DELETE); SSE has no such call.
  const endSession =
    transport instanceof StreamableHTTPClientTransport
      ? () => bounded(transport.terminateSession(), options.graceMs ?? DEFAULT_GRACE_MS)
      : undefined;
  return handshake(transport, options, deadline).then((client) => {
    if (remote.auth !== undefined) holdForSignIn(transport, remote.auth);
    return connection(client, kind, undefined, endSession);
  });
}

/** Streamable HTTP first (the current protocol), SSE (the 2024-11-05 one) when that fails. */
async function connectAuto(remote: Remote, options: ConnectOptions, deadline: number): Promise<UpstreamConnection> {
  let httpError: unknown;
  try {
    return await connectRemote('http', remote, options, deadline);
  } catch (error) {
    if (error instanceof UpstreamTimeoutError || isAuthFailure(error, remote)) {
      // The deadline is spent (no time left to try SSE), or SSE would be refused alike.
      throw remoteError(options.instance, 'auto', remote, error);
    }
    httpError = error;
  }
  try {
    return await connectRemote('sse', remote, options, deadline);
  } catch (sseError) {
    const { instance } = options;
    const http = describeRemoteFailure(httpError, secretsOf(remote));
    const sse = describeRemoteFailure(sseError, secretsOf(remote));
    throw new UpstreamConnectionError(
      instance,
      'auto',
      `${instance}: could not connect to ${displayUrl(remote.url)} over Streamable HTTP (${http}) nor over SSE (${sse})`,
      { cause: new AggregateError([httpError, sseError], 'both Streamable HTTP and SSE failed') },
    );
  }
}

/** Waits for `promise` at most `ms`; a late or failed end of session is not worth waiting for. */
async function bounded(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => undefined);
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function remoteError(
  instance: string,
  transport: 'http' | 'sse' | 'auto',
  remote: Remote,
  error: unknown,
): UpstreamConnectionError {
  const over = transport === 'sse' ? 'SSE' : transport === 'http' ? 'Streamable HTTP' : 'Streamable HTTP or SSE';
  const why = describeRemoteFailure(error, secretsOf(remote));
  // "needs you to sign in: …" already says what happened and what to do.
  const authError = remote.auth?.credentialFailure?.(error);
  const message = authError !== undefined ? authError.message : `${instance}: could not connect to ${displayUrl(remote.url)} over ${over}: ${why}`;
  return new UpstreamConnectionError(instance, transport, message, { cause: error });
}

function parseUrl(text: string, instance: string, transport: 'http' | 'sse' | 'auto'): URL {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      return url;
    }
  } catch (error) {
    throw new UpstreamConnectionError(instance, transport, `${instance}: the url is not a valid URL; check "url"`, {
      cause: error,
    });
  }
  throw new UpstreamConnectionError(
    instance,
    transport,
    `${instance}: the url must start with http:// or https://; check "url"`,
    { cause: new Error('unsupported URL scheme') },
  );
}
