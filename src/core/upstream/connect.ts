/**
 * Reaching an instance's upstream: spawn it (stdio) or dial it (Streamable HTTP, SSE, or
 * `auto`: Streamable HTTP first, SSE when that fails), run the MCP handshake, and hand back
 * an initialized SDK `Client` with a `close()` that leaves nothing running.
 *
 * Every failure becomes an `UpstreamConnectionError` naming the instance, the transport and
 * the why; whatever was opened before a failure or a timeout is closed again.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, Implementation, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { findAuthError } from '../auth/errors';
import type { RemoteAuth } from '../auth/remoteAuth';
import type { UpstreamSpec } from '../config/model';
import { describeRemoteFailure, describeStdioFailure, displayUrl } from './describeFailure';
import { UpstreamConnectionError, UpstreamTimeoutError } from './errors';
import { ProcessTransport } from './processTransport';

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

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_GRACE_MS = 2000;
/** Until the package version is threaded through, the name is what upstreams see. */
const DEFAULT_CLIENT_INFO: Implementation = { name: 'mcplex', version: '0.1.0' };

export async function connectUpstream(spec: UpstreamSpec, options: ConnectOptions): Promise<UpstreamConnection> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (spec.kind === 'stdio') {
    return connectStdio(spec, options, deadline);
  }
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

type StdioSpec = Extract<UpstreamSpec, { kind: 'stdio' }>;

async function connectStdio(spec: StdioSpec, options: ConnectOptions, deadline: number): Promise<UpstreamConnection> {
  const transport = new ProcessTransport(
    { command: spec.command, args: spec.args, env: spec.env, ...(spec.cwd !== undefined && { cwd: spec.cwd }) },
    {
      instance: options.instance,
      graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
      ...(options.onStderr !== undefined && { onStderr: options.onStderr }),
    },
  );
  try {
    const client = await handshake(transport, options, deadline);
    return connection(client, 'stdio', transport.pid);
  } catch (error) {
    const why = describeStdioFailure(error, transport.unexpectedExit, transport.stderrTail);
    throw new UpstreamConnectionError(
      options.instance,
      'stdio',
      `${options.instance}: could not start "${spec.command}" over stdio: ${why}`,
      { cause: error },
    );
  }
}

interface Remote {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly auth?: RemoteAuth;
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
function isAuthFailure(error: unknown): boolean {
  return error instanceof UnauthorizedError || findAuthError(error) !== undefined;
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
  return handshake(transport, options, deadline).then((client) => connection(client, kind, undefined, endSession));
}

/** Streamable HTTP first (the current protocol), SSE (the 2024-11-05 one) when that fails. */
async function connectAuto(remote: Remote, options: ConnectOptions, deadline: number): Promise<UpstreamConnection> {
  let httpError: unknown;
  try {
    return await connectRemote('http', remote, options, deadline);
  } catch (error) {
    if (error instanceof UpstreamTimeoutError || isAuthFailure(error)) {
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

/**
 * Connects and initializes within the deadline. On any failure the client and its transport
 * are closed before the error is passed on, so nothing half-open stays behind.
 */
async function handshake(transport: Transport, options: ConnectOptions, deadline: number): Promise<Client> {
  const client = new Client(options.clientInfo ?? DEFAULT_CLIENT_INFO, {
    jsonSchemaValidator: compiledOnFirstUse(),
    ...(options.capabilities !== undefined && { capabilities: options.capabilities }),
  });
  const remaining = Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamTimeoutError(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)), remaining);
  });
  const connecting = client.connect(transport, { timeout: remaining + 1000 });
  // If the timeout wins, the connect attempt may still reject later: that is expected.
  connecting.catch(() => undefined);
  try {
    await Promise.race([connecting, timeout]);
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    // A transport that never started is not closed by the client; close it directly too.
    await transport.close().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The SDK's validator, built, and compiling a schema, only when a result is first validated.
 * The SDK `Client` builds an Ajv in its constructor and compiles every tool's outputSchema
 * at `listTools()`; the relay forwards results rather than validating them through this
 * client, so that work would only slow a cold start down (most for many instances).
 */
function compiledOnFirstUse(): jsonSchemaValidator {
  let ajv: AjvJsonSchemaValidator | undefined;
  return {
    getValidator<T>(schema: Parameters<jsonSchemaValidator['getValidator']>[0]): JsonSchemaValidator<T> {
      let validate: JsonSchemaValidator<T> | undefined;
      return (input) => (validate ??= (ajv ??= new AjvJsonSchemaValidator()).getValidator<T>(schema))(input);
    },
  };
}

function connection(
  client: Client,
  transport: ConnectedTransport,
  pid: number | undefined,
  endSession?: () => Promise<void>,
): UpstreamConnection {
  const serverInfo = client.getServerVersion();
  const serverCapabilities = client.getServerCapabilities();
  if (serverInfo === undefined || serverCapabilities === undefined) {
    // connect() resolves only after initialize; this is a broken invariant, not a user error.
    throw new Error('the MCP handshake finished without serverInfo or capabilities');
  }
  const instructions = client.getInstructions();
  let closing: Promise<void> | undefined;
  return {
    client,
    transport,
    ...(pid !== undefined && { pid }),
    serverInfo,
    serverCapabilities,
    ...(instructions !== undefined && { instructions }),
    close: () =>
      (closing ??= (async () => {
        await endSession?.().catch(() => undefined);
        await client.close();
      })()),
  };
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
  const authError = findAuthError(error);
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
