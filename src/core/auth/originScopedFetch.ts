/**
 * A `fetch` for the SDK's transports that adds credential headers to requests for the
 * upstream's origin and to nothing else. Redirects are followed here, hop by hop, so a
 * redirect to another origin arrives there without the credentials (fetch's own
 * following would forward custom headers such as `X-Api-Key`).
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Dropped on a hop to another origin even when the caller set them, as browsers do. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** Like `fetch`, with the credential headers to use for this one request. */
export type CredentialedFetch = (url: string | URL, init: RequestInit | undefined, credentials: Readonly<Record<string, string>>) => Promise<Response>;

export function originScopedFetch(upstream: URL, base: FetchLike = fetch): CredentialedFetch {
  const origin = upstream.origin;
  return async (url, init, credentials) => {
    let current = new URL(url);
    let request: RequestInit = init ?? {};
    // A caller that handles redirects itself (the SDK's transports do) gets them as they are.
    const follow = (request.redirect ?? 'follow') === 'follow';
    for (let hop = 0; ; hop += 1) {
      const sameOrigin = current.origin === origin;
      const response = await base(current, {
        ...request,
        headers: scopedHeaders(request.headers, credentials, sameOrigin, hop > 0),
        ...(follow && { redirect: 'manual' }),
      });
      const location = follow && REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
      if (location === null || hop === MAX_REDIRECTS) return response;
      await response.body?.cancel().catch(() => undefined);
      current = new URL(location, current);
      request = redirectedRequest(response.status, request);
    }
  };
}

/** A fetch that always sends the same credentials (bearer, headers). */
export function staticCredentialFetch(upstream: URL, credentials: Readonly<Record<string, string>>, base?: FetchLike): FetchLike {
  const scoped = originScopedFetch(upstream, base);
  return (url, init) => scoped(url, init, credentials);
}

export function isSameOrigin(url: string | URL, upstream: URL): boolean {
  try {
    return new URL(url).origin === upstream.origin;
  } catch {
    return false;
  }
}

function scopedHeaders(
  given: RequestInit['headers'],
  credentials: Readonly<Record<string, string>>,
  sameOrigin: boolean,
  redirected: boolean,
): Headers {
  const headers = new Headers(given);
  for (const [name, value] of Object.entries(credentials)) {
    if (sameOrigin) headers.set(name, value);
    else headers.delete(name);
  }
  if (!sameOrigin && redirected) for (const name of ORIGIN_BOUND_HEADERS) headers.delete(name);
  return headers;
}

/** 303, and 301/302 after anything but GET/HEAD, turn into a GET without a body (as fetch does). */
function redirectedRequest(status: number, request: RequestInit): RequestInit {
  const method = (request.method ?? 'GET').toUpperCase();
  if (status === 303 || ((status === 301 || status === 302) && method !== 'GET' && method !== 'HEAD')) {
    const headers = new Headers(request.headers);
    headers.delete('content-type');
    headers.delete('content-length');
    const { body: _body, ...rest } = request;
    return { ...rest, method: method === 'HEAD' ? 'HEAD' : 'GET', headers };
  }
  return request;
}
