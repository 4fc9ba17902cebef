/**
 * Where OAuth state lives between runs, per instance: the tokens, the client registered
 * dynamically, the PKCE verifier and the discovery result. The extension backs it with
 * SecretStorage, the CLI with its 0600 file; tests with memory. Values are JSON text.
 */
import { createHash } from 'node:crypto';

export interface TokenStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export type OAuthRecord = 'tokens' | 'client' | 'verifier' | 'discovery';
export const OAUTH_RECORDS: readonly OAuthRecord[] = ['tokens', 'client', 'verifier', 'discovery'];

/** Every key the OAuth client of one instance uses starts with this. */
export const OAUTH_KEY_PREFIX = 'mcplex.oauth/';

/**
 * `mcplex.oauth/<instance>/<digest of the URL>/<record>`: two instances never share a
 * key, and pointing an instance at another URL starts from a clean slate.
 */
export function oauthKey(instanceKey: string, url: string, record: OAuthRecord): string {
  const digest = createHash('sha256').update(url).digest('hex').slice(0, 16);
  return `${OAUTH_KEY_PREFIX}${instanceKey}/${digest}/${record}`;
}

/** Forgets everything stored for one instance's sign-in ("Sign out"). */
export async function signOut(store: TokenStore, instanceKey: string, url: string): Promise<void> {
  for (const record of OAUTH_RECORDS) await store.delete(oauthKey(instanceKey, url, record));
}

export class MemoryTokenStore implements TokenStore {
  readonly values = new Map<string, string>();

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }

  set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }
}
