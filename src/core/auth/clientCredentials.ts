/**
 * `auth: { type: "oauth", grant: "client_credentials" }`: a machine account. The client's
 * own id and secret get the tokens at the token endpoint (RFC 6749 §4.4): no browser, no
 * callback, no refresh token. A token is fetched again when it has expired (it is not
 * offered past its `expires_in`, so the upstream's 401 sends the SDK back to the token
 * endpoint) or when the upstream refuses it.
 *
 * Built on the SDK's `ClientCredentialsProvider` (the `client_credentials` token request,
 * no redirect), with what mcplex adds to every credential: tokens and the secret go to the
 * redactor, an expired token is dropped, and the client is bound to the first
 * authorization server it is sent to in this process (the SDK then refuses to send the
 * secret to another one the upstream names later).
 */
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Redactor } from '../redaction';

export interface ClientCredentialsOptions {
  /** For messages: `notion/bot`. */
  readonly instance: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
  readonly clientName?: string;
  /** Learns the secret and every token, so the host never prints one. */
  readonly redactor?: Pick<Redactor, 'add'>;
  readonly now?: () => number;
}

/** A token this close to its expiry is not sent: it would expire on the way. */
const EXPIRY_MARGIN_MS = 30_000;

export class ClientCredentialsOAuthProvider extends ClientCredentialsProvider {
  private expiresAt: number | undefined;
  private readonly now: () => number;
  private readonly metadata: OAuthClientMetadata;

  constructor(private readonly options: ClientCredentialsOptions) {
    // The issuer is learnt from the first discovery (see `saveClientInformation`); the SDK
    // warns when none is given up front, which would only be noise on mcplex's stderr.
    super({ clientId: options.clientId, clientSecret: options.clientSecret, expectedIssuer: 'mcplex:unbound' });
    this.now = options.now ?? Date.now;
    this.unbind();
    options.redactor?.add(options.clientSecret);
    const scope = options.scopes !== undefined && options.scopes.length > 0 ? options.scopes.join(' ') : undefined;
    this.metadata = {
      ...super.clientMetadata,
      client_name: options.clientName ?? `mcplex (${options.instance})`,
      ...(scope !== undefined && { scope }),
    };
  }

  override get clientMetadata(): OAuthClientMetadata {
    return this.metadata;
  }

  override saveClientInformation(info: OAuthClientInformationMixed): void {
    // The SDK stamps the issuer it used; kept, so another one is refused from now on.
    super.saveClientInformation({ ...info, client_id: this.options.clientId, client_secret: this.options.clientSecret });
  }

  override tokens(): OAuthTokens | undefined {
    if (this.expiresAt !== undefined && this.now() >= this.expiresAt - EXPIRY_MARGIN_MS) return undefined;
    return super.tokens();
  }

  override saveTokens(tokens: OAuthTokens): void {
    this.options.redactor?.add(tokens.access_token);
    this.expiresAt = tokens.expires_in !== undefined ? this.now() + tokens.expires_in * 1000 : undefined;
    super.saveTokens(tokens);
  }

  /** Drops the placeholder issuer given to the SDK's constructor: the first discovery binds. */
  private unbind(): void {
    super.saveClientInformation({ client_id: this.options.clientId, client_secret: this.options.clientSecret });
  }
}
