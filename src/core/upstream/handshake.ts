/**
 * The MCP handshake every transport ends with: an SDK `Client` connected and initialized
 * within the deadline (or everything it opened closed again), then wrapped as an
 * `UpstreamConnection`. Apart from `connect` and `connectRemote` because it changes with the
 * SDK's `Client`, not with how an upstream is reached.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Implementation } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { DEFAULT_TIMEOUT_MS, type ConnectedTransport, type ConnectOptions, type UpstreamConnection } from './connectTypes';
import { UpstreamTimeoutError } from './errors';

/** Until the package version is threaded through, the name is what upstreams see. */
const DEFAULT_CLIENT_INFO: Implementation = { name: 'mcplex', version: '0.1.0' };

/**
 * Connects and initializes within the deadline. On any failure the client and its transport
 * are closed before the error is passed on, so nothing half-open stays behind.
 */
export async function handshake(transport: Transport, options: ConnectOptions, deadline: number): Promise<Client> {
  const client = new Client(options.clientInfo ?? DEFAULT_CLIENT_INFO, {
    jsonSchemaValidator: compiledOnFirstUse(),
    ...(options.capabilities !== undefined && { capabilities: options.capabilities }),
  });
  const remaining = Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamTimeoutError(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)), remaining);
    const signal = options.signal;
    if (signal === undefined) return;
    onAbort = () => reject(abortReason(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
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
    if (onAbort !== undefined) options.signal?.removeEventListener('abort', onAbort);
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the start was abandoned');
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

/** An initialized client as an `UpstreamConnection`; `endSession` runs first on close. */
export function connection(
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
