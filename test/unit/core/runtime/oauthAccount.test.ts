// "Signed in as …" for OAuth: read from the stored tokens' ID token when the authorization
// server sent one (email, then preferred_username, then name), else nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountOfTokens } from '../../../../src/core/runtime/oauthAccount';

const jwt = (claims: Record<string, unknown>): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

test('the account comes from the ID token: email first, then preferred_username, then name', () => {
  assert.equal(accountOfTokens(JSON.stringify({ access_token: 'a', id_token: jwt({ sub: '1', email: 'me@work.example', name: 'Me' }) })), 'me@work.example');
  assert.equal(accountOfTokens(JSON.stringify({ access_token: 'a', id_token: jwt({ sub: '1', preferred_username: 'me', name: 'Me' }) })), 'me');
  assert.equal(accountOfTokens(JSON.stringify({ access_token: 'a', id_token: jwt({ sub: '1', name: ' Me ' }) })), 'Me');
});

test('no ID token, an opaque one, or one without a readable claim: no account (never the subject id)', () => {
  assert.equal(accountOfTokens(JSON.stringify({ access_token: 'a' })), undefined);
  assert.equal(accountOfTokens(JSON.stringify({ access_token: 'a', id_token: 'opaque' })), undefined);
  assert.equal(accountOfTokens(JSON.stringify({ access_token: 'a', id_token: jwt({ sub: '1234' }) })), undefined);
  assert.equal(accountOfTokens(JSON.stringify({ access_token: 'a', id_token: 'x.!!!.y' })), undefined);
  assert.equal(accountOfTokens('not json'), undefined);
});
