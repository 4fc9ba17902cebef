/**
 * The core's `TokenStore` (OAuth tokens, client registrations, PKCE verifiers, per
 * instance) over VS Code's SecretStorage, under keys `mcplex.oauth.<key>`: apart from the
 * `${secret:…}` values (`mcplex.secret.<NAME>`) and from every other extension's.
 */
import type * as vscode from 'vscode';
import { OAUTH_KEY_PREFIX, type TokenStore } from '../../core/auth';

export const TOKEN_KEY_PREFIX = 'mcplex.oauth.';

/** `mcplex.oauth/<instance>/<digest>/tokens` → `mcplex.oauth.<instance>/<digest>/tokens`. */
export function tokenStorageKey(key: string): string {
  return `${TOKEN_KEY_PREFIX}${key.startsWith(OAUTH_KEY_PREFIX) ? key.slice(OAUTH_KEY_PREFIX.length) : key}`;
}

export class SecretStorageTokenStore implements TokenStore {
  constructor(private readonly storage: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>) {}

  async get(key: string): Promise<string | undefined> {
    return this.storage.get(tokenStorageKey(key));
  }

  async set(key: string, value: string): Promise<void> {
    await this.storage.store(tokenStorageKey(key), value);
  }

  async delete(key: string): Promise<void> {
    await this.storage.delete(tokenStorageKey(key));
  }
}
