import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequestGuard } from '../../../../src/core/host/requestGuard';

const PORT = 43117;

test('without a token or a port, every request passes', () => {
  const guard = createRequestGuard({});
  assert.equal(guard({}), 'ok');
  assert.equal(guard({ host: 'evil.example', origin: 'https://evil.example' }), 'ok');
});

test('Host must be a loopback name with the bound port', () => {
  const guard = createRequestGuard({ loopbackPort: PORT });
  for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `LOCALHOST:${PORT}`, `[::1]:${PORT}`]) {
    assert.equal(guard({ host }), 'ok', host);
  }
  for (const host of [undefined, 'evil.example', `evil.example:${PORT}`, `127.0.0.1:${PORT + 1}`, '127.0.0.1', `127.0.0.2:${PORT}`]) {
    assert.equal(guard(host === undefined ? {} : { host }), 'forbidden', String(host));
  }
});

test('a port-80 host also accepts a Host without port', () => {
  const guard = createRequestGuard({ loopbackPort: 80 });
  assert.equal(guard({ host: 'localhost' }), 'ok');
  assert.equal(guard({ host: 'localhost:80' }), 'ok');
});

test('Origin, when present, must be loopback', () => {
  const guard = createRequestGuard({ loopbackPort: PORT });
  const host = `127.0.0.1:${PORT}`;
  for (const origin of ['http://localhost:3000', 'https://127.0.0.1', 'http://[::1]:8080']) {
    assert.equal(guard({ host, origin }), 'ok', origin);
  }
  for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example', 'file://']) {
    assert.equal(guard({ host, origin }), 'forbidden', origin);
  }
});

test('the token is accepted as a Bearer credential or in the custom header, and nowhere else', () => {
  const guard = createRequestGuard({ token: 's3cret', tokenHeader: 'X-Mcplex-Token' });
  assert.equal(guard({ authorization: 'Bearer s3cret' }), 'ok');
  assert.equal(guard({ authorization: 'bearer   s3cret ' }), 'ok');
  assert.equal(guard({ 'x-mcplex-token': 's3cret' }), 'ok');
  assert.equal(guard({}), 'unauthorized');
  assert.equal(guard({ authorization: 'Bearer s3cre' }), 'unauthorized');
  assert.equal(guard({ authorization: 'Bearer s3cretX' }), 'unauthorized');
  assert.equal(guard({ authorization: 'Bearer s3creT' }), 'unauthorized');
  assert.equal(guard({ authorization: 'Bearer s3cré' }), 'unauthorized');
  assert.equal(guard({ authorization: 'Basic s3cret' }), 'unauthorized');
  assert.equal(guard({ authorization: 's3cret' }), 'unauthorized');
  assert.equal(guard({ 'x-mcplex-token': 'wrong' }), 'unauthorized');
  assert.equal(guard({ 'x-other': 's3cret' }), 'unauthorized');
});

test('without a custom header name, only Authorization carries the token', () => {
  const guard = createRequestGuard({ token: 's3cret' });
  assert.equal(guard({ authorization: 'Bearer s3cret' }), 'ok');
  assert.equal(guard({ 'x-mcplex-token': 's3cret' }), 'unauthorized');
});

test('Host and Origin are checked before the token, so a rebinding page is refused even with it', () => {
  const guard = createRequestGuard({ token: 't', loopbackPort: PORT });
  assert.equal(guard({ host: 'evil.example', authorization: 'Bearer t' }), 'forbidden');
  assert.equal(guard({ host: `localhost:${PORT}` }), 'unauthorized');
});
