/**
 * The browser's way back after a sign-in: a one-shot HTTP listener on 127.0.0.1 that
 * takes the authorization `code` if and only if `state` matches, then stops. A request
 * with the wrong state (a stale tab, a forged link) is refused and the wait goes on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CALLBACK_PATH } from './callbackPort';
import { OAuthCallbackError } from './errors';
import { responseIssuerProblem, type IssuerExpectation } from './responseIssuer';

export interface CallbackOptions {
  readonly instance: string;
  readonly port: number;
  readonly state: string;
  readonly timeoutMs: number;
  /** RFC 9207: the `iss` the response must carry (from the authorization server's metadata). */
  readonly issuer?: IssuerExpectation;
}

export interface CallbackListener {
  /** The authorization code; rejects with `OAuthCallbackError` (refused, timed out, closed). */
  readonly code: Promise<string>;
  close(): Promise<void>;
}

export async function listenForCallback(options: CallbackOptions): Promise<CallbackListener> {
  const { instance } = options;
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => undefined); // observed by whoever awaits it; never unhandled
  const finish = (outcome: { code: string } | { error: Error }): void => {
    if ('code' in outcome) settle?.resolve(outcome.code);
    else settle?.reject(outcome.error);
    settle = undefined;
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      page(response, 404, 'Not found.');
      return;
    }
    const params = url.searchParams;
    if (params.get('state') !== options.state) {
      page(response, 400, 'This sign-in link is stale or was not started by mcplex. Start the sign-in again.');
      return;
    }
    // Before the code or an error is believed: a response from another server ends the sign-in.
    const mixUp = responseIssuerProblem(instance, params.get('iss'), options.issuer);
    if (mixUp !== undefined) {
      page(response, 400, `The sign-in to ${instance} came back from another authorization server than the one it was started with, and was refused. Start the sign-in again.`, close);
      finish({ error: new OAuthCallbackError(instance, mixUp) });
      return;
    }
    const error = params.get('error');
    if (error !== null) {
      const description = params.get('error_description');
      page(response, 400, `Sign-in to ${instance} was refused. You can close this tab.`, close);
      finish({ error: new OAuthCallbackError(instance, `${instance}: the sign-in was refused (${error}${description ? `: ${description}` : ''}); sign in again to retry`) });
      return;
    }
    const value = params.get('code');
    if (value === null || value === '') {
      page(response, 400, 'The sign-in came back without a code. Start the sign-in again.');
      return;
    }
    page(response, 200, `Signed in to ${instance}. You can close this tab.`, close);
    finish({ code: value });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${options.port} is in use (another sign-in, or another program); finish or cancel that one, or set \`auth.callbackPort\``
          : `cannot listen on 127.0.0.1:${options.port} (${error.code ?? error.message})`;
      reject(new OAuthCallbackError(instance, `${instance}: cannot receive the sign-in: ${why}`, { cause: error }));
    });
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(() => {
    const minutes = Math.round(options.timeoutMs / 60_000);
    const after = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${options.timeoutMs} ms`;
    finish({ error: new OAuthCallbackError(instance, `${instance}: the sign-in did not finish within ${after}; sign in again`) });
    void close();
  }, options.timeoutMs);

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    return (closing ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      settle?.reject(new OAuthCallbackError(instance, `${instance}: the sign-in was cancelled`));
      settle = undefined;
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  }
  return { code, close };
}

/** Whether listening failed because the port is taken (the caller may try another). */
export function isPortInUse(error: unknown): boolean {
  return error instanceof OAuthCallbackError && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Answers the browser; `then` runs once the page is sent (the listener stops after the last one). */
function page(response: ServerResponse, status: number, text: string, then?: () => Promise<void>): void {
  const body = `<!doctype html><meta charset="utf-8"><title>mcplex</title><p>${escapeHtml(text)}</p>`;
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  response.end(body, () => void then?.());
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
