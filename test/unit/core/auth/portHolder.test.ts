import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listeningInodes, redactCommandLine } from '../../../../src/core/auth/portHolder';
import { callbackPortAttempt, callbackPortCandidate, callbackPortOf, CALLBACK_PORT_CANDIDATES, defaultCallbackPort, nextCallbackPort } from '../../../../src/core/auth/callbackPort';

const TABLE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:C350 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:C350 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1 0000000000000000 20 4 30 10 -1
   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4444 1 0000000000000000 100 0 0 10 0
`;

describe('portHolder', () => {
  it('finds the listening socket of a port, not its connections nor other ports', () => {
    assert.deepEqual(listeningInodes(TABLE, 0xc350), ['4242']);
    assert.deepEqual(listeningInodes(TABLE, 8080), ['4444']);
    assert.deepEqual(listeningInodes(TABLE, 1234), []);
  });

  it('hides the values of secret-looking flags and shortens long command lines', () => {
    assert.equal(redactCommandLine(['node', 'srv.js', '--token', 'abc', '--client-secret=def', '--port', '80']), 'node srv.js --token ‹secret› --client-secret=‹secret› --port 80');
    const long = redactCommandLine(['x'.repeat(500)]);
    assert.equal(long.length, 200);
    assert.ok(long.endsWith('…'));
  });
});

describe('callback port candidates', () => {
  it('starts at the default port, is stable, and cycles through its candidates', () => {
    const url = 'https://mcp.example.test/mcp';
    assert.equal(callbackPortCandidate(url, 'work', 0), defaultCallbackPort(url, 'work'));
    const ports = Array.from({ length: CALLBACK_PORT_CANDIDATES }, (_, attempt) => callbackPortCandidate(url, 'work', attempt));
    assert.equal(new Set(ports).size, ports.length);
    assert.equal(callbackPortAttempt(url, 'work', ports[3] ?? 0), 3);
    assert.equal(nextCallbackPort(url, 'work', ports[0] ?? 0), ports[1]);
    assert.equal(nextCallbackPort(url, 'work', ports.at(-1) ?? 0), ports[0]);
    assert.equal(nextCallbackPort(url, 'work', 80), undefined);
    assert.equal(callbackPortOf('http://127.0.0.1:50123/oauth/callback'), 50123);
    assert.equal(callbackPortOf('https://example.test/cb'), undefined);
  });
});
