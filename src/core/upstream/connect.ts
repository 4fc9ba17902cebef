/**
 * Reaching an instance's upstream: spawn it (stdio) or dial it (Streamable HTTP, SSE, or
 * `auto`: Streamable HTTP first, SSE when that fails), run the MCP handshake, and hand back
 * an initialized SDK `Client` with a `close()` that leaves nothing running.
 *
 * Every failure becomes an `UpstreamConnectionError` naming the instance, the transport and
 * the why; whatever was opened before a failure or a timeout is closed again.
 *
 * This file is the entry point and the stdio path; the remote transports are in
 * `connectRemote`, the handshake shared by both in `handshake`, the types in `connectTypes`.
 */
import type { UpstreamSpec } from '../config';
import { redactValues } from '../redaction';
import { connectRemoteUpstream } from './connectRemote';
import { DEFAULT_GRACE_MS, DEFAULT_TIMEOUT_MS, type ConnectOptions, type UpstreamConnection } from './connectTypes';
import { describeStdioFailure } from './describeFailure';
import { UpstreamConnectionError } from './errors';
import { connection, handshake } from './handshake';
import { prepareStateDir } from './isolation';
import { ProcessTransport } from './processTransport';

export type { ConnectedTransport, ConnectOptions, RemoteAuth, UpstreamConnection } from './connectTypes';

export async function connectUpstream(spec: UpstreamSpec, options: ConnectOptions): Promise<UpstreamConnection> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (spec.kind === 'stdio') {
    return connectStdio(spec, options, deadline);
  }
  // A remote upstream has no process to isolate, but its config may name `${instanceDir}`.
  if (spec.stateDir !== undefined) prepareStateDir(spec.stateDir, undefined, {}, {});
  return connectRemoteUpstream(spec, options, deadline);
}

type StdioSpec = Extract<UpstreamSpec, { kind: 'stdio' }>;

async function connectStdio(spec: StdioSpec, options: ConnectOptions, deadline: number): Promise<UpstreamConnection> {
  const transport = new ProcessTransport(
    {
      command: spec.command,
      args: spec.args,
      env: spec.env,
      ...(spec.cwd !== undefined && { cwd: spec.cwd }),
      ...(spec.stateDir !== undefined && { stateDir: spec.stateDir }),
      ...(spec.isolate !== undefined && { isolate: spec.isolate }),
    },
    {
      instance: options.instance,
      graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
      ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
      ...(options.onStderr !== undefined && { onStderr: options.onStderr }),
    },
  );
  try {
    const client = await handshake(transport, options, deadline);
    return connection(client, 'stdio', transport.pid);
  } catch (error) {
    const why = describeStdioFailure(error, transport.unexpectedExit, transport.stderrTail);
    // The command, its working directory and its stderr may all carry a substituted secret.
    const message = redactValues(`${options.instance}: could not start "${spec.command}" over stdio: ${why}`, spec.secretValues ?? []);
    throw new UpstreamConnectionError(options.instance, 'stdio', message, { cause: error });
  }
}
