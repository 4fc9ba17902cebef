// Which instances offer "Sign in" / "Sign out": a machine account has no one to sign in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryTokenStore } from '../../../../src/core/auth';
import type { AuthSpec } from '../../../../src/core/config';
import { InstanceAuth } from '../../../../src/core/runtime/instanceAuth';

function signsIn(auth: AuthSpec): boolean {
  const spec = { kind: 'remote', url: 'https://mcp.example.com/mcp', transport: 'http', headers: {}, auth } as const;
  const instance = new InstanceAuth(spec, { tokenStore: new MemoryTokenStore() }, { instance: 's/a', storeKey: 's/a', prefix: 'a', onSignInRequired: () => undefined });
  return instance.signsIn;
}

describe('InstanceAuth.signsIn', () => {
  it('is true for a browser sign-in and a VS Code account, false for a machine account and static credentials', () => {
    assert.equal(signsIn({ type: 'oauth' }), true);
    assert.equal(signsIn({ type: 'oauth', grant: 'authorization_code' }), true);
    assert.equal(signsIn({ type: 'vscode', provider: 'github', scopes: [] }), true);
    assert.equal(signsIn({ type: 'oauth', grant: 'client_credentials', clientId: 'bot', clientSecret: 's' }), false);
    assert.equal(signsIn({ type: 'bearer', token: 't' }), false);
  });
});
