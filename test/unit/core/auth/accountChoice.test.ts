// The account choice in the authorization request, the instances that need it, and OAuth
// records kept per authorization server (with the records of earlier versions moved in).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountChoiceUrl, isSharedSignInUrl, McplexOAuthProvider, MemoryTokenStore, oauthKey, sharedSignInUrls } from '../../../../src/core/auth';

const URL_A = 'https://mcp.example.com/mcp';

describe('account choice', () => {
  it('adds select_account to what the SDK set, and the login hint', () => {
    const base = new URL('https://as.example/authorize?client_id=c&prompt=consent&state=s');
    const url = accountChoiceUrl(base, { selectAccount: true, loginHint: 'me@work.example' });
    assert.equal(url.searchParams.get('prompt'), 'consent select_account');
    assert.equal(url.searchParams.get('login_hint'), 'me@work.example');
    assert.equal(url.searchParams.get('state'), 's');
    assert.equal(base.searchParams.get('login_hint'), null, 'the given URL is left as it was');
    assert.equal(accountChoiceUrl(new URL('https://as.example/a?x=1'), { selectAccount: false }).href, 'https://as.example/a?x=1');
    assert.equal(accountChoiceUrl(new URL('https://as.example/a?prompt=select_account'), { selectAccount: true }).searchParams.get('prompt'), 'select_account');
  });

  it('finds the URLs more than one OAuth instance signs in to', () => {
    const shared = sharedSignInUrls([
      { url: URL_A, authType: 'oauth' },
      { url: 'HTTPS://MCP.example.com/mcp', authType: 'oauth' },
      { url: 'https://other.example/mcp', authType: 'oauth' },
      { url: 'https://other.example/mcp', authType: 'bearer' },
    ]);
    assert.ok(isSharedSignInUrl(shared, URL_A));
    assert.ok(!isSharedSignInUrl(shared, 'https://other.example/mcp'), 'a bearer instance has no browser session to reuse');
  });
});

describe('OAuth records per authorization server', () => {
  const provider = (store: MemoryTokenStore) =>
    new McplexOAuthProvider({ instance: 'svc/work', storeKey: 'svc/work', url: URL_A, prefix: 'work', config: { type: 'oauth' }, store, interactive: false });
  const discovery = (issuer: string) => JSON.stringify({ authorizationServerUrl: issuer });

  it('moves tokens of an earlier version into their issuer\'s slot, and uses them while the issuer stays', async () => {
    const store = new MemoryTokenStore();
    await store.set(oauthKey('svc/work', URL_A, 'discovery'), discovery('https://as.example/'));
    await store.set(oauthKey('svc/work', URL_A, 'tokens'), JSON.stringify({ access_token: 'old', token_type: 'bearer' }));
    assert.equal((await provider(store).tokens())?.access_token, 'old');
    assert.equal(await store.get(oauthKey('svc/work', URL_A, 'tokens')), undefined, 'the old key is gone');
    assert.ok(await store.get(oauthKey('svc/work', URL_A, 'tokens', 'https://as.example')), 'stored under the issuer');
  });

  it('drops the old server\'s client and tokens when discovery finds another one', async () => {
    const store = new MemoryTokenStore();
    await store.set(oauthKey('svc/work', URL_A, 'discovery'), discovery('https://as.example/'));
    await store.set(oauthKey('svc/work', URL_A, 'tokens', 'https://as.example/'), JSON.stringify({ access_token: 'old', token_type: 'bearer' }));
    await store.set(oauthKey('svc/work', URL_A, 'client', 'https://as.example/'), JSON.stringify({ client_id: 'c1' }));
    const moved = provider(store);
    await moved.saveDiscoveryState({ authorizationServerUrl: 'https://new-as.example/' });
    assert.equal(await moved.tokens(), undefined);
    assert.equal(await moved.clientInformation(), undefined, 'registers again');
    assert.equal(await store.get(oauthKey('svc/work', URL_A, 'client', 'https://as.example/')), undefined);
  });

  it('drops unstamped records of an earlier version that no discovery tells the server of', async () => {
    const store = new MemoryTokenStore();
    await store.set(oauthKey('svc/work', URL_A, 'tokens'), JSON.stringify({ access_token: 'old', token_type: 'bearer' }));
    assert.equal(await provider(store).tokens(), undefined);
    assert.equal(store.values.size, 0);
  });
});
