/**
 * `${secret:NAME}` values from VS Code's SecretStorage (the OS keychain), under keys
 * namespaced `mcplex.secret.<NAME>` so they never meet another extension's. The values
 * handed out are remembered for the log's redaction and nothing else; the "Set Secret" /
 * "Clear Secret" commands arrive with the credentials work.
 */
import type * as vscode from 'vscode';
import type { SecretResolver } from '../../core/config';
import { Redactor } from '../../core/redaction';

export const SECRET_KEY_PREFIX = 'mcplex.secret.';

export function secretStorageKey(name: string): string {
  return `${SECRET_KEY_PREFIX}${name}`;
}

export class SecretStorageResolver implements SecretResolver {
  constructor(
    private readonly storage: Pick<vscode.SecretStorage, 'get'>,
    /** Learns each value handed out; kept after a secret changes: a running upstream may still hold the old value. */
    private readonly handedOut: Redactor = new Redactor(),
  ) {}

  async get(name: string): Promise<string | undefined> {
    const value = await this.storage.get(secretStorageKey(name));
    this.handedOut.add(value);
    return value;
  }

  /** Every value given to the runtime so far, long enough to hide (for redaction in logs). */
  values(): Iterable<string> {
    return this.handedOut.values();
  }
}
