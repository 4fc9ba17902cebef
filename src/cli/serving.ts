/**
 * What `serve` and `wrap` share: run a relay over the chosen host until the client goes
 * away or the user interrupts, then stop everything — host, relay, upstream process trees —
 * in that order, so no call is left half-answered and no process outlives mcplex.
 */
import { HttpHost, serveStdio, type ListenAddress } from '../core/host';
import type { Relay } from '../core/mux';
import type { ServeListen } from './args';
import type { CliIo } from './io';

export interface Stoppable {
  close(): Promise<void>;
}

/** Serves `relay` and resolves when serving is over. `upstreams` is closed last. */
export async function serveRelay(
  relay: Relay,
  listen: ServeListen,
  io: CliIo,
  options: { readonly token?: string; readonly describe: string; readonly upstreams: Stoppable },
): Promise<void> {
  try {
    if (listen.kind === 'stdio') {
      const host = await serveStdio(relay);
      await Promise.race([host.closed, io.interrupted()]);
      await host.close();
      return;
    }
    const address: ListenAddress =
      listen.kind === 'http' ? { kind: 'tcp', host: loopbackHost(listen.host), port: listen.port } : { kind: 'socket', path: listen.path };
    const host = await HttpHost.start({
      listen: address,
      ...(options.token === undefined ? {} : { token: options.token }),
      onError: (error) => io.writeErr(`mcplex: ${error.message}\n`),
    });
    const mount = host.mount('/mcp', relay);
    io.writeErr(`mcplex: serving ${options.describe} at ${mount.url}\n`);
    if (options.token === undefined) {
      io.writeErr('mcplex: warning: no token (--token-env NAME): any local process can call these tools\n');
    }
    const reason = await io.interrupted();
    io.writeErr(`mcplex: ${reason}, stopping\n`);
    await host.close();
  } finally {
    await relay.close();
    await options.upstreams.close();
  }
}

function loopbackHost(host: string): '127.0.0.1' | '::1' | 'localhost' {
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') return host;
  // The host refuses anything else too; saying it here names the option.
  throw new ServeOptionError(`--http listens on loopback only (127.0.0.1, ::1 or localhost), not "${host}"`);
}

export class ServeOptionError extends Error {
  readonly code = 'serve-option';
  constructor(message: string) {
    super(message);
    this.name = 'ServeOptionError';
  }
}
