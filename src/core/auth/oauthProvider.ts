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
 *
 * The tokens and the client registration are kept per authorization server (the issuer
 * discovery found): discovery runs again on every sign-in and refresh, so an upstream that
 * moved to another authorization server gets a new registration there, and the old
 * server's records are dropped, never sent to the new one.
 */
import { randomBytes } from 'node:crypto';
import { auth as runAuth, type OAuthClientProvider, type OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { AuthSpec } from '../config';
import type { Redactor } from '../redaction';
import { callbackRedirectUrl } from './callbackPort';
import { CallbackPortChoice } from './callbackPortChoice';
import { OAuthCallbackError, SignInRequiredError } from './errors';
import { isPortInUse, listenForCallback, type CallbackListener } from './loopbackCallback';
import { accountChoiceUrl } from './accountChoice';
import { issuerExpectation } from './responseIssuer';
import { normalIssuer, oauthKey, storedIssuer, type OAuthRecord, type TokenStore } from './tokenStore';

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
  /**
   * Whether the sign-in should show the provider's account chooser (`prompt=select_account`):
   * another instance signs in to the same URL. Asked when the browser is about to open.
   */
  readonly selectAccount?: () => boolean;
}

const DEFAULT_HINT = 'sign in to it, then start it again';

export class McplexOAuthProvider implements OAuthClientProvider {
  private readonly ports: CallbackPortChoice;
  /**
   * A client ID metadata document (`auth.clientMetadataUrl`): the SDK uses it as the client
   * id where the server advertises support, and registers dynamically elsewhere.
   */
  readonly clientMetadataUrl?: string;
  private expectedState: string | undefined;
  private signIn: { readonly listener: CallbackListener; readonly done: Promise<void> } | undefined;
  /** Discovery of this provider's life (in memory): the issuer it found, and what to resume a sign-in with. */
  private discovered: OAuthDiscoveryState | undefined;
  private migration: Promise<void> | undefined;
  /** A step-up was asked for: the stored refresh token (of the old scopes) is not offered until new tokens come. */
  private steppingUp = false;

  constructor(private readonly options: OAuthProviderOptions) {
    const { config } = options;
    this.ports = new CallbackPortChoice({ instance: options.instance, url: options.url, prefix: options.prefix, pinned: config.callbackPort, configuredClient: config.clientId !== undefined });
    if (config.clientMetadataUrl !== undefined) this.clientMetadataUrl = config.clientMetadataUrl;
  }

  /** The loopback port of the sign-in: derived, pinned, or the one a taken port moved to. */
  get callbackPort(): number {
    return this.ports.port;
  }

  get redirectUrl(): string {
    return callbackRedirectUrl(this.callbackPort);
  }

  get clientMetadata(): OAuthClientMetadata {
    const { config } = this.options;
    const metadata = {
      client_name: config.clientName ?? `mcplex (${this.options.instance})`,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: config.clientSecret !== undefined ? 'client_secret_post' : 'none',
      // OpenID Dynamic Client Registration: a loopback redirect is a native app's; a server
      // that defaults to `web` may refuse http://127.0.0.1 (the SDK's type does not list it).
      application_type: 'native',
      ...(config.scopes !== undefined && config.scopes.length > 0 && { scope: config.scopes.join(' ') }),
    };
    return metadata;
  }

  state(): string {
    this.expectedState = randomBytes(24).toString('base64url');
    return this.expectedState;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    const { clientId, clientSecret } = this.options.config;
    const stored = await this.readBound<OAuthClientInformationMixed>('client');
    this.options.redactor?.add(clientSecret ?? stored?.client_secret);
    this.ports.follow(stored);
    if (clientId === undefined) return stored?.client_id.startsWith('https://') && stored.client_id !== this.clientMetadataUrl ? undefined : stored;
    // A configured client: the stored copy only adds the issuer the SDK bound it to.
    const bound = stored?.client_id === clientId ? stored : undefined;
    return { ...bound, client_id: clientId, ...(clientSecret !== undefined && { client_secret: clientSecret }) };
  }

  async saveClientInformation(information: OAuthClientInformationMixed): Promise<void> {
    // A configured secret stays in the config's secret store, not copied into this one.
    const { client_secret: _secret, ...rest } = information;
    await this.writeBound('client', this.options.config.clientSecret !== undefined ? rest : information);
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    const tokens = await this.readBound<OAuthTokens>('tokens');
    if (tokens !== undefined) this.remember(tokens);
    if (tokens === undefined || !this.steppingUp) return tokens;
    const { refresh_token: _old, ...rest } = tokens;
    return rest;
  }

  /** The upstream asked for more scopes (403 insufficient_scope): the next authorization is a sign-in, not a refresh. */
  stepUp(): void {
    this.steppingUp = true;
  }

  saveTokens(tokens: OAuthTokens): Promise<void> {
    this.steppingUp = false;
    this.remember(tokens);
    return this.writeBound('tokens', tokens);
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

  /**
   * A new discovery: when it found another authorization server than the stored one, the
   * old server's client and tokens are dropped (the new one registers us again).
   */
  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    await this.migrateLegacy();
    const before = await this.issuer();
    this.discovered = state;
    if (before !== undefined && normalIssuer(before) !== normalIssuer(state.authorizationServerUrl)) {
      for (const record of ['client', 'tokens'] as const) await this.options.store.delete(this.key(record, before));
    }
    await this.write('discovery', state);
  }

  /**
   * Only a sign-in under way resumes with its own discovery; any other flow (a refresh, a
   * new sign-in) discovers again, so a moved authorization server is noticed.
   */
  discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    return Promise.resolve(this.signIn !== undefined ? this.discovered : undefined);
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    const records: OAuthRecord[] = scope === 'all' ? ['tokens', 'client', 'verifier', 'discovery'] : [scope];
    const issuer = await this.issuer();
    for (const record of records) {
      if (issuer !== undefined && (record === 'tokens' || record === 'client')) await this.options.store.delete(this.key(record, issuer));
      await this.options.store.delete(this.key(record));
    }
    if (scope === 'all' || scope === 'discovery') this.discovered = undefined;
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
    const url = accountChoiceUrl(authorizationUrl, { selectAccount: this.options.selectAccount?.() ?? false, loginHint: this.options.config.loginHint });
    const listener = await this.listen(state);
    if (listener === undefined) {
      // The port moved: register again with the new redirect, and start over (the SDK calls back here).
      const scope = authorizationUrl.searchParams.get('scope');
      await runAuth(this, { serverUrl: this.options.url, ...(scope !== null && { scope }), ...(this.options.fetch !== undefined && { fetchFn: this.options.fetch }) });
      return;
    }
    const done = listener.code.then((code) => this.exchange(code));
    done.catch(() => undefined); // awaited by `awaitSignIn`, or the next connect tries again
    this.signIn = { listener, done };
    await this.options.openBrowser?.(url.href);
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

  /** The callback listener; undefined when the port was taken and the client moved to another (see CallbackPortChoice). */
  private async listen(state: string): Promise<CallbackListener | undefined> {
    try {
      const issuer = issuerExpectation(this.discovered?.authorizationServerMetadata);
      const listener = await listenForCallback({
        instance: this.options.instance,
        port: this.callbackPort,
        state,
        timeoutMs: this.options.callbackTimeoutMs ?? 5 * 60_000,
        ...(issuer !== undefined && { issuer }),
      });
      this.ports.listening();
      return listener;
    } catch (error) {
      if (!isPortInUse(error)) throw error;
      await this.ports.taken(error);
      await this.invalidateCredentials('client'); // registered with the old port's redirect URI
      return undefined;
    }
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

  private key(record: OAuthRecord, issuer?: string): string {
    return oauthKey(this.options.storeKey, this.options.url, record, issuer);
  }

  /** The authorization server of this flow: this provider's discovery, else the stored one. */
  private async issuer(): Promise<string | undefined> {
    return this.discovered?.authorizationServerUrl ?? storedIssuer(this.options.store, this.options.storeKey, this.options.url);
  }

  /** A record of the current authorization server; none before the first discovery. */
  private async readBound<T>(record: 'client' | 'tokens'): Promise<T | undefined> {
    await this.migrateLegacy();
    const issuer = await this.issuer();
    return issuer === undefined ? undefined : this.read<T>(record, issuer);
  }

  private async writeBound(record: 'client' | 'tokens', value: unknown): Promise<void> {
    const issuer = await this.issuer();
    // The SDK discovers before it saves either; without an issuer there is nothing to bind to.
    if (issuer === undefined) throw new OAuthCallbackError(this.options.instance, `${this.options.instance}: OAuth ${record} to save before discovery; this is a bug`);
    await this.options.store.set(this.key(record, issuer), JSON.stringify(value));
  }

  /**
   * Records stored before they were kept per issuer (under `<instance>/<url>/<record>`)
   * move to the slot of the issuer they belong to: the SDK's `issuer` stamp, else the
   * stored discovery's. One with neither is dropped: no one can tell which server it is
   * for, and sending it to the wrong one is what this keying prevents; a sign-in replaces it.
   */
  private migrateLegacy(): Promise<void> {
    this.migration ??= (async () => {
      const discovered = await storedIssuer(this.options.store, this.options.storeKey, this.options.url);
      for (const record of ['client', 'tokens'] as const) {
        const legacy = await this.read<{ issuer?: unknown }>(record);
        if (legacy === undefined) continue;
        const issuer = typeof legacy.issuer === 'string' ? legacy.issuer : discovered;
        const target = issuer === undefined ? undefined : this.key(record, issuer);
        if (target !== undefined && (await this.options.store.get(target)) === undefined) await this.options.store.set(target, JSON.stringify(legacy));
        await this.options.store.delete(this.key(record));
      }
    })();
    return this.migration;
  }

  private async read<T>(record: OAuthRecord, issuer?: string): Promise<T | undefined> {
    const text = await this.options.store.get(this.key(record, issuer));
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
