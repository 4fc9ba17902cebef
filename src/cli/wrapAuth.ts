/**
 * `wrap`'s sign-in flags → what mcplex already has: an `AuthSpec` (the same the
 * configuration's `auth` resolves to), its redacted twin for the plan hash (values from the
 * environment stay `${env:NAME}`), and how the CLI signs that instance in (where its tokens
 * are kept, whether a browser may open). Nothing new is invented for the original proxy's
 * flags: its bearer is `bearer`, its browser flow and machine account are `oauth`.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuthSpec } from '../core/config';
import type { CliSignIn } from './cliAuth';
import { FileSecretStore, SecretStoreError } from './secretStore';
import type { WrapAuth } from './wrapArgs';

export interface WrapCredentials {
  readonly auth: AuthSpec;
  readonly redacted: AuthSpec;
  /** Values read from the environment, to hide in every message. */
  readonly secretValues: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** The `AuthSpec` of `auth`, or what is wrong (a variable not set), naming the flag. */
export function wrapCredentials(auth: WrapAuth, env: Env): WrapCredentials | string {
  if (auth.kind === 'bearer') {
    const token = env[auth.env];
    if (token === undefined || token === '') return `--oauth-bearer-env ${auth.env}: the environment variable ${auth.env} is not set`;
    return { auth: { type: 'bearer', token }, redacted: { type: 'bearer', token: `\${env:${auth.env}}` }, secretValues: [token] };
  }
  const secretEnv = auth.clientSecretEnv;
  const secret = secretEnv === undefined ? undefined : env[secretEnv];
  if (secretEnv !== undefined && (secret === undefined || secret === '')) {
    return `--oauth-client-secret-env ${secretEnv}: the environment variable ${secretEnv} is not set`;
  }
  const common: Extract<AuthSpec, { type: 'oauth' }> = {
    type: 'oauth',
    ...(auth.kind === 'machine' && { grant: 'client_credentials' as const }),
    ...(auth.scopes.length > 0 && { scopes: auth.scopes }),
    ...(auth.clientId !== undefined && { clientId: auth.clientId }),
    ...(auth.clientName !== undefined && { clientName: auth.clientName }),
    ...(auth.kind === 'browser' && auth.callbackPort !== undefined && { callbackPort: auth.callbackPort }),
  };
  if (secret === undefined) return { auth: common, redacted: common, secretValues: [] };
  return { auth: { ...common, clientSecret: secret }, redacted: { ...common, clientSecret: `\${env:${secretEnv}}` }, secretValues: [secret] };
}

/** How the CLI signs the wrapped instance in: its tokens under the prefix, or in `--oauth-store`'s file. */
export function wrapSignIn(prefix: string, auth: WrapAuth | undefined, cwd: string): CliSignIn {
  if (auth?.kind !== 'browser') return { name: prefix };
  return { name: prefix, openBrowser: auth.openBrowser, ...(auth.store !== undefined && { storePath: resolve(cwd, auth.store) }) };
}

/**
 * Whether `--oauth-store FILE` can keep tokens: mcplex's own 0600 file (`FileSecretStore`:
 * atomic, locked, refused when others can read it), created at the first sign-in. A
 * folder is refused (the original's flag names a file), and so is the original proxy's own
 * token cache, which mcplex cannot read: writing over it would lose it for nothing.
 */
export function oauthStoreProblem(path: string): string | undefined {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `--oauth-store ${path}: ${(error as Error).message}`;
  }
  if (isFolder) return `--oauth-store ${path} is a folder; give the path of a file for this instance's tokens (e.g. ${resolve(path, 'work.json')})`;
  if (isOriginalCache(path)) {
    return `--oauth-store ${path} holds the original proxy's token cache, which mcplex cannot read; give another file (mcplex asks you to sign in once)`;
  }
  try {
    new FileSecretStore(path).tokens.keys();
    return undefined;
  } catch (error) {
    if (error instanceof SecretStoreError) return `--oauth-store: ${error.message}`;
    throw error;
  }
}

/** MCPlexer's cache (`{ clientInformation, tokens, codeVerifier }`) and never a store of ours (`version`, `oauth`). */
function isOriginalCache(path: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return false;
    const keys = Object.keys(parsed);
    return !keys.includes('oauth') && !keys.includes('version') && keys.some((key) => ['tokens', 'clientInformation', 'codeVerifier'].includes(key));
  } catch {
    return false; // not JSON: the store says so in its own words
  }
}
