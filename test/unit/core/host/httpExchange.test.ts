// The SSE framing of messages written as pieces, a large result being a piece of bytes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { writeEvent } from '../../../../src/core/host/httpExchange';

function recorder(): { response: ServerResponse; text: () => string } {
  const written: Buffer[] = [];
  const response = {
    write: (piece: string | Buffer) => written.push(Buffer.from(piece)),
    cork: () => undefined,
    uncork: () => undefined,
  } as unknown as ServerResponse;
  return { response, text: () => Buffer.concat(written).toString('utf8') };
}

describe('writeEvent', () => {
  it('writes text and byte pieces as one data line, without the \\r a JSON line may hold between tokens', () => {
    const { response, text } = recorder();
    writeEvent(response, ['{"jsonrpc":"2.0","id":1,"result":', Buffer.from('{"a":\r"é€"}'), '\r}']);
    assert.equal(text(), 'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"a":"é€"}}\n\n');
  });
});
