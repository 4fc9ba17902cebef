// How a call reads in the trail, from the raw text of the fast path or a parsed result.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { outcomeOf } from '../../../../src/core/mux';
import { RawJson } from '../../../../src/core/wire';

describe('outcomeOf', () => {
  it('reads ok, error and declined off the raw text without parsing it', () => {
    assert.equal(outcomeOf(new RawJson('{"content":[{"type":"text","text":"fine"}]}')), 'ok');
    assert.equal(outcomeOf(new RawJson('{"content":[],"isError": true}')), 'error');
    // The words inside a string value are escaped: not the result's own flag.
    assert.equal(outcomeOf(new RawJson('{"content":[{"type":"text","text":"{\\"isError\\":true}"}]}')), 'ok');
    assert.equal(outcomeOf(new RawJson('{"content":[],"isError":true,"_meta":{"mcplex/declined":true}}')), 'declined');
  });

  it('reads a parsed result the same way', () => {
    assert.equal(outcomeOf({ content: [] }), 'ok');
    assert.equal(outcomeOf({ content: [], isError: true }), 'error');
    assert.equal(outcomeOf({ content: [], isError: true, _meta: { 'mcplex/declined': true } }), 'declined');
  });
});
