/**
 * An instance's resolved `auth` → what the remote transports need: a `fetch` that adds
 * credentials for the upstream's origin only, or the SDK's OAuth client. The host (the
 * CLI, the extension) says where OAuth state is kept, whether a browser may open, and
 * how a VS Code account is reached.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { AuthSpec } from '../config';
import { headerSecrets, type Redactor } from '../redaction';
import type { RemoteAuth } from '../upstream';
import { CachedToken, type TokenGrant } from './cachedToken';
import { ClientCredentialsOAuthProvider } from './clientCredentials';
import { commandCredential } from './commandCredential';
import { AuthUnsupportedError, findAuthError } from './errors';
import { McplexOAuthProvider } from './oauthProvider';
import { isSameOrigin, originScopedFetch, staticCredentialFetch } from './originScopedFetch';
import { signInForCall, stepUpFetch } from './stepUp';
import type { CommandRunner } from './runCommand';
import type { TokenStore } from './tokenStore';

export type { RemoteAuth };

export type VscodeAuth = Extract<AuthSpec, { type: 'vscode' }>;

export interface AuthContext {
  /** For messages: `notion/work`. */
  readonly instance: string;
  /** Whose OAuth state it is; default `instance`. Unique per instance. */
  readonly storeKey?: string;
  /** The instance prefix (with the URL, it fixes the OAuth callback port). */
  readonly prefix: string;
  readonly url: string;
  /** Required for `oauth`. */
  readonly store?: TokenStore;
  /** May a browser sign-in start? */
  readonly interactive: boolean;
  readonly openBrowser?: (url: string) => void | Promise<void>;
  /** The end of "<instance> needs you to sign in: …". */
  readonly signInHint?: string;
  readonly callbackTimeoutMs?: number;
  /** `vscode` accounts: only the extension passes this. */
  readonly vscodeToken?: (auth: VscodeAuth, previous: string | undefined) => Promise<TokenGrant>;
  readonly runCommand?: CommandRunner;
  /** Where a credential helper runs (the workspace folder). */
  readonly cwd?: string;
  readonly now?: () => number;
  readonly fetch?: FetchLike;
  /**
   * Learns every credential value sent upstream (header values, helper and OAuth
   * tokens) when it is first used, so the host can keep it out of all it prints.
   */
  readonly redactor?: Pick<Redactor, 'add'>;
  /** OAuth: show the provider's account chooser (another instance signs in to the same URL). */
  readonly selectAccount?: () => boolean;
}

export function createRemoteAuth(spec: AuthSpec, ctx: AuthContext): RemoteAuth {
  // Connecting asks the credentials which failures are theirs: it knows nothing of auth's errors.
  return { ...credentialsFor(spec, ctx), credentialFailure: findAuthError };
}

function credentialsFor(spec: AuthSpec, ctx: AuthContext): RemoteAuth {
  const upstream = new URL(ctx.url);
  switch (spec.type) {
    case 'bearer':
      return staticAuth(upstream, { authorization: `Bearer ${spec.token}` }, ctx);
    case 'headers':
      return staticAuth(upstream, spec.headers, ctx);
    case 'command':
      return tokenAuth(upstream, commandCredential(spec, {
        instance: ctx.instance,
        ...(ctx.runCommand !== undefined && { run: ctx.runCommand }),
        ...(ctx.now !== undefined && { now: ctx.now }),
        ...(ctx.cwd !== undefined && { cwd: ctx.cwd }),
      }), ctx);
    case 'vscode': {
      const { vscodeToken } = ctx;
      if (vscodeToken === undefined) {
        throw new AuthUnsupportedError(
          ctx.instance,
          `${ctx.instance} uses \`"auth": { "type": "vscode" }\`, a VS Code account, which only VS Code can provide; outside VS Code use \`"type": "command"\` (e.g. \`gh auth token\`) or \`"type": "bearer"\` with \${secret:NAME}`,
        );
      }
      return tokenAuth(upstream, new CachedToken((previous) => vscodeToken(spec, previous), ctx.now), ctx);
    }
    case 'oauth': {
      if (spec.grant === 'client_credentials') return clientCredentialsAuth(spec, ctx);
      if (ctx.store === undefined) {
        throw new AuthUnsupportedError(ctx.instance, `${ctx.instance} uses OAuth, but no token store was given; this is a bug`);
      }
      const provider = new McplexOAuthProvider({
        instance: ctx.instance,
        storeKey: ctx.storeKey ?? ctx.instance,
        url: ctx.url,
        prefix: ctx.prefix,
        config: spec,
        store: ctx.store,
        interactive: ctx.interactive,
        ...(ctx.openBrowser !== undefined && { openBrowser: ctx.openBrowser }),
        ...(ctx.signInHint !== undefined && { signInHint: ctx.signInHint }),
        ...(ctx.callbackTimeoutMs !== undefined && { callbackTimeoutMs: ctx.callbackTimeoutMs }),
        ...(ctx.fetch !== undefined && { fetch: ctx.fetch }),
        ...(ctx.redactor !== undefined && { redactor: ctx.redactor }),
        ...(ctx.selectAccount !== undefined && { selectAccount: ctx.selectAccount }),
      });
      return {
        authProvider: provider,
        fetch: stepUpFetch(upstream, () => provider.stepUp(), ctx.fetch),
        awaitSignIn: () => provider.awaitSignIn(),
        holdForSignIn: () => signInForCall(ctx.instance, () => provider.awaitSignIn()),
        secretValues: () => [...(spec.clientSecret === undefined ? [] : [spec.clientSecret])],
        close: () => provider.close(),
      };
    }
  }
}

/** A machine account: tokens from its own id and secret, kept in memory (fetching one again is cheap and silent). */
function clientCredentialsAuth(spec: Extract<AuthSpec, { type: 'oauth' }>, ctx: AuthContext): RemoteAuth {
  const { clientId, clientSecret } = spec;
  if (clientId === undefined || clientSecret === undefined) {
    // The validator refuses this; a config built in code could still get here.
    throw new AuthUnsupportedError(ctx.instance, `${ctx.instance}: the \`client_credentials\` grant needs \`auth.clientId\` and \`auth.clientSecret\``);
  }
  const provider = new ClientCredentialsOAuthProvider({
    instance: ctx.instance,
    clientId,
    clientSecret,
    ...(spec.scopes !== undefined && { scopes: spec.scopes }),
    ...(spec.clientName !== undefined && { clientName: spec.clientName }),
    ...(ctx.redactor !== undefined && { redactor: ctx.redactor }),
    ...(ctx.now !== undefined && { now: ctx.now }),
  });
  return {
    authProvider: provider,
    ...(ctx.fetch !== undefined && { fetch: ctx.fetch }),
    secretValues: () => {
      const token = provider.tokens()?.access_token;
      return token === undefined ? [clientSecret] : [clientSecret, token];
    },
    close: () => Promise.resolve(),
  };
}

function staticAuth(upstream: URL, headers: Readonly<Record<string, string>>, ctx: AuthContext): RemoteAuth {
  for (const [name, value] of Object.entries(headers)) {
    for (const secret of headerSecrets(name, value)) ctx.redactor?.add(secret);
  }
  return {
    fetch: staticCredentialFetch(upstream, headers, ctx.fetch),
    secretValues: () => Object.values(headers),
    close: () => Promise.resolve(),
  };
}

/**
 * A bearer token from a source that can be asked again. A 401/403 from the upstream
 * drops the token and the request is sent once more with a fresh one.
 */
function tokenAuth(upstream: URL, token: CachedToken, ctx: AuthContext): RemoteAuth {
  const scoped = originScopedFetch(upstream, ctx.fetch);
  const bearer = (value: string): Record<string, string> => ({ authorization: `Bearer ${value}` });
  const fetchWithToken: FetchLike = async (url, init) => {
    // Requests elsewhere (an OAuth server, a redirect target) never cost a helper run.
    if (!isSameOrigin(url, upstream)) return scoped(url, init, {});
    const sent = await token.get();
    ctx.redactor?.add(sent);
    const response = await scoped(url, init, bearer(sent));
    if (response.status !== 401 && response.status !== 403) return response;
    await response.body?.cancel().catch(() => undefined);
    token.reject(sent);
    const fresh = await token.get();
    ctx.redactor?.add(fresh);
    return scoped(url, init, bearer(fresh));
  };
  return {
    fetch: fetchWithToken,
    secretValues: () => {
      const current = token.peek();
      return current === undefined ? [] : [current];
    },
    close: () => Promise.resolve(),
  };
}
