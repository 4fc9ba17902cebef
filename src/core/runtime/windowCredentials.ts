/**
 * The window's credentials for the engine: an `InstanceAuth` per remote instance with an
 * `auth` (OAuth tokens in SecretStorage, VS Code accounts, helper commands), quiet unless
 * the user acted. The CLI has its own factory (src/cli/cliAuth.ts).
 */
import { isSharedSignInUrl, MemoryTokenStore } from '../auth';
import type { CredentialFactory } from '../engine';
import { InstanceAuth, type RuntimeAuthDeps } from './instanceAuth';
import type { WindowRuntimeOptions } from './runtimeOptions';

/** The window's: an `InstanceAuth` per remote instance with an `auth`, tokens under the instance's window id. */
/** `sharedUrls`: the upstream URLs more than one OAuth instance of the window signs in to, as of now. */
export function windowCredentials(options: WindowRuntimeOptions, sharedUrls: () => ReadonlySet<string> = () => new Set()): CredentialFactory {
  const deps: RuntimeAuthDeps = {
    tokenStore: options.tokenStore ?? new MemoryTokenStore(),
    ...(options.openBrowser !== undefined && { openBrowser: options.openBrowser }),
    ...(options.vscodeToken !== undefined && { vscodeToken: options.vscodeToken }),
    ...(options.signInHint !== undefined && { signInHint: options.signInHint }),
    ...(options.signInTimeoutMs !== undefined && { callbackTimeoutMs: options.signInTimeoutMs }),
    ...(options.redactor !== undefined && { redactor: options.redactor }),
  };
  return ({ instance, cwd, connect, onSignInRequired }) => {
    const { upstream, key, prefix } = instance.planned;
    if (!InstanceAuth.needed(upstream)) return undefined;
    return new InstanceAuth(upstream, { ...deps, ...(connect !== undefined && { connect }) }, {
      instance: key,
      storeKey: instance.id,
      prefix,
      ...(cwd !== undefined && { cwd }),
      onSignInRequired,
      selectAccount: () => isSharedSignInUrl(sharedUrls(), upstream.url),
    });
  };
}
