/**
 * `auth.type: oauth`: the SDK's `OAuthClientProvider` over a `TokenStore`, one per
 * instance. The SDK does the protocol (discovery, dynamic registration, PKCE, refresh);
 * this class keeps its state per instance and decides whether a browser may open.
 *
 * Not interactive (VS Code's `provide`, a CI run): a flow that needs the user raises
 * `SignInRequiredError` instead — after a refresh has been tried, so an expired token
 * never bothers the user. Interactive: the browser opens through `openBrowser`, a
 * loopback listener takes the code, and the code is exchanged for tokens right here, so
 * a sign-in that the SDK started mid-session also ends with stored tokens.
 */
import { randomBytes } from 'node:crypto';
import { auth as runAuth, type OAuthClientProvider, type OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { AuthSpec } from '../config';
import type { Redactor } from '../redaction';
import { callbackRedirectUrl, defaultCallbackPort } from './callbackPort';
import { OAuthCallbackError, SignInRequiredError } from './errors';
import { listenForCallback, type CallbackListener } from './loopbackCallback';
import { oauthKey, type OAuthRecord, type TokenStore } from './tokenStore';

export type OAuthAuth = Extract<AuthSpec, { type: 'oauth' }>;

export interface OAuthProviderOptions {
  /** For messages: `notion/work`. */
  readonly instance: string;
  /** Whose tokens these are; unique per instance (the extension adds the folder). */
  readonly storeKey: string;
  /** The upstream's URL. */
  readonly url: string;
  /** The instance prefix: with the URL, it fixes the default callback port. */
  readonly prefix: string;
  readonly config: OAuthAuth;
  readonly store: TokenStore;
  /** May this caller open a browser? Never in VS Code's `provide`. */
  readonly interactive: boolean;
  /** Shows the sign-in page (the CLI prints the URL and tries a browser; VS Code `openExternal`). */
  readonly openBrowser?: (url: string) => void | Promise<void>;
  /** What the user should do, in "<instance> needs you to sign in: <hint>". */
  readonly signInHint?: string;
  /** How long a browser sign-in may take. Default 5 minutes. */
  readonly callbackTimeoutMs?: number;
  /** For the token exchange after the callback; default `fetch`. */
  readonly fetch?: FetchLike;
  /** Learns every token and client secret used, so the host never prints one. */
  readonly redactor?: Pick<Redactor, 'add'>;
}

const DEFAULT_HINT = 'sign in to it, then start it again';

export class McplexOAuthProvider implements OAuthClientProvider {
  readonly callbackPort: number;
  private expectedState: string | undefined;
  private signIn: { readonly listener: CallbackListener; readonly done: Promise<void> } | undefined;

  constructor(private readonly options: OAuthProviderOptions) {
    this.callbackPort = options.config.callbackPort ?? defaultCallbackPort(options.url, options.prefix);
  }

  get redirectUrl(): string {
    return callbackRedirectUrl(this.callbackPort);
  }

  get clientMetadata(): OAuthClientMetadata {
    const { config } = this.options;
    return {
      client_name: config.clientName ?? `mcplex (${this.options.instance})`,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: config.clientSecret !== undefined ? 'client_secret_post' : 'none',
      ...(config.scopes !== undefined && config.scopes.length > 0 && { scope: config.scopes.join(' ') }),
    };
  }

  state(): string {
    this.expectedState = randomBytes(24).toString('base64url');
    return this.expectedState;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    const { clientId, clientSecret } = this.options.config;
    const stored = await this.read<OAuthClientInformationMixed>('client');
    this.options.redactor?.add(clientSecret ?? stored?.client_secret);
    if (clientId === undefined) return stored;
    // A configured client: the stored copy only adds the issuer the SDK bound it to.
    const bound = stored?.client_id === clientId ? stored : undefined;
    return { ...bound, client_id: clientId, ...(clientSecret !== undefined && { client_secret: clientSecret }) };
  }

  async saveClientInformation(information: OAuthClientInformationMixed): Promise<void> {
    // A configured secret stays in the config's secret store, not copied into this one.
    const { client_secret: _secret, ...rest } = information;
    await this.write('client', this.options.config.clientSecret !== undefined ? rest : information);
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    const tokens = await this.read<OAuthTokens>('tokens');
    if (tokens !== undefined) this.remember(tokens);
    return tokens;
  }

  saveTokens(tokens: OAuthTokens): Promise<void> {
    this.remember(tokens);
    return this.write('tokens', tokens);
  }

  saveCodeVerifier(codeVerifier: string): Promise<void> {
    return this.write('verifier', codeVerifier);
  }

  async codeVerifier(): Promise<string> {
    const verifier = await this.read<string>('verifier');
    if (verifier === undefined) {
      throw new SignInRequiredError(this.options.instance, `the sign-in was started elsewhere and cannot be finished here; ${this.hint}`);
    }
    return verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    return this.write('discovery', state);
  }

  discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    return this.read<OAuthDiscoveryState>('discovery');
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    const records: OAuthRecord[] = scope === 'all' ? ['tokens', 'client', 'verifier', 'discovery'] : [scope];
    for (const record of records) await this.options.store.delete(this.key(record));
  }

  /**
   * Called by the SDK when no stored or refreshed token will do. Not interactive: the
   * user must act, so say so. Interactive: listen for the callback, then open the page.
   */
  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const { instance } = this.options;
    if (!this.options.interactive) throw new SignInRequiredError(instance, this.hint);
    const state = authorizationUrl.searchParams.get('state') ?? this.expectedState;
    if (state === undefined) throw new OAuthCallbackError(instance, `${instance}: the sign-in has no state to check; this is a bug`);
    await this.signIn?.listener.close();
    const listener = await listenForCallback({
      instance,
      port: this.callbackPort,
      state,
      timeoutMs: this.options.callbackTimeoutMs ?? 5 * 60_000,
    });
    const done = listener.code.then((code) => this.exchange(code));
    done.catch(() => undefined); // awaited by `awaitSignIn`, or the next connect tries again
    this.signIn = { listener, done };
    await this.options.openBrowser?.(authorizationUrl.href);
  }

  /** Whether a browser sign-in is under way. */
  get signingIn(): boolean {
    return this.signIn !== undefined;
  }

  /**
   * Waits for the browser sign-in started by `redirectToAuthorization` to come back with
   * stored tokens. False when none is under way; throws when it failed or timed out.
   */
  async awaitSignIn(): Promise<boolean> {
    const signIn = this.signIn;
    if (signIn === undefined) return false;
    try {
      await signIn.done;
      return true;
    } finally {
      if (this.signIn === signIn) this.signIn = undefined;
      await signIn.listener.close();
    }
  }

  async close(): Promise<void> {
    const signIn = this.signIn;
    this.signIn = undefined;
    await signIn?.listener.close();
  }

  private async exchange(code: string): Promise<void> {
    const result = await runAuth(this, {
      serverUrl: this.options.url,
      authorizationCode: code,
      ...(this.options.fetch !== undefined && { fetchFn: this.options.fetch }),
    });
    if (result !== 'AUTHORIZED') {
      throw new OAuthCallbackError(this.options.instance, `${this.options.instance}: the authorization server did not accept the sign-in; sign in again`);
    }
  }

  private get hint(): string {
    return this.options.signInHint ?? DEFAULT_HINT;
  }

  private remember(tokens: OAuthTokens): void {
    this.options.redactor?.add(tokens.access_token);
    this.options.redactor?.add(tokens.refresh_token);
    this.options.redactor?.add(tokens.id_token);
  }

  private key(record: OAuthRecord): string {
    return oauthKey(this.options.storeKey, this.options.url, record);
  }

  private async read<T>(record: OAuthRecord): Promise<T | undefined> {
    const text = await this.options.store.get(this.key(record));
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      // A damaged record is as good as none: the flow starts that part over.
      return undefined;
    }
  }

  private write(record: OAuthRecord, value: unknown): Promise<void> {
    return this.options.store.set(this.key(record), JSON.stringify(value));
  }
}
