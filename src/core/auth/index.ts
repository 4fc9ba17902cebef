/**
 * Credentials for remote upstreams: bearer and header credentials scoped to the
 * upstream's origin, credential helpers, the MCP OAuth client over a `TokenStore`, and
 * the errors that turn into "needs you to sign in" states. No `vscode` import: the
 * extension passes in what only it has (SecretStorage, accounts, `openExternal`).
 */
export { AuthorizedConnector, type RemoteSpec } from './authorizedConnect';
export { CachedToken, type TokenGrant } from './cachedToken';
export {
  CALLBACK_PATH,
  CALLBACK_PORT_CANDIDATES,
  CALLBACK_PORT_MAX,
  CALLBACK_PORT_MIN,
  callbackPortCandidate,
  callbackRedirectUrl,
  defaultCallbackPort,
} from './callbackPort';
export { describePortHolder, findPortHolder, redactCommandLine, type PortHolder } from './portHolder';
export { ClientCredentialsOAuthProvider, type ClientCredentialsOptions } from './clientCredentials';
export { commandCredential, type CommandAuth, type CommandCredentialOptions } from './commandCredential';
export {
  AuthError,
  AuthUnsupportedError,
  CredentialHelperError,
  findAuthError,
  isSignInRequired,
  OAuthCallbackError,
  SignInRequiredError,
  type AuthErrorCode,
} from './errors';
export { jwtExpiry } from './jwt';
export { listenForCallback, type CallbackListener, type CallbackOptions } from './loopbackCallback';
export { McplexOAuthProvider, type OAuthAuth, type OAuthProviderOptions } from './oauthProvider';
export { isSameOrigin, originScopedFetch, staticCredentialFetch, type CredentialedFetch } from './originScopedFetch';
export { createRemoteAuth, type AuthContext, type RemoteAuth, type VscodeAuth } from './remoteAuth';
export { issuerExpectation, responseIssuerProblem, type IssuerExpectation } from './responseIssuer';
export { runCommand, type CommandRequest, type CommandResult, type CommandRunner } from './runCommand';
export {
  ISSUER_RECORDS,
  MemoryTokenStore,
  normalIssuer,
  OAUTH_KEY_PREFIX,
  OAUTH_RECORDS,
  oauthKey,
  signOut,
  storedIssuer,
  storedTokens,
  type OAuthRecord,
  type TokenStore,
} from './tokenStore';
export { accountChoiceUrl, isSharedSignInUrl, sharedSignInUrls, type SignInTarget } from './accountChoice';
