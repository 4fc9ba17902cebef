// The envelope scanner that lets the relay pass a result on as text: it must find exactly
// what JSON.parse finds at the top level, and refuse what is not one well-formed object.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsedResponse, RawJson, responseFrame, scanEnvelope } from '../../../../src/core/wire/rawJson';

describe('scanEnvelope', () => {
  it('finds id, result and error where JSON.parse does, whatever the key order, spacing and escapes', () => {
    const value = fc.jsonValue();
    fc.assert(
      fc.property(
        fc.record({ id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), result: value, error: value, method: fc.string(), jsonrpc: fc.constant('2.0') }, { requiredKeys: ['jsonrpc'] }),
        fc.boolean(),
        (message, spaced) => {
          const text = JSON.stringify(message, null, spaced ? 1 : undefined);
          const parsed = JSON.parse(text) as Record<string, unknown>; // -0 is 0 once on the wire
          const envelope = scanEnvelope(text);
          assert.ok(envelope !== undefined, text);
          assert.deepEqual(envelope.id, parsed['id']);
          assert.equal(envelope.hasMethod, 'method' in message);
          if ('result' in message) assert.deepEqual(JSON.parse(text.slice(...envelope.result!)), parsed['result']);
          else assert.equal(envelope.result, undefined);
          if ('error' in message) assert.deepEqual(JSON.parse(text.slice(...envelope.error!)), parsed['error']);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads the UTF-8 bytes of a message exactly as its text (a large line stays a Buffer)', () => {
    const value = fc.jsonValue();
    fc.assert(
      fc.property(fc.record({ id: fc.oneof(fc.string({ unit: 'binary' }), fc.integer()), result: value, method: fc.string({ unit: 'binary' }) }, { requiredKeys: ['id'] }), (message) => {
        const text = JSON.stringify(message);
        const bytes = Buffer.from(text, 'utf8');
        const fromText = scanEnvelope(text);
        const fromBytes = scanEnvelope(bytes);
        assert.ok(fromText !== undefined && fromBytes !== undefined, text);
        assert.deepEqual(fromBytes.id, fromText.id);
        assert.equal(fromBytes.hasMethod, fromText.hasMethod);
        if (fromText.result !== undefined) assert.equal(bytes.toString('utf8', ...fromBytes.result!), text.slice(...fromText.result));
        else assert.equal(fromBytes.result, undefined);
      }),
      { numRuns: 300 },
    );
    assert.equal(scanEnvelope(Buffer.from('{"id":1,"result":"open}')), undefined, 'an unclosed string in bytes is refused too');
  });

  it('skips strings full of quotes, backslashes and brackets', () => {
    const text = '{"result":{"text":"a\\"b\\\\","x":["}",{"y":"]\\\\\\""}]},"jsonrpc":"2.0","id":"mcplex-7"}';
    const envelope = scanEnvelope(text)!;
    assert.equal(envelope.id, 'mcplex-7');
    assert.deepEqual(JSON.parse(text.slice(...envelope.result!)), JSON.parse(text).result);
  });

  it('refuses broken structure instead of guessing', () => {
    for (const text of ['', '[1]', '{"id":1', '{"id":1}x', '{"result":{"a":[1}},"id":1}', '{"result":"open,"id":1}', '{"id" 1}', '{"id":1,}', '{"id":{"a":1}]}']) {
      assert.equal(scanEnvelope(text), undefined, text);
    }
  });

  it('splices a raw result under the client id, and parses it only for transports that need an object', () => {
    const [head, tail] = responseFrame('c"1');
    assert.deepEqual(JSON.parse(`${head}{"content":[]}${tail}`), { jsonrpc: '2.0', id: 'c"1', result: { content: [] } });
    assert.deepEqual(parsedResponse(3, new RawJson('{"a":1}')), { jsonrpc: '2.0', id: 3, result: { a: 1 } });
    assert.deepEqual(parsedResponse(4, new RawJson(Buffer.from('{"é":"€"}'))), { jsonrpc: '2.0', id: 4, result: { é: '€' } });
  });
});
