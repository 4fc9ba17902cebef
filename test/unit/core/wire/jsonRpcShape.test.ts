// The transports' own check of a message's shape must agree with the SDK's schema: a message
// it passes that the SDK's Protocol drops would never be answered.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { answerIdOf, invalidMessageReason } from '../../../../src/core/wire/jsonRpcShape';

const sdkAccepts = (value: unknown): boolean => JSONRPCMessageSchema.safeParse(value).success;

const CASES: readonly [string, unknown, boolean][] = [
  ['a request', { jsonrpc: '2.0', id: 1, method: 'ping' }, true],
  ['a request with params and _meta', { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'x', _meta: { progressToken: 3 } } }, true],
  ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }, true],
  ['a result', { jsonrpc: '2.0', id: 2, result: {} }, true],
  ['an error without id', { jsonrpc: '2.0', error: { code: -1, message: 'm' } }, true],
  ['an extra top-level key', { jsonrpc: '2.0', id: 1, method: 'ping', extra: true }, false],
  ['params a string', { jsonrpc: '2.0', id: 1, method: 'ping', params: 'x' }, false],
  ['params an array', { jsonrpc: '2.0', id: 1, method: 'ping', params: [1] }, false],
  ['params null', { jsonrpc: '2.0', id: 1, method: 'ping', params: null }, false],
  ['a fractional id', { jsonrpc: '2.0', id: 1.5, method: 'ping' }, false],
  ['an id past the safe integers', { jsonrpc: '2.0', id: 2 ** 60, method: 'ping' }, false],
  ['a result beside method', { jsonrpc: '2.0', id: 1, method: 'ping', result: {} }, false],
  ['a fractional progressToken', { jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: { progressToken: 0.5 } } }, false],
  ['an error with id null', { jsonrpc: '2.0', id: null, error: { code: 1, message: 'm' } }, false],
  ['no jsonrpc', { id: 1, method: 'ping' }, false],
  ['an array', [{ jsonrpc: '2.0', id: 1, method: 'ping' }], false],
];

describe('invalidMessageReason', () => {
  for (const [name, value, valid] of CASES) {
    it(`${valid ? 'passes' : 'refuses'} ${name}, as the SDK does`, () => {
      assert.equal(sdkAccepts(value), valid, 'the table agrees with the SDK');
      assert.equal(invalidMessageReason(value) === undefined, valid, invalidMessageReason(value));
    });
  }

  it('agrees with the SDK schema on generated messages', () => {
    const id = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.double(), fc.constant(null), fc.constant(2 ** 60), fc.boolean());
    const meta = fc.dictionary(fc.constantFrom('progressToken', 'io.modelcontextprotocol/related-task', 'other'), fc.oneof(id, fc.record({ taskId: id })));
    const params = fc.oneof(fc.constant('x'), fc.constant(null), fc.array(fc.integer(), { maxLength: 1 }), fc.record({ _meta: fc.oneof(meta, id) }, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 2 }), fc.integer()));
    const error = fc.oneof(fc.record({ code: id, message: id }, { requiredKeys: [] }), fc.constant('e'));
    const message = fc.record(
      {
        jsonrpc: fc.constantFrom('2.0', '1.0'),
        id,
        method: fc.oneof(fc.constant('ping'), fc.integer()),
        params,
        result: fc.oneof(fc.constant({}), fc.constant(1), fc.record({ _meta: meta })),
        error,
        extra: fc.integer(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(message, (value) => {
        assert.equal(invalidMessageReason(value) === undefined, sdkAccepts(value), JSON.stringify(value));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('answerIdOf', () => {
  it("answers a request's own id, even a fractional one, so the client can match it", () => {
    assert.equal(answerIdOf({ jsonrpc: '2.0', id: 1.5, method: 'x' }), 1.5);
    assert.equal(answerIdOf({ id: 'a', method: 'x', extra: 1 }), 'a');
  });
  it('answers null for an id that cannot be one, and nothing for notifications and responses', () => {
    assert.equal(answerIdOf({ jsonrpc: '2.0', id: {}, method: 'x' }), null);
    assert.equal(answerIdOf([1]), null);
    assert.equal(answerIdOf({ jsonrpc: '2.0', method: 'x', params: 1 }), undefined);
    assert.equal(answerIdOf({ jsonrpc: '2.0', id: 1, result: 1 }), undefined);
  });
});
