import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameAccountWarnings, signInScope } from '../../../../src/core/runtime';

describe('same-account warnings', () => {
  it('warns each instance signed in to one upstream as one identity, naming the others', () => {
    const scope = 'https://mcp.example.com/mcp';
    const warnings = sameAccountWarnings([
      { id: 'a', label: 'Svc · Work', account: 'me@x.test', scope },
      { id: 'b', label: 'Svc · Personal', account: 'ME@x.test', scope },
      { id: 'c', label: 'Other · Work', account: 'me@x.test', scope: 'https://other.example/mcp' },
      { id: 'd', label: 'Svc · Unknown', scope },
    ]);
    assert.deepEqual([...warnings.keys()], ['a', 'b']);
    assert.match(warnings.get('a') ?? '', /^signed in as me@x\.test, the same account as Svc · Personal/);
  });

  it('scopes identities by upstream URL for OAuth and VS Code sign-ins only', () => {
    assert.equal(signInScope({ kind: 'remote', url: 'https://X.example/mcp', transport: 'http', headers: {}, auth: { type: 'vscode', provider: 'github', scopes: [] } } as never), 'https://x.example/mcp');
    assert.equal(signInScope({ kind: 'remote', url: 'https://x.example/mcp', transport: 'http', headers: {}, auth: { type: 'bearer', token: 't' } } as never), undefined);
    assert.equal(signInScope(undefined), undefined);
  });
});
