/**
 * A `fetch` that sends every request to one unix socket or named pipe, whatever the URL's
 * host: what the SDK's `StreamableHTTPClientTransport` needs (its `fetch` option) to reach
 * a host listening on a socket, as VS Code does for `unix://` definitions. Node's own fetch
 * cannot dial a socket without undici's Agent, which is not a dependency of ours.
 *
 * Responses stream (an SSE body arrives event by event); request bodies are buffered,
 * which suits MCP's JSON-RPC messages.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

export type SocketFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function createSocketFetch(socketPath: string): SocketFetch {
  return async (url, init) => {
    const request = new Request(url, init);
    const target = new URL(request.url);
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = { host: target.host };
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body !== undefined) headers['content-length'] = String(body.length);

    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpRequest({
        socketPath,
        method: request.method,
        path: target.pathname + target.search,
        headers,
        signal: request.signal,
      });
      outgoing.once('error', reject);
      outgoing.once('response', (incoming) => resolve(toResponse(incoming, request.method)));
      outgoing.end(body);
    });
  };
}

function toResponse(incoming: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) {
      for (const item of value) headers.append(name, item);
    } else if (value !== undefined) {
      headers.set(name, value);
    }
  }
  const status = incoming.statusCode ?? 500;
  if (NULL_BODY_STATUSES.has(status) || method === 'HEAD') {
    incoming.resume();
    return new Response(null, { status, headers });
  }
  const stream = Readable.toWeb(incoming) as ReadableStream<Uint8Array>;
  return new Response(stream, { status, statusText: incoming.statusMessage ?? '', headers });
}
