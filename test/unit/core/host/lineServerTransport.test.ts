// The stdio server transport: one JSON-RPC message per line, split anywhere across chunks
// (multi-byte characters included); lines that are not JSON-RPC are reported, not fatal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { LineServerTransport } from '../../../../src/core/host/lineServerTransport';
import { RawJson } from '../../../../src/core/wire/rawJson';

describe('LineServerTransport', () => {
  it('delivers messages split across chunks, including inside a multi-byte character', async () => {
    const input = new PassThrough();
    const transport = new LineServerTransport(input, new PassThrough());
    const received: unknown[] = [];
    transport.onmessage = (message) => void received.push(message);
    await transport.start();
    const bytes = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"text":"é€"}}\r\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    const cut = bytes.indexOf(Buffer.from('€')) + 1; // in the middle of the three bytes of €
    input.write(bytes.subarray(0, cut));
    input.write(bytes.subarray(cut));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(received, [
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { text: 'é€' } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ]);
  });

  it('reports a line that is not JSON-RPC 2.0 and keeps reading', async () => {
    const input = new PassThrough();
    const transport = new LineServerTransport(input, new PassThrough());
    const errors: string[] = [];
    const received: unknown[] = [];
    transport.onerror = (error) => void errors.push(error.message);
    transport.onmessage = (message) => void received.push(message);
    await transport.start();
    input.write('not json\n{"id":1}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(errors.length, 2);
    assert.deepEqual(received, [{ jsonrpc: '2.0', id: 2, method: 'ping' }]);
  });

  it('answers a malformed request under its id and a line that is not JSON with a parse error', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const transport = new LineServerTransport(input, output);
    transport.onerror = () => undefined;
    const received: unknown[] = [];
    transport.onmessage = (message) => void received.push(message);
    await transport.start();
    input.write('not json\n{"jsonrpc":"2.0","id":1,"method":"ping","extra":1}\n{"jsonrpc":"2.0","id":2.5,"method":"ping"}\n');
    input.write('{"jsonrpc":"2.0","method":"notifications/x","params":3}\n{"jsonrpc":"2.0","id":3,"method":"ping","params":[]}\n');
    await new Promise((resolve) => setImmediate(resolve));
    const answers = String(output.read()).trim().split('\n').map((line) => JSON.parse(line) as { id: unknown; error: { code: number } });
    assert.deepEqual(answers.map(({ id, error }) => [id, error.code]), [[null, -32700], [1, -32600], [2.5, -32600], [3, -32600]]);
    assert.deepEqual(received, []);
  });

  it('refuses a line past its cap without gathering it, and reads the next one', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const transport = new LineServerTransport(input, output, { maxMessageBytes: 1024 });
    const errors: Error[] = [];
    transport.onerror = (error) => void errors.push(error);
    const received: unknown[] = [];
    transport.onmessage = (message) => void received.push(message);
    await transport.start();
    input.write(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"${'x'.repeat(800)}`);
    input.write(`${'x'.repeat(800)}"}}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    const answers = String(output.read()).trim().split('\n').map((line) => JSON.parse(line) as { id: unknown; error: { code: number; message: string } });
    assert.deepEqual(answers.map(({ id, error }) => [id, error.code, error.message]), [[null, -32600, 'Invalid Request: the message is larger than the 1024 bytes cap.']]);
    assert.deepEqual(received, [{ jsonrpc: '2.0', id: 2, method: 'ping' }]);
    assert.match(errors[0]?.message ?? '', /The client sent a message larger than the 1024 bytes cap/);
  });

  it('refuses a request whose id is in flight, and frees the id once it is answered or cancelled', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const transport = new LineServerTransport(input, output);
    const received: unknown[] = [];
    transport.onmessage = (message) => void received.push(message);
    await transport.start();
    const lines = (): string[] => String(output.read() ?? '').trim().split('\n').filter(Boolean);
    input.write('{"jsonrpc":"2.0","id":7,"method":"ping"}\n{"jsonrpc":"2.0","id":7,"method":"ping"}\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(received.length, 1);
    assert.match(lines()[0] ?? '', /"id":7,"error":\{"code":-32600,"message":"Invalid Request: id 7 is already in use in this session\."/);
    await transport.send({ jsonrpc: '2.0', id: 7, result: {} });
    lines();
    input.write('{"jsonrpc":"2.0","id":7,"method":"ping"}\n{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}\n{"jsonrpc":"2.0","id":7,"method":"ping"}\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(received.length, 4);
    assert.deepEqual(lines(), []);
  });

  it('writes one line per message and fires onclose once', async () => {
    const output = new PassThrough();
    const transport = new LineServerTransport(new PassThrough(), output);
    let closes = 0;
    transport.onclose = () => void closes++;
    await transport.start();
    await transport.send({ jsonrpc: '2.0', id: 1, result: { ok: true } });
    assert.equal(output.read().toString(), '{"jsonrpc":"2.0","id":1,"result":{"ok":true}}\n');
    await transport.close();
    await transport.close();
    assert.equal(closes, 1);
  });

  it('writes a raw result held as bytes (small or large) as one line under the client id', async () => {
    const output = new PassThrough();
    const transport = new LineServerTransport(new PassThrough(), output);
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    await transport.start();
    const large = `{"text":"${'é'.repeat(20_000)}"}`;
    await transport.sendRawResult('c-1', new RawJson(Buffer.from('{"a":"€"}')));
    await transport.sendRawResult(2, new RawJson(Buffer.from(large)));
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    assert.deepEqual(lines.slice(0, 2).map((line) => JSON.parse(line) as unknown), [
      { jsonrpc: '2.0', id: 'c-1', result: { a: '€' } },
      { jsonrpc: '2.0', id: 2, result: JSON.parse(large) as unknown },
    ]);
    assert.equal(lines[2], '');
  });
});
