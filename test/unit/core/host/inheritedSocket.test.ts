import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopback } from '../../../../src/core/host/inheritedSocket';

describe('an inherited TCP socket is loopback only', () => {
  it('takes 127.0.0.0/8, ::1 and IPv4 loopback mapped into IPv6', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(address), true, address);
  });
  it('refuses every address other machines can reach, the wildcards among them', () => {
    for (const address of ['0.0.0.0', '::', '192.168.1.2', '::ffff:10.0.0.1', '128.0.0.1', 'fe80::1']) assert.equal(isLoopback(address), false, address);
  });
});
