/**
 * The credentials of one instance of the window: the supervisor's `connect` with the
 * instance's `auth` applied, quiet by default (VS Code's `provide` path, eager starts: a
 * sign-in the user must do becomes a "needs you to sign in" state) and interactive only
 * while the user asked for it (a "Sign in" action, `resolve`).
 *
 * Two connectors, one per mode, because the core's OAuth client fixes whether it may open
 * a browser when it is made. Both keep their state in the same `TokenStore` under the
 * instance's own key (folder and instance), so what one signs in, the other uses.
 */
import { AuthorizedConnector, type RemoteSpec, findAuthError, SignInRequiredError, type TokenGrant, type AuthContext, type RemoteAuth, type VscodeAuth, storedTokens, signOut as forgetOAuth, type TokenStore } from '../auth';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { UpstreamSpec } from '../config';
import type { Redactor } from '../redaction';
import { connectUpstream, type ConnectOptions, type UpstreamConnection } from '../upstream';
import { accountOfTokens } from './oauthAccount';

/** A VS Code account's token, and whose it is (the tree shows "signed in as …"). */
export interface VscodeGrant extends TokenGrant {
  readonly account?: string;
}

export interface VscodeTokenRequest {
  /** `notes/work`, for messages. */
  readonly instance: string;
  /** May the user be asked (a sign-in dialog)? Never on the quiet path. */
  readonly interactive: boolean;
}

/** What the host (the extension, a test) gives every instance's credentials. */
export interface RuntimeAuthDeps {
  readonly tokenStore: TokenStore;
  readonly openBrowser?: (url: string) => void | Promise<void>;
  readonly vscodeToken?: (auth: VscodeAuth, previous: string | undefined, request: VscodeTokenRequest) => Promise<VscodeGrant>;
  /** The end of "<instance> needs you to sign in: …". */
  readonly signInHint?: string;
  readonly callbackTimeoutMs?: number;
  /** Told every credential value, to hide it wherever text is shown. */
  readonly redactor?: Pick<Redactor, 'add'>;
  /** Tests: the connect under the credentials. */
  readonly connect?: typeof connectUpstream;
}

export interface InstanceAuthOptions {
  /** `notes/work`: messages and the credential helper's name. */
  readonly instance: string;
  /** Unique per instance AND folder: two folders' `work` never share tokens. */
  readonly storeKey: string;
  readonly prefix: string;
  /** The workspace folder: where a credential helper runs. */
  readonly cwd?: string;
  /** The user must sign in (a token was revoked under a running session). */
  readonly onSignInRequired: (message: string) => void;
  /** OAuth: another instance of the window signs in to the same URL, so ask for the account chooser. */
  readonly selectAccount?: () => boolean;
}

export class InstanceAuth {
  /** While true (a "Sign in" or `resolve`), a sign-in may open a browser or a dialog. */
  interactive = false;
  /** After "Sign out" of a VS Code account: the quiet path must not take the session again. */
  private signedOut = false;
  private account: string | undefined;
  private quiet: AuthorizedConnector;
  private loud: AuthorizedConnector;

  constructor(
    readonly spec: RemoteSpec & { readonly auth: NonNullable<RemoteSpec['auth']> },
    private readonly deps: RuntimeAuthDeps,
    private readonly options: InstanceAuthOptions,
  ) {
    this.quiet = this.connector(false);
    this.loud = this.connector(true);
  }

  /** The upstream spec needs `auth` handled here (a remote one with an `auth`). */
  static needed(spec: UpstreamSpec): spec is RemoteSpec & { readonly auth: NonNullable<RemoteSpec['auth']> } {
    return spec.kind === 'remote' && spec.auth !== undefined;
  }

  /** For the supervisor. */
  readonly connect = (spec: UpstreamSpec, options: ConnectOptions): Promise<UpstreamConnection> =>
    (this.interactive ? this.loud : this.quiet).connectUpstream(spec, options);

  /** Whether "Sign in" / "Sign out" mean anything for this instance. */
  get signsIn(): boolean {
    const { auth } = this.spec;
    // A machine account (`client_credentials`) has no one to sign in: its secret is its sign-in.
    return (auth.type === 'oauth' && auth.grant !== 'client_credentials') || auth.type === 'vscode';
  }

  /** Who it is signed in as, when the provider said. */
  get signedInAs(): string | undefined {
    return this.account;
  }

  /** After a connection came up: learn the account (OAuth: from the stored tokens' ID token). */
  async learnAccount(): Promise<void> {
    if (this.spec.auth.type !== 'oauth') return;
    const text = await storedTokens(this.deps.tokenStore, this.options.storeKey, this.spec.url).catch(() => undefined);
    this.account = text === undefined ? undefined : accountOfTokens(text);
  }

  /** Forgets the sign-in: OAuth tokens and client leave the store; a VS Code account is let go. */
  async signOut(): Promise<void> {
    if (this.spec.auth.type === 'oauth') await forgetOAuth(this.deps.tokenStore, this.options.storeKey, this.spec.url);
    if (this.spec.auth.type === 'vscode') this.signedOut = true;
    this.account = undefined;
    await this.reset();
  }

  /** The user asked to sign in: a signed-out VS Code account may be taken again. */
  signingIn(): void {
    this.signedOut = false;
  }

  close(): Promise<void> {
    return Promise.all([this.quiet.close(), this.loud.close()]).then(() => undefined);
  }

  /** Fresh connectors: nothing cached (a VS Code token, a sign-in under way) survives. */
  private async reset(): Promise<void> {
    const old = [this.quiet, this.loud];
    this.quiet = this.connector(false);
    this.loud = this.connector(true);
    await Promise.all(old.map((connector) => connector.close()));
  }

  private connector(interactive: boolean): AuthorizedConnector {
    const { deps, options } = this;
    const context = (): Omit<AuthContext, 'url'> => ({
      instance: options.instance,
      storeKey: options.storeKey,
      prefix: options.prefix,
      store: deps.tokenStore,
      interactive,
      ...(deps.openBrowser !== undefined && { openBrowser: deps.openBrowser }),
      ...(deps.signInHint !== undefined && { signInHint: deps.signInHint }),
      ...(deps.callbackTimeoutMs !== undefined && { callbackTimeoutMs: deps.callbackTimeoutMs }),
      ...(deps.redactor !== undefined && { redactor: deps.redactor }),
      ...(deps.vscodeToken !== undefined && { vscodeToken: (auth: VscodeAuth, previous: string | undefined) => this.vscodeToken(auth, previous, interactive) }),
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      ...(options.selectAccount !== undefined && { selectAccount: options.selectAccount }),
    });
    return new AuthorizedConnector(context, (spec, connectOptions) => this.connectWatched(spec, connectOptions));
  }

  private async vscodeToken(auth: VscodeAuth, previous: string | undefined, interactive: boolean): Promise<TokenGrant> {
    const { vscodeToken } = this.deps;
    if (vscodeToken === undefined) throw new Error('unreachable: vscodeToken is checked by the caller');
    if (this.signedOut && !interactive) {
      throw new SignInRequiredError(this.options.instance, this.deps.signInHint ?? 'sign in to it, then start it again');
    }
    try {
      const grant = await vscodeToken(auth, previous, { instance: this.options.instance, interactive });
      this.account = grant.account ?? this.account;
      return grant;
    } catch (error) {
      this.notice(error);
      throw error;
    }
  }

  /** The connect under the credentials, with the OAuth client watched for "sign in again" mid-session. */
  private connectWatched(spec: UpstreamSpec, options: ConnectOptions): Promise<UpstreamConnection> {
    const connect = this.deps.connect ?? connectUpstream;
    const auth = options.auth;
    if (auth?.authProvider === undefined) return connect(spec, options);
    const watched: RemoteAuth = { ...auth, authProvider: this.watch(auth.authProvider) };
    return connect(spec, { ...options, auth: watched });
  }

  /**
   * The SDK asks the OAuth client to redirect when no stored or refreshed token will do:
   * on the quiet path that throws "needs you to sign in", which mid-session only fails
   * the call in flight. The runner hears of it here and shows the state.
   */
  private watch(provider: OAuthClientProvider): OAuthClientProvider {
    return new Proxy(provider, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'redirectToAuthorization' || typeof value !== 'function') return value;
        return async (url: URL) => {
          try {
            await (value as (url: URL) => Promise<void>).call(target, url);
          } catch (error) {
            this.notice(error);
            throw error;
          }
        };
      },
    });
  }

  private notice(error: unknown): void {
    const found = findAuthError(error);
    if (found?.code === 'sign-in-required') this.options.onSignInRequired(found.message);
  }
}
