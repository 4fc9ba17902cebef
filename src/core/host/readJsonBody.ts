/**
 * Reads and parses a request's JSON body under a size cap, so a client cannot make the
 * host buffer without bound. The host parses the body itself (rather than letting the SDK
 * transport do it) to enforce the cap and to route by the message before a session exists.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { readonly kind: 'ok'; readonly value: unknown }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'invalid-json' }
  | { readonly kind: 'aborted' };

export function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (declared > maxBytes) {
    return Promise.resolve({ kind: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering; the caller answers 413 and closes the connection.
        request.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      // One chunk is the common case: parse it in place rather than copying.
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      try {
        finish({ kind: 'ok', value: JSON.parse(body.toString('utf8')) });
      } catch {
        finish({ kind: 'invalid-json' });
      }
    };
    const onError = (): void => finish({ kind: 'aborted' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onError);
  });
}
