/** Secrets, OAuth tokens and VS Code accounts, kept in SecretStorage and VS Code's authentication API. */
export { secretStorageKey, SECRET_KEY_PREFIX, SecretStorageResolver } from './secrets';
export { SecretStorageTokenStore } from './tokenStorage';
export { openExternalUrl, vscodeTokenSource, knownAccounts } from './vscodeAccounts';
