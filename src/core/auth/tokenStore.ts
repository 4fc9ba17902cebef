/**
 * Where OAuth state lives between runs, per instance: the tokens, the client registered
 * dynamically, the PKCE verifier and the discovery result. The extension backs it with
 * SecretStorage, the CLI with its secret store (the OS keychain or a 0600 file); tests with memory. Values are JSON text.
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

/** The records that belong to one authorization server: never shown to another one. */
export const ISSUER_RECORDS: readonly OAuthRecord[] = ['tokens', 'client'];

/**
 * `mcplex.oauth/<instance>/<digest of the URL>/<record>`: two instances never share a
 * key, and pointing an instance at another URL starts from a clean slate. With `issuer`
 * (the tokens and the client registration), `<digest of the URL>-<digest of the issuer>`:
 * an upstream that moves to another authorization server finds nothing of the old one's.
 */
export function oauthKey(instanceKey: string, url: string, record: OAuthRecord, issuer?: string): string {
  const digest = shortDigest(url);
  const scope = issuer === undefined ? digest : `${digest}-${shortDigest(normalIssuer(issuer))}`;
  return `${OAUTH_KEY_PREFIX}${instanceKey}/${scope}/${record}`;
}

/** The authorization server the last discovery for this instance and URL found, if any. */
export async function storedIssuer(store: TokenStore, instanceKey: string, url: string): Promise<string | undefined> {
  const text = await store.get(oauthKey(instanceKey, url, 'discovery'));
  if (text === undefined) return undefined;
  try {
    const state: unknown = JSON.parse(text);
    const issuer = typeof state === 'object' && state !== null ? (state as { authorizationServerUrl?: unknown }).authorizationServerUrl : undefined;
    return typeof issuer === 'string' && issuer !== '' ? issuer : undefined;
  } catch {
    return undefined;
  }
}

/** The stored tokens record (JSON text) of the authorization server last discovered. */
export async function storedTokens(store: TokenStore, instanceKey: string, url: string): Promise<string | undefined> {
  const issuer = await storedIssuer(store, instanceKey, url);
  return issuer === undefined ? undefined : store.get(oauthKey(instanceKey, url, 'tokens', issuer));
}

/** Forgets everything stored for one instance's sign-in ("Sign out"). */
export async function signOut(store: TokenStore, instanceKey: string, url: string): Promise<void> {
  const issuer = await storedIssuer(store, instanceKey, url);
  if (issuer !== undefined) for (const record of ISSUER_RECORDS) await store.delete(oauthKey(instanceKey, url, record, issuer));
  for (const record of OAUTH_RECORDS) await store.delete(oauthKey(instanceKey, url, record));
}

/** One spelling per authorization server: `https://as.example/` and `https://as.example` are one. */
export function normalIssuer(issuer: string): string {
  return issuer.endsWith('/') ? issuer.slice(0, -1) : issuer;
}

function shortDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
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
