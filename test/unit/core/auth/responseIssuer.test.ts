// RFC 9207: which authorization responses are refused for their `iss`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { issuerExpectation, responseIssuerProblem } from '../../../../src/core/auth';

const ISSUER = 'https://as.example/';

describe('the authorization response issuer (RFC 9207)', () => {
  it('expects what the metadata says', () => {
    assert.deepEqual(issuerExpectation({ issuer: ISSUER, authorization_response_iss_parameter_supported: true }), { issuer: ISSUER, required: true });
    assert.deepEqual(issuerExpectation({ issuer: ISSUER }), { issuer: ISSUER, required: false });
    assert.equal(issuerExpectation(undefined), undefined);
    assert.equal(issuerExpectation({ issuer: 42 }), undefined);
  });

  it('refuses a missing iss only where it is promised, and another issuer always', () => {
    const promised = { issuer: ISSUER, required: true };
    const quiet = { issuer: ISSUER, required: false };
    assert.equal(responseIssuerProblem('a/b', ISSUER, promised), undefined);
    assert.equal(responseIssuerProblem('a/b', null, quiet), undefined);
    assert.match(responseIssuerProblem('a/b', null, promised) ?? '', /^a\/b: the sign-in response has no `iss`/);
    for (const expected of [promised, quiet]) {
      assert.match(responseIssuerProblem('a/b', 'https://evil.example/', expected) ?? '', /comes from "https:\/\/evil\.example\/", not from https:\/\/as\.example\//);
    }
    // Compared as strings: a missing trailing slash is another issuer.
    assert.ok(responseIssuerProblem('a/b', 'https://as.example', promised) !== undefined);
    assert.equal(responseIssuerProblem('a/b', 'https://evil.example/', undefined), undefined, 'no metadata, nothing to compare with');
    assert.ok((responseIssuerProblem('a/b', 'x'.repeat(5000), quiet)?.length ?? 0) < 600, 'a long iss is cut');
  });
});
