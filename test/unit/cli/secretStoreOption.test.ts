// `--secret-store keychain|file` on every command that reads secrets or OAuth tokens
// (check, list, serve, wrap, pin, audit, and secret's own), read in one place
// (options.ts `parseSecretStore`), and carried by the run's io to every lookup.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInvocation, UsageError, type Invocation } from '../../../src/cli/args';
import { FileSecretStore } from '../../../src/cli/secretStore';
import { lazySecretStore } from '../../../src/cli/secretStoreChoice';
import { quietIo } from '../../helpers/quietIo';

/** Each command that reads secrets, as a user types it, the option to be added at the end. */
const COMMANDS: readonly (readonly string[])[] = [
  ['check'],
  ['list'],
  ['serve'],
  ['serve', '--http', '127.0.0.1:0'],
  ['wrap', '--prefix', 'work', '--url', 'https://example.com/mcp', '--oauth'],
  ['pin', 'show'],
  ['pin', 'accept', '--instance', 'work'],
  ['audit'],
];

function storeOf(invocation: Invocation): unknown {
  if (invocation.kind === 'secret') return invocation.store;
  return 'secretStore' in invocation ? invocation.secretStore : undefined;
}

describe('--secret-store on every command that reads secrets', () => {
  it('is accepted by each, with = or a separate value', () => {
    for (const argv of COMMANDS) {
      assert.equal(storeOf(parseInvocation([...argv, '--secret-store', 'file'])), 'file', argv.join(' '));
      assert.equal(storeOf(parseInvocation([...argv, '--secret-store=keychain'])), 'keychain', argv.join(' '));
      assert.equal(storeOf(parseInvocation(argv)), undefined, argv.join(' '));
    }
    // `wrap`'s own options end at `--`: after it, the flag is the upstream's.
    const wrapped = parseInvocation(['wrap', '--prefix', 'p', '--', 'server', '--secret-store', 'file']);
    assert.equal(storeOf(wrapped), undefined);
    assert.equal(storeOf(parseInvocation(['secret', 'list', '--secret-store', 'file'])), 'file');
  });

  it('refuses another value with the same words everywhere, naming the command for its usage', () => {
    for (const argv of [...COMMANDS, ['secret', 'list']]) {
      assert.throws(
        () => parseInvocation([...argv, '--secret-store', 'vault']),
        (error: Error) => error instanceof UsageError && error.message === '--secret-store is keychain or file (got "vault")' && error.command === argv[0],
        argv.join(' '),
      );
    }
  });

  it("every lookup of the run follows the store its io carries, over MCPLEX_SECRET_STORE", () => {
    const io = quietIo({ env: { MCPLEX_SECRET_STORE: 'keychain', MCPLEX_SECRETS_FILE: '/nowhere/secrets.json' }, secretStore: 'file' });
    // The keychain is never probed: the file was asked for by name.
    assert.equal(lazySecretStore(io).where, new FileSecretStore('/nowhere/secrets.json').where);
  });
});
